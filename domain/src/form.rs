//! The application form of a filing (Art 6(1)): the institution's data and capability
//! profile as the applicant filed them. Copied from the institution when the filing is
//! created, edited with validated profile changes, frozen once submitted. The same entries
//! make up a change report (Art 10) and an outlet's published service items (Art 8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::institution::{
    DatabaseTool, Employment, Facilities, InstitutionKind, IpCategory, ProfileChanges, ServiceChannel,
    ServiceItem, ServiceMode, ServiceType, StaffMember, ToolSource, dedup,
};

/// The application form a filing holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationForm {
    pub institution: InstitutionEntry,
    pub staff: Vec<StaffEntry>,
    pub ip_categories: Vec<IpCategory>,
    pub service_modes: Vec<ServiceMode>,
    pub facilities: FacilitiesEntry,
    pub databases: Vec<DatabaseEntry>,
    pub service_items: Vec<ServiceItemEntry>,
    pub key_industries: Vec<String>,
    pub profile: Option<String>,
}

/// The institution's own data in a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionEntry {
    pub uscc: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub department_code: String,
    pub legal_representative: String,
    pub address: String,
    pub principal: PersonEntry,
    pub contact: PersonEntry,
    pub website: Option<String>,
}

/// A person to reach: principal or contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonEntry {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
}

/// A member of the IP information team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffEntry {
    pub name: String,
    pub employment: Employment,
    pub education: Option<String>,
    pub speciality: Option<String>,
    pub title: Option<String>,
    pub years_of_experience: Option<i32>,
    pub certificates: Option<String>,
}

impl StaffEntry {
    /// A member known by name and employment only.
    pub fn new(name: impl Into<String>, employment: Employment) -> Self {
        Self {
            name: name.into(),
            employment,
            education: None,
            speciality: None,
            title: None,
            years_of_experience: None,
            certificates: None,
        }
    }
}

/// Facilities for public service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FacilitiesEntry {
    /// Square metres.
    pub premises_area: Option<i32>,
    pub network_environment: Option<String>,
    pub hardware: Option<String>,
    pub software: Option<String>,
}

/// A database or search/analysis tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseEntry {
    pub name: String,
    pub source: ToolSource,
    pub valid_until: Option<NaiveDate>,
}

/// A service offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceItemEntry {
    pub service_type: ServiceType,
    pub description: String,
    pub channels: Vec<ServiceChannel>,
    pub free_or_low_cost: bool,
}

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
