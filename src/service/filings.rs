//! Filings (DESIGN §5): creating and editing the application, the workflow's transitions,
//! attachments. Each mutation passes the casbin door (who), the workflow table (when) and
//! the grant (where), and runs in one transaction with its audit event.

use chrono::{DateTime, NaiveDate, Utc};
use entity::sea_orm_active_enums::{AttachmentKind, FilingKind, FilingState};
use entity::{
    filing, filing_attachment, institution, institution_ban, institution_database, institution_service_item,
    institution_staff,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};

use crate::authz::Action;
use crate::db::begin_write;
use crate::domain::clock::china_standard_time;
use crate::domain::eligibility::{self, Facts};
use crate::domain::institution::ProfileChanges;
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::{Name, Prose};
use crate::domain::workflow::{self, FilingAction, state_name};
use crate::domain::{form, media};
use crate::error::{AppError, on_unique};
use crate::identity::Caller;
use crate::service::audit::{self, AuditEntry};
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::step::take;
use crate::service::{institutions, outlets};
use crate::state::{AppState, RequestContext};

/// The permission a workflow action needs. Publicity is opened and confirmed per
/// announcement, so those two are announcement permissions.
pub fn permission(action: FilingAction) -> Action {
    match action {
        FilingAction::Update => Action::UpdateFiling,
        FilingAction::Submit => Action::SubmitFiling,
        FilingAction::Withdraw => Action::WithdrawFiling,
        FilingAction::Return => Action::ReturnFiling,
        FilingAction::Decline => Action::DeclineFiling,
        FilingAction::Recommend => Action::RecommendFiling,
        FilingAction::SendBack => Action::SendBackFiling,
        FilingAction::Reject => Action::RejectFiling,
        FilingAction::OpenPublicity => Action::OpenPublicity,
        FilingAction::Confirm => Action::ConfirmPublicity,
    }
}

/// The entity name filings carry in the audit trail; their history is read from there.
pub const ENTITY: &str = "filing";

/// Which filings to list.
#[derive(Debug, Clone, Default)]
pub struct FilingFilter {
    pub state: Option<FilingState>,
    pub kind: Option<FilingKind>,
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
    require_user(&request.caller)?;
    let (filing, institution) = load(&state.db, id).await?;
    state.authz.authorize(&request.caller, Action::ReadFiling, &institutions::scope_of(&institution))?;
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
) -> Result<Page<filing::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadFiling)?;
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
        select = select.filter(institution::Column::DepartmentCode.eq(code));
    }
    if let Some(from) = filter.submitted_from {
        select = select.filter(filing::Column::SubmittedAt.gte(from));
    }
    if let Some(to) = filter.submitted_to {
        select = select.filter(filing::Column::SubmittedAt.lt(to));
    }
    fetch_page(&state.db, select, filing::Column::Id, &page).await
}

