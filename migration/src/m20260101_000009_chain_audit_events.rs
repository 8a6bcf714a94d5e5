//! The audit trail as a hash chain (DESIGN §9): every event gets `prev_hash`, the hash of
//! the event before it, and `hash`, its own, as `domain::audit_chain` defines them.
//!
//! Events older than this migration are chained here, in id order from the genesis value,
//! with that same encoding, so the chain covers the whole table from the start. What it
//! vouches for in those rows is that they are unchanged since this migration ran, not since
//! they were written. The back-fill calls the one definition of the encoding, in the domain
//! crate; a different encoding wants a new migration that re-chains the table, not an edit
//! here.
//!
//! Both columns are NOT NULL with an empty default: SQLite adds a NOT NULL column to a
//! table with rows only if it has a default. No row keeps the empty value: the back-fill
//! sets both on every existing row, every insert sets them, and `verify-audit` reports an
//! empty one as missing. A unique index on `prev_hash` keeps the chain from forking: two
//! events naming the same predecessor are refused, so a failure to serialize appends shows
//! as an error, not as a silent branch.

use chrono::{DateTime, Utc};
use domain::audit_chain::{EventContent, GENESIS};
use sea_orm::{ConnectionTrait, QueryResult};
use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, unique_index};
use crate::m20260101_000004_create_audit_events::AuditEvents;

/// Events read and chained per query.
const BATCH: u64 = 500;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [Chain::PrevHash, Chain::Hash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvents::Table)
                        .add_column(string_len(column, 64).default(""))
                        .to_owned(),
                )
                .await?;
        }
        chain_existing_events(manager.get_connection()).await?;
        unique_index("idx_audit_events_prev_hash", AuditEvents::Table, [Chain::PrevHash])
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_audit_events_prev_hash").table(AuditEvents::Table).to_owned())
            .await?;
        for column in [Chain::Hash, Chain::PrevHash] {
            manager
                .alter_table(Table::alter().table(AuditEvents::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Sets `prev_hash` and `hash` on every event, in id order, a batch at a time.
async fn chain_existing_events(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let mut prev_hash = GENESIS.to_owned();
    let mut after = i64::MIN;
    loop {
        let batch = db
            .query_all(
                &Query::select()
                    .columns(CONTENT)
                    .from(AuditEvents::Table)
                    .and_where(Expr::col(AuditEvents::Id).gt(after))
                    .order_by(AuditEvents::Id, Order::Asc)
                    .limit(BATCH)
                    .to_owned(),
            )
            .await?;
        if batch.is_empty() {
            return Ok(());
        }
        for row in batch {
            let id: i64 = row.try_get("", "id")?;
            let hash = hash_of(&row, &prev_hash)?;
            db.execute(
                &Query::update()
                    .table(AuditEvents::Table)
                    .values([(Chain::PrevHash, prev_hash.into()), (Chain::Hash, hash.clone().into())])
                    .and_where(Expr::col(AuditEvents::Id).eq(id))
                    .to_owned(),
            )
            .await?;
            prev_hash = hash;
            after = id;
        }
    }
}

/// The columns an event's hash covers, and its id.
const CONTENT: [AuditEvents; 12] = [
    AuditEvents::Id,
    AuditEvents::OccurredAt,
    AuditEvents::ActorUserId,
    AuditEvents::ActorRole,
    AuditEvents::Scope,
    AuditEvents::Action,
    AuditEvents::EntityType,
    AuditEvents::EntityId,
    AuditEvents::FromState,
    AuditEvents::ToState,
    AuditEvents::Comment,
    AuditEvents::RequestId,
];

/// The hash of the event in `row`, following `prev_hash`.
fn hash_of(row: &QueryResult, prev_hash: &str) -> Result<String, DbErr> {
    let text = |column: &str| row.try_get::<String>("", column);
    let optional = |column: &str| row.try_get::<Option<String>>("", column);
    let (actor_role, scope, action) = (text("actor_role")?, text("scope")?, text("action")?);
    let (entity_type, entity_id) = (text("entity_type")?, text("entity_id")?);
    let (from_state, to_state) = (optional("from_state")?, optional("to_state")?);
    let (comment, request_id) = (optional("comment")?, optional("request_id")?);
    Ok(EventContent {
        prev_hash,
        occurred_at: row.try_get::<DateTime<Utc>>("", "occurred_at")?,
        actor_user_id: row.try_get("", "actor_user_id")?,
        actor_role: &actor_role,
        scope: &scope,
        action: &action,
        entity_type: &entity_type,
        entity_id: &entity_id,
        from_state: from_state.as_deref(),
        to_state: to_state.as_deref(),
        comment: comment.as_deref(),
        request_id: request_id.as_deref(),
    }
    .hash())
}

/// The columns this migration adds to `audit_events`.
#[derive(DeriveIden, Clone, Copy)]
enum Chain {
    PrevHash,
    Hash,
}
