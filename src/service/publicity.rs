//! Publicity and the published list (Art 7(3)): a reviewer puts recommended filings under
//! publicity for a number of working days, records and resolves objections, and, once the
//! period is over, confirms: filings without an upheld objection are filed and listed.

use std::collections::BTreeSet;

use chrono::Datelike as _;
use entity::sea_orm_active_enums as stored;
use entity::{announcement, announcement_filing, filing, objection, outlet};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::authz::Action;
use crate::db::found;
use crate::db::on_unique;
use crate::domain::scope::ScopePath;
use crate::domain::text::{Line, Prose, Text};
use crate::domain::workflow::Refusal;
use crate::domain::workflow::announcement::{
    AnnouncementAction, AnnouncementKind, AnnouncementState, Announcements, period_over,
};
use crate::domain::workflow::filing::{FilingAction, FilingState, Filings};
use crate::domain::workflow::objection::{ObjectionAction, ObjectionStatus, Objections};
use crate::error::AppError;
use crate::service::audit::AuditEntry;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::{UseCase, ensure_version};
use crate::service::{calendar, filings, outlets};
use crate::state::{AppState, RequestContext};

/// The entity name announcements carry in the audit trail.
pub const ENTITY: &str = "announcement";
/// The publicity period when none is given (DESIGN §6).
pub const DEFAULT_WORKING_DAYS: u32 = 5;
/// The longest publicity period accepted.
pub const MAX_WORKING_DAYS: u32 = 30;

/// A filing to put under publicity, at the version the reviewer read.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub filing_id: i64,
    pub version: i32,
}

/// Opens a publicity announcement over recommended filings, starting today, for
/// `working_days` working days of the calendar.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` unless the caller reviews; `BAD_USER_INPUT` for no
/// filings or a period out of range; per filing as a workflow step (`CONFLICT`,
/// `INVALID_TRANSITION`, `NOT_FOUND`). Nothing is opened unless every filing can be.
pub async fn open(
    state: &AppState,
    request: &RequestContext,
    title: Option<Line>,
    working_days: u32,
    candidates: Vec<Candidate>,
) -> Result<(announcement::Model, Vec<i64>), AppError> {
    let region = ScopePath::region();
    let uc = UseCase::begin(state, request).await?;
    uc.authorize(Action::OpenPublicity, &region)?;
    if candidates.is_empty() {
        return Err(AppError::invalid("input.filings", "name at least one recommended filing"));
    }
    if !(1..=MAX_WORKING_DAYS).contains(&working_days) {
        return Err(AppError::invalid(
            "input.workingDays",
            format!("must be between 1 and {MAX_WORKING_DAYS}"),
        ));
    }
    let ids: BTreeSet<i64> = candidates.iter().map(|c| c.filing_id).collect();
    if ids.len() != candidates.len() {
        return Err(AppError::invalid("input.filings", "a filing is named twice"));
    }
    let publicizing = uc.start::<Announcements>(AnnouncementAction::Open)?;
    let start = uc.today();
    let end = calendar::load(&uc.txn).await?.period_end(start, working_days);
    let title = title.map_or_else(
        || format!("{}年自治区知识产权信息公共服务网点备案公示", start.year()),
        |t| t.to_string(),
    );
    let announcement = announcement::Entity::insert(announcement::ActiveModel {
        id: NotSet,
        kind: Set(AnnouncementKind::Publicity.into()),
        title: Set(title),
        year: Set(None),
        batch_no: Set(None),
        publicity_id: Set(None),
        start_date: Set(Some(start)),
        end_date: Set(Some(end)),
        working_days: Set(Some(i32::try_from(working_days).unwrap_or(i32::MAX))),
        published_at: Set(uc.now()),
        created_by: Set(uc.subject.user_id),
    })
    .exec_with_returning(&uc.txn)
    .await?;
    let comment = Text::parse(&announcement.title).ok();
    let mut filed = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let (filing, scope) = filings::load(&uc.txn, candidate.filing_id).await?;
        uc.authorize(Action::OpenPublicity, &scope)?;
        let set = filing::ActiveModel::default();
        let moved = uc
            .step(&scope, &filing, candidate.version, FilingAction::OpenPublicity, comment.as_ref(), set)
            .await?;
        announcement_filing::Entity::insert(announcement_filing::ActiveModel {
            announcement_id: Set(announcement.id),
            filing_id: Set(moved.id),
            outlet_id: Set(None),
        })
        .exec_without_returning(&uc.txn)
        .await?;
        filed.push(moved.id);
    }
    let entry = AuditEntry::new(Action::OpenPublicity, &region, ENTITY, announcement.id)
        .moved(None, Some(publicizing.name()))
        .noting(Some(&announcement.title));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok((announcement, filed))
}

