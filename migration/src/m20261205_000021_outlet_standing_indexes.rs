//! Indexes that answer "which outlets stand on a date" from the index alone.
//!
//! The public list's count, the per-department counts and coverage all filter outlets on
//! `status`, `valid_until` and `valid_from`, and coverage groups them by department and
//! kind. With only `(status, valid_until)` every candidate's row was read (a few kB of JSON
//! each) to check the rest; with these the counts never leave the index. The older
//! `(status, valid_until)` index is a prefix of the first one and goes.

use sea_orm_migration::prelude::*;

use crate::ddl::{Create, index};
use crate::m20260101_000006_create_outlets::Outlets;

#[derive(DeriveMigrationName)]
pub struct Migration;

const VALIDITY: &str = "idx_outlets_validity";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Outlets::{DepartmentCode, Kind, Status, ValidFrom, ValidUntil};
        index("idx_outlets_standing", Outlets::Table, [Status, ValidUntil, ValidFrom, DepartmentCode, Kind])
            .create_in(manager)
            .await?;
        index(
            "idx_outlets_department_standing",
            Outlets::Table,
            [DepartmentCode, Status, ValidUntil, ValidFrom],
        )
        .create_in(manager)
        .await?;
        manager.drop_index(Index::drop().name(VALIDITY).table(Outlets::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(VALIDITY, Outlets::Table, [Outlets::Status, Outlets::ValidUntil]).create_in(manager).await?;
        for name in ["idx_outlets_department_standing", "idx_outlets_standing"] {
            manager.drop_index(Index::drop().name(name).table(Outlets::Table).to_owned()).await?;
        }
        Ok(())
    }
}
