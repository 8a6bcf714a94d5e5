//! The generation `filings-changed` (see [`crate::ddl::generation`]): raised when a filing is
//! added or removed, or changes state, kind or department. The number of filings in each
//! state that the bureaus' work lists show is kept in memory with it; editing a filing's
//! form or its attachments leaves the kept totals as they are.

use sea_orm_migration::prelude::*;

use crate::ddl::{Watched, drop_generation, generation};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTER: &str = "filings-changed";
const TABLES: &[Watched<'static>] = &[("filings", &["state", "kind", "department_code"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        generation(manager, COUNTER, TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_generation(manager, COUNTER, TABLES).await
    }
}
