//! Publicity, outlets and the working-day calendar (DESIGN §6, Art 7(3), 8, 9, 11, 18).
//! The calendar is seeded with the State Council's holidays for 2025–2026.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000005_create_filings::Filings;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// China's public holidays and make-up working days, as the State Council published them.
const HOLIDAYS: &str = include_str!("../data/cn-public-holidays.csv");

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarDays::Table)
                    .col(date(CalendarDays::Day).primary_key())
                    .col(string_len(CalendarDays::Kind, 16))
                    .col(string_len(CalendarDays::Name, 50))
                    .to_owned(),
            )
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

        manager
            .create_table(
                Table::create()
                    .table(Counters::Table)
                    .col(string_len(Counters::Name, 64).primary_key())
                    .col(big_integer(Counters::Value))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Announcements::Table)
                    .col(big_pk_auto(Announcements::Id))
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
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_announcements_batch")
                    .table(Announcements::Table)
                    .col(Announcements::Year)
                    .col(Announcements::BatchNo)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnouncementFilings::Table)
                    .col(big_integer(AnnouncementFilings::AnnouncementId))
                    .col(big_integer(AnnouncementFilings::FilingId))
                    .col(big_integer_null(AnnouncementFilings::OutletId))
                    .primary_key(
                        Index::create()
                            .col(AnnouncementFilings::AnnouncementId)
                            .col(AnnouncementFilings::FilingId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnouncementFilings::Table, AnnouncementFilings::AnnouncementId)
                            .to(Announcements::Table, Announcements::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnouncementFilings::Table, AnnouncementFilings::FilingId)
                            .to(Filings::Table, Filings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_announcement_filings_filing")
                    .table(AnnouncementFilings::Table)
                    .col(AnnouncementFilings::FilingId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Objections::Table)
                    .col(big_pk_auto(Objections::Id))
                    .col(big_integer(Objections::FilingId))
                    .col(big_integer(Objections::AnnouncementId))
                    .col(text(Objections::Content))
                    .col(string_len(Objections::Status, 16))
                    .col(text_null(Objections::Resolution))
                    .col(big_integer(Objections::RecordedBy))
                    .col(timestamp_with_time_zone(Objections::RecordedAt))
                    .col(big_integer_null(Objections::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Objections::ResolvedAt))
                    .col(integer(Objections::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Objections::Table, Objections::FilingId)
                            .to(Filings::Table, Filings::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_objections_filing")
                    .table(Objections::Table)
                    .col(Objections::FilingId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outlets::Table)
                    .col(big_pk_auto(Outlets::Id))
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
                    .col(integer(Outlets::Version))
                    .col(timestamp_with_time_zone(Outlets::CreatedAt))
                    .col(timestamp_with_time_zone(Outlets::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outlets::Table, Outlets::InstitutionId)
                            .to(Alias::new("institutions"), Alias::new("id")),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_outlets_institution", vec![Outlets::InstitutionId]),
            ("idx_outlets_department", vec![Outlets::DepartmentCode, Outlets::Id]),
            ("idx_outlets_validity", vec![Outlets::Status, Outlets::ValidUntil]),
        ] {
            let mut index = Index::create().name(name).table(Outlets::Table).to_owned();
            for column in columns {
                index.col(column);
            }
            manager.create_index(index).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OutletTags::Table)
                    .col(big_integer(OutletTags::OutletId))
                    .col(string_len(OutletTags::Tag, 40))
                    .primary_key(Index::create().col(OutletTags::OutletId).col(OutletTags::Tag))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OutletTags::Table, OutletTags::OutletId)
                            .to(Outlets::Table, Outlets::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outlet_tags_tag")
                    .table(OutletTags::Table)
                    .col(OutletTags::Tag)
                    .col(OutletTags::OutletId)
                    .to_owned(),
            )
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
        for table in [
            OutletTags::Table.into_iden(),
            Outlets::Table.into_iden(),
            Objections::Table.into_iden(),
            AnnouncementFilings::Table.into_iden(),
            Announcements::Table.into_iden(),
            Counters::Table.into_iden(),
            CalendarDays::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
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
    Version,
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
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OutletTags {
    Table,
    OutletId,
    Tag,
}