/// Records an objection against a filing under publicity.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `INVALID_TRANSITION` unless the filing is
/// under publicity.
pub async fn record_objection(
    state: &AppState,
    request: &RequestContext,
    filing_id: i64,
    content: Prose,
) -> Result<objection::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let (filing, scope) = filings::load(&uc.txn, filing_id).await?;
    uc.authorize(Action::RecordObjection, &scope)?;
    uc.decide::<Filings>(filing.state.into(), FilingAction::RecordObjection, Some(&content))?;
    let to = uc.start::<Objections>(ObjectionAction::Record)?;
    let announcement_id = publicity_of(&uc.txn, filing.id).await?;
    let objection = objection::Entity::insert(objection::ActiveModel {
        id: NotSet,
        filing_id: Set(filing.id),
        announcement_id: Set(announcement_id),
        content: Set(content.to_string()),
        status: Set(to.into()),
        resolution: Set(None),
        recorded_by: Set(uc.subject.user_id),
        recorded_at: Set(uc.now()),
        resolved_by: Set(None),
        resolved_at: Set(None),
        version: Set(1),
    })
    .exec_with_returning(&uc.txn)
    .await?;
    let entry = AuditEntry::new(Action::RecordObjection, &scope, filings::ENTITY, filing.id)
        .moved(None, Some(to.name()))
        .noting(Some(content.as_ref()));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok(objection)
}

/// Resolves an open objection as upheld or dismissed.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT` for a stale version,
/// `INVALID_TRANSITION` for an objection already resolved.
pub async fn resolve_objection(
    state: &AppState,
    request: &RequestContext,
    objection_id: i64,
    version: i32,
    upheld: bool,
    resolution: Prose,
) -> Result<objection::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let current = found::<objection::Entity>(&uc.txn, objection_id, "objection").await?;
    let (filing, scope) = filings::load(&uc.txn, current.filing_id).await?;
    uc.authorize(Action::ResolveObjection, &scope)?;
    ensure_version("objection", current.version, version)?;
    let from = ObjectionStatus::from(current.status);
    let action = if upheld { ObjectionAction::Uphold } else { ObjectionAction::Dismiss };
    let to = uc.decide::<Objections>(from, action, Some(&resolution))?;
    let set = objection::ActiveModel {
        status: Set(to.into()),
        resolution: Set(Some(resolution.to_string())),
        resolved_by: Set(Some(uc.subject.user_id)),
        resolved_at: Set(Some(uc.now())),
        ..Default::default()
    };
    let objection = uc.update::<objection::Entity>(objection_id, version, set).await?;
    let entry = AuditEntry::new(Action::ResolveObjection, &scope, filings::ENTITY, filing.id)
        .moved(Some(from.name()), Some(to.name()))
        .noting(Some(resolution.as_ref()));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok(objection)
}

