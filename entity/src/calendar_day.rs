//! `calendar_days`: public holidays and make-up working days (国务院办公厅 notices).

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::DayKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub kind: DayKind,
    /// The holiday it belongs to, e.g. 春节.
    pub name: String,
}

no_relations!();
