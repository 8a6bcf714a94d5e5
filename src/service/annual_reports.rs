//! Annual reports (Art 17): each outlet reports on every year it was active in, by
//! 31 January of the next year; its bureau returns reports or forwards them in a
//! department summary with their sums; the region bureau accepts or returns the summary.

use std::collections::BTreeMap;

use chrono::{Datelike as _, NaiveDate};
use entity::json::{ReportFigures, ReportNarrative};
use entity::sea_orm_active_enums::{OutletStatus, ReportState, SummaryState};
use entity::{annual_report, department_summary, institution, outlet, report_attachment};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    Select,
};

use crate::authz::Action;
use crate::db::begin_write;
use crate::domain::clock::china_standard_time;
use crate::domain::reports::{self, REPORT_TRANSITIONS, ReportAction, SUMMARY_TRANSITIONS, SummaryAction};
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::{Name, Prose};
use crate::domain::workflow::step;
use crate::error::{AppError, on_unique};
use crate::identity::Caller;
use crate::service::audit::{self, AuditEntry};
use crate::service::filings::today;
use crate::service::institutions;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::step::take;
use crate::state::{AppState, RequestContext};

/// The entity names in the audit trail.
pub const ENTITY: &str = "annualReport";
pub const SUMMARY_ENTITY: &str = "departmentSummary";

fn require_user(caller: &Caller) -> Result<(), AppError> {
    caller.user_id().map(|_| ()).ok_or(AppError::Unauthenticated)
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(AppError::invalid("year", "not a year")),
    }
}

/// Outlets active at any time in `year`: valid for a day of it, and not terminated or
/// revoked before it began.
fn active_in(year: i32) -> Result<Condition, AppError> {
    let (first, last) = year_bounds(year)?;
    Ok(Condition::all()
        .add(outlet::Column::ValidFrom.lte(last))
        .add(outlet::Column::ValidUntil.gte(first))
        .add(
            Condition::any()
                .add(outlet::Column::Status.eq(OutletStatus::Active))
                .add(outlet::Column::SanctionedOn.gte(first)),
        ))
}

fn was_active_in(outlet: &outlet::Model, year: i32) -> bool {
    let Ok((first, last)) = year_bounds(year) else { return false };
    outlet.valid_from <= last
        && outlet.valid_until >= first
        && (outlet.status == OutletStatus::Active || outlet.sanctioned_on.is_some_and(|d| d >= first))
}

async fn load(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<(annual_report::Model, institution::Model), AppError> {
    let report = annual_report::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound { entity: "annual report" })?;
    let institution = institution::Entity::find_by_id(report.institution_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound { entity: "institution" })?;
    Ok((report, institution))
}

