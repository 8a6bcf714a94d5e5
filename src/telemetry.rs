//! Log setup. Logs go to stderr so that subcommands printing to stdout (SDL, logins) stay
//! clean. The filter comes from `RUST_LOG`, default `info`.

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
