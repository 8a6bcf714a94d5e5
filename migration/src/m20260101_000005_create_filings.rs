//! Filings with their attachments, and bans on filing (DESIGN §5, Art 6, 7, 18).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000002_create_institutions::Institutions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Filings::Table)
                    .col(big_pk_auto(Filings::Id))
                    .col(big_integer(Filings::InstitutionId))
                    .col(string_len(Filings::Kind, 16))
                    .col(string_len(Filings::State, 24))
                    .col(json(Filings::Form))
                    .col(boolean(Filings::DeclarationAccepted))
                    .col(big_integer_null(Filings::OpenForInstitution).unique_key())
                    .col(integer(Filings::Version))
                    .col(timestamp_with_time_zone(Filings::CreatedAt))
                    .col(timestamp_with_time_zone(Filings::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Filings::SubmittedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Filings::Table, Filings::InstitutionId)
                            .to(Institutions::Table, Institutions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("idx_filings_institution", Filings::InstitutionId), ("idx_filings_state", Filings::State)]
        {
            manager
                .create_index(
                    Index::create().name(name).table(Filings::Table).col(column).col(Filings::Id).to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(FilingAttachments::Table)
                    .col(big_pk_auto(FilingAttachments::Id))
                    .col(big_integer(FilingAttachments::FilingId))
                    .col(string_len(FilingAttachments::Kind, 24))
                    .col(string_len(FilingAttachments::FileName, 255))
                    .col(string_len(FilingAttachments::MediaType, 100))
                    .col(big_integer(FilingAttachments::SizeBytes))
                    .col(string_len(FilingAttachments::Sha256, 64))
                    .col(big_integer(FilingAttachments::UploadedBy))
                    .col(timestamp_with_time_zone(FilingAttachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FilingAttachments::Table, FilingAttachments::FilingId)
                            .to(Filings::Table, Filings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_filing_attachments_filing")
                    .table(FilingAttachments::Table)
                    .col(FilingAttachments::FilingId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InstitutionBans::Table)
                    .col(big_pk_auto(InstitutionBans::Id))
                    .col(big_integer(InstitutionBans::InstitutionId))
                    .col(text(InstitutionBans::Reason))
                    .col(date(InstitutionBans::DecidedOn))
                    .col(date(InstitutionBans::Until))
                    .col(timestamp_with_time_zone(InstitutionBans::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(InstitutionBans::Table, InstitutionBans::InstitutionId)
                            .to(Institutions::Table, Institutions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_institution_bans_institution")
                    .table(InstitutionBans::Table)
                    .col(InstitutionBans::InstitutionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InstitutionBans::Table.into_iden(),
            FilingAttachments::Table.into_iden(),
            Filings::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Filings {
    Table,
    Id,
    InstitutionId,
    Kind,
    State,
    Form,
    DeclarationAccepted,
    OpenForInstitution,
    Version,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    OutletId,
}

#[derive(DeriveIden, Clone, Copy)]
enum FilingAttachments {
    Table,
    Id,
    FilingId,
    Kind,
    FileName,
    MediaType,
    SizeBytes,
    Sha256,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionBans {
    Table,
    Id,
    InstitutionId,
    Reason,
    DecidedOn,
    Until,
    CreatedAt,
}
