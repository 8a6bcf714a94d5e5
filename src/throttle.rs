//! Slows down password guessing: after [`MAX_FAILURES`] failed logins for one username
//! within [`WINDOW_MINUTES`], further attempts get `RATE_LIMITED` until the window passes.
//!
//! The count is kept in each process's memory. Behind a load balancer each replica counts
//! on its own, so the effective limit is the per-replica limit times the replicas; that is
//! still a hard ceiling on guessing, and needs no shared store.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::error::AppError;

/// Failed attempts allowed within the window.
pub const MAX_FAILURES: u32 = 5;
/// Length of the window, in minutes.
pub const WINDOW_MINUTES: i64 = 15;
/// Usernames tracked at most; older entries are dropped first when full.
const CAPACITY: usize = 10_000;

/// Failed-login counts per username.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, DateTime<Utc>)>>,
}

impl LoginThrottle {
    /// Refuses a login for `username` that has failed too often lately.
    ///
    /// # Errors
    /// `RATE_LIMITED` while the username is blocked.
    pub fn check(&self, username: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        let failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match failures.get(username) {
            Some(&(count, since)) if count >= MAX_FAILURES && now - since < window() => {
                Err(AppError::RateLimited)
            }
            _ => Ok(()),
        }
    }

    /// Counts a failed login.
    pub fn record_failure(&self, username: &str, now: DateTime<Utc>) {
        let mut failures = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() >= CAPACITY {
            failures.retain(|_, (_, since)| now - *since < window());
        }
        let entry = failures.entry(username.to_owned()).or_insert((0, now));
        if now - entry.1 >= window() {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    /// Clears the count after a successful login.
    pub fn forget(&self, username: &str) {
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(username);
    }
}

fn window() -> Duration {
    Duration::minutes(WINDOW_MINUTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_releases_after_the_window() {
        let throttle = LoginThrottle::default();
        let start = Utc::now();
        for _ in 0..MAX_FAILURES {
            assert!(throttle.check("amy", start).is_ok());
            throttle.record_failure("amy", start);
        }
        assert!(matches!(throttle.check("amy", start), Err(AppError::RateLimited)));
        assert!(throttle.check("bob", start).is_ok());
        assert!(throttle.check("amy", start + window()).is_ok());
    }

    #[test]
    fn success_clears_the_count() {
        let throttle = LoginThrottle::default();
        let now = Utc::now();
        for _ in 0..MAX_FAILURES {
            throttle.record_failure("amy", now);
        }
        throttle.forget("amy");
        assert!(throttle.check("amy", now).is_ok());
    }
}
