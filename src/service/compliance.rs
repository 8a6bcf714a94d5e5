//! Who has reported (Art 17): per department, the outlets that owe a report on a year, and
//! how many reported on time, late, or not at all.

use std::collections::BTreeMap;

use entity::sea_orm_active_enums as stored;
use entity::{annual_report, outlet};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::authz::Action;
use crate::domain::reports;
use crate::domain::scope::Grant;
use crate::error::AppError;
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

/// Compliance per department for `year`, in the departments' order, and the outlets whose
/// report is overdue (past the deadline, never submitted).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless a recommender (its department) or reviewer (all).
pub async fn of_year(
    state: &AppState,
    request: &RequestContext,
    year: i32,
) -> Result<(Vec<Compliance>, Vec<outlet::Model>), AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadCompliance)?;
    let departments: Vec<String> = match grant {
        Grant::Region => state.departments.all().iter().map(|d| d.code.clone()).collect(),
        Grant::Department { code } => vec![code.clone()],
        Grant::Institution { .. } => return Err(AppError::Forbidden),
    };
    let owing = outlet::Entity::find()
        .filter(owing_on(year)?)
        .filter(outlet::Column::DepartmentCode.is_in(departments.clone()))
        .order_by_asc(outlet::Column::Id)
        .all(&state.db)
        .await?;
    let submitted: BTreeMap<i64, bool> = annual_report::Entity::find()
        .filter(annual_report::Column::Year.eq(year))
        .filter(annual_report::Column::OutletId.is_in(owing.iter().map(|o| o.id)))
        .filter(annual_report::Column::SubmittedAt.is_not_null())
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.outlet_id, r.late))
        .collect();
    let mut rows: Vec<Compliance> = departments
        .iter()
        .map(|code| Compliance { department_code: code.clone(), owed: 0, on_time: 0, late: 0, missing: 0 })
        .collect();
    let past_deadline = state.clock.now() > reports::deadline(year);
    let mut overdue = Vec::new();
    for outlet in owing {
        let Some(row) = rows.iter_mut().find(|r| r.department_code == outlet.department_code) else {
            continue;
        };
        row.owed += 1;
        match submitted.get(&outlet.id) {
            Some(true) => row.late += 1,
            Some(false) => row.on_time += 1,
            None => {
                row.missing += 1;
                if past_deadline {
                    overdue.push(outlet);
                }
            }
        }
    }
    Ok((rows, overdue))
}
