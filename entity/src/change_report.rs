//! `change_reports`: changes of an outlet's important data reported through its bureau
//! (Art 10).

use sea_orm::entity::prelude::*;

use crate::json::ChangeSet;
use crate::sea_orm_active_enums::ChangeState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub outlet_id: i64,
    pub institution_id: i64,
    pub state: ChangeState,
    pub reason: String,
    /// The values before the change, as they stood when it was reported.
    #[sea_orm(column_type = "Json")]
    pub before: ChangeSet,
    /// The new values.
    #[sea_orm(column_type = "Json")]
    pub after: ChangeSet,
    /// The institution's version the report was made against.
    pub institution_version: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

no_relations!();
