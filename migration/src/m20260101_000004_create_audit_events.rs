//! The append-only audit trail (DESIGN §9).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, drop_tables, id, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(AuditEvents::Table)
            .col(id(AuditEvents::Id))
            .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
            .col(big_integer_null(AuditEvents::ActorUserId))
            .col(string_len(AuditEvents::ActorRole, 16))
            .col(string_len(AuditEvents::Scope, 100))
            .col(string_len(AuditEvents::Action, 64))
            .col(string_len(AuditEvents::EntityType, 32))
            .col(string_len(AuditEvents::EntityId, 64))
            .col(string_len_null(AuditEvents::FromState, 32))
            .col(string_len_null(AuditEvents::ToState, 32))
            .col(text_null(AuditEvents::Comment))
            .col(string_len_null(AuditEvents::RequestId, 64))
            .create_in(manager)
            .await?;
        for (name, columns) in [
            ("idx_audit_events_scope", [AuditEvents::Scope, AuditEvents::Id]),
            ("idx_audit_events_entity", [AuditEvents::EntityType, AuditEvents::EntityId]),
        ] {
            index(name, AuditEvents::Table, columns).create_in(manager).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [AuditEvents::Table.into_iden()]).await
    }
}

/// The table's columns, also named by the later migrations that change it.
#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorUserId,
    ActorRole,
    Scope,
    Action,
    EntityType,
    EntityId,
    FromState,
    ToState,
    Comment,
    RequestId,
}
