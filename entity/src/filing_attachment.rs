//! `filing_attachments`: files filed with an application (Art 6), stored by content hash.

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::AttachmentKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "filing_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub kind: AttachmentKind,
    pub file_name: String,
    /// Media type as sniffed from the content, not as the client claimed.
    pub media_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the content; also its storage key.
    pub sha256: String,
    pub uploaded_by: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::filing::Entity",
        from = "Column::FilingId",
        to = "super::filing::Column::Id"
    )]
    Filing,
}

impl Related<super::filing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Filing.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