/// Opens the report of an outlet on `year`.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `NOT_FOUND`; `BAD_USER_INPUT` on `input.year` for a year
/// the outlet was not active in, or one not begun; `CONFLICT` when the report exists.
pub async fn create(
    state: &AppState,
    request: &RequestContext,
    outlet_id: i64,
    year: i32,
) -> Result<annual_report::Model, AppError> {
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let outlet = outlet::Entity::find_by_id(outlet_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "outlet" })?;
    let institution = institution::Entity::find_by_id(outlet.institution_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "institution" })?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, Action::CreateAnnualReport, &scope)?;
    if year > today(state).year() || !was_active_in(&outlet, year) {
        return Err(AppError::invalid(
            "input.year",
            format!("outlet {} owes no report on {year}", outlet.number),
        ));
    }
    let now = state.clock.now();
    let report = annual_report::Entity::insert(annual_report::ActiveModel {
        id: NotSet,
        outlet_id: Set(outlet.id),
        institution_id: Set(outlet.institution_id),
        department_code: Set(outlet.department_code.clone()),
        year: Set(year),
        state: Set(ReportState::Draft),
        figures: Set(ReportFigures::default()),
        narrative: Set(ReportNarrative::default()),
        submitted_at: Set(None),
        late: Set(false),
        summary_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| {
        on_unique(e, || {
            AppError::conflict(format!("outlet {} already has a report on {year}", outlet.number))
        })
    })?;
    record(
        &txn,
        state,
        request,
        &scope,
        ENTITY,
        report.id,
        Action::CreateAnnualReport,
        None,
        Some(ReportState::Draft),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Changes a report's figures or narrative while it is a draft or returned.
///
/// # Errors
/// As [`act`].
pub async fn update(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    figures: Option<ReportFigures>,
    narrative: Option<ReportNarrative>,
) -> Result<annual_report::Model, AppError> {
    let mut set = annual_report::ActiveModel::default();
    if let Some(figures) = figures {
        set.figures = Set(figures);
    }
    if let Some(narrative) = narrative {
        set.narrative = Set(narrative);
    }
    act(state, request, id, version, ReportAction::Update, None, set).await
}

/// Takes a step on one report: update, submit (flagged late after the deadline) or return.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT` for a stale version,
/// `INVALID_TRANSITION`, `BAD_USER_INPUT` for a missing comment.
pub async fn act(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: ReportAction,
    comment: Option<Prose>,
    mut set: annual_report::ActiveModel,
) -> Result<annual_report::Model, AppError> {
    let permission = match action {
        ReportAction::Update => Action::UpdateAnnualReport,
        ReportAction::Submit => Action::SubmitAnnualReport,
        ReportAction::Return => Action::ReturnAnnualReport,
        ReportAction::Forward | ReportAction::Accept | ReportAction::SendBack => {
            return Err(AppError::Internal(anyhow::anyhow!("{action:?} goes through a department summary")));
        }
    };
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let (report, institution) = load(&txn, id).await?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, permission, &scope)?;
    if report.version != version {
        return Err(AppError::conflict(format!(
            "the report was changed meanwhile (now version {})",
            report.version
        )));
    }
    if action == ReportAction::Submit && report.submitted_at.is_none() {
        let now = state.clock.now();
        set.submitted_at = Set(Some(now));
        set.late = Set(reports::is_late(report.year, now));
    }
    let report = transit(&txn, state, request, &scope, report, action, permission, comment, set).await?;
    txn.commit().await?;
    Ok(report)
}

/// Moves a report through `action` under a version guard, with its audit event.
#[expect(clippy::too_many_arguments, reason = "the step's context, passed through once")]
async fn transit(
    txn: &DatabaseTransaction,
    state: &AppState,
    request: &RequestContext,
    scope: &ScopePath,
    report: annual_report::Model,
    action: ReportAction,
    permission: Action,
    comment: Option<Prose>,
    mut set: annual_report::ActiveModel,
) -> Result<annual_report::Model, AppError> {
    let to = take(
        REPORT_TRANSITIONS,
        report.state,
        action,
        comment.is_some(),
        || report_state_name(report.state).to_owned(),
        || action.name().to_owned(),
    )?;
    set.state = Set(to);
    set.updated_at = Set(state.clock.now());
    let updated = annual_report::Entity::update_many()
        .set(set)
        .col_expr(annual_report::Column::Version, Expr::col(annual_report::Column::Version).add(1))
        .filter(annual_report::Column::Id.eq(report.id))
        .filter(annual_report::Column::Version.eq(report.version))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("the report was changed meanwhile"));
    }
    let comment = comment.as_ref().map(AsRef::as_ref);
    record(txn, state, request, scope, ENTITY, report.id, permission, Some(report.state), Some(to), comment)
        .await?;
    annual_report::Entity::find_by_id(report.id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound { entity: "annual report" })
}

