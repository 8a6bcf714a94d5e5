//! The application form of a filing: built from an institution's data, edited with
//! validated profile changes.

use entity::json::{
    ApplicationForm, DatabaseEntry, FacilitiesEntry, InstitutionEntry, PersonEntry, ServiceItemEntry,
    StaffEntry,
};
use entity::{institution, institution_database, institution_service_item, institution_staff};

use super::institution::{DatabaseTool, Facilities, ProfileChanges, ServiceItem, StaffMember, dedup};

impl From<&StaffMember> for StaffEntry {
    fn from(member: &StaffMember) -> Self {
        Self {
            name: member.name.to_string(),
            employment: member.employment,
            education: member.education.as_ref().map(ToString::to_string),
            speciality: member.speciality.as_ref().map(ToString::to_string),
            title: member.title.as_ref().map(ToString::to_string),
            years_of_experience: member.years_of_experience.map(i32::from),
            certificates: member.certificates.as_ref().map(ToString::to_string),
        }
    }
}

impl From<&DatabaseTool> for DatabaseEntry {
    fn from(tool: &DatabaseTool) -> Self {
        Self { name: tool.name.to_string(), source: tool.source, valid_until: tool.valid_until }
    }
}

impl From<&ServiceItem> for ServiceItemEntry {
    fn from(item: &ServiceItem) -> Self {
        Self {
            service_type: item.service_type,
            description: item.description.to_string(),
            channels: dedup(item.channels.clone()),
            free_or_low_cost: item.free_or_low_cost,
        }
    }
}

impl From<&Facilities> for FacilitiesEntry {
    fn from(facilities: &Facilities) -> Self {
        Self {
            premises_area: facilities.premises_area.and_then(|a| i32::try_from(a).ok()),
            network_environment: facilities.network_environment.as_ref().map(ToString::to_string),
            hardware: facilities.hardware.as_ref().map(ToString::to_string),
            software: facilities.software.as_ref().map(ToString::to_string),
        }
    }
}

/// Applies the parts of `changes` that are given to `form`.
pub fn apply(form: &mut ApplicationForm, changes: &ProfileChanges) {
    if let Some(staff) = &changes.staff {
        form.staff = staff.iter().map(Into::into).collect();
    }
    if let Some(categories) = &changes.ip_categories {
        form.ip_categories = dedup(categories.clone());
    }
    if let Some(modes) = &changes.service_modes {
        form.service_modes = dedup(modes.clone());
    }
    if let Some(facilities) = &changes.facilities {
        form.facilities = facilities.into();
    }
    if let Some(databases) = &changes.databases {
        form.databases = databases.iter().map(Into::into).collect();
    }
    if let Some(items) = &changes.service_items {
        form.service_items = items.iter().map(Into::into).collect();
    }
    if let Some(industries) = &changes.key_industries {
        form.key_industries = industries.iter().map(ToString::to_string).collect();
    }
    if let Some(profile) = &changes.profile {
        form.profile = profile.as_ref().map(ToString::to_string);
    }
}

/// The form as an institution's current data fills it.
pub fn of_institution(
    institution: &institution::Model,
    staff: &[institution_staff::Model],
    databases: &[institution_database::Model],
    service_items: &[institution_service_item::Model],
) -> ApplicationForm {
    let i = institution;
    ApplicationForm {
        institution: InstitutionEntry {
            uscc: i.uscc.clone(),
            name: i.name.clone(),
            kind: i.kind,
            department_code: i.department_code.clone(),
            legal_representative: i.legal_representative.clone(),
            address: i.address.clone(),
            principal: PersonEntry {
                name: i.principal_name.clone(),
                title: i.principal_title.clone(),
                phone: i.principal_phone.clone(),
                mobile: None,
                email: i.principal_email.clone(),
            },
            contact: PersonEntry {
                name: i.contact_name.clone(),
                title: i.contact_title.clone(),
                phone: i.contact_phone.clone(),
                mobile: i.contact_mobile.clone(),
                email: i.contact_email.clone(),
            },
            website: i.website.clone(),
        },
        staff: staff.iter().map(staff_entry).collect(),
        ip_categories: i.ip_categories.0.clone(),
        service_modes: i.service_modes.0.clone(),
        facilities: FacilitiesEntry {
            premises_area: i.premises_area,
            network_environment: i.network_environment.clone(),
            hardware: i.hardware.clone(),
            software: i.software.clone(),
        },
        databases: databases.iter().map(database_entry).collect(),
        service_items: service_items.iter().map(service_item_entry).collect(),
        key_industries: i.key_industries.0.clone(),
        profile: i.profile.clone(),
    }
}

/// A roster row as a form entry.
pub fn staff_entry(row: &institution_staff::Model) -> StaffEntry {
    StaffEntry {
        name: row.name.clone(),
        employment: row.employment,
        education: row.education.clone(),
        speciality: row.speciality.clone(),
        title: row.title.clone(),
        years_of_experience: row.years_of_experience,
        certificates: row.certificates.clone(),
    }
}

/// A database row as a form entry.
pub fn database_entry(row: &institution_database::Model) -> DatabaseEntry {
    DatabaseEntry { name: row.name.clone(), source: row.source, valid_until: row.valid_until }
}

/// A service-item row as a form entry.
pub fn service_item_entry(row: &institution_service_item::Model) -> ServiceItemEntry {
    ServiceItemEntry {
        service_type: row.service_type,
        description: row.description.clone(),
        channels: row.channels.0.clone(),
        free_or_low_cost: row.free_or_low_cost,
    }
}
