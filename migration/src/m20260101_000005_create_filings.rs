//! Filings with their attachments, and bans on filing (DESIGN §5, Art 6, 7, 18).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, ForeignKeys, created_at, drop_tables, id, index, table, updated_at, version};
use crate::m20260101_000002_create_institutions::Institutions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(Filings::Table)
            .col(id(Filings::Id))
            .col(big_integer(Filings::InstitutionId))
            .col(string_len(Filings::Kind, 16))
            .col(string_len(Filings::State, 24))
            .col(json(Filings::Form))
            .col(boolean(Filings::DeclarationAccepted))
            .col(big_integer_null(Filings::OpenForInstitution).unique_key())
            .col(version())
            .col(created_at())
            .col(updated_at())
            .col(timestamp_with_time_zone_null(Filings::SubmittedAt))
            .references(Filings::InstitutionId, Institutions::Table, Institutions::Id)
            .create_in(manager)
            .await?;
        for (name, column) in
            [("idx_filings_institution", Filings::InstitutionId), ("idx_filings_state", Filings::State)]
        {
            index(name, Filings::Table, [column, Filings::Id]).create_in(manager).await?;
        }

        table(FilingAttachments::Table)
            .col(id(FilingAttachments::Id))
            .col(big_integer(FilingAttachments::FilingId))
            .col(string_len(FilingAttachments::Kind, 24))
            .col(string_len(FilingAttachments::FileName, 255))
            .col(string_len(FilingAttachments::MediaType, 100))
            .col(big_integer(FilingAttachments::SizeBytes))
            .col(string_len(FilingAttachments::Sha256, 64))
            .col(big_integer(FilingAttachments::UploadedBy))
            .col(created_at())
            .references(FilingAttachments::FilingId, Filings::Table, Filings::Id)
            .create_in(manager)
            .await?;
        index("idx_filing_attachments_filing", FilingAttachments::Table, [FilingAttachments::FilingId])
            .create_in(manager)
            .await?;

        table(InstitutionBans::Table)
            .col(id(InstitutionBans::Id))
            .col(big_integer(InstitutionBans::InstitutionId))
            .col(text(InstitutionBans::Reason))
            .col(date(InstitutionBans::DecidedOn))
            .col(date(InstitutionBans::Until))
            .col(created_at())
            .references(InstitutionBans::InstitutionId, Institutions::Table, Institutions::Id)
            .create_in(manager)
            .await?;
        index("idx_institution_bans_institution", InstitutionBans::Table, [InstitutionBans::InstitutionId])
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                InstitutionBans::Table.into_iden(),
                FilingAttachments::Table.into_iden(),
                Filings::Table.into_iden(),
            ],
        )
        .await
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
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionBans {
    Table,
    Id,
    InstitutionId,
    Reason,
    DecidedOn,
    Until,
}
