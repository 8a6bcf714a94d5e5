//! Filings (DESIGN §5): creating and editing the application, the workflow's transitions,
//! attachments. Each mutation passes the casbin door (who), the workflow table (when) and
//! the grant (where), and runs in one transaction with its audit event.

use chrono::{DateTime, NaiveDate, Utc};
use entity::document::Json;
use entity::json::ApplicationForm;
use entity::sea_orm_active_enums::{self as stored, AttachmentKind as StoredAttachmentKind};
use entity::{
    filing, filing_attachment, institution, institution_ban, institution_database, institution_service_item,
    institution_staff, objection,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait as _, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait as _, Select,
};

use crate::authz::Action;
use crate::db::found;
use crate::db::mapping::{self, FileRow};
use crate::db::on_unique;
use crate::domain::eligibility::{self, Facts};
use crate::domain::form;
use crate::domain::institution::ProfileChanges;
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::Prose;
use crate::domain::workflow::filing::{
    self as workflow, AttachmentKind, FilingAction, FilingKind, FilingState, Filings,
};
use crate::domain::workflow::{Refusal, objection::ObjectionStatus};
use crate::error::AppError;
use crate::identity::Caller;
use crate::service::attachments::{self, NewAttachment};
use crate::service::audit::AuditEntry;
use crate::service::outlets;
use crate::service::page::{Page, PageRequest, count, fetch_partial_page, with_total};
use crate::service::usecase::UseCase;
use crate::state::{AppState, RequestContext};

/// The entity name filings carry in the audit trail; their history is read from there.
pub const ENTITY: &str = "filing";

/// Which filings to list.
#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    pub state: Option<stored::FilingState>,
    pub kind: Option<stored::FilingKind>,
    pub department_code: Option<String>,
    pub institution_id: Option<i64>,
    pub submitted_from: Option<DateTime<Utc>>,
    pub submitted_to: Option<DateTime<Utc>>,
}

/// One filing, if the caller may read it.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn get(state: &AppState, request: &RequestContext, id: i64) -> Result<filing::Model, AppError> {
    request.caller.signed_in()?;
    let (filing, scope) = load(&state.db, id).await?;
    state.authz.authorize(&request.caller, Action::ReadFiling, &scope)?;
    Ok(filing)
}

/// Filings in the caller's scope that match `filter`, by id.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` as the policy says; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: FilingFilter,
    page: PageRequest,
) -> Result<Page<filing::Listed>, AppError> {
    let (select, total) = listed(state, request, filter)?;
    with_total(page, total, |page| async move {
        fetch_partial_page(&state.db, select, filing::Column::Id, &page).await
    })
    .await
}

/// As [`list`], each filing with its institution, read in the same statement.
///
/// # Errors
/// As [`list`].
pub async fn list_with_institutions(
    state: &AppState,
    request: &RequestContext,
    filter: FilingFilter,
    page: PageRequest,
) -> Result<Page<filing::ListedWithInstitution>, AppError> {
    let (select, total) = listed(state, request, filter)?;
    let joined = select.join(JoinType::LeftJoin, filing::Relation::Institution.def());
    with_total(page, total, |page| async move {
        fetch_partial_page(&state.db, joined, filing::Column::Id, &page).await
    })
    .await
}

/// The counter the database raises when a filing is added or removed, or changes state,
/// kind or department (a trigger of migration 26, `filings_generation`).
pub const FILINGS_CHANGED: &str = "filings-changed";

/// A total of filings kept in memory until a filing is added, removed, or changes state,
/// kind or department: the department the caller's grant is limited to, and the filters.
/// Filters by institution or by date are counted by the database each time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountQuestion {
    within: Option<String>,
    department_code: Option<String>,
    state: Option<stored::FilingState>,
    kind: Option<stored::FilingKind>,
}

impl CountQuestion {
    /// The question `filter` asks within `grant`, if its answer can be kept.
    fn of(grant: &Grant, filter: &FilingFilter) -> Option<Self> {
        let within = match grant {
            Grant::Region => None,
            Grant::Department { code } => Some(code.clone()),
            Grant::Institution { .. } => return None,
        };
        let by_watched_columns_only = filter.institution_id.is_none()
            && filter.submitted_from.is_none()
            && filter.submitted_to.is_none();
        by_watched_columns_only.then(|| Self {
            within,
            department_code: filter.department_code.clone(),
            state: filter.state,
            kind: filter.kind,
        })
    }
}

