//! Between stored rows and domain values. Enumerations convert both ways in the entity
//! crate (`entity/src/domain_values.rs`), beside their stored form; JSON documents (the
//! application form, report figures) are stored as the domain's own types
//! (`entity::document::Json`); here an institution's rows fill the application form, and
//! attachment rows take a stored file's columns; an audit row is the chain's event
//! content (`domain::audit_chain`) and back.

use entity::json;
use entity::{audit_event, institution, institution_database, institution_service_item, institution_staff};
use sea_orm::ActiveValue::Set;

use crate::domain::audit_chain::EventContent;

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
            kind: i.kind.into(),
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
        employment: row.employment.into(),
        education: row.education.clone(),
        speciality: row.speciality.clone(),
        title: row.title.clone(),
        years_of_experience: row.years_of_experience,
        certificates: row.certificates.clone(),
    }
}

/// A database row as a form entry.
pub fn database_entry(row: &institution_database::Model) -> json::DatabaseEntry {
    json::DatabaseEntry { name: row.name.clone(), source: row.source.into(), valid_until: row.valid_until }
}

/// A service-item row as a form entry.
pub fn service_item_entry(row: &institution_service_item::Model) -> json::ServiceItemEntry {
    json::ServiceItemEntry {
        service_type: row.service_type.into(),
        description: row.description.clone(),
        channels: row.channels.0.clone(),
        free_or_low_cost: row.free_or_low_cost,
    }
}

/// What an audit row's hash covers: every column but its id and its hash.
pub fn event_content(row: &audit_event::Model) -> EventContent<'_> {
    EventContent {
        prev_hash: &row.prev_hash,
        occurred_at: row.occurred_at,
        actor_user_id: row.actor_user_id,
        actor_role: &row.actor_role,
        scope: &row.scope,
        action: &row.action,
        entity_type: &row.entity_type,
        entity_id: &row.entity_id,
        from_state: row.from_state.as_deref(),
        to_state: row.to_state.as_deref(),
        comment: row.comment.as_deref(),
        request_id: row.request_id.as_deref(),
    }
}

/// The audit row holding `content` and its hash; the database assigns the id.
pub fn event_row(content: &EventContent<'_>) -> audit_event::ActiveModel {
    let owned = |text: Option<&str>| text.map(str::to_owned);
    audit_event::ActiveModel {
        occurred_at: Set(content.occurred_at),
        actor_user_id: Set(content.actor_user_id),
        actor_role: Set(content.actor_role.to_owned()),
        scope: Set(content.scope.to_owned()),
        action: Set(content.action.to_owned()),
        entity_type: Set(content.entity_type.to_owned()),
        entity_id: Set(content.entity_id.to_owned()),
        from_state: Set(owned(content.from_state)),
        to_state: Set(owned(content.to_state)),
        comment: Set(owned(content.comment)),
        request_id: Set(owned(content.request_id)),
        prev_hash: Set(content.prev_hash.to_owned()),
        hash: Set(content.hash()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use entity::sea_orm_active_enums as stored;

    use crate::domain::workflow::filing::FilingState;

    #[test]
    fn enumerations_keep_their_wire_names() {
        for &state in FilingState::ALL {
            let stored: stored::FilingState = state.into();
            assert_eq!(serde_json::to_value(stored).unwrap(), state.name());
            assert_eq!(FilingState::from(stored), state);
        }
    }
}
