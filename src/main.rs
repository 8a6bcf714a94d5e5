//! The `outlet-filing` binary: see `outlet-filing --help`.

use std::process::ExitCode;

/// mimalloc rather than glibc's allocator. A request allocates and frees thousands of small
/// values (its parsed document, the answer's value tree, rows), from whichever worker
/// thread runs it; glibc's arenas spent a quarter of the server's CPU on that under load
/// (`malloc`, `free`, arena locks and consolidation in the flame graph of a page of
/// institutions) and kept the 19 MiB blocks of freed password hashes in per-thread arenas.
/// mimalloc's thread-local heaps take neither lock, and it returns freed memory to the
/// system on its own ([`return_freed_memory_at_once`]).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h, which the Rust bindings do not name; the
/// assertion pins it below its neighbour there, so a reordered enum fails the build.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(libmimalloc_sys::mi_option_use_numa_nodes == PURGE_DELAY + 1);

/// Makes mimalloc give freed pages back to the system at once rather than a second later.
/// With the delay, the server at 64 connections on PostgreSQL peaked at 101 MiB resident
/// (77 MiB anonymous); without it, 64 MiB (40 MiB anonymous), at the same request rates
/// (`BENCHMARKS.md`). Arenas are also committed only as used: see `.cargo/config.toml`.
/// An operator's `MIMALLOC_PURGE_DELAY` (milliseconds) still wins.
fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: mi_option_set stores an option's value; mimalloc reads it when it next purges.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    return_freed_memory_at_once();
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