/// The filings in the caller's scope that match `filter`, and their total: kept in memory
/// for the filters a kept total answers ([`CountQuestion`]), else counted over the select
/// (without the join a page may add, which SQLite would make for every row counted).
fn listed<'a>(
    state: &'a AppState,
    request: &RequestContext,
    filter: FilingFilter,
) -> Result<(Select<filing::Entity>, impl Future<Output = Result<u64, AppError>> + 'a), AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadFiling)?;
    let question = CountQuestion::of(grant, &filter);
    let mut select = within(filing::Entity::find(), grant);
    if let Some(value) = filter.state {
        select = select.filter(filing::Column::State.eq(value));
    }
    if let Some(value) = filter.kind {
        select = select.filter(filing::Column::Kind.eq(value));
    }
    if let Some(value) = filter.institution_id {
        select = select.filter(filing::Column::InstitutionId.eq(value));
    }
    if let Some(code) = filter.department_code {
        select = select.filter(in_department(&code));
    }
    if let Some(from) = filter.submitted_from {
        select = select.filter(filing::Column::SubmittedAt.gte(from));
    }
    if let Some(to) = filter.submitted_to {
        select = select.filter(filing::Column::SubmittedAt.lt(to));
    }
    let counted = select.clone();
    let total = async move {
        let recount = || count(&state.db, counted, filing::Column::Id);
        match question {
            // As the published list's: a code of no department is counted, never kept.
            Some(question) if state.departments.knows(question.department_code.as_deref()) => {
                Ok(*state.filing_counts.answer(&state.db, &[FILINGS_CHANGED], question, recount).await?)
            }
            _ => recount().await,
        }
    };
    Ok((select, total))
}

/// Limits the query to a grant's area.
fn within(select: Select<filing::Entity>, grant: &Grant) -> Select<filing::Entity> {
    match grant {
        Grant::Region => select,
        Grant::Department { code } => select.filter(in_department(code)),
        Grant::Institution { id, .. } => select.filter(filing::Column::InstitutionId.eq(*id)),
    }
}

/// Filings of institutions in department `code`, by the department kept on each filing.
fn in_department(code: &str) -> sea_orm::Condition {
    sea_orm::Condition::all().add(filing::Column::DepartmentCode.eq(code))
}

/// Opens a new filing for an institution, its form filled from the institution's data.
///
/// # Errors
/// `EXEMPT_INSTITUTION` (Art 19), `BANNED` (Art 18), `CONFLICT` when another filing of the
/// institution is open, `BAD_USER_INPUT` for a renewal without an outlet to renew.
pub async fn create(
    state: &AppState,
    request: &RequestContext,
    institution_id: i64,
    kind: FilingKind,
) -> Result<filing::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let institution = found::<institution::Entity>(&uc.txn, institution_id, "institution").await?;
    let scope = mapping::institution_scope(&institution);
    uc.authorize(Action::CreateFiling, &scope)?;
    if institution.exempt_category.is_some() {
        return Err(AppError::ExemptInstitution);
    }
    if let Some(until) = banned_until(&uc.txn, institution.id, uc.today()).await? {
        return Err(AppError::Banned { until });
    }
    let outlet_id = outlets::outlet_for_filing(
        &uc.txn,
        &institution,
        kind,
        uc.today(),
        state.settings.renewal_window_days,
    )
    .await?;
    let draft = uc.start::<Filings>(FilingAction::Create)?;
    let form = current_form(&uc.txn, &institution).await?;
    let now = uc.now();
    let filing = filing::Entity::insert(filing::ActiveModel {
        id: NotSet,
        institution_id: Set(institution.id),
        department_code: Set(institution.department_code.clone()),
        kind: Set(kind.into()),
        state: Set(draft.into()),
        form: Set(Json(form)),
        declaration_accepted: Set(false),
        open_for_institution: Set(Some(institution.id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        outlet_id: Set(outlet_id),
    })
    .exec_with_returning(&uc.txn)
    .await
    .map_err(|e| on_unique(e, || AppError::conflict("the institution already has an open filing")))?;
    uc.audit(
        AuditEntry::new(Action::CreateFiling, &scope, ENTITY, filing.id).moved(None, Some(draft.name())),
    )
    .await?;
    uc.commit().await?;
    Ok(filing)
}

/// Changes to a filing's form.
#[derive(Debug, Clone, Default)]
pub struct FormChanges {
    pub profile: ProfileChanges,
    pub declaration_accepted: Option<bool>,
    /// Refill the form from the institution's current data before applying `profile`.
    pub refresh_from_institution: bool,
}

/// Edits a filing's form while it is a draft or returned.
///
/// # Errors
/// As [`act`].
pub async fn update(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    changes: FormChanges,
) -> Result<filing::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let (filing, scope) = load(&uc.txn, id).await?;
    uc.authorize(Action::UpdateFiling, &scope)?;
    let mut form = if changes.refresh_from_institution {
        let institution = found::<institution::Entity>(&uc.txn, filing.institution_id, "institution").await?;
        current_form(&uc.txn, &institution).await?
    } else {
        filing.form.0.clone()
    };
    form::apply(&mut form, &changes.profile);
    let mut set = filing::ActiveModel { form: Set(Json(form)), ..Default::default() };
    if let Some(accepted) = changes.declaration_accepted {
        set.declaration_accepted = Set(accepted);
    }
    let filing = uc.step(&scope, &filing, version, FilingAction::Update, None, set).await?;
    uc.commit().await?;
    Ok(filing)
}