/// Attaches a file to a report that is a draft or returned.
///
/// # Errors
/// As [`act`]; `BAD_USER_INPUT` on `input.file` for a file not accepted.
pub async fn attach(
    state: &AppState,
    request: &RequestContext,
    report_id: i64,
    version: i32,
    file_name: Name,
    content: Vec<u8>,
) -> Result<(annual_report::Model, report_attachment::Model), AppError> {
    require_user(&request.caller)?;
    let media_type = crate::service::filings::check_upload(state, &content)?;
    let txn = begin_write(&state.db).await?;
    let (report, institution) = load(&txn, report_id).await?;
    let scope = institutions::scope_of(&institution);
    let uploader = state.authz.authorize(&request.caller, Action::UploadReportAttachment, &scope)?.user_id;
    if report.version != version {
        return Err(AppError::conflict(format!(
            "the report was changed meanwhile (now version {})",
            report.version
        )));
    }
    editable(&report)?;
    // Stored before the row: a failed transaction leaves at most an unreferenced file.
    let sha256 = state.files.put(&content).await?;
    let attachment = report_attachment::Entity::insert(report_attachment::ActiveModel {
        id: NotSet,
        report_id: Set(report.id),
        file_name: Set(file_name.to_string()),
        media_type: Set(media_type.to_owned()),
        size_bytes: Set(i64::try_from(content.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256),
        uploaded_by: Set(uploader),
        created_at: Set(state.clock.now()),
    })
    .exec_with_returning(&txn)
    .await?;
    let note = Prose::parse(file_name.as_ref()).ok();
    let set = annual_report::ActiveModel::default();
    let report = transit(
        &txn,
        state,
        request,
        &scope,
        report,
        ReportAction::Update,
        Action::UploadReportAttachment,
        note,
        set,
    )
    .await?;
    txn.commit().await?;
    Ok((report, attachment))
}

/// Removes an attachment from a report that is a draft or returned.
///
/// # Errors
/// As [`act`].
pub async fn detach(
    state: &AppState,
    request: &RequestContext,
    attachment_id: i64,
    version: i32,
) -> Result<annual_report::Model, AppError> {
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let attachment = report_attachment::Entity::find_by_id(attachment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "attachment" })?;
    let (report, institution) = load(&txn, attachment.report_id).await?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, Action::RemoveReportAttachment, &scope)?;
    if report.version != version {
        return Err(AppError::conflict(format!(
            "the report was changed meanwhile (now version {})",
            report.version
        )));
    }
    editable(&report)?;
    report_attachment::Entity::delete_by_id(attachment.id).exec(&txn).await?;
    let note = Prose::parse(&attachment.file_name).ok();
    let set = annual_report::ActiveModel::default();
    let report = transit(
        &txn,
        state,
        request,
        &scope,
        report,
        ReportAction::Update,
        Action::RemoveReportAttachment,
        note,
        set,
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Refuses changes to a report that is neither a draft nor returned.
fn editable(report: &annual_report::Model) -> Result<(), AppError> {
    step(REPORT_TRANSITIONS, report.state, ReportAction::Update).map(|_| ()).ok_or_else(|| {
        AppError::InvalidTransition {
            from: report_state_name(report.state).to_owned(),
            action: ReportAction::Update.name().to_owned(),
        }
    })
}

/// A report's attachment and its content, for whoever may read the report.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn download(
    state: &AppState,
    caller: &Caller,
    attachment_id: i64,
) -> Result<(report_attachment::Model, Vec<u8>), AppError> {
    require_user(caller)?;
    let attachment = report_attachment::Entity::find_by_id(attachment_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound { entity: "attachment" })?;
    let (_, institution) = load(&state.db, attachment.report_id).await?;
    state.authz.authorize(caller, Action::ReadAnnualReport, &institutions::scope_of(&institution))?;
    let content = state.files.get(&attachment.sha256).await?;
    Ok((attachment, content))
}

