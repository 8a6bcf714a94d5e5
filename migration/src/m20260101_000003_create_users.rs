//! User accounts: one role at one scope each (DESIGN §3).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_departments::Departments;
use crate::m20260101_000002_create_institutions::Institutions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Username, 64))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(string_len(Users::DisplayName, 100))
                    .col(string_len(Users::Role, 16))
                    .col(string_len_null(Users::DepartmentCode, 6))
                    .col(big_integer_null(Users::InstitutionId))
                    .col(boolean(Users::Active))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::DepartmentCode)
                            .to(Departments::Table, Departments::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::InstitutionId)
                            .to(Institutions::Table, Institutions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Users::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    DisplayName,
    Role,
    DepartmentCode,
    InstitutionId,
    Active,
    CreatedAt,
}
