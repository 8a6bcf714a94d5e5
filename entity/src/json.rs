//! Small lists kept in JSON columns: they are read and written whole, with the record
//! that owns them.

use chrono::NaiveDate;
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

use crate::sea_orm_active_enums::{Employment, InstitutionKind, ServiceType, ToolSource};

/// An intellectual-property category an institution serves (Art 5(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IpCategory {
    Patent,
    Trademark,
    GeographicalIndication,
}

/// Whether services are given online, offline or both (Art 5(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceMode {
    Online,
    Offline,
}

/// A channel through which a service is given (Art 13(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceChannel {
    Phone,
    Online,
    Window,
}

/// The IP categories of an institution, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct IpCategories(pub Vec<IpCategory>);

/// The service modes of an institution, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ServiceModes(pub Vec<ServiceMode>);

/// The channels of a service item, without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ServiceChannels(pub Vec<ServiceChannel>);

/// Free-text names of the key industries an institution serves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct KeyIndustries(pub Vec<String>);

/// The application form a filing holds (Art 6(1)): the institution's data and capability
/// profile as the applicant filed them. Copied from the institution when the filing is
/// created, edited with the filing, frozen once submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
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

/// The service items an outlet publishes (Art 8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ServiceItems(pub Vec<ServiceItemEntry>);

/// The narrative of an annual report or a department summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportNarrative {
    pub achievements: Option<String>,
    pub typical_cases: Option<String>,
    pub problems: Option<String>,
    pub next_year_plan: Option<String>,
}

/// What a change report changes (Art 10): each part given replaces the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(rename_all = "camelCase", default)]
pub struct ChangeSet {
    pub name: Option<String>,
    pub address: Option<String>,
    pub principal: Option<PersonEntry>,
    pub contact: Option<PersonEntry>,
    pub service_items: Option<Vec<ServiceItemEntry>>,
}
