//! A generation number for annual reports, `reports-changed`, raised by the database with
//! every change to `annual_reports` (see [`crate::ddl::generation`]): with the outlets'
//! generation, it tells whether a kept count of who has reported (compliance) still holds.

use sea_orm_migration::prelude::*;

use crate::ddl::{drop_generation, generation};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTER: &str = "reports-changed";
const TABLES: [&str; 1] = ["annual_reports"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        generation(manager, COUNTER, &TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_generation(manager, COUNTER, &TABLES).await
    }
}
