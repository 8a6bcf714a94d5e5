//! The one error type of the service: what went wrong, in the domain's terms.
//!
//! [`AppError`] knows nothing of GraphQL, HTTP or the database. `graphql::error` maps it to
//! `extensions.code`, `web` to HTTP statuses, `db` maps database errors into it; each in
//! one table.
//!
//! It deliberately has no `Display`: async-graphql converts any displayable error into a
//! GraphQL error carrying only its text, which would drop `extensions.code` and could leak
//! internal detail. Without `Display` the only way into a response is the conversion in
//! `graphql::error`, which always sets the code.

/// Every way a request can fail. Each variant names its `extensions.code`.
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
    /// `INVALID_TRANSITION`: the workflow does not allow `action` (a mutation's name) from
    /// state `from`.
    InvalidTransition { from: &'static str, action: &'static str },
    /// `CONFLICT`: a stale version, a duplicate, or a concurrent change won.
    Conflict { message: String },
    /// `RATE_LIMITED`: too many attempts; try again later.
    RateLimited,
    /// `INTERNAL`, with a message of its own: the file store's disk is full, so nothing
    /// was stored. The cause is logged for the operator; the client is told to retry later.
    StorageFull(anyhow::Error),
    /// `SERVICE_UNAVAILABLE`: the service is saturated (no database connection came free in
    /// time, too many analytics requests at once); retry after a moment.
    Unavailable,
    /// `TIMEOUT`: the request's deadline passed while the database ran one of its
    /// statements, which was stopped; nothing was changed. Retry later, or ask for less.
    Timeout,
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

    /// A `CONFLICT` error for a record of `entity` that changed since the caller read it.
    pub fn stale(entity: &str) -> Self {
        Self::conflict(format!("the {entity} was changed meanwhile; reload and retry"))
    }

    /// The message a client sees. Internal causes are never part of it.
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
            Self::StorageFull(_) => "the file store is full; try again later".to_owned(),
            Self::Unavailable => "the service is busy; try again in a moment".to_owned(),
            Self::Timeout => "the request ran past its deadline; ask for less, or retry later".to_owned(),
            Self::Internal(_) => "internal error".to_owned(),
        }
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}
