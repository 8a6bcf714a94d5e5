//! The `outlet-filing` binary: see `outlet-filing --help`.

use std::process::ExitCode;

/// mimalloc rather than glibc's allocator. A request allocates and frees thousands of small
/// values (its parsed document, the answer's value tree, rows), from whichever worker
/// thread runs it; glibc's arenas spent a quarter of the server's CPU on that under load
/// (`malloc`, `free`, arena locks and consolidation in the flame graph of a page of
/// institutions) and kept the 19 MiB blocks of freed password hashes in per-thread arenas.
/// mimalloc's thread-local heaps take neither lock, and it returns freed memory to the
/// system on its own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
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
