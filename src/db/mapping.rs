//! Between stored rows and domain values. Enumerations convert both ways in the entity
//! crate (`entity/src/domain_values.rs`), beside their stored form; JSON documents have the
//! same shape on both sides (the same serde names) and convert through their JSON; an
//! institution's rows fill the stored application form.

use entity::json;
use entity::{institution, institution_database, institution_service_item, institution_staff};
use sea_orm::ActiveValue::Set;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A file as stored: the columns every attachment row has.
#[derive(Debug, Clone)]
pub struct Stored {
    pub file_name: String,
    /// Sniffed from the content, not as the client claimed.
    pub media_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the content; also its storage key.
    pub sha256: String,
    pub uploaded_by: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// An attachment row with a stored file's columns set and the rest to fill.
pub trait FileRow: Default {
    /// The row holding `file`.
    fn holding(file: Stored) -> Self;
}

macro_rules! file_rows {
    ($($module:ident),+) => {
        $(
            impl FileRow for entity::$module::ActiveModel {
                fn holding(file: Stored) -> Self {
                    Self {
                        file_name: Set(file.file_name),
                        media_type: Set(file.media_type),
                        size_bytes: Set(file.size_bytes),
                        sha256: Set(file.sha256),
                        uploaded_by: Set(file.uploaded_by),
                        created_at: Set(file.created_at),
                        ..Default::default()
                    }
                }
            }
        )+
    };
}

file_rows!(filing_attachment, report_attachment);

/// A JSON document as the type of the same shape on the other side: a stored form as the
/// domain's, or back.
///
/// # Errors
/// `INTERNAL` when the shapes differ, which a unit test rules out for every document.
pub fn document<From: Serialize, To: DeserializeOwned>(value: &From) -> Result<To, AppError> {
    let json = serde_json::to_value(value).map_err(|e| AppError::Internal(e.into()))?;
    serde_json::from_value(json).map_err(|e| AppError::Internal(e.into()))
}

/// The scope path of an institution's records.
pub fn institution_scope(institution: &institution::Model) -> crate::domain::scope::ScopePath {
    crate::domain::scope::ScopePath::institution(&institution.department_code, institution.id)
}

/// The form as an institution's current data fills it.
pub fn form_of_institution(
    institution: &institution::Model,
    staff: &[institution_staff::Model],
    databases: &[institution_database::Model],
    service_items: &[institution_service_item::Model],
) -> json::ApplicationForm {
    let i = institution;
    json::ApplicationForm {
        institution: json::InstitutionEntry {
            uscc: i.uscc.clone(),
            name: i.name.clone(),
            kind: i.kind,
            department_code: i.department_code.clone(),
            legal_representative: i.legal_representative.clone(),
            address: i.address.clone(),
            principal: json::PersonEntry {
                name: i.principal_name.clone(),
                title: i.principal_title.clone(),
                phone: i.principal_phone.clone(),
                mobile: None,
                email: i.principal_email.clone(),
            },
            contact: json::PersonEntry {
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
        facilities: json::FacilitiesEntry {
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
pub fn staff_entry(row: &institution_staff::Model) -> json::StaffEntry {
    json::StaffEntry {
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
pub fn database_entry(row: &institution_database::Model) -> json::DatabaseEntry {
    json::DatabaseEntry { name: row.name.clone(), source: row.source, valid_until: row.valid_until }
}

/// A service-item row as a form entry.
pub fn service_item_entry(row: &institution_service_item::Model) -> json::ServiceItemEntry {
    json::ServiceItemEntry {
        service_type: row.service_type,
        description: row.description.clone(),
        channels: row.channels.0.clone(),
        free_or_low_cost: row.free_or_low_cost,
    }
}

#[cfg(test)]
mod tests {
    use entity::sea_orm_active_enums as stored;

    use super::*;
    use crate::domain::form::{self, ApplicationForm};
    use crate::domain::institution::{Employment, ServiceChannel};
    use crate::domain::workflow::filing::FilingState;

    fn stored_form() -> json::ApplicationForm {
        let person = json::PersonEntry {
            name: "张明".into(),
            title: Some("主任".into()),
            phone: Some("0471-1234567".into()),
            mobile: None,
            email: None,
        };
        json::ApplicationForm {
            institution: json::InstitutionEntry {
                uscc: "12100000400000624D".into(),
                name: "图书馆".into(),
                kind: stored::InstitutionKind::PublicLibrary,
                department_code: "150100".into(),
                legal_representative: "张明".into(),
                address: "新华大街1号".into(),
                principal: person.clone(),
                contact: person,
                website: Some("https://lib.example.cn".into()),
            },
            staff: vec![json::StaffEntry {
                name: "甲".into(),
                employment: stored::Employment::PartTime,
                education: Some("硕士".into()),
                speciality: None,
                title: None,
                years_of_experience: Some(4),
                certificates: None,
            }],
            ip_categories: vec![json::IpCategory::GeographicalIndication],
            service_modes: vec![json::ServiceMode::Online],
            facilities: json::FacilitiesEntry { premises_area: Some(80), ..Default::default() },
            databases: vec![json::DatabaseEntry {
                name: "库".into(),
                source: stored::ToolSource::SelfBuilt,
                valid_until: chrono::NaiveDate::from_ymd_opt(2027, 1, 1),
            }],
            service_items: vec![json::ServiceItemEntry {
                service_type: stored::ServiceType::SmeService,
                description: "服务".into(),
                channels: vec![json::ServiceChannel::Window],
                free_or_low_cost: false,
            }],
            key_industries: vec!["稀土".into()],
            profile: Some("简介".into()),
        }
    }

    #[test]
    fn a_stored_form_and_the_domain_form_have_the_same_shape() {
        let stored = stored_form();
        let domain: ApplicationForm = document(&stored).unwrap();
        assert_eq!(domain.staff[0].employment, Employment::PartTime);
        assert_eq!(domain.service_items[0].channels, [ServiceChannel::Window]);
        let back: json::ApplicationForm = document(&domain).unwrap();
        assert_eq!(back, stored);
        let _: Vec<form::ServiceItemEntry> = document(&stored.service_items).unwrap();
    }

    #[test]
    fn enumerations_keep_their_wire_names() {
        for &state in FilingState::ALL {
            let stored: stored::FilingState = state.into();
            assert_eq!(serde_json::to_value(stored).unwrap(), state.name());
            assert_eq!(FilingState::from(stored), state);
        }
    }
}
