//! Institutions and their capability profile: staff roster, databases and tools, service
//! items (DESIGN §4).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_departments::Departments;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Institutions::Table)
                    .col(big_pk_auto(Institutions::Id))
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
                    .col(integer(Institutions::Version))
                    .col(timestamp_with_time_zone(Institutions::CreatedAt))
                    .col(timestamp_with_time_zone(Institutions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Institutions::Table, Institutions::DepartmentCode)
                            .to(Departments::Table, Departments::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_institutions_department")
                    .table(Institutions::Table)
                    .col(Institutions::DepartmentCode)
                    .col(Institutions::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(InstitutionStaff::Table)
                    .col(big_pk_auto(InstitutionStaff::Id))
                    .col(big_integer(InstitutionStaff::InstitutionId))
                    .col(integer(InstitutionStaff::Position))
                    .col(string_len(InstitutionStaff::Name, 100))
                    .col(string_len(InstitutionStaff::Employment, 16))
                    .col(string_len_null(InstitutionStaff::Education, 100))
                    .col(string_len_null(InstitutionStaff::Speciality, 100))
                    .col(string_len_null(InstitutionStaff::Title, 100))
                    .col(integer_null(InstitutionStaff::YearsOfExperience))
                    .col(text_null(InstitutionStaff::Certificates))
                    .foreign_key(&mut child_of_institution(
                        InstitutionStaff::Table,
                        InstitutionStaff::InstitutionId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstitutionDatabases::Table)
                    .col(big_pk_auto(InstitutionDatabases::Id))
                    .col(big_integer(InstitutionDatabases::InstitutionId))
                    .col(integer(InstitutionDatabases::Position))
                    .col(string_len(InstitutionDatabases::Name, 200))
                    .col(string_len(InstitutionDatabases::Source, 16))
                    .col(date_null(InstitutionDatabases::ValidUntil))
                    .foreign_key(&mut child_of_institution(
                        InstitutionDatabases::Table,
                        InstitutionDatabases::InstitutionId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstitutionServiceItems::Table)
                    .col(big_pk_auto(InstitutionServiceItems::Id))
                    .col(big_integer(InstitutionServiceItems::InstitutionId))
                    .col(integer(InstitutionServiceItems::Position))
                    .col(string_len(InstitutionServiceItems::ServiceType, 24))
                    .col(text(InstitutionServiceItems::Description))
                    .col(json(InstitutionServiceItems::Channels))
                    .col(boolean(InstitutionServiceItems::FreeOrLowCost))
                    .foreign_key(&mut child_of_institution(
                        InstitutionServiceItems::Table,
                        InstitutionServiceItems::InstitutionId,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, table) in [
            ("idx_institution_staff_institution", InstitutionStaff::Table.into_iden()),
            ("idx_institution_databases_institution", InstitutionDatabases::Table.into_iden()),
            ("idx_institution_service_items_institution", InstitutionServiceItems::Table.into_iden()),
        ] {
            manager
                .create_index(
                    Index::create().name(name).table(table).col(Alias::new("institution_id")).to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InstitutionServiceItems::Table.into_iden(),
            InstitutionDatabases::Table.into_iden(),
            InstitutionStaff::Table.into_iden(),
            Institutions::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// The foreign key from a profile table to its institution; rows go with the institution.
fn child_of_institution<T: IntoIden + Copy + 'static, C: IntoIden + 'static>(
    table: T,
    column: C,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Institutions::Table, Institutions::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
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
    Version,
    CreatedAt,
    UpdatedAt,
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
