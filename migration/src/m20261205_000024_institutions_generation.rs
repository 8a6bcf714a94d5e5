//! The generation `institutions-changed` (see [`crate::ddl::generation`]): raised when an
//! institution is added or removed, or moves to another department or kind. The number of
//! institutions per department and kind, which every bureau's overview shows, is kept in
//! memory with it; other changes to an institution (its address, its contacts) leave the
//! kept counts as they are.

use sea_orm_migration::prelude::*;

use crate::ddl::{Watched, drop_generation, generation};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTER: &str = "institutions-changed";
const TABLES: &[Watched<'static>] = &[("institutions", &["department_code", "kind"])];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        generation(manager, COUNTER, TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_generation(manager, COUNTER, TABLES).await
    }
}
