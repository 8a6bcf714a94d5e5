//! Annual reports (Art 17): each outlet reports on every year it was active in, by
//! 31 January of the next year; its bureau returns a report or forwards it in a department
//! summary ([`super::summaries`]). Who is late is [`super::compliance`].

use chrono::{Datelike as _, NaiveDate};
use entity::document::Json;
use entity::json::ReportNarrative;
use entity::{annual_report, institution, outlet, report_attachment};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

use crate::authz::Action;
use crate::db::found;
use crate::db::mapping::{FileRow, institution_scope};
use crate::db::on_unique;
use crate::domain::clock::china_standard_time;
use crate::domain::reports::{self, ReportFigures, Term};
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::Prose;
use crate::domain::workflow::outlet::OutletStatus;
use crate::domain::workflow::report::{AnnualReports, ReportAction, ReportState};
use crate::error::AppError;
use crate::identity::Caller;
use crate::service::attachments::{self, NewAttachment};
use crate::service::audit::AuditEntry;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::UseCase;
use crate::state::{AppState, RequestContext};

/// The entity name in the audit trail.
pub const ENTITY: &str = "annualReport";

/// The reporting term of a stored outlet.
pub fn term_of(outlet: &outlet::Model) -> Term {
    let ended_on = match OutletStatus::from(outlet.status) {
        OutletStatus::Active => None,
        _ => Some(outlet.sanctioned_on.unwrap_or(NaiveDate::MIN)),
    };
    Term { valid_from: outlet.valid_from, valid_until: outlet.valid_until, ended_on }
}

/// A report and the scope of its institution.
async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<(annual_report::Model, ScopePath), AppError> {
    let report = found::<annual_report::Entity>(conn, id, "annual report").await?;
    let institution = found::<institution::Entity>(conn, report.institution_id, "institution").await?;
    Ok((report, institution_scope(&institution)))
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
    let uc = UseCase::begin(state, request).await?;
    let outlet = found::<outlet::Entity>(&uc.txn, outlet_id, "outlet").await?;
    let institution = found::<institution::Entity>(&uc.txn, outlet.institution_id, "institution").await?;
    let scope = institution_scope(&institution);
    uc.authorize(Action::CreateAnnualReport, &scope)?;
    if year > uc.today().year() || !reports::owes_report_on(term_of(&outlet), year) {
        return Err(AppError::invalid(
            "input.year",
            format!("outlet {} owes no report on {year}", outlet.number),
        ));
    }
    let to = uc.start::<AnnualReports>(ReportAction::Create)?;
    let now = uc.now();
    let report = annual_report::Entity::insert(annual_report::ActiveModel {
        id: NotSet,
        outlet_id: Set(outlet.id),
        institution_id: Set(outlet.institution_id),
        department_code: Set(outlet.department_code.clone()),
        year: Set(year),
        state: Set(to.into()),
        figures: Set(Json(ReportFigures::default())),
        narrative: Set(ReportNarrative::default()),
        submitted_at: Set(None),
        late: Set(false),
        summary_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&uc.txn)
    .await
    .map_err(|e| {
        on_unique(e, || {
            AppError::conflict(format!("outlet {} already has a report on {year}", outlet.number))
        })
    })?;
    uc.audit(
        AuditEntry::new(Action::CreateAnnualReport, &scope, ENTITY, report.id).moved(None, Some(to.name())),
    )
    .await?;
    uc.commit().await?;
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
        set.figures = Set(Json(figures));
    }
    if let Some(narrative) = narrative {
        set.narrative = Set(narrative);
    }
    let uc = UseCase::begin(state, request).await?;
    let (report, scope) = load(&uc.txn, id).await?;
    uc.authorize(Action::UpdateAnnualReport, &scope)?;
    let report = uc.step(&scope, &report, version, ReportAction::Update, None, set).await?;
    uc.commit().await?;
    Ok(report)
}

