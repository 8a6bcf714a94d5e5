//! `annual_reports`: an outlet's report on a year (Art 17), one per outlet and year.

use sea_orm::entity::prelude::*;

use domain::reports::ReportFigures;

use crate::document::Json;
use crate::json::ReportNarrative;
use crate::sea_orm_active_enums::ReportState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub outlet_id: i64,
    pub institution_id: i64,
    /// The outlet's department when the report was created: whose summary it joins.
    pub department_code: String,
    pub year: i32,
    pub state: ReportState,
    #[sea_orm(column_type = "Json")]
    pub figures: Json<ReportFigures>,
    #[sea_orm(column_type = "Json")]
    pub narrative: ReportNarrative,
    /// The first submission; whether it came after the deadline decides `late`.
    pub submitted_at: Option<DateTimeUtc>,
    pub late: bool,
    pub summary_id: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

no_relations!();
