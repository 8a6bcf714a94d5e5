//! Publicity, outlets and the working-day calendar (DESIGN §6, Art 7(3), 8, 9, 11, 18).
//! The calendar is seeded with the State Council's holidays for 2025–2026.

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{
    Create, ForeignKeys, created_at, drop_tables, id, index, table, unique_index, updated_at, version,
};
use crate::m20260101_000005_create_filings::Filings;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// China's public holidays and make-up working days, as the State Council published them.
const HOLIDAYS: &str = include_str!("../data/cn-public-holidays.csv");

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(CalendarDays::Table)
            .col(date(CalendarDays::Day).primary_key())
            .col(string_len(CalendarDays::Kind, 16))
            .col(string_len(CalendarDays::Name, 50))
            .create_in(manager)
            .await?;
        let mut insert = Query::insert()
            .into_table(CalendarDays::Table)
            .columns([CalendarDays::Day, CalendarDays::Kind, CalendarDays::Name])
            .to_owned();
        for line in HOLIDAYS.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut fields = line.split(',');
            let (Some(day), Some(kind), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
                return Err(DbErr::Migration(format!("bad calendar line: {line}")));
            };
            let day = sea_orm_migration::sea_orm::prelude::Date::parse_from_str(day.trim(), "%Y-%m-%d")
                .map_err(|e| DbErr::Migration(format!("bad date in {line}: {e}")))?;
            insert.values_panic([day.into(), kind.trim().into(), name.trim().into()]);
        }
        manager.exec_stmt(insert).await?;

        table(Counters::Table)
            .col(string_len(Counters::Name, 64).primary_key())
            .col(big_integer(Counters::Value))
            .create_in(manager)
            .await?;

        table(Announcements::Table)
            .col(id(Announcements::Id))
            .col(string_len(Announcements::Kind, 16))
            .col(string_len(Announcements::Title, 200))
            .col(integer_null(Announcements::Year))
            .col(integer_null(Announcements::BatchNo))
            .col(big_integer_null(Announcements::PublicityId).unique_key())
            .col(date_null(Announcements::StartDate))
            .col(date_null(Announcements::EndDate))
            .col(integer_null(Announcements::WorkingDays))
            .col(timestamp_with_time_zone(Announcements::PublishedAt))
            .col(big_integer(Announcements::CreatedBy))
            .create_in(manager)
            .await?;
        unique_index(
            "idx_announcements_batch",
            Announcements::Table,
            [Announcements::Year, Announcements::BatchNo],
        )
        .create_in(manager)
        .await?;
        table(AnnouncementFilings::Table)
            .col(big_integer(AnnouncementFilings::AnnouncementId))
            .col(big_integer(AnnouncementFilings::FilingId))
            .col(big_integer_null(AnnouncementFilings::OutletId))
            .primary_key(
                Index::create().col(AnnouncementFilings::AnnouncementId).col(AnnouncementFilings::FilingId),
            )
            .references(AnnouncementFilings::AnnouncementId, Announcements::Table, Announcements::Id)
            .references(AnnouncementFilings::FilingId, Filings::Table, Filings::Id)
            .create_in(manager)
            .await?;
        index("idx_announcement_filings_filing", AnnouncementFilings::Table, [AnnouncementFilings::FilingId])
            .create_in(manager)
            .await?;

        table(Objections::Table)
            .col(id(Objections::Id))
            .col(big_integer(Objections::FilingId))
            .col(big_integer(Objections::AnnouncementId))
            .col(text(Objections::Content))
            .col(string_len(Objections::Status, 16))
            .col(text_null(Objections::Resolution))
            .col(big_integer(Objections::RecordedBy))
            .col(timestamp_with_time_zone(Objections::RecordedAt))
            .col(big_integer_null(Objections::ResolvedBy))
            .col(timestamp_with_time_zone_null(Objections::ResolvedAt))
            .col(version())
            .references(Objections::FilingId, Filings::Table, Filings::Id)
            .create_in(manager)
            .await?;
        index("idx_objections_filing", Objections::Table, [Objections::FilingId]).create_in(manager).await?;

        table(Outlets::Table)
            .col(id(Outlets::Id))
            .col(string_len_uniq(Outlets::Number, 32))
            .col(big_integer(Outlets::InstitutionId))
            .col(big_integer(Outlets::FilingId))
            .col(string_len(Outlets::Status, 16))
            .col(date(Outlets::FiledOn))
            .col(date(Outlets::ValidFrom))
            .col(date(Outlets::ValidUntil))
            .col(string_len(Outlets::Name, 200))
            .col(string_len(Outlets::Kind, 32))
            .col(string_len(Outlets::DepartmentCode, 6))
            .col(string_len(Outlets::Address, 300))
            .col(string_len(Outlets::ContactName, 100))
            .col(string_len_null(Outlets::Website, 300))
            .col(json(Outlets::IpCategories))
            .col(json(Outlets::ServiceModes))
            .col(json(Outlets::ServiceItems))
            .col(date_null(Outlets::NationalRecommendedOn))
            .col(text_null(Outlets::NationalNote))
            .col(text_null(Outlets::SanctionReason))
            .col(date_null(Outlets::SanctionedOn))
            .col(version())
            .col(created_at())
            .col(updated_at())
            .references(Outlets::InstitutionId, Alias::new("institutions"), Alias::new("id"))
            .create_in(manager)
            .await?;
        for (name, columns) in [
            ("idx_outlets_institution", vec![Outlets::InstitutionId]),
            ("idx_outlets_department", vec![Outlets::DepartmentCode, Outlets::Id]),
            ("idx_outlets_validity", vec![Outlets::Status, Outlets::ValidUntil]),
        ] {
            index(name, Outlets::Table, columns).create_in(manager).await?;
        }
        table(OutletTags::Table)
            .col(big_integer(OutletTags::OutletId))
            .col(string_len(OutletTags::Tag, 40))
            .primary_key(Index::create().col(OutletTags::OutletId).col(OutletTags::Tag))
            .references_cascading(OutletTags::OutletId, Outlets::Table, Outlets::Id)
            .create_in(manager)
            .await?;
        index("idx_outlet_tags_tag", OutletTags::Table, [OutletTags::Tag, OutletTags::OutletId])
            .create_in(manager)
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Filings::Table)
                    .add_column(big_integer_null(Filings::OutletId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Filings::Table).drop_column(Filings::OutletId).to_owned())
            .await?;
        drop_tables(
            manager,
            [
                OutletTags::Table.into_iden(),
                Outlets::Table.into_iden(),
                Objections::Table.into_iden(),
                AnnouncementFilings::Table.into_iden(),
                Announcements::Table.into_iden(),
                Counters::Table.into_iden(),
                CalendarDays::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum CalendarDays {
    Table,
    Day,
    Kind,
    Name,
}

#[derive(DeriveIden, Clone, Copy)]
enum Counters {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden, Clone, Copy)]
enum Announcements {
    Table,
    Id,
    Kind,
    Title,
    Year,
    BatchNo,
    PublicityId,
    StartDate,
    EndDate,
    WorkingDays,
    PublishedAt,
    CreatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum AnnouncementFilings {
    Table,
    AnnouncementId,
    FilingId,
    OutletId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Objections {
    Table,
    Id,
    FilingId,
    AnnouncementId,
    Content,
    Status,
    Resolution,
    RecordedBy,
    RecordedAt,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Outlets {
    Table,
    Id,
    Number,
    InstitutionId,
    FilingId,
    Status,
    FiledOn,
    ValidFrom,
    ValidUntil,
    Name,
    Kind,
    DepartmentCode,
    Address,
    ContactName,
    Website,
    IpCategories,
    ServiceModes,
    ServiceItems,
    NationalRecommendedOn,
    NationalNote,
    SanctionReason,
    SanctionedOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum OutletTags {
    Table,
    OutletId,
    Tag,
}