/// Submits a report (flagged late after the deadline) or returns it to its outlet.
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
) -> Result<annual_report::Model, AppError> {
    if !matches!(action, ReportAction::Submit | ReportAction::Return) {
        return Err(AppError::Internal(anyhow::anyhow!("{} is not taken on one report", action.name())));
    }
    let uc = UseCase::begin(state, request).await?;
    let (report, scope) = load(&uc.txn, id).await?;
    uc.authorize(Action::to_take(action)?, &scope)?;
    let mut set = annual_report::ActiveModel::default();
    if action == ReportAction::Submit && report.submitted_at.is_none() {
        let now = uc.now();
        set.submitted_at = Set(Some(now));
        set.late = Set(reports::is_late(report.year, now));
    }
    let report = uc.step(&scope, &report, version, action, comment.as_ref(), set).await?;
    uc.commit().await?;
    Ok(report)
}

/// Attaches a file to a report that is a draft or returned.
///
/// # Errors
/// As [`act`]; `BAD_USER_INPUT` on `input.file` for a file not accepted or beyond the
/// institution's storage quota; `INTERNAL` when it cannot be stored.
pub async fn attach(
    state: &AppState,
    request: &RequestContext,
    report_id: i64,
    version: i32,
    new: NewAttachment,
) -> Result<(annual_report::Model, report_attachment::Model), AppError> {
    let media_type = attachments::check(state, &new.content)?;
    let uc = UseCase::begin(state, request).await?;
    let (report, scope) = load(&uc.txn, report_id).await?;
    uc.authorize(Action::UploadReportAttachment, &scope)?;
    uc.check(&report, version, ReportAction::Update)?;
    attachments::check_quota(&uc, report.institution_id, new.content.len()).await?;
    let file = attachments::store(&uc, media_type, &new).await?;
    let attachment = report_attachment::Entity::insert(report_attachment::ActiveModel {
        id: NotSet,
        report_id: Set(report.id),
        ..FileRow::holding(file)
    })
    .exec_with_returning(&uc.txn)
    .await?;
    let report = uc.touch(&scope, &report, Action::UploadReportAttachment, new.file_name.as_ref()).await?;
    uc.commit().await?;
    attachments::keep(state, &new).await;
    Ok((report, attachment))
}

/// Removes an attachment from a report that is a draft or returned; its file goes once no
/// attachment references it.
///
/// # Errors
/// As [`act`].
pub async fn detach(
    state: &AppState,
    request: &RequestContext,
    attachment_id: i64,
    version: i32,
) -> Result<annual_report::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let attachment = found::<report_attachment::Entity>(&uc.txn, attachment_id, "attachment").await?;
    let (report, scope) = load(&uc.txn, attachment.report_id).await?;
    uc.authorize(Action::RemoveReportAttachment, &scope)?;
    uc.check(&report, version, ReportAction::Update)?;
    report_attachment::Entity::delete_by_id(attachment.id).exec(&uc.txn).await?;
    let report = uc.touch(&scope, &report, Action::RemoveReportAttachment, &attachment.file_name).await?;
    uc.commit().await?;
    attachments::release(state, &attachment.sha256).await;
    Ok(report)
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
    caller.signed_in()?;
    let attachment = found::<report_attachment::Entity>(&state.db, attachment_id, "attachment").await?;
    let (_, scope) = load(&state.db, attachment.report_id).await?;
    state.authz.authorize(caller, Action::ReadAnnualReport, &scope)?;
    let content = state.files.get(&attachment.sha256).await?;
    Ok((attachment, content))
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
        select = select
            .filter(annual_report::Column::State.eq(entity::sea_orm_active_enums::ReportState::from(value)));
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
    request.caller.signed_in()?;
    let (report, scope) = load(&state.db, id).await?;
    state.authz.authorize(&request.caller, Action::ReadAnnualReport, &scope)?;
    Ok(report)
}

/// When the report on `year` is due, as a date in China Standard Time.
pub fn due_date(year: i32) -> NaiveDate {
    reports::deadline(year).with_timezone(&china_standard_time()).date_naive()
}