/// Forwards the department's submitted reports on `year` in a summary with their sums and
/// the bureau's own narrative.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` outside the department; `BAD_USER_INPUT` when no report is
/// waiting; `CONFLICT` while an earlier summary awaits review.
pub async fn forward_summary(
    state: &AppState,
    request: &RequestContext,
    department_code: &str,
    year: i32,
    narrative: ReportNarrative,
) -> Result<department_summary::Model, AppError> {
    require_user(&request.caller)?;
    if state.departments.get(department_code).is_none() {
        return Err(AppError::invalid("input.departmentCode", "no such recommending department"));
    }
    let scope = ScopePath::department(department_code);
    state.authz.authorize(&request.caller, Action::ForwardDepartmentSummary, &scope)?;
    let txn = begin_write(&state.db).await?;
    let waiting = annual_report::Entity::find()
        .filter(annual_report::Column::DepartmentCode.eq(department_code))
        .filter(annual_report::Column::Year.eq(year))
        .filter(annual_report::Column::State.eq(ReportState::Submitted))
        .order_by_asc(annual_report::Column::Id)
        .all(&txn)
        .await?;
    if waiting.is_empty() {
        return Err(AppError::invalid(
            "input.year",
            format!("no submitted report of {department_code} on {year} awaits forwarding"),
        ));
    }
    let totals = reports::total(waiting.iter().map(|r| &r.figures));
    let now = state.clock.now();
    let summary = department_summary::Entity::insert(department_summary::ActiveModel {
        id: NotSet,
        department_code: Set(department_code.to_owned()),
        year: Set(year),
        state: Set(SummaryState::Forwarded),
        pending_key: Set(Some(format!("{department_code}/{year}"))),
        totals: Set(totals),
        report_count: Set(i32::try_from(waiting.len()).unwrap_or(i32::MAX)),
        narrative: Set(narrative),
        forwarded_at: Set(now),
        version: Set(1),
        updated_at: Set(now),
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| {
        on_unique(e, || AppError::conflict(format!("a summary of {department_code} on {year} awaits review")))
    })?;
    for report in waiting {
        let set = annual_report::ActiveModel { summary_id: Set(Some(summary.id)), ..Default::default() };
        let report_scope = ScopePath::institution(department_code, report.institution_id);
        transit(
            &txn,
            state,
            request,
            &report_scope,
            report,
            ReportAction::Forward,
            Action::ForwardDepartmentSummary,
            None,
            set,
        )
        .await?;
    }
    record::<SummaryState>(
        &txn,
        state,
        request,
        &scope,
        SUMMARY_ENTITY,
        summary.id,
        Action::ForwardDepartmentSummary,
        None,
        None,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// Accepts or returns a department summary; its reports follow it (accepted, or back to
/// the bureau as submitted).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `INVALID_TRANSITION`,
/// `BAD_USER_INPUT` for a return without a comment.
pub async fn decide_summary(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: SummaryAction,
    comment: Option<Prose>,
) -> Result<department_summary::Model, AppError> {
    require_user(&request.caller)?;
    let permission = match action {
        SummaryAction::Accept => Action::AcceptDepartmentSummary,
        SummaryAction::Return => Action::ReturnDepartmentSummary,
    };
    let txn = begin_write(&state.db).await?;
    let summary = department_summary::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "department summary" })?;
    let scope = ScopePath::department(&summary.department_code);
    state.authz.authorize(&request.caller, permission, &scope)?;
    if summary.version != version {
        return Err(AppError::conflict(format!(
            "the summary was changed meanwhile (now version {})",
            summary.version
        )));
    }
    let to = take(
        SUMMARY_TRANSITIONS,
        summary.state,
        action,
        comment.is_some(),
        || summary_state_name(summary.state).to_owned(),
        || format!("{action:?}").to_uppercase(),
    )?;
    let updated = department_summary::Entity::update_many()
        .col_expr(department_summary::Column::State, Expr::value(to))
        .col_expr(department_summary::Column::PendingKey, Expr::value(Option::<String>::None))
        .col_expr(department_summary::Column::UpdatedAt, Expr::value(state.clock.now()))
        .col_expr(department_summary::Column::Version, Expr::col(department_summary::Column::Version).add(1))
        .filter(department_summary::Column::Id.eq(id))
        .filter(department_summary::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::conflict("the summary was changed meanwhile"));
    }
    let members =
        annual_report::Entity::find().filter(annual_report::Column::SummaryId.eq(id)).all(&txn).await?;
    for report in members {
        let report_scope = ScopePath::institution(&summary.department_code, report.institution_id);
        let (report_action, set) = match action {
            SummaryAction::Accept => (ReportAction::Accept, annual_report::ActiveModel::default()),
            SummaryAction::Return => (
                ReportAction::SendBack,
                annual_report::ActiveModel { summary_id: Set(None), ..Default::default() },
            ),
        };
        transit(&txn, state, request, &report_scope, report, report_action, permission, comment.clone(), set)
            .await?;
    }
    let comment = comment.as_ref().map(AsRef::as_ref);
    record(
        &txn,
        state,
        request,
        &scope,
        SUMMARY_ENTITY,
        id,
        permission,
        Some(summary.state),
        Some(to),
        comment,
    )
    .await?;
    let summary = department_summary::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "department summary" })?;
    txn.commit().await?;
    Ok(summary)
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub year: Option<i32>,
    pub state: Option<ReportState>,
    pub department_code: Option<String>,
    pub outlet_id: Option<i64>,
    pub summary_id: Option<i64>,
}

