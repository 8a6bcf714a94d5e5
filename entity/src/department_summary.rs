//! `department_summaries`: a league/city bureau's summary of its outlets' reports for a
//! year, forwarded to the region bureau (Art 17).

use sea_orm::entity::prelude::*;

use domain::reports::ReportFigures;

use crate::document::Json;
use crate::json::ReportNarrative;
use crate::sea_orm_active_enums::SummaryState;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "department_summaries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub department_code: String,
    pub year: i32,
    pub state: SummaryState,
    /// `department/year` while the summary awaits review, null after: a unique index on it
    /// allows one pending summary per department and year.
    #[sea_orm(unique)]
    pub pending_key: Option<String>,
    /// The sums of its reports' figures, as forwarded.
    #[sea_orm(column_type = "Json")]
    pub totals: Json<ReportFigures>,
    pub report_count: i32,
    #[sea_orm(column_type = "Json")]
    pub narrative: ReportNarrative,
    pub forwarded_at: DateTimeUtc,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

no_relations!();
