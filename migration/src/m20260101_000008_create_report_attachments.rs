//! Files attached to annual reports (DESIGN §7).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, ForeignKeys, created_at, drop_tables, id, index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(ReportAttachments::Table)
            .col(id(ReportAttachments::Id))
            .col(big_integer(ReportAttachments::ReportId))
            .col(string_len(ReportAttachments::FileName, 255))
            .col(string_len(ReportAttachments::MediaType, 100))
            .col(big_integer(ReportAttachments::SizeBytes))
            .col(string_len(ReportAttachments::Sha256, 64))
            .col(big_integer(ReportAttachments::UploadedBy))
            .col(created_at())
            .references(ReportAttachments::ReportId, Alias::new("annual_reports"), Alias::new("id"))
            .create_in(manager)
            .await?;
        index("idx_report_attachments_report", ReportAttachments::Table, [ReportAttachments::ReportId])
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [ReportAttachments::Table.into_iden()]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ReportAttachments {
    Table,
    Id,
    ReportId,
    FileName,
    MediaType,
    SizeBytes,
    Sha256,
    UploadedBy,
}
