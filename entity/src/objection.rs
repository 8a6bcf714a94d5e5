//! `objections`: objections raised against a filing under publicity (异议).

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::ObjectionStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub announcement_id: i64,
    pub content: String,
    pub status: ObjectionStatus,
    pub resolution: Option<String>,
    pub recorded_by: i64,
    pub recorded_at: DateTimeUtc,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<DateTimeUtc>,
    pub version: i32,
}

no_relations!();
