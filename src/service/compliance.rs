//! Who has reported (Art 17): per department, the outlets that owe a report on a year, and
//! how many reported on time, late, or not at all.

use entity::sea_orm_active_enums as stored;
use entity::{annual_report, outlet};
use sea_orm::sea_query::{Expr, ExprTrait as _, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
};

use crate::authz::Action;
use crate::domain::reports;
use crate::domain::scope::Grant;
use std::sync::Arc;

use crate::error::AppError;
use crate::service::outlets::OUTLETS_CHANGED;
use crate::state::{AppState, RequestContext};

/// One department's reporting on a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compliance {
    pub department_code: String,
    /// Outlets active at any time in the year.
    pub owed: u32,
    pub on_time: u32,
    pub late: u32,
    /// Owed and not submitted.
    pub missing: u32,
}

/// Outlets that owe a report on `year`, as SQL: [`reports::owes_report_on`] pushed into the
/// query (an outlet not active has its end in `sanctioned_on`).
fn owing_on(year: i32) -> Result<Condition, AppError> {
    let (first, last) = reports::year_span(year).ok_or_else(|| AppError::invalid("year", "not a year"))?;
    Ok(Condition::all()
        .add(outlet::Column::ValidFrom.lte(last))
        .add(outlet::Column::ValidUntil.gte(first))
        .add(
            Condition::any()
                .add(outlet::Column::Status.eq(stored::OutletStatus::Active))
                .add(outlet::Column::SanctionedOn.gte(first)),
        ))
}

/// Each outlet joined to its submitted report on `year`, if any (at most one: a report is
/// unique per outlet and year).
fn submitted_report(year: i32) -> RelationDef {
    outlet::Entity::belongs_to(annual_report::Entity)
        .from(outlet::Column::Id)
        .to(annual_report::Column::OutletId)
        .on_condition(move |_, report| {
            Condition::all()
                .add(Expr::col((report.clone(), annual_report::Column::Year)).eq(year))
                .add(Expr::col((report, annual_report::Column::SubmittedAt)).is_not_null())
        })
        .into()
}

/// The departments a caller may see compliance of.
fn departments_in_view(state: &AppState, request: &RequestContext) -> Result<Vec<String>, AppError> {
    Ok(match state.authz.visibility(&request.caller, Action::ReadCompliance)? {
        Grant::Region => state.departments.all().iter().map(|d| d.code.clone()).collect(),
        Grant::Department { code } => vec![code.clone()],
        Grant::Institution { .. } => return Err(AppError::Forbidden),
    })
}

/// The counter the database raises with every change to an annual report (migration 22, `generations`).
const REPORTS_CHANGED: &str = "reports-changed";

/// Compliance per department for `year`, in the departments' order: one `GROUP BY` over
/// the owing outlets and their submitted reports, counted by the database, then kept until
/// an outlet or a report changes ([`crate::state::Kept`]).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless a recommender (its department) or reviewer (all).
pub async fn of_year(
    state: &AppState,
    request: &RequestContext,
    year: i32,
) -> Result<Arc<Vec<Compliance>>, AppError> {
    let departments = departments_in_view(state, request)?;
    let counters = [OUTLETS_CHANGED, REPORTS_CHANGED];
    let question = (year, departments.clone());
    state.compliance.answer(&state.db, &counters, question, || count(state, year, &departments)).await
}

/// Compliance per department for `year`, counted by the database.
async fn count(state: &AppState, year: i32, departments: &[String]) -> Result<Vec<Compliance>, AppError> {
    let late = Expr::col((annual_report::Entity, annual_report::Column::Late));
    let reported = Expr::col((annual_report::Entity, annual_report::Column::Id));
    let counts: Vec<(String, i64, i64, i64)> = outlet::Entity::find()
        .select_only()
        .column(outlet::Column::DepartmentCode)
        .column_as(outlet::Column::Id.count(), "owed")
        .column_as(reported.count(), "submitted")
        .column_as(Expr::case(late.eq(true), 1).finally(0).sum(), "late")
        .join(JoinType::LeftJoin, submitted_report(year))
        .filter(owing_on(year)?)
        .filter(outlet::Column::DepartmentCode.is_in(departments.iter().cloned()))
        .group_by(outlet::Column::DepartmentCode)
        .into_tuple()
        .all(&state.db)
        .await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(departments
        .iter()
        .map(|code| {
            let (owed, submitted, late) = counts
                .iter()
                .find(|row| row.0 == *code)
                .map_or((0, 0, 0), |row| (count(row.1), count(row.2), count(row.3)));
            Compliance {
                department_code: code.clone(),
                owed,
                on_time: submitted - late,
                late,
                missing: owed - submitted,
            }
        })
        .collect())
}

/// The outlets in the caller's view whose report on `year` is overdue: past the deadline
/// and never submitted. Empty before the deadline.
///
/// # Errors
/// As [`of_year`].
pub async fn overdue(
    state: &AppState,
    request: &RequestContext,
    year: i32,
) -> Result<Vec<outlet::Model>, AppError> {
    let departments = departments_in_view(state, request)?;
    if state.clock.now() <= reports::deadline(year) {
        return Ok(Vec::new());
    }
    let submitted = Query::select()
        .column(annual_report::Column::OutletId)
        .from(annual_report::Entity)
        .and_where(annual_report::Column::Year.eq(year))
        .and_where(annual_report::Column::SubmittedAt.is_not_null())
        .to_owned();
    Ok(outlet::Entity::find()
        .filter(owing_on(year)?)
        .filter(outlet::Column::DepartmentCode.is_in(departments))
        .filter(outlet::Column::Id.not_in_subquery(submitted))
        .order_by_asc(outlet::Column::Id)
        .all(&state.db)
        .await?)
}