/// Joins each filing's institution and limits the query to a grant's area.
fn within(select: Select<filing::Entity>, grant: &Grant) -> Select<filing::Entity> {
    let select = select.join(JoinType::InnerJoin, filing::Relation::Institution.def());
    match grant {
        Grant::Region => select,
        Grant::Department { code } => select.filter(institution::Column::DepartmentCode.eq(code.as_str())),
        Grant::Institution { id, .. } => select.filter(filing::Column::InstitutionId.eq(*id)),
    }
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
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let institution = institution::Entity::find_by_id(institution_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "institution" })?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, Action::CreateFiling, &scope)?;
    if institution.exempt_category.is_some() {
        return Err(AppError::ExemptInstitution);
    }
    if let Some(until) = banned_until(&txn, institution.id, today(state)).await? {
        return Err(AppError::Banned { until });
    }
    let outlet_id = outlets::outlet_for_filing(
        &txn,
        &institution,
        kind,
        today(state),
        state.settings.renewal_window_days,
    )
    .await?;
    let form = current_form(&txn, &institution).await?;
    let now = state.clock.now();
    let filing = filing::Entity::insert(filing::ActiveModel {
        id: NotSet,
        institution_id: Set(institution.id),
        kind: Set(kind),
        state: Set(FilingState::Draft),
        form: Set(form),
        declaration_accepted: Set(false),
        open_for_institution: Set(Some(institution.id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        outlet_id: Set(outlet_id),
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| on_unique(e, || AppError::conflict("the institution already has an open filing")))?;
    record(&txn, state, request, &scope, &filing, Action::CreateFiling, None, Some(FilingState::Draft), None)
        .await?;
    txn.commit().await?;
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
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let (filing, institution) = load(&txn, id).await?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, Action::UpdateFiling, &scope)?;
    let mut form = if changes.refresh_from_institution {
        current_form(&txn, &institution).await?
    } else {
        filing.form.clone()
    };
    form::apply(&mut form, &changes.profile);
    let mut set = filing::ActiveModel { form: Set(form), ..Default::default() };
    if let Some(accepted) = changes.declaration_accepted {
        set.declaration_accepted = Set(accepted);
    }
    let filing =
        transit(&txn, state, request, &scope, filing, version, FilingAction::Update, None, set).await?;
    txn.commit().await?;
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
    if matches!(action, FilingAction::OpenPublicity | FilingAction::Confirm) {
        return Err(AppError::Internal(anyhow::anyhow!("{action:?} goes through an announcement")));
    }
    let permission = permission(action);
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let (filing, institution) = load(&txn, id).await?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, permission, &scope)?;
    let mut set = filing::ActiveModel::default();
    if action == FilingAction::Reject
        && filing.state == FilingState::Publicizing
        && !crate::service::publicity::has_upheld_objection(&txn, filing.id).await?
    {
        // During publicity only an upheld objection is a ground to reject (DESIGN §5).
        return Err(AppError::InvalidTransition {
            from: state_name(filing.state).to_owned(),
            action: action.name().to_owned(),
        });
    }
    if action == FilingAction::Submit {
        check_version_and_state(&filing, version, action)?;
        if institution.exempt_category.is_some() {
            return Err(AppError::ExemptInstitution);
        }
        let unmet = unmet_conditions(&txn, &filing).await?;
        if !unmet.is_empty() {
            return Err(AppError::Ineligible { conditions: unmet.into_iter().map(str::to_owned).collect() });
        }
        set.submitted_at = Set(Some(state.clock.now()));
    }
    let filing = transit(&txn, state, request, &scope, filing, version, action, comment, set).await?;
    txn.commit().await?;
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
    let kinds: Vec<AttachmentKind> = filing_attachment::Entity::find()
        .select_only()
        .column(filing_attachment::Column::Kind)
        .filter(filing_attachment::Column::FilingId.eq(filing.id))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(unmet_with(filing, &kinds))
}

/// The codes of the conditions a filing with attachments of `kinds` does not meet.
pub fn unmet_with(filing: &filing::Model, kinds: &[AttachmentKind]) -> Vec<&'static str> {
    eligibility::unmet(&Facts {
        form: &filing.form,
        declaration_accepted: filing.declaration_accepted,
        work_rules_attached: kinds.contains(&AttachmentKind::WorkRules),
        application_form_attached: kinds.contains(&AttachmentKind::ApplicationForm),
    })
}

/// A file to attach.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub kind: AttachmentKind,
    pub file_name: Name,
    pub content: Vec<u8>,
}

