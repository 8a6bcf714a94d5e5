//! Outlets (DESIGN §6): created when a filing is filed, renewed for three years at a time
//! (Art 9), listed publicly while valid (Art 8), recommended to CNIPA (Art 11), terminated
//! or revoked (Art 18). Whether one has expired follows from its dates and the clock.

use chrono::NaiveDate;
use entity::json::{ApplicationForm, IpCategories, ServiceItems, ServiceModes};
use entity::sea_orm_active_enums::{InstitutionKind, OutletStatus};
use entity::{counter, filing, institution, institution_ban, outlet, outlet_tag};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::authz::Action;
use crate::db::found;
use crate::db::mapping;
use crate::domain::scope::Grant;
use crate::domain::text::Prose;
use crate::domain::validity;
use crate::domain::workflow::filing::FilingKind;
use crate::domain::workflow::outlet::{self as workflow, OutletAction, Outlets};
use crate::error::AppError;
use crate::service::audit::AuditEntry;
use crate::service::page::{Page, PageRequest, count, fetch_page, with_total};
use crate::service::usecase::{UseCase, ensure_version, today};
use crate::state::{AppState, RequestContext};

/// The entity name outlets carry in the audit trail.
pub const ENTITY: &str = "outlet";

pub use crate::domain::workflow::outlet::Standing;

/// The standing of `outlet` on `today`.
pub fn standing(outlet: &outlet::Model, today: NaiveDate) -> Standing {
    workflow::standing(outlet.status.into(), outlet.valid_until, today)
}

/// Takes the next number of a gapless sequence, inside the caller's transaction: the row
/// lock serialises concurrent takers, and a rollback gives the number back.
///
/// # Errors
/// When the database fails.
pub async fn next_in_sequence(txn: &DatabaseTransaction, name: &str) -> Result<i64, AppError> {
    counter::Entity::insert(counter::ActiveModel { name: Set(name.to_owned()), value: Set(0) })
        .on_conflict(OnConflict::column(counter::Column::Name).do_nothing().to_owned())
        .exec_without_returning(txn)
        .await?;
    counter::Entity::update_many()
        .col_expr(counter::Column::Value, Expr::col(counter::Column::Value).add(1))
        .filter(counter::Column::Name.eq(name))
        .exec(txn)
        .await?;
    let row = counter::Entity::find_by_id(name.to_owned())
        .one(txn)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("counter {name} vanished")))?;
    Ok(row.value)
}

/// Checks that an institution may open a filing of `kind` today, and returns the outlet a
/// renewal renews.
///
/// # Errors
/// `BAD_USER_INPUT` on `input.kind` for a first filing by a valid outlet, or a renewal with
/// nothing to renew or outside the window.
pub async fn outlet_for_filing(
    conn: &impl ConnectionTrait,
    institution: &institution::Model,
    kind: FilingKind,
    today: NaiveDate,
    window_days: u32,
) -> Result<Option<i64>, AppError> {
    let valid = outlet::Entity::find()
        .filter(outlet::Column::InstitutionId.eq(institution.id))
        .filter(outlet::Column::Status.eq(OutletStatus::Active))
        .filter(outlet::Column::ValidUntil.gte(today))
        .order_by_desc(outlet::Column::ValidUntil)
        .one(conn)
        .await?;
    match (kind, valid) {
        (FilingKind::Initial, None) => Ok(None),
        (FilingKind::Initial, Some(outlet)) => Err(AppError::invalid(
            "input.kind",
            format!(
                "the institution is outlet {} until {}; apply for a renewal instead",
                outlet.number, outlet.valid_until
            ),
        )),
        (FilingKind::Renewal, None) => {
            Err(AppError::invalid("input.kind", "the institution has no valid outlet to renew; file anew"))
        }
        (FilingKind::Renewal, Some(outlet))
            if !validity::in_renewal_window(today, outlet.valid_until, window_days) =>
        {
            Err(AppError::invalid(
                "input.kind",
                format!(
                    "a renewal of {} may be applied for from {} to {}",
                    outlet.number,
                    validity::renewal_opens(outlet.valid_until, window_days),
                    outlet.valid_until
                ),
            ))
        }
        (FilingKind::Renewal, Some(outlet)) => Ok(Some(outlet.id)),
    }
}

