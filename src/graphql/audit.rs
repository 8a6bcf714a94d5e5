//! The audit trail (DESIGN §9).

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use entity::audit_event;

use crate::error::AppError;
use crate::graphql::connection::{Conn, connection, page_complexity, page_request};
use crate::graphql::{request, state};
use crate::service::audit::{self, AuditFilter};

/// An entry of the audit trail (DESIGN §9).
pub struct AuditEvent(pub audit_event::Model);

#[Object]
impl AuditEvent {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The acting user's id; absent for anonymous or system actions.
    async fn actor_user_id(&self) -> Option<ID> {
        self.0.actor_user_id.map(ID::from)
    }
    /// The role acted in, `ANONYMOUS` or `SYSTEM`.
    async fn actor_role(&self) -> &str {
        &self.0.actor_role
    }
    /// Scope path of the entity acted on.
    async fn scope(&self) -> &str {
        &self.0.scope
    }
    /// The mutation performed.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    async fn from_state(&self) -> Option<&str> {
        self.0.from_state.as_deref()
    }
    async fn to_state(&self) -> Option<&str> {
        self.0.to_state.as_deref()
    }
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// The id of the HTTP request that caused the event.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

/// Which audit events to list.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// e.g. `institution`, `user`.
    pub entity_type: Option<String>,
    pub entity_id: Option<ID>,
    /// The mutation's name, e.g. `updateInstitution`.
    pub action: Option<String>,
}

/// The audit trail.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Audit events in the caller's scope, oldest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<AuditEvent>, AppError> {
        let page = page_request(ctx, after, before, first, last)?;
        let filter = filter.unwrap_or_default();
        let filter = AuditFilter {
            entity_type: filter.entity_type,
            entity_id: filter.entity_id.map(|id| id.to_string()),
            action: filter.action,
        };
        let rows = audit::list(state(ctx)?, request(ctx)?, filter, page).await?;
        Ok(connection(rows, |e| e.id, AuditEvent))
    }
}
