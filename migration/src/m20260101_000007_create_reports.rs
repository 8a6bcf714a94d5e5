//! Annual reports with department summaries (Art 17), change reports and the revisions
//! they leave (Art 10).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{
    Create, ForeignKeys, created_at, drop_tables, id, index, table, unique_index, updated_at, version,
};
use crate::m20260101_000006_create_outlets::Outlets;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(AnnualReports::Table)
            .col(id(AnnualReports::Id))
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
            .col(version())
            .col(created_at())
            .col(updated_at())
            .references(AnnualReports::OutletId, Outlets::Table, Outlets::Id)
            .create_in(manager)
            .await?;
        unique_index(
            "idx_annual_reports_outlet_year",
            AnnualReports::Table,
            [AnnualReports::OutletId, AnnualReports::Year],
        )
        .create_in(manager)
        .await?;
        index(
            "idx_annual_reports_department_year",
            AnnualReports::Table,
            [AnnualReports::DepartmentCode, AnnualReports::Year],
        )
        .create_in(manager)
        .await?;

        table(DepartmentSummaries::Table)
            .col(id(DepartmentSummaries::Id))
            .col(string_len(DepartmentSummaries::DepartmentCode, 6))
            .col(integer(DepartmentSummaries::Year))
            .col(string_len(DepartmentSummaries::State, 16))
            .col(string_len_null(DepartmentSummaries::PendingKey, 16).unique_key())
            .col(json(DepartmentSummaries::Totals))
            .col(integer(DepartmentSummaries::ReportCount))
            .col(json(DepartmentSummaries::Narrative))
            .col(timestamp_with_time_zone(DepartmentSummaries::ForwardedAt))
            .col(version())
            .col(updated_at())
            .create_in(manager)
            .await?;

        table(ChangeReports::Table)
            .col(id(ChangeReports::Id))
            .col(big_integer(ChangeReports::OutletId))
            .col(big_integer(ChangeReports::InstitutionId))
            .col(string_len(ChangeReports::State, 16))
            .col(text(ChangeReports::Reason))
            .col(json(ChangeReports::Before))
            .col(json(ChangeReports::After))
            .col(integer(ChangeReports::InstitutionVersion))
            .col(version())
            .col(created_at())
            .col(updated_at())
            .references(ChangeReports::OutletId, Outlets::Table, Outlets::Id)
            .create_in(manager)
            .await?;
        index("idx_change_reports_institution", ChangeReports::Table, [ChangeReports::InstitutionId])
            .create_in(manager)
            .await?;

        table(InstitutionRevisions::Table)
            .col(id(InstitutionRevisions::Id))
            .col(big_integer(InstitutionRevisions::InstitutionId))
            .col(big_integer(InstitutionRevisions::ChangeReportId))
            .col(integer(InstitutionRevisions::InstitutionVersion))
            .col(json(InstitutionRevisions::Previous))
            .col(json(InstitutionRevisions::Current))
            .col(created_at())
            .create_in(manager)
            .await?;
        index(
            "idx_institution_revisions_institution",
            InstitutionRevisions::Table,
            [InstitutionRevisions::InstitutionId],
        )
        .create_in(manager)
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                InstitutionRevisions::Table.into_iden(),
                ChangeReports::Table.into_iden(),
                DepartmentSummaries::Table.into_iden(),
                AnnualReports::Table.into_iden(),
            ],
        )
        .await
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
}
