//! Change reports (Art 10): an outlet reports a change of name, premises, principal,
//! contact or main service items; its bureau forwards or returns it; the region bureau
//! accepts (the change is applied, the old values kept as a revision) or rejects it.

use entity::json::{ChangeSet, IpCategories, PersonEntry, ServiceItems, ServiceModes};
use entity::{change_report, institution, institution_revision, institution_service_item, outlet};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};

use crate::authz::Action;
use crate::db::found;
use crate::db::mapping::{form_of_institution, institution_scope, service_item_entry};
use crate::domain::scope::Grant;
use crate::domain::text::Prose;
use crate::domain::workflow::change::{ChangeAction, ChangeReports, ChangeState};
use crate::domain::workflow::outlet::{OutletAction, Outlets};
use crate::error::AppError;
use crate::service::audit::AuditEntry;
use crate::service::institutions;
use crate::service::outlets;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::{UseCase, ensure_version};
use crate::state::{AppState, RequestContext};

/// The entity name in the audit trail.
pub const ENTITY: &str = "changeReport";

/// The current values of the parts `wanted` names.
async fn current_values(
    conn: &impl ConnectionTrait,
    institution: &institution::Model,
    wanted: &ChangeSet,
) -> Result<ChangeSet, AppError> {
    let snapshot = form_of_institution(institution, &[], &[], &[]);
    let service_items = if wanted.service_items.is_some() {
        let rows = institution_service_item::Entity::find()
            .filter(institution_service_item::Column::InstitutionId.eq(institution.id))
            .order_by_asc(institution_service_item::Column::Position)
            .all(conn)
            .await?;
        Some(rows.iter().map(service_item_entry).collect())
    } else {
        None
    };
    Ok(ChangeSet {
        name: wanted.name.as_ref().map(|_| snapshot.institution.name.clone()),
        address: wanted.address.as_ref().map(|_| snapshot.institution.address.clone()),
        principal: wanted.principal.as_ref().map(|_| snapshot.institution.principal.clone()),
        contact: wanted.contact.as_ref().map(|_| snapshot.institution.contact.clone()),
        service_items,
    })
}

/// Reports a change of an active outlet's data, against the institution version read.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `NOT_FOUND`; `INVALID_TRANSITION` unless the outlet is
/// active; `CONFLICT` for a stale institution version; `BAD_USER_INPUT` when nothing changes.
pub async fn submit(
    state: &AppState,
    request: &RequestContext,
    outlet_id: i64,
    institution_version: i32,
    reason: Prose,
    after: ChangeSet,
) -> Result<change_report::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let outlet = found::<outlet::Entity>(&uc.txn, outlet_id, "outlet").await?;
    let institution = found::<institution::Entity>(&uc.txn, outlet.institution_id, "institution").await?;
    let scope = institution_scope(&institution);
    uc.authorize(Action::SubmitChangeReport, &scope)?;
    uc.decide::<Outlets>(outlets::standing(&outlet, uc.today()), OutletAction::ReportChange, Some(&reason))?;
    ensure_version("institution", institution.version, institution_version)?;
    let before = current_values(&uc.txn, &institution, &after).await?;
    if before == after {
        return Err(AppError::invalid("input", "the report changes nothing"));
    }
    let to = uc.start::<ChangeReports>(ChangeAction::Submit)?;
    let now = uc.now();
    let report = change_report::Entity::insert(change_report::ActiveModel {
        id: NotSet,
        outlet_id: Set(outlet.id),
        institution_id: Set(institution.id),
        state: Set(to.into()),
        reason: Set(reason.to_string()),
        before: Set(before),
        after: Set(after),
        institution_version: Set(institution_version),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&uc.txn)
    .await?;
    let entry = AuditEntry::new(Action::SubmitChangeReport, &scope, ENTITY, report.id)
        .moved(None, Some(to.name()))
        .noting(Some(reason.as_ref()));
    uc.audit(entry).await?;
    uc.commit().await?;
    Ok(report)
}

