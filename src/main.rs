//! The `outlet-filing` binary: see `outlet-filing --help`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    outlet_filing::telemetry::init("info", std::io::stderr);
    match outlet_filing::cli::run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error.cause = format!("{error:#}"), "outlet-filing failed");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
