//! The audit trail (DESIGN §9): written with every mutation, in its transaction; read by
//! the actors in scope. Nothing here updates or deletes an event.

use entity::audit_event;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

use crate::authz::Action;
use crate::domain::scope::{Grant, ScopePath};
use crate::error::AppError;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::state::{AppState, RequestContext};

/// One event to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// The mutation's name.
    pub action: &'a str,
    pub scope: &'a ScopePath,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub comment: Option<&'a str>,
}

impl<'a> AuditEntry<'a> {
    /// An entry for `action` on entity `entity_type` number `entity_id`, at `scope`.
    pub fn new(action: Action, scope: &'a ScopePath, entity_type: &'a str, entity_id: impl ToString) -> Self {
        Self::named(action.name(), scope, entity_type, entity_id)
    }

    /// An entry for an action without a policy row: a login, a self-registration, or the
    /// service's own work (`bootstrapAdmin`, `importCalendar`).
    pub fn named(
        action: &'a str,
        scope: &'a ScopePath,
        entity_type: &'a str,
        entity_id: impl ToString,
    ) -> Self {
        Self {
            action,
            scope,
            entity_type,
            entity_id: entity_id.to_string(),
            from_state: None,
            to_state: None,
            comment: None,
        }
    }

    /// The entry with the states the entity moved between.
    pub fn moved(self, from: Option<&'a str>, to: Option<&'a str>) -> Self {
        Self { from_state: from, to_state: to, ..self }
    }

    /// The entry with a comment.
    pub fn noting(self, comment: Option<&'a str>) -> Self {
        Self { comment, ..self }
    }
}

/// Who acted, as the trail records it.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The role acted in: a role name, `ANONYMOUS`, or `SYSTEM` for the service itself.
    pub role: &'static str,
}

/// Appends `entry`, attributed to the request's caller, on `conn` (the mutation's
/// transaction).
///
/// # Errors
/// When the insert fails; the caller's transaction then rolls back.
pub async fn record(
    conn: &impl ConnectionTrait,
    state: &AppState,
    request: &RequestContext,
    entry: AuditEntry<'_>,
) -> Result<(), AppError> {
    let actor = Actor { user_id: request.caller.user_id(), role: request.caller.role_label() };
    record_as(conn, state, actor, request.request_id.as_deref(), entry).await
}

/// Appends `entry` attributed to `actor`, for actions taken before there is a caller (a
/// login) or by the service itself.
///
/// # Errors
/// When the insert fails.
pub async fn record_as(
    conn: &impl ConnectionTrait,
    state: &AppState,
    actor: Actor,
    request_id: Option<&str>,
    entry: AuditEntry<'_>,
) -> Result<(), AppError> {
    audit_event::Entity::insert(audit_event::ActiveModel {
        occurred_at: Set(state.clock.now()),
        actor_user_id: Set(actor.user_id),
        actor_role: Set(actor.role.to_owned()),
        scope: Set(entry.scope.to_string()),
        action: Set(entry.action.to_owned()),
        entity_type: Set(entry.entity_type.to_owned()),
        entity_id: Set(entry.entity_id),
        from_state: Set(entry.from_state.map(str::to_owned)),
        to_state: Set(entry.to_state.map(str::to_owned)),
        comment: Set(entry.comment.map(str::to_owned)),
        request_id: Set(request_id.map(str::to_owned)),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
}

/// Audit events in the caller's scope, oldest first.
///
/// # Errors
/// `Unauthenticated`/`Forbidden` as the policy says; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: AuditFilter,
    page: PageRequest,
) -> Result<Page<audit_event::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadAudit)?;
    let mut select = within(audit_event::Entity::find(), grant);
    if let Some(entity_type) = filter.entity_type {
        select = select.filter(audit_event::Column::EntityType.eq(entity_type));
    }
    if let Some(entity_id) = filter.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(entity_id));
    }
    if let Some(action) = filter.action {
        select = select.filter(audit_event::Column::Action.eq(action));
    }
    fetch_page(&state.db, select, audit_event::Column::Id, &page).await
}

/// Limits a query on events to a grant's area: the same prefix rule as the policy's.
fn within(select: Select<audit_event::Entity>, grant: &Grant) -> Select<audit_event::Entity> {
    let pattern = grant.pattern();
    match pattern.strip_suffix('*') {
        // Scope paths hold only digits, letters and '/', so no LIKE escaping is needed.
        Some(prefix) => select.filter(audit_event::Column::Scope.starts_with(prefix)),
        None => select.filter(audit_event::Column::Scope.eq(pattern)),
    }
}
