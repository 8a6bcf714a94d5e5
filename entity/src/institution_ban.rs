//! `institution_bans`: an institution may not file again until `until` (Art 18).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution_bans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub reason: String,
    /// The day of the decision.
    pub decided_on: Date,
    /// The first day the institution may file again.
    pub until: Date,
    pub created_at: DateTimeUtc,
}

relations_with_institution!();
