//! Files attached to annual reports (DESIGN §7).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportAttachments::Table)
                    .col(big_pk_auto(ReportAttachments::Id))
                    .col(big_integer(ReportAttachments::ReportId))
                    .col(string_len(ReportAttachments::FileName, 255))
                    .col(string_len(ReportAttachments::MediaType, 100))
                    .col(big_integer(ReportAttachments::SizeBytes))
                    .col(string_len(ReportAttachments::Sha256, 64))
                    .col(big_integer(ReportAttachments::UploadedBy))
                    .col(timestamp_with_time_zone(ReportAttachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReportAttachments::Table, ReportAttachments::ReportId)
                            .to(Alias::new("annual_reports"), Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_attachments_report")
                    .table(ReportAttachments::Table)
                    .col(ReportAttachments::ReportId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ReportAttachments::Table).to_owned()).await
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
    CreatedAt,
}
