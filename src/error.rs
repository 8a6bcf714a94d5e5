//! The one error type of the service, and how it reaches a GraphQL client.
//!
//! [`AppError`] deliberately has no `Display`: async-graphql converts any displayable error
//! into a GraphQL error carrying only its text, which would drop `extensions.code` and could
//! leak internal detail. Without `Display` the only way into a response is
//! [`From<AppError> for async_graphql::Error`](#impl-From<AppError>-for-Error), which always
//! sets the code, and a bare `?` on a foreign error in a resolver returning
//! `Result<_, AppError>` goes through [`From<DbErr>`](#impl-From<DbErr>-for-AppError) and
//! comes out `INTERNAL`.

use async_graphql::ErrorExtensions as _;
use sea_orm::{DbErr, SqlErr};

/// Every way a request can fail. Each variant documents its `extensions.code`.
#[derive(Debug)]
pub enum AppError {
    /// `UNAUTHENTICATED`: no valid token, or a failed login.
    Unauthenticated,
    /// `FORBIDDEN`: the caller's role or scope does not allow the action.
    Forbidden,
    /// `NOT_FOUND`: no such record, or none the caller may see.
    NotFound { entity: &'static str },
    /// `BAD_USER_INPUT`: a value broke a rule; `field` is its path in the input.
    Validation { field: String, message: String },
    /// `INELIGIBLE`: Art 5 conditions unmet, all listed in `conditions`.
    Ineligible { conditions: Vec<String> },
    /// `EXEMPT_INSTITUTION`: the institution need not file (Art 19).
    ExemptInstitution,
    /// `BANNED`: the institution may not file until `until` (Art 18).
    Banned { until: chrono::NaiveDate },
    /// `INVALID_TRANSITION`: the workflow does not allow `action` from state `from`.
    InvalidTransition { from: String, action: String },
    /// `CONFLICT`: a stale version, a duplicate, or a concurrent change won.
    Conflict { message: String },
    /// `RATE_LIMITED`: too many attempts; try again later.
    RateLimited,
    /// `INTERNAL`: anything else. The cause is logged; the client sees an opaque message.
    Internal(anyhow::Error),
}

impl AppError {
    /// A `BAD_USER_INPUT` error for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    /// A `CONFLICT` error.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into() }
    }

    /// The stable `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound { .. } => "NOT_FOUND",
            Self::Validation { .. } => "BAD_USER_INPUT",
            Self::Ineligible { .. } => "INELIGIBLE",
            Self::ExemptInstitution => "EXEMPT_INSTITUTION",
            Self::Banned { .. } => "BANNED",
            Self::InvalidTransition { .. } => "INVALID_TRANSITION",
            Self::Conflict { .. } => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The message a client sees.
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated => "authentication required or failed".to_owned(),
            Self::Forbidden => "not allowed for this role or scope".to_owned(),
            Self::NotFound { entity } => format!("{entity} not found"),
            Self::Validation { field, message } => format!("{field}: {message}"),
            Self::Ineligible { conditions } => {
                format!("eligibility conditions unmet: {}", conditions.join(", "))
            }
            Self::ExemptInstitution => {
                "the institution is already in the public-service system and need not file (Art 19)"
                    .to_owned()
            }
            Self::Banned { until } => format!("the institution may not file before {until} (Art 18)"),
            Self::InvalidTransition { from, action } => format!("cannot {action} from state {from}"),
            Self::Conflict { message } => message.clone(),
            Self::RateLimited => "too many attempts; try again later".to_owned(),
            Self::Internal(_) => "internal error".to_owned(),
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        if let AppError::Internal(cause) = &error {
            tracing::error!(error.cause = format!("{cause:#}"), "request failed with an internal error");
        }
        let code = error.code();
        async_graphql::Error::new(error.message()).extend_with(|_, ext| {
            ext.set("code", code);
            match &error {
                AppError::Validation { field, .. } => ext.set("field", field.as_str()),
                AppError::Ineligible { conditions } => ext.set("conditions", conditions.clone()),
                AppError::Banned { until } => ext.set("bannedUntil", until.to_string()),
                AppError::InvalidTransition { from, action } => {
                    ext.set("from", from.as_str());
                    ext.set("action", action.as_str());
                }
                _ => {}
            }
        })
    }
}

impl From<DbErr> for AppError {
    /// Database errors are internal, except the ones a concurrent writer causes: a
    /// serialization failure or deadlock on PostgreSQL, a busy or locked database on SQLite.
    fn from(error: DbErr) -> Self {
        if is_contention(&error) {
            return Self::conflict("a concurrent change won; reload and try again");
        }
        Self::Internal(anyhow::Error::new(error))
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}

/// Maps a unique-constraint violation to `conflict`, and any other error as usual.
pub fn on_unique(error: DbErr, conflict: impl FnOnce() -> AppError) -> AppError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => conflict(),
        _ => error.into(),
    }
}

/// Whether a database error comes from contention with another transaction.
fn is_contention(error: &DbErr) -> bool {
    let runtime = match error {
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    let Some(db) = runtime.as_database_error() else { return false };
    let Some(code) = db.code() else { return false };
    match code.as_ref() {
        // PostgreSQL: serialization_failure, deadlock_detected.
        "40001" | "40P01" => true,
        // SQLite: the primary result code is the low byte of the extended one.
        sqlite => sqlite.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_reach_the_client_opaque() {
        let error: async_graphql::Error =
            AppError::Internal(anyhow::anyhow!("password column missing in users")).into();
        assert_eq!(error.message, "internal error");
        let ext = error.extensions.expect("extensions are set");
        assert_eq!(ext.get("code"), Some(&async_graphql::Value::from("INTERNAL")));
    }

    #[test]
    fn validation_errors_name_their_field() {
        let error: async_graphql::Error = AppError::invalid("institution.uscc", "bad").into();
        let ext = error.extensions.expect("extensions are set");
        assert_eq!(ext.get("code"), Some(&async_graphql::Value::from("BAD_USER_INPUT")));
        assert_eq!(ext.get("field"), Some(&async_graphql::Value::from("institution.uscc")));
    }
}
