//! Log setup. Logs go to stderr so that subcommands printing to stdout (SDL, logins) stay
//! clean. The filter comes from `RUST_LOG`, default `info`.

use std::time::Duration;

use tracing::Level;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the global subscriber, writing to `sink`. Call once per process; later calls
/// are ignored, so tests may call it freely.
pub fn init<W>(default_filter: &str, sink: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _already_set = tracing_subscriber::fmt().with_env_filter(filter).with_writer(sink).try_init();
}

/// Answers slower than this are logged at `info` whatever their status.
const SLOW_ANSWER: Duration = Duration::from_secs(1);

/// The level an answer is logged at: `info` for a refusal or failure (status 400 and up)
/// or a slow one, else `debug`. A line for every answer cost a fifth of a small request's
/// CPU; what a 200 wrote is in the audit trail, and denials are logged where they are
/// decided.
fn answer_level(status: u16, latency: Duration) -> Level {
    if status >= 400 || latency >= SLOW_ANSWER { Level::INFO } else { Level::DEBUG }
}

/// Logs an answer at [`answer_level`] (the HTTP trace layer's `on_response`).
pub fn log_answer<B>(response: &axum::http::Response<B>, latency: Duration, _span: &tracing::Span) {
    let (status, latency_ms) = (response.status().as_u16(), latency.as_millis());
    if answer_level(status, latency) == Level::INFO {
        tracing::info!(http.status = status, latency_ms, "answered");
    } else {
        tracing::debug!(http.status = status, latency_ms, "answered");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_failed_and_slow_answers_are_logged_at_info_the_rest_at_debug() {
        let quick = Duration::from_millis(5);
        assert_eq!(answer_level(200, quick), Level::DEBUG);
        assert_eq!(answer_level(304, quick), Level::DEBUG);
        assert_eq!(answer_level(400, quick), Level::INFO);
        assert_eq!(answer_level(401, quick), Level::INFO);
        assert_eq!(answer_level(503, quick), Level::INFO);
        assert_eq!(answer_level(200, SLOW_ANSWER), Level::INFO);
        assert_eq!(answer_level(200, SLOW_ANSWER - Duration::from_millis(1)), Level::DEBUG);
    }
}