/// Files a filing's outlet on `filed_on`: a new outlet for an initial filing, three more
/// years for a renewal. Runs inside the confirming transaction.
///
/// # Errors
/// When the database fails, or a renewal's outlet is gone.
pub async fn file(
    uc: &UseCase<'_>,
    filing: &filing::Model,
    filed_on: NaiveDate,
) -> Result<outlet::Model, AppError> {
    use chrono::Datelike as _;
    let txn = &uc.txn;
    let form = &filing.form;
    let now = uc.now();
    let outlet = match filing.outlet_id {
        None => {
            let year = filed_on.year();
            let sequence = next_in_sequence(txn, &format!("outlet-{year}")).await?;
            outlet::Entity::insert(new_row(filing.id, filing.institution_id, form, sequence, filed_on, now))
                .exec_with_returning(txn)
                .await?
        }
        Some(id) => {
            let current = found::<outlet::Entity>(txn, id, "outlet").await?;
            let renewed = outlet::ActiveModel {
                valid_until: Set(validity::renewed_end(current.valid_until)),
                ..public_columns(form, now)
            };
            uc.update::<outlet::Entity>(id, current.version, renewed).await?
        }
    };
    retag(txn, outlet.id, form).await?;
    Ok(outlet)
}

/// The row of an outlet filed on `filed_on` from the form of filing `filing_id`: the
/// `sequence`-th of its year, active for one term (Art 9).
pub fn new_row(
    filing_id: i64,
    institution_id: i64,
    form: &ApplicationForm,
    sequence: i64,
    filed_on: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> outlet::ActiveModel {
    use chrono::Datelike as _;
    outlet::ActiveModel {
        id: NotSet,
        number: Set(format!("NM-IPIS-{}-{sequence:04}", filed_on.year())),
        institution_id: Set(institution_id),
        filing_id: Set(filing_id),
        status: Set(OutletStatus::Active),
        filed_on: Set(filed_on),
        valid_from: Set(filed_on),
        valid_until: Set(validity::term_end(filed_on)),
        name: Set(form.institution.name.clone()),
        kind: Set(form.institution.kind.into()),
        department_code: Set(form.institution.department_code.clone()),
        national_recommended_on: Set(None),
        national_note: Set(None),
        sanction_reason: Set(None),
        sanctioned_on: Set(None),
        version: Set(1),
        created_at: Set(now),
        ..public_columns(form, now)
    }
}

/// What a filing's form says publicly about its outlet, as of `now`: the columns a renewal
/// refreshes and a new outlet starts with.
fn public_columns(form: &ApplicationForm, now: chrono::DateTime<chrono::Utc>) -> outlet::ActiveModel {
    outlet::ActiveModel {
        address: Set(form.institution.address.clone()),
        contact_name: Set(form.institution.contact.name.clone()),
        website: Set(form.institution.website.clone()),
        ip_categories: Set(IpCategories(form.ip_categories.clone())),
        service_modes: Set(ServiceModes(form.service_modes.clone())),
        service_items: Set(ServiceItems(form.service_items.clone())),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Rewrites an outlet's search tags from a form.
///
/// # Errors
/// When the database fails.
pub async fn retag(
    conn: &impl ConnectionTrait,
    outlet_id: i64,
    form: &ApplicationForm,
) -> Result<(), AppError> {
    outlet_tag::Entity::delete_many().filter(outlet_tag::Column::OutletId.eq(outlet_id)).exec(conn).await?;
    let tags = tags_of(form);
    if tags.is_empty() {
        return Ok(());
    }
    let rows =
        tags.into_iter().map(|tag| outlet_tag::ActiveModel { outlet_id: Set(outlet_id), tag: Set(tag) });
    outlet_tag::Entity::insert_many(rows).exec_without_returning(conn).await?;
    Ok(())
}

/// The search tags a form gives its outlet, sorted and without repeats.
pub fn tags_of(form: &ApplicationForm) -> Vec<String> {
    let mut tags: Vec<String> = form.ip_categories.iter().map(|c| tag("IP", c)).collect();
    tags.extend(form.service_modes.iter().map(|m| tag("MODE", m)));
    tags.extend(form.service_items.iter().map(|i| tag("SERVICE", &i.service_type)));
    tags.sort();
    tags.dedup();
    tags
}

/// A search tag, e.g. `IP:PATENT`, spelled as the API spells the value.
pub fn tag(prefix: &str, value: &impl serde::Serialize) -> String {
    let name =
        serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    format!("{prefix}:{name}")
}

/// A kind's wire name (`PUBLIC_LIBRARY`), as coverage counts by it.
fn kind_name(kind: &InstitutionKind) -> String {
    tag("", kind).trim_start_matches(':').to_owned()
}

/// Which outlets to list.
#[derive(Debug, Clone, Default)]
pub struct OutletFilter {
    pub standing: Option<Standing>,
    pub department_code: Option<String>,
    pub kind: Option<InstitutionKind>,
    /// Tags the outlet must carry, e.g. `IP:PATENT`, `SERVICE:SEARCH`.
    pub tags: Vec<String>,
    /// Valid, and ending within this many days.
    pub expiring_within_days: Option<u32>,
}

fn filtered(
    mut select: Select<outlet::Entity>,
    filter: &OutletFilter,
    today: NaiveDate,
) -> Select<outlet::Entity> {
    if let Some(standing) = filter.standing {
        select = match standing {
            Standing::Active => select
                .filter(outlet::Column::Status.eq(OutletStatus::Active))
                .filter(outlet::Column::ValidUntil.gte(today)),
            Standing::Expired => select
                .filter(outlet::Column::Status.eq(OutletStatus::Active))
                .filter(outlet::Column::ValidUntil.lt(today)),
            Standing::Terminated => select.filter(outlet::Column::Status.eq(OutletStatus::Terminated)),
            Standing::Revoked => select.filter(outlet::Column::Status.eq(OutletStatus::Revoked)),
        };
    }
    if let Some(code) = &filter.department_code {
        select = select.filter(outlet::Column::DepartmentCode.eq(code.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(outlet::Column::Kind.eq(kind));
    }
    for tag in &filter.tags {
        select = select.filter(
            outlet::Column::Id.in_subquery(
                Query::select()
                    .column(outlet_tag::Column::OutletId)
                    .from(outlet_tag::Entity)
                    .and_where(outlet_tag::Column::Tag.eq(tag.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(days) = filter.expiring_within_days {
        let horizon = today.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        select = select
            .filter(outlet::Column::Status.eq(OutletStatus::Active))
            .filter(outlet::Column::ValidUntil.between(today, horizon));
    }
    select
}

/// Outlets in the caller's scope.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` as the policy says; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: OutletFilter,
    page: PageRequest,
) -> Result<Page<outlet::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadOutlet)?;
    let select = match grant {
        Grant::Region => outlet::Entity::find(),
        Grant::Department { code } => {
            outlet::Entity::find().filter(outlet::Column::DepartmentCode.eq(code.as_str()))
        }
        Grant::Institution { id, .. } => outlet::Entity::find().filter(outlet::Column::InstitutionId.eq(*id)),
    };
    fetch_page(&state.db, filtered(select, &filter, today(state)), outlet::Column::Id, &page).await
}

/// The published list (Art 8): outlets valid today, open to everyone.
///
/// # Errors
/// `BAD_USER_INPUT` for bad paging.
pub async fn published(
    state: &AppState,
    mut filter: OutletFilter,
    page: PageRequest,
) -> Result<Page<outlet::Model>, AppError> {
    filter.standing = Some(Standing::Active);
    let today = today(state);
    let select =
        filtered(outlet::Entity::find().filter(outlet::Column::ValidFrom.lte(today)), &filter, today);
    let question = PublishedQuestion {
        today,
        department_code: filter.department_code.clone(),
        kind: filter.kind.map(|k| kind_name(&k)),
        tags: filter.tags.clone(),
    };
    let counted = select.clone();
    let total = async {
        let recount = || count(&state.db, counted, outlet::Column::Id);
        // A code of no department is counted, never kept: the kept questions stay few and
        // small whatever strings strangers send.
        if !state.departments.knows(question.department_code.as_deref()) {
            return recount().await;
        }
        Ok(*state.published_counts.answer(&state.db, &[OUTLETS_CHANGED], question, recount).await?)
    };
    with_total(
        page,
        total,
        |page| async move { fetch_page(&state.db, select, outlet::Column::Id, &page).await },
    )
    .await
}

/// What a published list's total depends on: the day and the filter. Totals are kept
/// ([`crate::state::Kept`]) until an outlet or its tags change: counting the region's
/// valid outlets is a scan of thousands of index entries, a kept total one read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublishedQuestion {
    today: NaiveDate,
    department_code: Option<String>,
    kind: Option<String>,
    tags: Vec<String>,
}

/// One outlet in the caller's scope.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn get(state: &AppState, request: &RequestContext, id: i64) -> Result<outlet::Model, AppError> {
    request.caller.signed_in()?;
    let (outlet, institution) = load(&state.db, id).await?;
    state.authz.authorize(&request.caller, Action::ReadOutlet, &mapping::institution_scope(&institution))?;
    Ok(outlet)
}

async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<(outlet::Model, institution::Model), AppError> {
    let outlet = found::<outlet::Entity>(conn, id, "outlet").await?;
    let institution = found::<institution::Entity>(conn, outlet.institution_id, "institution").await?;
    Ok((outlet, institution))
}

/// Records a recommendation of an active outlet to CNIPA as a national outlet (Art 11).
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT` for a stale version,
/// `INVALID_TRANSITION` unless the outlet is active.
pub async fn recommend_to_national(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    note: Prose,
    on: Option<NaiveDate>,
) -> Result<outlet::Model, AppError> {
    let on = on.unwrap_or_else(|| today(state));
    change(state, request, id, version, OutletAction::RecommendToNational, &note, |_| outlet::ActiveModel {
        national_recommended_on: Set(Some(on)),
        national_note: Set(Some(note.to_string())),
        ..Default::default()
    })
    .await
}

/// How an outlet is removed from the list (Art 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sanction {
    /// 终止备案.
    Terminate,
    /// 撤销备案.
    Revoke,
}

/// Terminates or revokes an active outlet: it leaves the public list at once, and its
/// institution may not file for three years (Art 18).
///
/// # Errors
/// As [`recommend_to_national`].
pub async fn sanction(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    sanction: Sanction,
    reason: Prose,
) -> Result<outlet::Model, AppError> {
    let action = match sanction {
        Sanction::Terminate => OutletAction::Terminate,
        Sanction::Revoke => OutletAction::Revoke,
    };
    let today = today(state);
    change(state, request, id, version, action, &reason, |_| outlet::ActiveModel {
        sanction_reason: Set(Some(reason.to_string())),
        sanctioned_on: Set(Some(today)),
        ..Default::default()
    })
    .await
}

/// Applies a reviewer's decision to an outlet, as the outlet table allows, in one
/// transaction with its audit event and, for a sanction, the ban.
async fn change(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: OutletAction,
    comment: &Prose,
    set: impl FnOnce(&outlet::Model) -> outlet::ActiveModel,
) -> Result<outlet::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let (outlet, institution) = load(&uc.txn, id).await?;
    let scope = mapping::institution_scope(&institution);
    let permission = Action::to_take(action)?;
    uc.authorize(permission, &scope)?;
    ensure_version("outlet", outlet.version, version)?;
    let today = uc.today();
    let from = standing(&outlet, today);
    let to = uc.decide::<Outlets>(from, action, Some(comment))?;
    let mut model = set(&outlet);
    model.status = Set(workflow::status_of(to).into());
    model.updated_at = Set(uc.now());
    let outlet = uc.update::<outlet::Entity>(id, version, model).await?;
    if matches!(action, OutletAction::Terminate | OutletAction::Revoke) {
        institution_ban::Entity::insert(institution_ban::ActiveModel {
            id: NotSet,
            institution_id: Set(outlet.institution_id),
            reason: Set(comment.to_string()),
            decided_on: Set(today),
            until: Set(validity::ban_ends(today)),
            created_at: Set(uc.now()),
        })
        .exec_without_returning(&uc.txn)
        .await?;
    }
    let entry = AuditEntry::new(permission, &scope, ENTITY, id)
        .moved(Some(from.name()), Some(to.name()))
        .noting(Some(comment.as_ref()));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok(outlet)
}

/// How many valid outlets a department has, by kind and by tag.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    pub department_code: String,
    pub outlets: u32,
    pub by_kind: std::collections::BTreeMap<String, u32>,
    /// Counts per tag, e.g. `IP:PATENT` → 3.
    pub by_tag: std::collections::BTreeMap<String, u32>,
}

/// Coverage of the region by valid outlets today, one row per department in the
/// departments' order (public counts, no names).
///
/// Counted once per day and per change to the outlets, then kept ([`crate::state::Kept`]):
/// a request that finds it kept costs one read of the generation counter.
///
/// # Errors
/// When the database fails.
pub async fn coverage(state: &AppState) -> Result<std::sync::Arc<Vec<Coverage>>, AppError> {
    let today = today(state);
    state.coverage.answer(&state.db, &[OUTLETS_CHANGED], today, || count_coverage(state, today)).await
}

/// The counter the database raises with every change to an outlet or its tags (a trigger
/// of migration 22, `generations`).
pub const OUTLETS_CHANGED: &str = "outlets-changed";

/// What the published list depends on besides the question asked: the generation of the
/// outlets and the day (an outlet leaves the list the day after it expires).
///
/// # Errors
/// When the database fails.
pub async fn published_stamp(state: &AppState) -> Result<(i64, NaiveDate), AppError> {
    Ok((crate::db::generation(&state.db, &[OUTLETS_CHANGED]).await?, today(state)))
}

/// Coverage on `today`, counted by the database.
async fn count_coverage(state: &AppState, today: NaiveDate) -> Result<Vec<Coverage>, AppError> {
    let valid = |select: Select<outlet::Entity>| {
        select
            .filter(outlet::Column::Status.eq(OutletStatus::Active))
            .filter(outlet::Column::ValidFrom.lte(today))
            .filter(outlet::Column::ValidUntil.gte(today))
    };
    // Both counts are made by the database: one pass over the valid outlets, one over
    // their tags, however many outlets there are.
    let by_kind: Vec<(String, InstitutionKind, i64)> = valid(outlet::Entity::find())
        .select_only()
        .column(outlet::Column::DepartmentCode)
        .column(outlet::Column::Kind)
        .column_as(outlet::Column::Id.count(), "n")
        .group_by(outlet::Column::DepartmentCode)
        .group_by(outlet::Column::Kind)
        .into_tuple()
        .all(&state.db)
        .await?;
    let by_tag: Vec<(String, String, i64)> = valid(outlet::Entity::find())
        .select_only()
        .column(outlet::Column::DepartmentCode)
        .column(outlet_tag::Column::Tag)
        .column_as(outlet_tag::Column::Tag.count(), "n")
        .join(JoinType::InnerJoin, tag_relation())
        .group_by(outlet::Column::DepartmentCode)
        .group_by(outlet_tag::Column::Tag)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut rows: Vec<Coverage> = state
        .departments
        .all()
        .iter()
        .map(|d| Coverage { department_code: d.code.clone(), ..Coverage::default() })
        .collect();
    for (code, kind, n) in by_kind {
        let Some(row) = rows.iter_mut().find(|r| r.department_code == code) else { continue };
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        row.outlets += n;
        *row.by_kind.entry(kind_name(&kind)).or_default() += n;
    }
    for (code, tag, n) in by_tag {
        let Some(row) = rows.iter_mut().find(|r| r.department_code == code) else { continue };
        *row.by_tag.entry(tag).or_default() += u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(rows)
}

/// Outlets joined to their tags (the tables declare no relations of their own).
fn tag_relation() -> sea_orm::RelationDef {
    outlet::Entity::belongs_to(outlet_tag::Entity)
        .from(outlet::Column::Id)
        .to(outlet_tag::Column::OutletId)
        .into()
}
