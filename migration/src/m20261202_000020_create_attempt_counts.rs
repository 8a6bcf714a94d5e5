//! Counts of recent attempts at guarded actions (logins, self-registration), shared by
//! every replica: one row per key, counted in one atomic statement per attempt.

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, drop_tables, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(AttemptCounts::Table)
            .col(string_len(AttemptCounts::Key, 200).primary_key())
            .col(integer(AttemptCounts::Attempts))
            // Seconds since the Unix epoch: plain integers compare and add alike on
            // SQLite and PostgreSQL inside the counting statement.
            .col(big_integer(AttemptCounts::WindowStart))
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [AttemptCounts::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
enum AttemptCounts {
    Table,
    Key,
    Attempts,
    WindowStart,
}
