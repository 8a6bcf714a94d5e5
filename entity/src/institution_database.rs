//! `institution_databases`: IP databases and search/analysis tools (Art 5(3)).

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::ToolSource;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution_databases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub position: i32,
    pub name: String,
    pub source: ToolSource,
    pub valid_until: Option<Date>,
}

part_of_institution!();
