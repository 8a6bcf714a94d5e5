//! `filings`: applications to become (or stay) an outlet (Art 6, 7, 9).

use sea_orm::entity::prelude::*;

use crate::document::Json;
use crate::json::ApplicationForm;
use crate::sea_orm_active_enums::{FilingKind, FilingState};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    /// The institution's department, copied when the filing is made, so that a bureau's
    /// filings are one index range. An institution's department does not change; a move
    /// between departments would have to move its filings too.
    pub department_code: String,
    pub kind: FilingKind,
    pub state: FilingState,
    #[sea_orm(column_type = "Json")]
    pub form: Json<ApplicationForm>,
    /// The applicant declared the materials true and lawful (Art 6).
    pub declaration_accepted: bool,
    /// The institution's id while the filing is open, null once it has ended: a unique
    /// index on it allows one open filing per institution.
    #[sea_orm(unique)]
    pub open_for_institution: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    /// For a renewal: the outlet it renews.
    pub outlet_id: Option<i64>,
}

/// A filing as a list shows it: every column but the form, which a page of filings would
/// otherwise read and parse for each row (a few kB of JSON) whether or not the client asked
/// for it. The form of a listed filing is read apart, when it is asked for.
#[derive(Clone, Debug, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "Entity")]
pub struct Listed {
    pub id: i64,
    pub institution_id: i64,
    pub department_code: String,
    pub kind: FilingKind,
    pub state: FilingState,
    pub declaration_accepted: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub outlet_id: Option<i64>,
}

/// A listed filing with its institution's summary, read in one statement with a join: a
/// page of filings that shows each one's institution.
#[derive(Clone, Debug, PartialEq, DerivePartialModel)]
#[sea_orm(entity = "Entity")]
pub struct ListedWithInstitution {
    #[sea_orm(nested)]
    pub filing: Listed,
    #[sea_orm(nested)]
    pub institution: Option<super::institution::Summary>,
}

impl Model {
    /// The filing as a list shows it, and its form.
    pub fn split(self) -> (Listed, Json<ApplicationForm>) {
        let Self {
            id,
            institution_id,
            department_code,
            kind,
            state,
            form,
            declaration_accepted,
            open_for_institution: _,
            version,
            created_at,
            updated_at,
            submitted_at,
            outlet_id,
        } = self;
        let listed = Listed {
            id,
            institution_id,
            department_code,
            kind,
            state,
            declaration_accepted,
            version,
            created_at,
            updated_at,
            submitted_at,
            outlet_id,
        };
        (listed, form)
    }
}

relations_with_institution! {
    #[sea_orm(has_many = "super::filing_attachment::Entity")]
    Attachment,
}
