//! Annual reports with department summaries (Art 17), change reports and the revisions
//! they leave (Art 10).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000006_create_outlets::Outlets;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AnnualReports::Table)
                    .col(big_pk_auto(AnnualReports::Id))
                    .col(big_integer(AnnualReports::OutletId))
                    .col(big_integer(AnnualReports::InstitutionId))
                    .col(string_len(AnnualReports::DepartmentCode, 6))
                    .col(integer(AnnualReports::Year))
                    .col(string_len(AnnualReports::State, 16))
                    .col(json(AnnualReports::Figures))
                    .col(json(AnnualReports::Narrative))
                    .col(timestamp_with_time_zone_null(AnnualReports::SubmittedAt))
                    .col(boolean(AnnualReports::Late))
                    .col(big_integer_null(AnnualReports::SummaryId))
                    .col(integer(AnnualReports::Version))
                    .col(timestamp_with_time_zone(AnnualReports::CreatedAt))
                    .col(timestamp_with_time_zone(AnnualReports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnualReports::Table, AnnualReports::OutletId)
                            .to(Outlets::Table, Outlets::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_annual_reports_outlet_year")
                    .table(AnnualReports::Table)
                    .col(AnnualReports::OutletId)
                    .col(AnnualReports::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_annual_reports_department_year")
                    .table(AnnualReports::Table)
                    .col(AnnualReports::DepartmentCode)
                    .col(AnnualReports::Year)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(DepartmentSummaries::Table)
                    .col(big_pk_auto(DepartmentSummaries::Id))
                    .col(string_len(DepartmentSummaries::DepartmentCode, 6))
                    .col(integer(DepartmentSummaries::Year))
                    .col(string_len(DepartmentSummaries::State, 16))
                    .col(string_len_null(DepartmentSummaries::PendingKey, 16).unique_key())
                    .col(json(DepartmentSummaries::Totals))
                    .col(integer(DepartmentSummaries::ReportCount))
                    .col(json(DepartmentSummaries::Narrative))
                    .col(timestamp_with_time_zone(DepartmentSummaries::ForwardedAt))
                    .col(integer(DepartmentSummaries::Version))
                    .col(timestamp_with_time_zone(DepartmentSummaries::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChangeReports::Table)
                    .col(big_pk_auto(ChangeReports::Id))
                    .col(big_integer(ChangeReports::OutletId))
                    .col(big_integer(ChangeReports::InstitutionId))
                    .col(string_len(ChangeReports::State, 16))
                    .col(text(ChangeReports::Reason))
                    .col(json(ChangeReports::Before))
                    .col(json(ChangeReports::After))
                    .col(integer(ChangeReports::InstitutionVersion))
                    .col(integer(ChangeReports::Version))
                    .col(timestamp_with_time_zone(ChangeReports::CreatedAt))
                    .col(timestamp_with_time_zone(ChangeReports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ChangeReports::Table, ChangeReports::OutletId)
                            .to(Outlets::Table, Outlets::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_reports_institution")
                    .table(ChangeReports::Table)
                    .col(ChangeReports::InstitutionId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InstitutionRevisions::Table)
                    .col(big_pk_auto(InstitutionRevisions::Id))
                    .col(big_integer(InstitutionRevisions::InstitutionId))
                    .col(big_integer(InstitutionRevisions::ChangeReportId))
                    .col(integer(InstitutionRevisions::InstitutionVersion))
                    .col(json(InstitutionRevisions::Previous))
                    .col(json(InstitutionRevisions::Current))
                    .col(timestamp_with_time_zone(InstitutionRevisions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_institution_revisions_institution")
                    .table(InstitutionRevisions::Table)
                    .col(InstitutionRevisions::InstitutionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InstitutionRevisions::Table.into_iden(),
            ChangeReports::Table.into_iden(),
            DepartmentSummaries::Table.into_iden(),
            AnnualReports::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AnnualReports {
    Table,
    Id,
    OutletId,
    InstitutionId,
    DepartmentCode,
    Year,
    State,
    Figures,
    Narrative,
    SubmittedAt,
    Late,
    SummaryId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DepartmentSummaries {
    Table,
    Id,
    DepartmentCode,
    Year,
    State,
    PendingKey,
    Totals,
    ReportCount,
    Narrative,
    ForwardedAt,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeReports {
    Table,
    Id,
    OutletId,
    InstitutionId,
    State,
    Reason,
    Before,
    After,
    InstitutionVersion,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionRevisions {
    Table,
    Id,
    InstitutionId,
    ChangeReportId,
    InstitutionVersion,
    Previous,
    Current,
    CreatedAt,
}
