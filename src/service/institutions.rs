//! Institutions: registration data and capability profile (DESIGN §4).

use entity::json::{IpCategories, KeyIndustries, ServiceChannels, ServiceModes};
use entity::sea_orm_active_enums::InstitutionKind;
use entity::{institution, institution_database, institution_service_item, institution_staff};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Select};

use crate::authz::Action;
use crate::db::found;
use crate::db::mapping::institution_scope;
use crate::db::on_unique;
use crate::domain::institution::{InstitutionChanges, NewInstitution, Person, ProfileChanges, dedup};
use crate::domain::scope::{Grant, ScopePath};
use crate::domain::text::Text;
use crate::error::AppError;
use crate::service::audit::AuditEntry;
use crate::service::page::{Page, PageRequest, fetch_page};
use crate::service::usecase::{UseCase, ensure_version};
use crate::state::{AppState, RequestContext};

/// The entity name in the audit trail.
pub const ENTITY: &str = "institution";

/// Which institutions to list.
#[derive(Debug, Clone, Default)]
pub struct InstitutionFilter {
    pub department_code: Option<String>,
    pub kind: Option<InstitutionKind>,
    /// Part of the name.
    pub name_contains: Option<String>,
}

/// One institution, if the caller may read it.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, or `FORBIDDEN` outside the caller's scope.
pub async fn get(
    state: &AppState,
    request: &RequestContext,
    id: i64,
) -> Result<institution::Model, AppError> {
    request.caller.signed_in()?;
    let institution = found::<institution::Entity>(&state.db, id, "institution").await?;
    state.authz.authorize(&request.caller, Action::ReadInstitution, &institution_scope(&institution))?;
    Ok(institution)
}

/// Whether the caller may see the personal data of the people of institution `id` of
/// department `department_code`: its staff roster, phone numbers and e-mail addresses.
/// Everyone who works a filing may; admins, who manage accounts, may not.
pub fn shows_personal_data(
    state: &AppState,
    request: &RequestContext,
    department_code: &str,
    id: i64,
) -> bool {
    let scope = ScopePath::institution(department_code, id);
    state.authz.permits(&request.caller, Action::ReadPersonalData, &scope)
}

/// Institutions in the caller's scope that match `filter`, by id.
///
/// # Errors
/// `UNAUTHENTICATED`/`FORBIDDEN` as the policy says; `BAD_USER_INPUT` for bad paging.
pub async fn list(
    state: &AppState,
    request: &RequestContext,
    filter: InstitutionFilter,
    page: PageRequest,
) -> Result<Page<institution::Model>, AppError> {
    let grant = state.authz.visibility(&request.caller, Action::ReadInstitution)?;
    let name_part = filter.name_contains.filter(|p| !p.trim().is_empty());
    let kept_total = match (page.with_total, &name_part) {
        (true, None) => kept_count(state, grant, filter.department_code.as_deref(), filter.kind).await?,
        _ => None,
    };
    let mut select = within(institution::Entity::find(), grant);
    if let Some(code) = filter.department_code {
        select = select.filter(institution::Column::DepartmentCode.eq(code));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(institution::Column::Kind.eq(kind));
    }
    if let Some(part) = name_part {
        select = select.filter(crate::db::containing(institution::Column::Name, part.trim()));
    }
    let page = PageRequest { with_total: page.with_total && kept_total.is_none(), ..page };
    let mut rows = fetch_page(&state.db, select, institution::Column::Id, &page).await?;
    if kept_total.is_some() {
        rows.total = kept_total;
    }
    Ok(rows)
}

/// The counter the database raises when an institution is added or removed, or moves to
/// another department or kind (a trigger of migration 24, `institutions_generation`).
pub const INSTITUTIONS_CHANGED: &str = "institutions-changed";

/// How many institutions each department has of each kind.
pub type InstitutionCounts = Vec<(String, InstitutionKind, u64)>;

/// How many institutions in `grant` match a department and a kind, from the counts kept in
/// memory until an institution is added, removed or moved; `None` for a grant of one
/// institution, which a count by department cannot answer.
async fn kept_count(
    state: &AppState,
    grant: &Grant,
    department: Option<&str>,
    kind: Option<InstitutionKind>,
) -> Result<Option<u64>, AppError> {
    let within = match grant {
        Grant::Region => None,
        Grant::Department { code } => Some(code.as_str()),
        Grant::Institution { .. } => return Ok(None),
    };
    let counts =
        state.institution_counts.answer(&state.db, &[INSTITUTIONS_CHANGED], (), || count_all(state)).await?;
    let matches = |code: &str, of: &InstitutionKind| {
        within.is_none_or(|w| w == code)
            && department.is_none_or(|d| d == code)
            && kind.as_ref().is_none_or(|k| k == of)
    };
    Ok(Some(counts.iter().filter(|(code, of, _)| matches(code, of)).map(|(_, _, n)| n).sum()))
}