/// Takes a workflow action on a filing: submit, withdraw, return, decline, recommend,
/// send back, reject.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` (who and where), `NOT_FOUND`, `CONFLICT` for a stale
/// version, `INVALID_TRANSITION` (when), `BAD_USER_INPUT` for a missing comment,
/// `INELIGIBLE` with every unmet condition on submit, `EXEMPT_INSTITUTION`.
pub async fn act(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: FilingAction,
    comment: Option<Prose>,
) -> Result<filing::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let (filing, scope) = load(&uc.txn, id).await?;
    uc.authorize(Action::to_take(action)?, &scope)?;
    let mut set = filing::ActiveModel::default();
    let from = FilingState::from(filing.state);
    if action == FilingAction::Reject && !workflow::may_reject(from, has_upheld_objection(&uc.txn, id).await?)
    {
        return Err(Refusal::not_allowed(from, action).into());
    }
    if action == FilingAction::Submit {
        uc.check(&filing, version, action)?;
        let institution = found::<institution::Entity>(&uc.txn, filing.institution_id, "institution").await?;
        if institution.exempt_category.is_some() {
            return Err(AppError::ExemptInstitution);
        }
        let unmet = unmet_conditions(&uc.txn, &filing).await?;
        if !unmet.is_empty() {
            return Err(AppError::Ineligible { conditions: unmet.into_iter().map(str::to_owned).collect() });
        }
        set.submitted_at = Set(Some(uc.now()));
    }
    let filing = uc.step(&scope, &filing, version, action, comment.as_ref(), set).await?;
    uc.commit().await?;
    Ok(filing)
}

/// The codes of the Art 5 conditions a filing does not meet yet.
///
/// # Errors
/// When the database fails.
pub async fn unmet_conditions(
    conn: &impl ConnectionTrait,
    filing: &filing::Model,
) -> Result<Vec<&'static str>, AppError> {
    let kinds: Vec<StoredAttachmentKind> = filing_attachment::Entity::find()
        .select_only()
        .column(filing_attachment::Column::Kind)
        .filter(filing_attachment::Column::FilingId.eq(filing.id))
        .into_tuple()
        .all(conn)
        .await?;
    unmet_with(&filing.form, filing.declaration_accepted, &kinds)
}

/// The codes of the conditions a filing with `form`, whose declaration is accepted or not,
/// and with attachments of `kinds` does not meet.
///
/// # Errors
/// None today; kept fallible for the callers' `?`.
pub fn unmet_with(
    form: &ApplicationForm,
    declaration_accepted: bool,
    kinds: &[StoredAttachmentKind],
) -> Result<Vec<&'static str>, AppError> {
    let attached = |kind: AttachmentKind| kinds.iter().any(|k| AttachmentKind::from(*k) == kind);
    Ok(eligibility::unmet(&Facts {
        form,
        declaration_accepted,
        work_rules_attached: attached(AttachmentKind::WorkRules),
        application_form_attached: attached(AttachmentKind::ApplicationForm),
    }))
}

/// Attaches a file to a filing that is a draft or returned. The content decides the media
/// type; the file is stored under its SHA-256.
///
/// # Errors
/// As [`update`]; `BAD_USER_INPUT` on `input.file` for an empty, oversized or unaccepted
/// file, or one beyond the institution's storage quota; `INTERNAL` when it cannot be stored.
pub async fn attach(
    state: &AppState,
    request: &RequestContext,
    filing_id: i64,
    version: i32,
    kind: AttachmentKind,
    new: NewAttachment,
) -> Result<(filing::Model, filing_attachment::Model), AppError> {
    let media_type = attachments::check(state, &new.content)?;
    let uc = UseCase::begin(state, request).await?;
    let (filing, scope) = load(&uc.txn, filing_id).await?;
    uc.authorize(Action::UploadFilingAttachment, &scope)?;
    uc.check(&filing, version, FilingAction::Update)?;
    attachments::check_quota(&uc, filing.institution_id, new.content.len()).await?;
    let file = attachments::store(&uc, media_type, &new).await?;
    let attachment = filing_attachment::Entity::insert(filing_attachment::ActiveModel {
        id: NotSet,
        filing_id: Set(filing.id),
        kind: Set(kind.into()),
        ..FileRow::holding(file)
    })
    .exec_with_returning(&uc.txn)
    .await?;
    let note = format!("{}: {}", kind.name(), new.file_name);
    let filing = uc.touch(&scope, &filing, Action::UploadFilingAttachment, &note).await?;
    uc.commit().await?;
    attachments::keep(state, &new).await;
    Ok((filing, attachment))
}

