//! The `outlet-filing` binary: see `outlet-filing --help`.

use std::process::ExitCode;

fn main() -> ExitCode {
    return_large_allocations_to_the_system();
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

/// Makes glibc serve allocations of 1 MiB and more from their own mappings, returned to the
/// system when freed. Each password hash takes a 19 MiB block; by default glibc keeps freed
/// blocks in per-thread arenas, and a storm of logins left the process holding half a
/// gigabyte it no longer used. Called before any thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_allocations_to_the_system() {
    // SAFETY: mallopt only sets an allocator parameter, and no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_allocations_to_the_system() {}
