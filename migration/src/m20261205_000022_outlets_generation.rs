//! A generation number for the published outlets: the counter `outlets-changed`, raised by
//! the database itself in the transaction of every insert, update or delete of an outlet or
//! of its tags, whichever code path writes them.
//!
//! Counts that are costly to make and the same for every caller (coverage) are kept in
//! memory with the generation and the date they were made for, and made again when either
//! has moved: one cheap read tells a kept answer from a stale one, on every replica.
//!
//! The triggers are made by [`crate::ddl::generation`].

use sea_orm_migration::prelude::*;

use crate::ddl::{drop_generation, generation};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counter's name in `counters`.
const COUNTER: &str = "outlets-changed";
const TABLES: [&str; 2] = ["outlets", "outlet_tags"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        generation(manager, COUNTER, &TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_generation(manager, COUNTER, &TABLES).await
    }
}
