//! `counters`: gapless sequences, e.g. outlet numbers per year. A counter is raised inside
//! the transaction that uses the number, so a rollback gives the number back.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub value: i64,
}

no_relations!();