/// Concludes a publicity whose period is over: filings with an upheld objection are
/// rejected, the others filed (a new outlet, or three more years for a renewal), and the
/// list of this year's next batch is published.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `NOT_FOUND`; `INVALID_TRANSITION` while the period runs
/// (`from: PUBLICIZING`) or when already confirmed (`from: CONFIRMED`); `CONFLICT` while an
/// objection is open.
pub async fn confirm(
    state: &AppState,
    request: &RequestContext,
    announcement_id: i64,
) -> Result<announcement::Model, AppError> {
    let region = ScopePath::region();
    let uc = UseCase::begin(state, request).await?;
    uc.authorize(Action::ConfirmPublicity, &region)?;
    let publicity = announcement::Entity::find_by_id(announcement_id)
        .filter(announcement::Column::Kind.eq(stored::AnnouncementKind::Publicity))
        .one(&uc.txn)
        .await?
        .ok_or(AppError::NotFound { entity: "publicity announcement" })?;
    let confirmed = announcement::Entity::find()
        .filter(announcement::Column::PublicityId.eq(publicity.id))
        .one(&uc.txn)
        .await?;
    let from =
        if confirmed.is_some() { AnnouncementState::Confirmed } else { AnnouncementState::Publicizing };
    let to = uc.decide::<Announcements>(from, AnnouncementAction::Confirm, None)?;
    let today = uc.today();
    let refused = Refusal::not_allowed(from, AnnouncementAction::Confirm);
    if !period_over(publicity.end_date, today) {
        return Err(refused.into());
    }
    let entries = announcement_filing::Entity::find()
        .filter(announcement_filing::Column::AnnouncementId.eq(publicity.id))
        .order_by_asc(announcement_filing::Column::FilingId)
        .all(&uc.txn)
        .await?;
    let filing_ids: Vec<i64> = entries.iter().map(|e| e.filing_id).collect();
    let objections = objection::Entity::find()
        .filter(objection::Column::FilingId.is_in(filing_ids.clone()))
        .filter(objection::Column::AnnouncementId.eq(publicity.id))
        .all(&uc.txn)
        .await?;
    let status = |o: &objection::Model| ObjectionStatus::from(o.status);
    if let Some(open) = objections.iter().find(|o| status(o) == ObjectionStatus::Open) {
        return Err(AppError::conflict(format!("objection {} is still open; resolve it first", open.id)));
    }

    let year = today.year();
    let batch = outlets::next_in_sequence(&uc.txn, &format!("list-{year}")).await?;
    let list = announcement::Entity::insert(announcement::ActiveModel {
        id: NotSet,
        kind: Set(AnnouncementKind::List.into()),
        title: Set(format!("{year}年第{batch}批自治区知识产权信息公共服务网点名单")),
        year: Set(Some(year)),
        batch_no: Set(Some(i32::try_from(batch).unwrap_or(i32::MAX))),
        publicity_id: Set(Some(publicity.id)),
        start_date: Set(None),
        end_date: Set(None),
        working_days: Set(None),
        published_at: Set(uc.now()),
        created_by: Set(uc.subject.user_id),
    })
    .exec_with_returning(&uc.txn)
    .await
    .map_err(|e| on_unique(e, || refused.into()))?;

    for filing_id in filing_ids {
        let (filing, scope) = filings::load(&uc.txn, filing_id).await?;
        if FilingState::from(filing.state) != FilingState::Publicizing {
            // Rejected on its own during the period; it has left the publicity.
            continue;
        }
        let version = filing.version;
        let upheld =
            objections.iter().find(|o| o.filing_id == filing.id && status(o) == ObjectionStatus::Upheld);
        if let Some(upheld) = upheld {
            let reason = format!("异议成立：{}", upheld.resolution.as_deref().unwrap_or_default());
            let comment = Text::parse(&reason).ok();
            let set = filing::ActiveModel::default();
            uc.step(&scope, &filing, version, FilingAction::Reject, comment.as_ref(), set).await?;
            continue;
        }
        let outlet = outlets::file(&uc, &filing, today).await?;
        let set = filing::ActiveModel { outlet_id: Set(Some(outlet.id)), ..Default::default() };
        let comment = Text::parse(&format!("{} {}", outlet.number, list.title)).ok();
        uc.step(&scope, &filing, version, FilingAction::Confirm, comment.as_ref(), set).await?;
        announcement_filing::Entity::insert(announcement_filing::ActiveModel {
            announcement_id: Set(list.id),
            filing_id: Set(filing_id),
            outlet_id: Set(Some(outlet.id)),
        })
        .exec_without_returning(&uc.txn)
        .await?;
    }
    let entry = AuditEntry::new(Action::ConfirmPublicity, &region, ENTITY, list.id)
        .moved(Some(from.name()), Some(to.name()))
        .noting(Some(&list.title));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok(list)
}

