//! Generation numbers: counters in `counters` that the database itself raises, in the
//! transaction of every insert, update or delete on their tables, whichever code path
//! writes them (see [`crate::ddl::generation`]).
//!
//! - `outlets-changed`: `outlets` and `outlet_tags`;
//! - `reports-changed`: `annual_reports`.
//!
//! Counts that are costly to make and the same for many callers (coverage, compliance) are
//! kept in memory with the generation they were made at, and made again when it has
//! moved: one cheap read tells a kept answer from a stale one, on every replica.

use sea_orm_migration::prelude::*;

use crate::ddl::{Watched, drop_generation, generation};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each counter, and the tables that raise it.
const GENERATIONS: [(&str, &[Watched<'static>]); 2] = [
    ("outlets-changed", &[("outlets", &[]), ("outlet_tags", &[])]),
    ("reports-changed", &[("annual_reports", &[])]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (counter, tables) in GENERATIONS {
            generation(manager, counter, tables).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (counter, tables) in GENERATIONS {
            drop_generation(manager, counter, tables).await?;
        }
        Ok(())
    }
}
