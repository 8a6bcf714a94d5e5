//! An index that lists outlets of one status in id order.
//!
//! The published list without a department asks for the first valid outlets by id. SQLite
//! answered it from `idx_outlets_standing`, which is ordered by validity, and sorted every
//! valid outlet of the region to return twenty: 10 ms at 20,000 outlets against 0.1 ms
//! with this index, which it walks in id order, checking validity from the index itself.
//! PostgreSQL already walked the primary key for it; this index is the same for both.

use sea_orm_migration::prelude::*;

use crate::ddl::{Create, index};
use crate::m20260101_000006_create_outlets::Outlets;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "idx_outlets_status_order";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Outlets::{Id, Status, ValidFrom, ValidUntil};
        index(NAME, Outlets::Table, [Status, Id, ValidUntil, ValidFrom]).create_in(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(NAME).table(Outlets::Table).to_owned()).await
    }
}