/// Attaches a file to a filing that is a draft or returned. The content decides the media
/// type; the file is stored under its SHA-256.
///
/// # Errors
/// As [`update`]; `BAD_USER_INPUT` on `input.file` for an empty, oversized or unaccepted file.
pub async fn attach(
    state: &AppState,
    request: &RequestContext,
    filing_id: i64,
    version: i32,
    new: NewAttachment,
) -> Result<(filing::Model, filing_attachment::Model), AppError> {
    require_user(&request.caller)?;
    let media_type = check_upload(state, &new.content)?;
    let txn = begin_write(&state.db).await?;
    let (filing, institution) = load(&txn, filing_id).await?;
    let scope = institutions::scope_of(&institution);
    let uploader = state.authz.authorize(&request.caller, Action::UploadFilingAttachment, &scope)?.user_id;
    check_version_and_state(&filing, version, FilingAction::Update)?;
    // Stored before the row: a failed transaction leaves at most an unreferenced file.
    let sha256 = state.files.put(&new.content).await?;
    let attachment = filing_attachment::Entity::insert(filing_attachment::ActiveModel {
        id: NotSet,
        filing_id: Set(filing.id),
        kind: Set(new.kind),
        file_name: Set(new.file_name.to_string()),
        media_type: Set(media_type.to_owned()),
        size_bytes: Set(i64::try_from(new.content.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256),
        uploaded_by: Set(uploader),
        created_at: Set(state.clock.now()),
    })
    .exec_with_returning(&txn)
    .await?;
    let note = format!("{:?}: {}", new.kind, new.file_name);
    let filing = bump(&txn, state, request, &scope, filing, Action::UploadFilingAttachment, &note).await?;
    txn.commit().await?;
    Ok((filing, attachment))
}

/// The media type of an upload, if its size and content are acceptable.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.file` for an empty or oversized file, or a kind not accepted.
pub fn check_upload(state: &AppState, content: &[u8]) -> Result<&'static str, AppError> {
    let limit = state.settings.max_upload_bytes;
    if content.is_empty() || content.len() > limit {
        return Err(AppError::invalid("input.file", format!("must hold 1 to {limit} bytes")));
    }
    media::sniff(content).ok_or_else(|| {
        AppError::invalid(
            "input.file",
            "must be a PDF, OFD, DOC, DOCX, JPEG or PNG file (judged by its content)",
        )
    })
}

/// Removes an attachment from a filing that is a draft or returned.
///
/// # Errors
/// As [`update`].
pub async fn detach(
    state: &AppState,
    request: &RequestContext,
    attachment_id: i64,
    version: i32,
) -> Result<filing::Model, AppError> {
    require_user(&request.caller)?;
    let txn = begin_write(&state.db).await?;
    let attachment = filing_attachment::Entity::find_by_id(attachment_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound { entity: "attachment" })?;
    let (filing, institution) = load(&txn, attachment.filing_id).await?;
    let scope = institutions::scope_of(&institution);
    state.authz.authorize(&request.caller, Action::RemoveFilingAttachment, &scope)?;
    check_version_and_state(&filing, version, FilingAction::Update)?;
    filing_attachment::Entity::delete_by_id(attachment.id).exec(&txn).await?;
    let note = format!("{:?}: {}", attachment.kind, attachment.file_name);
    let filing = bump(&txn, state, request, &scope, filing, Action::RemoveFilingAttachment, &note).await?;
    txn.commit().await?;
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
    require_user(caller)?;
    let attachment = filing_attachment::Entity::find_by_id(attachment_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound { entity: "attachment" })?;
    let (_, institution) = load(&state.db, attachment.filing_id).await?;
    state.authz.authorize(caller, Action::ReadFiling, &institutions::scope_of(&institution))?;
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
    Ok(form::of_institution(institution, &staff, &databases, &items))
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

/// Today in China Standard Time.
pub fn today(state: &AppState) -> NaiveDate {
    state.clock.now().with_timezone(&china_standard_time()).date_naive()
}

pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<(filing::Model, institution::Model), AppError> {
    let (filing, institution) = filing::Entity::find_by_id(id)
        .find_also_related(institution::Entity)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound { entity: "filing" })?;
    let institution = institution.ok_or(AppError::NotFound { entity: "institution" })?;
    Ok((filing, institution))
}

