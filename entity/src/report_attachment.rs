//! `report_attachments`: files attached to an annual report (Art 17), stored by content hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub file_name: String,
    /// Media type as sniffed from the content.
    pub media_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the content; also its storage key.
    pub sha256: String,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
}

no_relations!();