fn reports_within(select: Select<annual_report::Entity>, grant: &Grant) -> Select<annual_report::Entity> {
    match grant {
        Grant::Region => select,
        Grant::Department { code } => select.filter(annual_report::Column::DepartmentCode.eq(code.as_str())),
        Grant::Institution { id, .. } => select.filter(annual_report::Column::InstitutionId.eq(*id)),
    }
}

/// Reports in the caller's scope.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: ReportFilter,
    page: PageRequest,
) -> Result<Page<annual_report::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadAnnualReport)?;
    let mut select = reports_within(annual_report::Entity::find(), grant);
    if let Some(year) = filter.year {
        select = select.filter(annual_report::Column::Year.eq(year));
    }
    if let Some(value) = filter.state {
        select = select.filter(annual_report::Column::State.eq(value));
    }
    if let Some(code) = filter.department_code {
        select = select.filter(annual_report::Column::DepartmentCode.eq(code));
    }
    if let Some(id) = filter.outlet_id {
        select = select.filter(annual_report::Column::OutletId.eq(id));
    }
    if let Some(id) = filter.summary_id {
        select = select.filter(annual_report::Column::SummaryId.eq(id));
    }
    fetch_page(&state.db, select, annual_report::Column::Id, &page).await
}

/// One report in the caller's scope.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn get(
    state: &AppState,
    request: &RequestContext,
    id: i64,
) -> Result<annual_report::Model, AppError> {
    require_user(&request.caller)?;
    let (report, institution) = load(&state.db, id).await?;
    state.authz.authorize(
        &request.caller,
        Action::ReadAnnualReport,
        &institutions::scope_of(&institution),
    )?;
    Ok(report)
}

/// Department summaries in the caller's scope, newest first.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `BAD_USER_INPUT` for bad paging.
pub async fn summaries(
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
            select = select.filter(department_summary::Column::DepartmentCode.eq(code.as_str()))
        }
        Grant::Institution { .. } => return Err(AppError::Forbidden),
    }
    if let Some(year) = year {
        select = select.filter(department_summary::Column::Year.eq(year));
    }
    fetch_page(&state.db, select, department_summary::Column::Id, &page).await
}

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

/// Compliance per department for `year`, in the departments' order, and the outlets whose
/// report is overdue (past the deadline, never submitted).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless a recommender (its department) or reviewer (all).
pub async fn compliance(
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
        .filter(active_in(year)?)
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

/// A report state's name as the API spells it.
pub fn report_state_name(state: ReportState) -> &'static str {
    match state {
        ReportState::Draft => "DRAFT",
        ReportState::Submitted => "SUBMITTED",
        ReportState::Returned => "RETURNED",
        ReportState::Forwarded => "FORWARDED",
        ReportState::Accepted => "ACCEPTED",
    }
}

fn summary_state_name(state: SummaryState) -> &'static str {
    match state {
        SummaryState::Forwarded => "FORWARDED",
        SummaryState::Accepted => "ACCEPTED",
        SummaryState::Returned => "RETURNED",
    }
}

/// When the report on `year` is due, as a date in China Standard Time.
pub fn due_date(year: i32) -> NaiveDate {
    reports::deadline(year).with_timezone(&china_standard_time()).date_naive()
}

#[expect(clippy::too_many_arguments, reason = "one audit entry's fields")]
async fn record<S: Copy + std::fmt::Debug>(
    txn: &DatabaseTransaction,
    state: &AppState,
    request: &RequestContext,
    scope: &ScopePath,
    entity: &str,
    id: i64,
    action: Action,
    from: Option<S>,
    to: Option<S>,
    comment: Option<&str>,
) -> Result<(), AppError> {
    let name = |s: S| format!("{s:?}").to_uppercase();
    let (from, to) = (from.map(name), to.map(name));
    let entry = AuditEntry::new(action, scope, entity, id).moved(from.as_deref(), to.as_deref());
    audit::record(txn, state, request, entry.noting(comment)).await
}