/// Forwards, returns, accepts or rejects a change report. Accepting applies the change to
/// the institution and the outlet in the same transaction and keeps a revision.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`, `NOT_FOUND`, `CONFLICT` for a stale version (of the
/// report, or of the institution since the report was made), `INVALID_TRANSITION`,
/// `BAD_USER_INPUT` for a missing comment.
pub async fn act(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    version: i32,
    action: ChangeAction,
    comment: Option<Prose>,
) -> Result<change_report::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let report = found::<change_report::Entity>(&uc.txn, id, "change report").await?;
    let institution = found::<institution::Entity>(&uc.txn, report.institution_id, "institution").await?;
    let scope = institution_scope(&institution);
    uc.authorize(Action::to_take(action)?, &scope)?;
    let updated = uc.step(&scope, &report, version, action, comment.as_ref(), Default::default()).await?;
    if action == ChangeAction::Accept {
        apply(&uc, &report, &institution).await?;
    }
    uc.commit().await?;
    Ok(updated)
}

/// Applies an accepted change to the institution and its outlet, keeping a revision.
async fn apply(
    uc: &UseCase<'_>,
    report: &change_report::Model,
    institution: &institution::Model,
) -> Result<(), AppError> {
    let txn = &uc.txn;
    if institution.version != report.institution_version {
        return Err(AppError::conflict(format!(
            "the institution changed since the report was made (version {} then, {} now)",
            report.institution_version, institution.version
        )));
    }
    let previous = current_values(txn, institution, &report.after).await?;
    let after = &report.after;
    let now = uc.now();
    let mut model = institution::ActiveModel { updated_at: Set(now), ..Default::default() };
    if let Some(name) = &after.name {
        model.name = Set(name.clone());
    }
    if let Some(address) = &after.address {
        model.address = Set(address.clone());
    }
    if let Some(person) = &after.principal {
        model.principal_name = Set(person.name.clone());
        model.principal_title = Set(person.title.clone());
        model.principal_phone = Set(person.phone.clone());
        model.principal_email = Set(person.email.clone());
    }
    if let Some(person) = &after.contact {
        model.contact_name = Set(person.name.clone());
        model.contact_title = Set(person.title.clone());
        model.contact_phone = Set(person.phone.clone());
        model.contact_mobile = Set(person.mobile.clone());
        model.contact_email = Set(person.email.clone());
    }
    uc.update::<institution::Entity>(institution.id, institution.version, model).await?;
    if let Some(items) = &after.service_items {
        institution_service_item::Entity::delete_many()
            .filter(institution_service_item::Column::InstitutionId.eq(institution.id))
            .exec(txn)
            .await?;
        if !items.is_empty() {
            let rows = items.iter().zip(0..).map(|(item, position)| institution_service_item::ActiveModel {
                id: NotSet,
                institution_id: Set(institution.id),
                position: Set(position),
                service_type: Set(item.service_type.into()),
                description: Set(item.description.clone()),
                channels: Set(entity::json::ServiceChannels(item.channels.clone())),
                free_or_low_cost: Set(item.free_or_low_cost),
            });
            institution_service_item::Entity::insert_many(rows).exec_without_returning(txn).await?;
        }
    }

    // The outlet's public data follows at once.
    let outlet = found::<outlet::Entity>(txn, report.outlet_id, "outlet").await?;
    let mut public = outlet::ActiveModel { updated_at: Set(now), ..Default::default() };
    if let Some(name) = &after.name {
        public.name = Set(name.clone());
    }
    if let Some(address) = &after.address {
        public.address = Set(address.clone());
    }
    if let Some(contact) = &after.contact {
        public.contact_name = Set(contact.name.clone());
    }
    if let Some(items) = &after.service_items {
        public.service_items = Set(ServiceItems(items.clone()));
    }
    uc.update::<outlet::Entity>(outlet.id, outlet.version, public).await?;
    if after.service_items.is_some() {
        let mut tag_form = form_of_institution(institution, &[], &[], &[]);
        tag_form.ip_categories = IpCategories::clone(&outlet.ip_categories).0;
        tag_form.service_modes = ServiceModes::clone(&outlet.service_modes).0;
        tag_form.service_items = after.service_items.clone().unwrap_or_default();
        outlets::retag(txn, outlet.id, &tag_form).await?;
    }

    institution_revision::Entity::insert(institution_revision::ActiveModel {
        id: NotSet,
        institution_id: Set(institution.id),
        change_report_id: Set(report.id),
        institution_version: Set(institution.version),
        previous: Set(previous),
        current: Set(after.clone()),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Which change reports to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    pub state: Option<ChangeState>,
    pub outlet_id: Option<i64>,
}

fn within(select: Select<change_report::Entity>, grant: &Grant) -> Select<change_report::Entity> {
    match grant {
        Grant::Region => select,
        Grant::Department { code } => select.filter(
            change_report::Column::InstitutionId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(institution::Column::Id)
                    .from(institution::Entity)
                    .and_where(institution::Column::DepartmentCode.eq(code.as_str()))
                    .to_owned(),
            ),
        ),
        Grant::Institution { id, .. } => select.filter(change_report::Column::InstitutionId.eq(*id)),
    }
}

/// Change reports in the caller's scope.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN`; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: ChangeFilter,
    page: PageRequest,
) -> Result<Page<change_report::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadChangeReport)?;
    let mut select = within(change_report::Entity::find(), grant);
    if let Some(value) = filter.state {
        select = select
            .filter(change_report::Column::State.eq(entity::sea_orm_active_enums::ChangeState::from(value)));
    }
    if let Some(id) = filter.outlet_id {
        select = select.filter(change_report::Column::OutletId.eq(id));
    }
    fetch_page(&state.db, select, change_report::Column::Id, &page).await
}

