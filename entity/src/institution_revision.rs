//! `institution_revisions`: the values an accepted change report replaced.

use sea_orm::entity::prelude::*;

use crate::json::ChangeSet;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub change_report_id: i64,
    /// The institution's version before the change.
    pub institution_version: i32,
    #[sea_orm(column_type = "Json")]
    pub previous: ChangeSet,
    #[sea_orm(column_type = "Json")]
    pub current: ChangeSet,
    pub created_at: DateTimeUtc,
}

no_relations!();