/// Published announcements, newest first by default. Open to everyone.
///
/// # Errors
/// `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    kind: Option<AnnouncementKind>,
    page: PageRequest,
) -> Result<Page<announcement::Model>, AppError> {
    let mut select = announcement::Entity::find();
    if let Some(kind) = kind {
        select = select.filter(announcement::Column::Kind.eq(stored::AnnouncementKind::from(kind)));
    }
    fetch_page(&state.db, select, announcement::Column::Id, &page).await
}

/// One published announcement. Open to everyone.
///
/// # Errors
/// `NOT_FOUND`.
pub async fn get(state: &AppState, id: i64) -> Result<announcement::Model, AppError> {
    found::<announcement::Entity>(&state.db, id, "announcement").await
}

/// What an announcement names: each filing's institution name and department as filed,
/// and for a list the outlet number.
#[derive(Debug, Clone)]
pub struct Entry {
    pub institution_name: String,
    pub department_code: String,
    pub outlet_number: Option<String>,
}

/// The entries of announcement `id`, in filing order.
///
/// # Errors
/// When the database fails.
pub async fn entries(conn: &impl ConnectionTrait, id: i64) -> Result<Vec<Entry>, AppError> {
    let rows = announcement_filing::Entity::find()
        .filter(announcement_filing::Column::AnnouncementId.eq(id))
        .order_by_asc(announcement_filing::Column::FilingId)
        .all(conn)
        .await?;
    let filings = filing::Entity::find()
        .filter(filing::Column::Id.is_in(rows.iter().map(|r| r.filing_id)))
        .all(conn)
        .await?;
    let outlets = outlet::Entity::find()
        .filter(outlet::Column::Id.is_in(rows.iter().filter_map(|r| r.outlet_id)))
        .all(conn)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let filing = filings.iter().find(|f| f.id == row.filing_id)?;
            Some(Entry {
                institution_name: filing.form.institution.name.clone(),
                department_code: filing.form.institution.department_code.clone(),
                outlet_number: row
                    .outlet_id
                    .and_then(|id| outlets.iter().find(|o| o.id == id))
                    .map(|o| o.number.clone()),
            })
        })
        .collect())
}

/// The objections raised against a filing, oldest first.
///
/// # Errors
/// When the database fails.
pub async fn objections_of(
    conn: &impl ConnectionTrait,
    filing_id: i64,
) -> Result<Vec<objection::Model>, AppError> {
    Ok(objection::Entity::find()
        .filter(objection::Column::FilingId.eq(filing_id))
        .order_by_asc(objection::Column::Id)
        .all(conn)
        .await?)
}

async fn publicity_of(txn: &impl ConnectionTrait, filing_id: i64) -> Result<i64, AppError> {
    let rows = announcement_filing::Entity::find()
        .filter(announcement_filing::Column::FilingId.eq(filing_id))
        .order_by_desc(announcement_filing::Column::AnnouncementId)
        .all(txn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.announcement_id).collect();
    let publicity = announcement::Entity::find()
        .filter(announcement::Column::Id.is_in(ids))
        .filter(announcement::Column::Kind.eq(stored::AnnouncementKind::Publicity))
        .order_by_desc(announcement::Column::Id)
        .one(txn)
        .await?;
    publicity.map(|a| a.id).ok_or(AppError::NotFound { entity: "publicity announcement" })
}
