//! How an [`AppError`] reaches a client: one table from each error to its stable
//! `extensions.code` (DESIGN §10), and the extensions each kind carries. `web/` uses the
//! same table for the bodies it answers itself.

use async_graphql::ErrorExtensions as _;

use crate::error::AppError;

/// The code of a request refused because the service is saturated; answered with HTTP 503
/// and `Retry-After`.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

/// The code of a request stopped at its deadline; answered with HTTP 503 and `Retry-After`.
pub const TIMEOUT: &str = "TIMEOUT";

/// The stable `extensions.code` of an error.
pub fn code(error: &AppError) -> &'static str {
    match error {
        AppError::Unauthenticated => "UNAUTHENTICATED",
        AppError::Forbidden => "FORBIDDEN",
        AppError::NotFound { .. } => "NOT_FOUND",
        AppError::Validation { .. } => "BAD_USER_INPUT",
        AppError::Ineligible { .. } => "INELIGIBLE",
        AppError::ExemptInstitution => "EXEMPT_INSTITUTION",
        AppError::Banned { .. } => "BANNED",
        AppError::InvalidTransition { .. } => "INVALID_TRANSITION",
        AppError::Conflict { .. } => "CONFLICT",
        AppError::RateLimited => "RATE_LIMITED",
        AppError::Unavailable => SERVICE_UNAVAILABLE,
        AppError::Timeout => TIMEOUT,
        AppError::StorageFull(_) | AppError::Internal(_) => "INTERNAL",
    }
}

/// Logs an internal cause once, where the error leaves the service.
pub fn log_internal(error: &AppError) {
    match error {
        AppError::Internal(cause) => {
            tracing::error!(error.cause = format!("{cause:#}"), "request failed with an internal error");
        }
        AppError::StorageFull(cause) => {
            tracing::error!(error.cause = format!("{cause:#}"), "the file store is full; nothing was stored");
        }
        _ => {}
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        log_internal(&error);
        let code = code(&error);
        async_graphql::Error::new(error.message()).extend_with(|_, ext| {
            ext.set("code", code);
            match &error {
                AppError::Validation { field, .. } => ext.set("field", field.as_str()),
                AppError::Ineligible { conditions } => ext.set("conditions", conditions.clone()),
                AppError::Banned { until } => ext.set("bannedUntil", until.to_string()),
                AppError::InvalidTransition { from, action } => {
                    ext.set("from", *from);
                    ext.set("action", *action);
                }
                _ => {}
            }
        })
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
