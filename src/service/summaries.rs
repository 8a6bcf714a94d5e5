//! Department summaries (Art 17): a 盟市 bureau forwards its submitted reports on a year
//! with their sums and its own narrative; the region bureau accepts the summary or returns
//! it, and its reports follow.

use entity::document::Json;
use entity::json::ReportNarrative;
use entity::{annual_report, department_summary};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::authz::Action;
use crate::db::found;
use crate::db::on_unique;
use crate::domain::reports;
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::Prose;
use crate::domain::workflow::report::{ReportAction, ReportState};
use crate::domain::workflow::summary::{Summaries, SummaryAction};
use crate::error::AppError;
use crate::service::audit::AuditEntry;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::UseCase;
use crate::state::{AppState, RequestContext};

/// The entity name in the audit trail.
pub const ENTITY: &str = "departmentSummary";

/// Forwards the department's submitted reports on `year` in a summary with their sums and
/// the bureau's own narrative.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` outside the department; `BAD_USER_INPUT` when no report is
/// waiting; `CONFLICT` while an earlier summary awaits review.
pub async fn forward(
    state: &AppState,
    request: &RequestContext,
    department_code: &str,
    year: i32,
    narrative: ReportNarrative,
) -> Result<department_summary::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    if state.departments.get(department_code).is_none() {
        return Err(AppError::invalid("input.departmentCode", "no such recommending department"));
    }
    let scope = ScopePath::department(department_code);
    uc.authorize(Action::ForwardDepartmentSummary, &scope)?;
    let waiting = annual_report::Entity::find()
        .filter(annual_report::Column::DepartmentCode.eq(department_code))
        .filter(annual_report::Column::Year.eq(year))
        .filter(
            annual_report::Column::State
                .eq(entity::sea_orm_active_enums::ReportState::from(ReportState::Submitted)),
        )
        .order_by_asc(annual_report::Column::Id)
        .all(&uc.txn)
        .await?;
    if waiting.is_empty() {
        return Err(AppError::invalid(
            "input.year",
            format!("no submitted report of {department_code} on {year} awaits forwarding"),
        ));
    }
    let totals = reports::total(waiting.iter().map(|r| &r.figures.0));
    let to = uc.start::<Summaries>(SummaryAction::Forward)?;
    let now = uc.now();
    let summary = department_summary::Entity::insert(department_summary::ActiveModel {
        id: NotSet,
        department_code: Set(department_code.to_owned()),
        year: Set(year),
        state: Set(to.into()),
        pending_key: Set(Some(format!("{department_code}/{year}"))),
        totals: Set(Json(totals)),
        report_count: Set(i32::try_from(waiting.len()).unwrap_or(i32::MAX)),
        narrative: Set(narrative),
        forwarded_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    })
    .exec_with_returning(&uc.txn)
    .await
    .map_err(|e| {
        on_unique(e, || AppError::conflict(format!("a summary of {department_code} on {year} awaits review")))
    })?;
    for report in waiting {
        let set = annual_report::ActiveModel { summary_id: Set(Some(summary.id)), ..Default::default() };
        let report_scope = ScopePath::institution(department_code, report.institution_id);
        uc.step(&report_scope, &report, report.version, ReportAction::Forward, None, set).await?;
    }
    uc.audit(
        AuditEntry::new(Action::ForwardDepartmentSummary, &scope, ENTITY, summary.id)
            .moved(None, Some(to.name())),
    )
    .await?;
    uc.commit().await?;
    Ok(summary)
}

/// Accepts or returns a department summary; its reports follow it (accepted, or back to
/// the bureau as submitted).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `INVALID_TRANSITION`,
/// `BAD_USER_INPUT` for a return without a comment.
pub async fn decide(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: SummaryAction,
    comment: Option<Prose>,
) -> Result<department_summary::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let summary = found::<department_summary::Entity>(&uc.txn, id, "department summary").await?;
    let scope = ScopePath::department(&summary.department_code);
    uc.authorize(Action::to_take(action)?, &scope)?;
    let updated = uc.step(&scope, &summary, version, action, comment.as_ref(), Default::default()).await?;
    let members =
        annual_report::Entity::find().filter(annual_report::Column::SummaryId.eq(id)).all(&uc.txn).await?;
    for report in members {
        let report_scope = ScopePath::institution(&summary.department_code, report.institution_id);
        let (report_action, set) = match action {
            SummaryAction::Accept => (ReportAction::Accept, annual_report::ActiveModel::default()),
            SummaryAction::Return | SummaryAction::Forward => (
                ReportAction::SendBack,
                annual_report::ActiveModel { summary_id: Set(None), ..Default::default() },
            ),
        };
        uc.step(&report_scope, &report, report.version, report_action, comment.as_ref(), set).await?;
    }
    uc.commit().await?;
    Ok(updated)
}

/// Department summaries in the caller's scope, newest first.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    year: Option<i32>,
    page: PageRequest,
) -> Result<Page<department_summary::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadDepartmentSummary)?;
    let mut select = department_summary::Entity::find();
    match grant {
        Grant::Region => {}
        Grant::Department { code } => {
            select = select.filter(department_summary::Column::DepartmentCode.eq(code.as_str()));
        }
        Grant::Institution { .. } => return Err(AppError::Forbidden),
    }
    if let Some(year) = year {
        select = select.filter(department_summary::Column::Year.eq(year));
    }
    fetch_page(&state.db, select, department_summary::Column::Id, &page).await
}