/// The revisions of an institution, oldest first, for whoever may read it.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`.
pub async fn revisions(
    state: &AppState,
    request: &RequestContext,
    institution_id: i64,
) -> Result<Vec<institution_revision::Model>, AppError> {
    institutions::get(state, request, institution_id).await?;
    Ok(institution_revision::Entity::find()
        .filter(institution_revision::Column::InstitutionId.eq(institution_id))
        .order_by_asc(institution_revision::Column::Id)
        .all(&state.db)
        .await?)
}

/// One changed field, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The fields `after` changes compared with `before`, flattened: persons by part, service
/// items as one line each.
pub fn field_changes(before: &ChangeSet, after: &ChangeSet) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut push = |field: &str, old: Option<String>, new: Option<String>| {
        if old != new {
            changes.push(FieldChange { field: field.to_owned(), old, new });
        }
    };
    if after.name.is_some() {
        push("name", before.name.clone(), after.name.clone());
    }
    if after.address.is_some() {
        push("address", before.address.clone(), after.address.clone());
    }
    for (label, old, new) in
        [("principal", &before.principal, &after.principal), ("contact", &before.contact, &after.contact)]
    {
        let Some(new) = new else { continue };
        let parts = |p: Option<&PersonEntry>| {
            [
                p.map(|p| p.name.clone()),
                p.and_then(|p| p.title.clone()),
                p.and_then(|p| p.phone.clone()),
                p.and_then(|p| p.mobile.clone()),
                p.and_then(|p| p.email.clone()),
            ]
        };
        let (old, new) = (parts(old.as_ref()), parts(Some(new)));
        for (i, part) in ["name", "title", "phone", "mobile", "email"].iter().enumerate() {
            push(&format!("{label}.{part}"), old[i].clone(), new[i].clone());
        }
    }
    if let Some(items) = &after.service_items {
        let line = |items: &Vec<entity::json::ServiceItemEntry>| {
            items
                .iter()
                .map(|i| {
                    format!(
                        "{}: {}",
                        outlets::tag("", &i.service_type).trim_start_matches(':'),
                        i.description
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        push("serviceItems", before.service_items.as_ref().map(line), Some(line(items)));
    }
    changes
}
