//! Who gets the CPU when there is not enough of it: signed-in users first.
//!
//! Work a stranger can start in any amount — password hashing, and every GraphQL request
//! sent without a token — runs on threads of its own at a lower scheduling priority
//! ([`BACKGROUND_NICENESS`]) than the threads that serve signed-in users. When the machine
//! is idle, that work runs at full speed; when it is busy, the kernel gives a bureau's
//! reviewer the CPU first, however much anonymous traffic arrives. How many anonymous
//! requests may be in hand at once is bounded too ([`admit`]).

use std::future::Future;
use std::sync::LazyLock;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinHandle;

use crate::error::AppError;
use crate::identity::Caller;
use crate::state::AppState;

/// A turn for an anonymous request: at most `max_anonymous_requests` are read and run at
/// once, so however much anonymous traffic arrives, signed-in users keep the rest of the
/// machine. One more waits for a turn, first come first served, for up to
/// `anonymous_shed_delay_ms`, and is refused (`Unavailable`, a 503) when none frees in that
/// time: a burst of visitors to the public list queues for a few milliseconds, while a flood
/// that retries the moment it is refused gets its refusals at that pace, not as fast as the
/// server could write them. A signed-in caller needs no turn. Held until dropped.
///
/// # Errors
/// `Unavailable` when no anonymous turn frees in time.
pub async fn admit(state: &AppState, caller: &Caller) -> Result<Option<OwnedSemaphorePermit>, AppError> {
    if matches!(caller, Caller::User(_)) {
        return Ok(None);
    }
    let wait = Duration::from_millis(state.settings.anonymous_shed_delay_ms);
    match tokio::time::timeout(wait, state.anonymous.clone().acquire_owned()).await {
        Ok(Ok(turn)) => Ok(Some(turn)),
        // Elapsed, or the semaphore closed (it never is).
        Ok(Err(_)) | Err(_) => Err(AppError::Unavailable),
    }
}

/// The nice value of the background threads (Linux; 0 is the default, 19 the lowest).
pub const BACKGROUND_NICENESS: libc::c_int = 10;

/// Lowers the calling thread's scheduling priority to [`BACKGROUND_NICENESS`]. On Linux
/// the nice value belongs to the thread, not the process, and threads it starts inherit it.
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `gettid` names the calling thread.
    unsafe {
        let thread = libc::id_t::try_from(libc::gettid()).unwrap_or_default();
        if libc::setpriority(libc::PRIO_PROCESS, thread, BACKGROUND_NICENESS) != 0 {
            tracing::warn!("could not lower the priority of a background thread");
        }
    }
}

/// The nice value of the calling thread (0 off Linux).
pub fn current_niceness() -> libc::c_int {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority only reads its arguments; `gettid` names the calling thread.
    unsafe {
        let thread = libc::id_t::try_from(libc::gettid()).unwrap_or_default();
        libc::getpriority(libc::PRIO_PROCESS, thread)
    }
    #[cfg(not(target_os = "linux"))]
    0
}

/// Runs `work` on the anonymous threads, one per core at [`BACKGROUND_NICENESS`], and
/// waits for its output. Dropping the returned future stops the work (a deadline that
/// passes rolls back as it would on the caller's thread); a panic in the work resumes in
/// the caller. The threads' runtime is made on first use and never dropped, so it may be
/// reached from any runtime, tests' included.
///
/// # Errors
/// When the threads cannot be started.
pub async fn run_anonymous<F>(work: F) -> std::io::Result<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    static RUNTIME: LazyLock<std::io::Result<Runtime>> = LazyLock::new(|| {
        Builder::new_multi_thread()
            .worker_threads(std::thread::available_parallelism().map_or(2, usize::from))
            .thread_name("anonymous")
            .on_thread_start(lower_priority)
            .enable_all()
            .build()
    });
    let runtime = RUNTIME.as_ref().map_err(|error| {
        std::io::Error::new(error.kind(), format!("cannot start the anonymous threads: {error}"))
    })?;
    let task = AbortOnDrop(runtime.spawn(work));
    match (&mut { task }.0).await {
        Ok(output) => Ok(output),
        Err(error) => std::panic::resume_unwind(error.into_panic()),
    }
}

/// Aborts a task when the one waiting for it gives up.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn anonymous_work_runs_below_the_serving_threads() {
        let serving = current_niceness();
        let anonymous = run_anonymous(async { current_niceness() }).await.unwrap();
        assert_eq!(anonymous, BACKGROUND_NICENESS, "serving threads run at {serving}");
        assert_eq!(current_niceness(), serving, "the serving thread keeps its priority");
    }

    #[tokio::test]
    async fn anonymous_work_stops_when_its_caller_gives_up() {
        let (started, running) = tokio::sync::oneshot::channel();
        let (ended, end) = tokio::sync::oneshot::channel::<()>();
        let work = run_anonymous(async move {
            let _signal_on_drop = ended;
            let _ = started.send(());
            std::future::pending::<()>().await;
        });
        let waiting = tokio::spawn(work);
        running.await.unwrap();
        waiting.abort();
        // The work's future is dropped, and with it the sender: the receiver sees it closed.
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), end).await;
        assert!(matches!(ended, Ok(Err(_))), "the work still runs after its caller gave up");
    }
}
