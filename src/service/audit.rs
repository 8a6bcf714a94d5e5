//! The audit trail (DESIGN §9): written with every mutation, in its transaction; read by
//! the actors in scope; verified as a hash chain by the operator (`verify-audit`). Nothing
//! here updates or deletes an event.
//!
//! Each event stores the hash of the event before it and its own hash over its content
//! (`domain::audit_chain` defines both). [`verify`] walks the events in id order and names
//! the first link that does not hold: a row edited, removed or moved breaks one.

use std::fmt;

use entity::audit_event;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::authz::Action;
use crate::db::mapping::{event_content, event_row};
use crate::domain::audit_chain::{self, EventContent, GENESIS};
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
/// transaction, from `db::begin_write`).
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
/// The event is chained to the newest one, so `conn` must be a transaction from
/// `db::begin_write`: its write lock keeps the newest event the newest until this one is
/// committed. (Were it not, the unique index on `prev_hash` would refuse the second of two
/// events naming the same predecessor.)
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
    let prev_hash = head(conn).await?;
    let scope = entry.scope.to_string();
    let content = EventContent {
        prev_hash: &prev_hash,
        occurred_at: audit_chain::stamp(state.clock.now()),
        actor_user_id: actor.user_id,
        actor_role: actor.role,
        scope: &scope,
        action: entry.action,
        entity_type: entry.entity_type,
        entity_id: &entry.entity_id,
        from_state: entry.from_state,
        to_state: entry.to_state,
        comment: entry.comment,
        request_id,
    };
    audit_event::Entity::insert(event_row(&content)).exec_without_returning(conn).await?;
    Ok(())
}

/// The hash of the newest event, or the genesis value when there is none.
async fn head(conn: &impl ConnectionTrait) -> Result<String, AppError> {
    let newest: Option<String> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Hash)
        .order_by_desc(audit_event::Column::Id)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(newest.unwrap_or_else(|| GENESIS.to_owned()))
}

/// Events [`verify`] reads per query.
const VERIFY_BATCH: u64 = 1000;

/// A chain whose every link holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The events checked: all there were when the walk began.
    pub events: u64,
    /// The hash of the newest event checked, or the genesis value for an empty trail. Kept
    /// outside the database, it lets a later check tell whether the events up to it were
    /// rewritten ([`ChainReport::holds`]).
    pub head: String,
    /// The id of the event whose hash was given as `known_head`, if one has it.
    pub known_head_at: Option<i64>,
}

impl ChainReport {
    /// Whether the chain still holds `known_head`, a head printed by an earlier check: the
    /// events up to it are those that check saw. `None` when no head was given.
    pub fn holds(&self, known_head: Option<&str>) -> Option<bool> {
        known_head.map(|head| head == GENESIS || self.known_head_at.is_some())
    }
}

/// The first link of the chain that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The event whose check failed.
    pub event_id: i64,
    pub fault: Fault,
}

/// What is wrong with an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Its `hash` or `prev_hash` is empty: the row was not written by the service.
    Missing,
    /// Its `prev_hash` is not the hash of `previous`, the event before it in id order (or
    /// not the genesis value, when it is the first): an event was removed, inserted or
    /// moved before it, or the one before it was rewritten with a fresh hash.
    Unlinked { previous: Option<i64> },
    /// Its `hash` is not the hash of its content: the row was changed after it was written.
    Altered,
}

impl BrokenLink {
    /// The oldest event the break casts doubt on: the events before it were checked and
    /// hold. For an unlinked event that is the one before it, which may have been
    /// rewritten with a fresh hash.
    pub fn first_suspect(&self) -> i64 {
        match self.fault {
            Fault::Unlinked { previous: Some(previous) } => previous,
            Fault::Missing | Fault::Altered | Fault::Unlinked { previous: None } => self.event_id,
        }
    }
}

impl fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.event_id;
        match self.fault {
            Fault::Missing => {
                write!(f, "event {id}: its hash is missing (the row was not written by the service)")
            }
            Fault::Unlinked { previous: Some(previous) } => write!(
                f,
                "event {id}: prev_hash does not match event {previous} (event {previous} was rewritten with \
                 a fresh hash, or events between the two were removed, inserted or moved)"
            ),
            Fault::Unlinked { previous: None } => write!(
                f,
                "event {id}: prev_hash is not the genesis value, yet no event comes before it (the \
                 events before it were removed)"
            ),
            Fault::Altered => {
                write!(
                    f,
                    "event {id}: hash does not match its content (the row was changed after it was written)"
                )
            }
        }
    }
}

/// Walks the audit trail in id order, a batch at a time, and checks every link: each
/// event's `prev_hash` is the hash of the one before it (the genesis value for the
/// first), and its `hash` is the hash of its content. Events appended during the walk are
/// left for the next one. `progress` is called after each batch with the events checked
/// so far and the total. `known_head`, a head printed by an earlier check, is looked for
/// on the way (see [`ChainReport::holds`]).
///
/// The outer result says whether the trail could be read; the inner one whether its chain
/// holds, and if not, where it first breaks.
///
/// # Errors
/// When the database fails.
pub async fn verify(
    conn: &impl ConnectionTrait,
    known_head: Option<&str>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Result<ChainReport, BrokenLink>, AppError> {
    let (total, last) = extent(conn).await?;
    let mut report = ChainReport { events: 0, head: GENESIS.to_owned(), known_head_at: None };
    let mut previous: Option<i64> = None;
    progress(0, total);
    while report.events < total {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::Id.gt(previous.unwrap_or(i64::MIN)))
            .filter(audit_event::Column::Id.lte(last))
            .order_by_asc(audit_event::Column::Id)
            .limit(VERIFY_BATCH)
            .all(conn)
            .await?;
        if batch.is_empty() {
            break;
        }
        for event in &batch {
            let broken = |fault| Ok(Err(BrokenLink { event_id: event.id, fault }));
            if event.hash.is_empty() || event.prev_hash.is_empty() {
                return broken(Fault::Missing);
            }
            if event.prev_hash != report.head {
                return broken(Fault::Unlinked { previous });
            }
            if event_content(event).hash() != event.hash {
                return broken(Fault::Altered);
            }
            if known_head == Some(event.hash.as_str()) {
                report.known_head_at = Some(event.id);
            }
            report.head.clone_from(&event.hash);
            report.events += 1;
            previous = Some(event.id);
        }
        progress(report.events, total);
    }
    Ok(Ok(report))
}

/// How many events there are, and the id of the newest.
async fn extent(conn: &impl ConnectionTrait) -> Result<(u64, i64), AppError> {
    let last: Option<i64> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Id)
        .order_by_desc(audit_event::Column::Id)
        .into_tuple()
        .one(conn)
        .await?;
    let Some(last) = last else { return Ok((0, 0)) };
    let count = audit_event::Entity::find().filter(audit_event::Column::Id.lte(last)).count(conn).await?;
    Ok((count, last))
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