fn require_user(caller: &Caller) -> Result<(), AppError> {
    match caller {
        Caller::Anonymous => Err(AppError::Unauthenticated),
        Caller::User(_) => Ok(()),
    }
}

fn check_version_and_state(
    filing: &filing::Model,
    version: i32,
    action: FilingAction,
) -> Result<(), AppError> {
    if filing.version != version {
        return Err(stale(filing.version));
    }
    workflow::transition(filing.state, action).map(|_| ()).map_err(Into::into)
}

fn stale(current: i32) -> AppError {
    AppError::conflict(format!("the filing was changed meanwhile (now version {current}); reload and retry"))
}

/// Moves a filing through `action`: checks the version, the workflow table and the
/// comment, writes the new state with `set`'s other columns under a version guard, and
/// records the audit event.
#[expect(clippy::too_many_arguments, reason = "the transition's context, passed through once")]
pub(crate) async fn transit(
    txn: &DatabaseTransaction,
    state: &AppState,
    request: &RequestContext,
    scope: &ScopePath,
    filing: filing::Model,
    version: i32,
    action: FilingAction,
    comment: Option<Prose>,
    mut set: filing::ActiveModel,
) -> Result<filing::Model, AppError> {
    if filing.version != version {
        return Err(stale(filing.version));
    }
    let to = take(
        workflow::TRANSITIONS,
        filing.state,
        action,
        comment.is_some(),
        || state_name(filing.state).to_owned(),
        || action.name().to_owned(),
    )?;
    set.state = Set(to);
    set.updated_at = Set(state.clock.now());
    set.open_for_institution = Set(workflow::is_open(to).then_some(filing.institution_id));
    let updated = filing::Entity::update_many()
        .set(set)
        .col_expr(filing::Column::Version, Expr::col(filing::Column::Version).add(1))
        .filter(filing::Column::Id.eq(filing.id))
        .filter(filing::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(stale(version + 1));
    }
    let comment = comment.as_ref().map(AsRef::as_ref);
    record(txn, state, request, scope, &filing, permission(action), Some(filing.state), Some(to), comment)
        .await?;
    filing::Entity::find_by_id(filing.id).one(txn).await?.ok_or(AppError::NotFound { entity: "filing" })
}

/// Raises a filing's version for a change beside its form (an attachment), and audits it.
async fn bump(
    txn: &DatabaseTransaction,
    state: &AppState,
    request: &RequestContext,
    scope: &ScopePath,
    filing: filing::Model,
    action: Action,
    note: &str,
) -> Result<filing::Model, AppError> {
    let updated = filing::Entity::update_many()
        .col_expr(filing::Column::Version, Expr::col(filing::Column::Version).add(1))
        .col_expr(filing::Column::UpdatedAt, Expr::value(state.clock.now()))
        .filter(filing::Column::Id.eq(filing.id))
        .filter(filing::Column::Version.eq(filing.version))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(stale(filing.version + 1));
    }
    record(txn, state, request, scope, &filing, action, None, None, Some(note)).await?;
    filing::Entity::find_by_id(filing.id).one(txn).await?.ok_or(AppError::NotFound { entity: "filing" })
}

#[expect(clippy::too_many_arguments, reason = "one audit entry's fields")]
async fn record(
    txn: &DatabaseTransaction,
    state: &AppState,
    request: &RequestContext,
    scope: &ScopePath,
    filing: &filing::Model,
    action: Action,
    from: Option<FilingState>,
    to: Option<FilingState>,
    comment: Option<&str>,
) -> Result<(), AppError> {
    let entry =
        AuditEntry::new(action, scope, ENTITY, filing.id).moved(from.map(state_name), to.map(state_name));
    audit::record(txn, state, request, entry.noting(comment)).await
}

impl From<workflow::InvalidTransition> for AppError {
    fn from(error: workflow::InvalidTransition) -> Self {
        AppError::InvalidTransition {
            from: state_name(error.from).to_owned(),
            action: error.action.name().to_owned(),
        }
    }
}
