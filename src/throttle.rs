//! Slows guessing down: logins and self-registration are counted per client address, and
//! logins also per account *and* address, in the `attempt_counts` table.
//!
//! Each attempt is counted by one atomic statement (an upsert that returns the new count)
//! before any password is checked, so parallel requests and the operations of one batch
//! are all counted, and every replica on one PostgreSQL database shares the counts.
//!
//! A key that goes over its limit stays refused until its window ends. The window lasts
//! one span (`throttle_window_minutes`) for every `2 × limit` attempts made in it, so a
//! guesser who keeps trying while refused waits longer and longer. Because account counts are kept per address, a
//! stranger guessing a password from elsewhere cannot lock the owner out; a successful
//! login clears its account-and-address count.

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};

use crate::error::AppError;

/// What is counted, under which limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guarded {
    /// Every login from one address, whichever account it names.
    LoginFromAddress,
    /// Logins for one account from one address.
    LoginToAccount,
    /// Self-registrations from one address.
    Registration,
}

/// Limits per window, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub window_seconds: i64,
    pub logins_per_address: u32,
    pub logins_per_account: u32,
    pub registrations_per_address: u32,
}

/// The throttle over the shared table.
#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    last_prune: AtomicI64,
}

/// Counts one attempt and returns the count in the current window.
const COUNT: &str = r#"
INSERT INTO attempt_counts ("key", attempts, window_start) VALUES ($1, 1, $2)
ON CONFLICT ("key") DO UPDATE SET
    attempts = CASE
        WHEN attempt_counts.window_start + $3 * (1 + attempt_counts.attempts / (2 * $4)) <= $2 THEN 1
        ELSE attempt_counts.attempts + 1 END,
    window_start = CASE
        WHEN attempt_counts.window_start + $3 * (1 + attempt_counts.attempts / (2 * $4)) <= $2 THEN $2
        ELSE attempt_counts.window_start END
RETURNING attempts"#;

impl Throttle {
    /// A throttle with `limits`.
    pub fn new(limits: Limits) -> Self {
        Self { limits, last_prune: AtomicI64::new(0) }
    }

    fn limit_of(&self, what: Guarded) -> u32 {
        match what {
            Guarded::LoginFromAddress => self.limits.logins_per_address,
            Guarded::LoginToAccount => self.limits.logins_per_account,
            Guarded::Registration => self.limits.registrations_per_address,
        }
    }

    fn key(what: Guarded, address: Option<IpAddr>, account: &str) -> String {
        let address = address.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
        match what {
            Guarded::LoginFromAddress => format!("login@{address}"),
            Guarded::LoginToAccount => format!("login:{account}@{address}"),
            Guarded::Registration => format!("register@{address}"),
        }
    }

    /// Counts one attempt at `what` from `address` (for `account`, where it matters).
    ///
    /// # Errors
    /// `RATE_LIMITED` when the count is over its limit; `INTERNAL` when the database fails.
    pub async fn attempt(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
        what: Guarded,
        address: Option<IpAddr>,
        account: &str,
    ) -> Result<(), AppError> {
        let now = now.timestamp();
        self.prune(db, now).await;
        let limit = self.limit_of(what);
        let values: [Value; 4] = [
            Self::key(what, address, account).into(),
            now.into(),
            self.limits.window_seconds.into(),
            i64::from(limit).into(),
        ];
        let row = db
            .query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), COUNT, values))
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the attempt count returned no row")))?;
        let attempts: i32 = row.try_get("", "attempts")?;
        if u32::try_from(attempts).unwrap_or(u32::MAX) > limit {
            tracing::warn!(throttle.key = ?what, throttle.attempts = attempts, "attempts over the limit");
            return Err(AppError::RateLimited);
        }
        Ok(())
    }

    /// Clears the count of `what` for `account` from `address`, after a success.
    ///
    /// # Errors
    /// `INTERNAL` when the database fails.
    pub async fn clear(
        &self,
        db: &DatabaseConnection,
        what: Guarded,
        address: Option<IpAddr>,
        account: &str,
    ) -> Result<(), AppError> {
        let statement = Statement::from_sql_and_values(
            db.get_database_backend(),
            r#"DELETE FROM attempt_counts WHERE "key" = $1"#,
            [Self::key(what, address, account).into()],
        );
        db.execute_raw(statement).await?;
        Ok(())
    }

    /// Drops counts idle for a day, at most once a minute per process. A failure is logged:
    /// stale rows cost space, not correctness.
    async fn prune(&self, db: &DatabaseConnection, now: i64) {
        let last = self.last_prune.load(Ordering::Relaxed);
        if now - last < 60
            || self.last_prune.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_err()
        {
            return;
        }
        let statement = Statement::from_sql_and_values(
            db.get_database_backend(),
            "DELETE FROM attempt_counts WHERE window_start < $1",
            [(now - 86_400 - 64 * self.limits.window_seconds).into()],
        );
        if let Err(error) = db.execute_raw(statement).await {
            tracing::warn!(error.cause = %error, "cannot prune old attempt counts");
        }
    }
}