/// Institutions per department and kind, counted by the database in one pass.
async fn count_all(state: &AppState) -> Result<InstitutionCounts, AppError> {
    use sea_orm::QuerySelect as _;
    let rows: Vec<(String, InstitutionKind, i64)> = institution::Entity::find()
        .select_only()
        .column(institution::Column::DepartmentCode)
        .column(institution::Column::Kind)
        .column_as(institution::Column::Id.count(), "n")
        .group_by(institution::Column::DepartmentCode)
        .group_by(institution::Column::Kind)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(rows.into_iter().map(|(code, kind, n)| (code, kind, u64::try_from(n).unwrap_or_default())).collect())
}

/// Limits a query on institutions to a grant's area.
pub fn within(select: Select<institution::Entity>, grant: &Grant) -> Select<institution::Entity> {
    match grant {
        Grant::Region => select,
        Grant::Department { code } => select.filter(institution::Column::DepartmentCode.eq(code.as_str())),
        Grant::Institution { id, .. } => select.filter(institution::Column::Id.eq(*id)),
    }
}

/// Inserts a new institution with its profile, inside the caller's transaction.
///
/// # Errors
/// `CONFLICT` when an institution with the same USCC exists; `BAD_USER_INPUT` for an
/// unknown department.
pub async fn insert(
    txn: &DatabaseTransaction,
    state: &AppState,
    new: NewInstitution,
) -> Result<institution::Model, AppError> {
    if state.departments.get(&new.department_code).is_none() {
        return Err(AppError::invalid("input.institution.departmentCode", "no such recommending department"));
    }
    let now = state.clock.now();
    let mut model = institution::ActiveModel {
        id: NotSet,
        uscc: Set(new.uscc.to_string()),
        name: Set(new.name.into_inner()),
        kind: Set(new.kind.into()),
        department_code: Set(new.department_code),
        exempt_category: Set(new.exempt_category.map(Into::into)),
        legal_representative: Set(new.legal_representative.into_inner()),
        address: Set(new.address.into_inner()),
        website: Set(new.website.map(|w| w.into_inner())),
        ip_categories: Set(IpCategories::default()),
        service_modes: Set(ServiceModes::default()),
        premises_area: Set(None),
        network_environment: Set(None),
        hardware: Set(None),
        software: Set(None),
        key_industries: Set(KeyIndustries::default()),
        profile: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_principal(&mut model, new.principal);
    set_contact(&mut model, new.contact);
    set_profile_columns(&mut model, &new.profile);
    let inserted = institution::Entity::insert(model).exec_with_returning(txn).await.map_err(|e| {
        on_unique(e, || AppError::conflict("an institution with this USCC is already registered"))
    })?;
    replace_profile_rows(txn, inserted.id, &new.profile).await?;
    Ok(inserted)
}

/// Applies `changes` to an institution at `expected_version`, as its applicant.
///
/// # Errors
/// `UNAUTHENTICATED`, `NOT_FOUND`, `FORBIDDEN`; `CONFLICT` when the version is stale.
pub async fn update(
    state: &AppState,
    request: &RequestContext,
    id: i64,
    expected_version: i32,
    changes: InstitutionChanges,
) -> Result<institution::Model, AppError> {
    let uc = UseCase::begin(state, request).await?;
    let current = found::<institution::Entity>(&uc.txn, id, "institution").await?;
    let scope = institution_scope(&current);
    uc.authorize(Action::UpdateInstitution, &scope)?;
    reported_changes_only(&uc, id, &changes).await?;
    ensure_version("institution", current.version, expected_version)?;

    let mut model = institution::ActiveModel { updated_at: Set(uc.now()), ..Default::default() };
    if let Some(value) = changes.legal_representative {
        model.legal_representative = Set(value.into_inner());
    }
    if let Some(value) = changes.address {
        model.address = Set(value.into_inner());
    }
    if let Some(person) = changes.principal {
        set_principal(&mut model, person);
    }
    if let Some(person) = changes.contact {
        set_contact(&mut model, person);
    }
    if let Some(value) = changes.website {
        model.website = Set(value.map(|w| w.into_inner()));
    }
    if let Some(value) = changes.exempt_category {
        model.exempt_category = Set(value.map(Into::into));
    }
    set_profile_columns(&mut model, &changes.profile);
    // The version guard makes a concurrent update that read the same version lose here.
    let institution = uc.update::<institution::Entity>(id, expected_version, model).await?;
    replace_profile_rows(&uc.txn, id, &changes.profile).await?;
    uc.audit(AuditEntry::new(Action::UpdateInstitution, &scope, ENTITY, id)).await?;
    uc.commit().await?;
    Ok(institution)
}

/// Refuses direct changes to what a valid outlet must report through its bureau (Art 10):
/// premises, principal, contact and service items.
async fn reported_changes_only(
    uc: &UseCase<'_>,
    institution_id: i64,
    changes: &InstitutionChanges,
) -> Result<(), AppError> {
    let touched = [
        ("input.address", changes.address.is_some()),
        ("input.principal", changes.principal.is_some()),
        ("input.contact", changes.contact.is_some()),
        ("input.profile.serviceItems", changes.profile.service_items.is_some()),
    ];
    let Some((field, _)) = touched.iter().find(|(_, touched)| *touched) else { return Ok(()) };
    let today = uc.today();
    let outlet = entity::outlet::Entity::find()
        .filter(entity::outlet::Column::InstitutionId.eq(institution_id))
        .filter(entity::outlet::Column::Status.eq(entity::sea_orm_active_enums::OutletStatus::Active))
        .filter(entity::outlet::Column::ValidUntil.gte(today))
        .one(&uc.txn)
        .await?;
    match outlet {
        Some(outlet) => Err(AppError::invalid(
            *field,
            format!("outlet {} reports this change with submitChangeReport (Art 10)", outlet.number),
        )),
        None => Ok(()),
    }
}

fn text<const N: usize>(value: Option<Text<N>>) -> Option<String> {
    value.map(Text::into_inner)
}

fn set_principal(model: &mut institution::ActiveModel, person: Person) {
    model.principal_name = Set(person.name.into_inner());
    model.principal_title = Set(text(person.title));
    model.principal_phone = Set(person.phone.map(|p| p.into_inner()));
    model.principal_email = Set(person.email.map(|e| e.into_inner()));
}

fn set_contact(model: &mut institution::ActiveModel, person: Person) {
    model.contact_name = Set(person.name.into_inner());
    model.contact_title = Set(text(person.title));
    model.contact_phone = Set(person.phone.map(|p| p.into_inner()));
    model.contact_mobile = Set(person.mobile.map(|p| p.into_inner()));
    model.contact_email = Set(person.email.map(|e| e.into_inner()));
}

/// Sets the profile parts kept in the institution's own row.
fn set_profile_columns(model: &mut institution::ActiveModel, profile: &ProfileChanges) {
    if let Some(categories) = &profile.ip_categories {
        model.ip_categories = Set(IpCategories(stored_all(dedup(categories.clone()))));
    }
    if let Some(modes) = &profile.service_modes {
        model.service_modes = Set(ServiceModes(stored_all(dedup(modes.clone()))));
    }
    if let Some(facilities) = &profile.facilities {
        model.premises_area = Set(facilities.premises_area.and_then(|a| i32::try_from(a).ok()));
        model.network_environment = Set(text(facilities.network_environment.clone()));
        model.hardware = Set(text(facilities.hardware.clone()));
        model.software = Set(text(facilities.software.clone()));
    }
    if let Some(industries) = &profile.key_industries {
        model.key_industries = Set(KeyIndustries(industries.iter().map(|i| i.to_string()).collect()));
    }
    if let Some(profile) = &profile.profile {
        model.profile = Set(text(profile.clone()));
    }
}

/// Replaces the roster, the databases and the service items that `profile` gives.
async fn replace_profile_rows(
    conn: &impl ConnectionTrait,
    institution_id: i64,
    profile: &ProfileChanges,
) -> Result<(), AppError> {
    if let Some(staff) = &profile.staff {
        institution_staff::Entity::delete_many()
            .filter(institution_staff::Column::InstitutionId.eq(institution_id))
            .exec(conn)
            .await?;
        let rows = staff.iter().zip(0..).map(|(member, position)| institution_staff::ActiveModel {
            id: NotSet,
            institution_id: Set(institution_id),
            position: Set(position),
            name: Set(member.name.to_string()),
            employment: Set(member.employment.into()),
            education: Set(text(member.education.clone())),
            speciality: Set(text(member.speciality.clone())),
            title: Set(text(member.title.clone())),
            years_of_experience: Set(member.years_of_experience.map(i32::from)),
            certificates: Set(text(member.certificates.clone())),
        });
        institution_staff::Entity::insert_many(rows).exec_without_returning(conn).await?;
    }
    if let Some(databases) = &profile.databases {
        institution_database::Entity::delete_many()
            .filter(institution_database::Column::InstitutionId.eq(institution_id))
            .exec(conn)
            .await?;
        let rows = databases.iter().zip(0..).map(|(tool, position)| institution_database::ActiveModel {
            id: NotSet,
            institution_id: Set(institution_id),
            position: Set(position),
            name: Set(tool.name.to_string()),
            source: Set(tool.source.into()),
            valid_until: Set(tool.valid_until),
        });
        institution_database::Entity::insert_many(rows).exec_without_returning(conn).await?;
    }
    if let Some(items) = &profile.service_items {
        institution_service_item::Entity::delete_many()
            .filter(institution_service_item::Column::InstitutionId.eq(institution_id))
            .exec(conn)
            .await?;
        let rows = items.iter().zip(0..).map(|(item, position)| institution_service_item::ActiveModel {
            id: NotSet,
            institution_id: Set(institution_id),
            position: Set(position),
            service_type: Set(item.service_type.into()),
            description: Set(item.description.to_string()),
            channels: Set(ServiceChannels(stored_all(dedup(item.channels.clone())))),
            free_or_low_cost: Set(item.free_or_low_cost),
        });
        institution_service_item::Entity::insert_many(rows).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// Domain values as their stored counterparts.
fn stored_all<D, S: From<D>>(values: Vec<D>) -> Vec<S> {
    values.into_iter().map(S::from).collect()
}
