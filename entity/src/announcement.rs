//! `announcements`: publicity notices (公示) and published lists (名单). A row never
//! changes once written.

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::AnnouncementKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: AnnouncementKind,
    pub title: String,
    /// For a list: its year and batch (the N of 第N批).
    pub year: Option<i32>,
    pub batch_no: Option<i32>,
    /// For a list: the publicity it concludes; unique, so a publicity concludes once.
    #[sea_orm(unique)]
    pub publicity_id: Option<i64>,
    /// For a publicity: its first and last day, and its length in working days.
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub working_days: Option<i32>,
    pub published_at: DateTimeUtc,
    pub created_by: i64,
}

no_relations!();
