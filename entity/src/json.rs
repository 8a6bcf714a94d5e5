//! Small lists kept in JSON columns: they are read and written whole, with the record
//! that owns them. Their items, and the application form a filing keeps
//! (`Json<ApplicationForm>`), are the domain's own types, re-exported here.

pub use domain::form::{
    ApplicationForm, DatabaseEntry, FacilitiesEntry, InstitutionEntry, PersonEntry, ServiceItemEntry,
    StaffEntry,
};
pub use domain::institution::{IpCategory, ServiceChannel, ServiceMode};
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

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