/// Removes an attachment from a filing that is a draft or returned; its file goes once no
/// attachment references it.
///
/// # Errors
/// As [`update`].
pub async fn detach(
    state: &AppState,
    request: &RequestContext,
    attachment_id: i64,
    version: i32,
) -> Result<filing::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let attachment = found::<filing_attachment::Entity>(&uc.txn, attachment_id, "attachment").await?;
    let (filing, scope) = load(&uc.txn, attachment.filing_id).await?;
    uc.authorize(Action::RemoveFilingAttachment, &scope)?;
    uc.check(&filing, version, FilingAction::Update)?;
    filing_attachment::Entity::delete_by_id(attachment.id).exec(&uc.txn).await?;
    let note = format!("{}: {}", AttachmentKind::from(attachment.kind).name(), attachment.file_name);
    let filing = uc.touch(&scope, &filing, Action::RemoveFilingAttachment, &note).await?;
    uc.commit().await?;
    attachments::release(state, &attachment.sha256).await;
    Ok(filing)
}

/// An attachment and its content, for whoever may read its filing.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn download(
    state: &AppState,
    caller: &Caller,
    attachment_id: i64,
) -> Result<(filing_attachment::Model, Vec<u8>), AppError> {
    caller.signed_in()?;
    let attachment = found::<filing_attachment::Entity>(&state.db, attachment_id, "attachment").await?;
    let (_, scope) = load(&state.db, attachment.filing_id).await?;
    state.authz.authorize(caller, Action::ReadFiling, &scope)?;
    let content = state.files.get(&attachment.sha256).await?;
    Ok((attachment, content))
}

/// The stored form of an institution as it stands.
async fn current_form(
    conn: &impl ConnectionTrait,
    institution: &institution::Model,
) -> Result<entity::json::ApplicationForm, AppError> {
    let staff = institution_staff::Entity::find()
        .filter(institution_staff::Column::InstitutionId.eq(institution.id))
        .order_by_asc(institution_staff::Column::Position)
        .all(conn)
        .await?;
    let databases = institution_database::Entity::find()
        .filter(institution_database::Column::InstitutionId.eq(institution.id))
        .order_by_asc(institution_database::Column::Position)
        .all(conn)
        .await?;
    let items = institution_service_item::Entity::find()
        .filter(institution_service_item::Column::InstitutionId.eq(institution.id))
        .order_by_asc(institution_service_item::Column::Position)
        .all(conn)
        .await?;
    Ok(mapping::form_of_institution(institution, &staff, &databases, &items))
}

/// The day a ban on the institution ends, if one is in force on `today`.
///
/// # Errors
/// When the database fails.
pub async fn banned_until(
    conn: &impl ConnectionTrait,
    institution_id: i64,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, AppError> {
    let ban = institution_ban::Entity::find()
        .filter(institution_ban::Column::InstitutionId.eq(institution_id))
        .filter(institution_ban::Column::Until.gt(today))
        .order_by_desc(institution_ban::Column::Until)
        .one(conn)
        .await?;
    Ok(ban.map(|b| b.until))
}

/// Whether an objection to the filing was upheld: the ground to reject it during
/// publicity.
///
/// # Errors
/// When the database fails.
pub async fn has_upheld_objection(conn: &impl ConnectionTrait, filing_id: i64) -> Result<bool, AppError> {
    let upheld = objection::Entity::find()
        .filter(objection::Column::FilingId.eq(filing_id))
        .filter(objection::Column::Status.eq(stored::ObjectionStatus::from(ObjectionStatus::Upheld)))
        .count(conn)
        .await?;
    Ok(upheld > 0)
}

/// A filing and the scope of its institution.
///
/// # Errors
/// `NOT_FOUND`.
pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<(filing::Model, ScopePath), AppError> {
    let (filing, institution) = filing::Entity::find_by_id(id)
        .find_also_related(institution::Entity)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound { entity: "filing" })?;
    let institution = institution.ok_or(AppError::NotFound { entity: "institution" })?;
    Ok((filing, mapping::institution_scope(&institution)))
}
