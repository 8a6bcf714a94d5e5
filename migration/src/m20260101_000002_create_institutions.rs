//! Institutions and their capability profile: staff roster, databases and tools, service
//! items (DESIGN §4).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, ForeignKeys, created_at, drop_tables, id, index, table, updated_at, version};
use crate::m20260101_000001_create_departments::Departments;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(Institutions::Table)
            .col(id(Institutions::Id))
            .col(string_len_uniq(Institutions::Uscc, 18))
            .col(string_len(Institutions::Name, 200))
            .col(string_len(Institutions::Kind, 32))
            .col(string_len(Institutions::DepartmentCode, 6))
            .col(string_len_null(Institutions::ExemptCategory, 40))
            .col(string_len(Institutions::LegalRepresentative, 100))
            .col(string_len(Institutions::Address, 300))
            .col(string_len(Institutions::PrincipalName, 100))
            .col(string_len_null(Institutions::PrincipalTitle, 100))
            .col(string_len_null(Institutions::PrincipalPhone, 32))
            .col(string_len_null(Institutions::PrincipalEmail, 254))
            .col(string_len(Institutions::ContactName, 100))
            .col(string_len_null(Institutions::ContactTitle, 100))
            .col(string_len_null(Institutions::ContactPhone, 32))
            .col(string_len_null(Institutions::ContactMobile, 32))
            .col(string_len_null(Institutions::ContactEmail, 254))
            .col(string_len_null(Institutions::Website, 300))
            .col(json(Institutions::IpCategories))
            .col(json(Institutions::ServiceModes))
            .col(integer_null(Institutions::PremisesArea))
            .col(text_null(Institutions::NetworkEnvironment))
            .col(text_null(Institutions::Hardware))
            .col(text_null(Institutions::Software))
            .col(json(Institutions::KeyIndustries))
            .col(text_null(Institutions::Profile))
            .col(version())
            .col(created_at())
            .col(updated_at())
            .references(Institutions::DepartmentCode, Departments::Table, Departments::Code)
            .create_in(manager)
            .await?;
        index(
            "idx_institutions_department",
            Institutions::Table,
            [Institutions::DepartmentCode, Institutions::Id],
        )
        .create_in(manager)
        .await?;

        table(InstitutionStaff::Table)
            .col(id(InstitutionStaff::Id))
            .col(big_integer(InstitutionStaff::InstitutionId))
            .col(integer(InstitutionStaff::Position))
            .col(string_len(InstitutionStaff::Name, 100))
            .col(string_len(InstitutionStaff::Employment, 16))
            .col(string_len_null(InstitutionStaff::Education, 100))
            .col(string_len_null(InstitutionStaff::Speciality, 100))
            .col(string_len_null(InstitutionStaff::Title, 100))
            .col(integer_null(InstitutionStaff::YearsOfExperience))
            .col(text_null(InstitutionStaff::Certificates))
            .references_cascading(InstitutionStaff::InstitutionId, Institutions::Table, Institutions::Id)
            .create_in(manager)
            .await?;
        table(InstitutionDatabases::Table)
            .col(id(InstitutionDatabases::Id))
            .col(big_integer(InstitutionDatabases::InstitutionId))
            .col(integer(InstitutionDatabases::Position))
            .col(string_len(InstitutionDatabases::Name, 200))
            .col(string_len(InstitutionDatabases::Source, 16))
            .col(date_null(InstitutionDatabases::ValidUntil))
            .references_cascading(InstitutionDatabases::InstitutionId, Institutions::Table, Institutions::Id)
            .create_in(manager)
            .await?;
        table(InstitutionServiceItems::Table)
            .col(id(InstitutionServiceItems::Id))
            .col(big_integer(InstitutionServiceItems::InstitutionId))
            .col(integer(InstitutionServiceItems::Position))
            .col(string_len(InstitutionServiceItems::ServiceType, 24))
            .col(text(InstitutionServiceItems::Description))
            .col(json(InstitutionServiceItems::Channels))
            .col(boolean(InstitutionServiceItems::FreeOrLowCost))
            .references_cascading(
                InstitutionServiceItems::InstitutionId,
                Institutions::Table,
                Institutions::Id,
            )
            .create_in(manager)
            .await?;
        for (name, profile) in [
            ("idx_institution_staff_institution", InstitutionStaff::Table.into_iden()),
            ("idx_institution_databases_institution", InstitutionDatabases::Table.into_iden()),
            ("idx_institution_service_items_institution", InstitutionServiceItems::Table.into_iden()),
        ] {
            index(name, profile, [Alias::new("institution_id")]).create_in(manager).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                InstitutionServiceItems::Table.into_iden(),
                InstitutionDatabases::Table.into_iden(),
                InstitutionStaff::Table.into_iden(),
                Institutions::Table.into_iden(),
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Institutions {
    Table,
    Id,
    Uscc,
    Name,
    Kind,
    DepartmentCode,
    ExemptCategory,
    LegalRepresentative,
    Address,
    PrincipalName,
    PrincipalTitle,
    PrincipalPhone,
    PrincipalEmail,
    ContactName,
    ContactTitle,
    ContactPhone,
    ContactMobile,
    ContactEmail,
    Website,
    IpCategories,
    ServiceModes,
    PremisesArea,
    NetworkEnvironment,
    Hardware,
    Software,
    KeyIndustries,
    Profile,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionStaff {
    Table,
    Id,
    InstitutionId,
    Position,
    Name,
    Employment,
    Education,
    Speciality,
    Title,
    YearsOfExperience,
    Certificates,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionDatabases {
    Table,
    Id,
    InstitutionId,
    Position,
    Name,
    Source,
    ValidUntil,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstitutionServiceItems {
    Table,
    Id,
    InstitutionId,
    Position,
    ServiceType,
    Description,
    Channels,
    FreeOrLowCost,
}
