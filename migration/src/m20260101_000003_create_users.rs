//! User accounts: one role at one scope each (DESIGN §3).

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, ForeignKeys, created_at, drop_tables, id, table};
use crate::m20260101_000001_create_departments::Departments;
use crate::m20260101_000002_create_institutions::Institutions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(Users::Table)
            .col(id(Users::Id))
            .col(string_len_uniq(Users::Username, 64))
            .col(string_len(Users::PasswordHash, 200))
            .col(string_len(Users::DisplayName, 100))
            .col(string_len(Users::Role, 16))
            .col(string_len_null(Users::DepartmentCode, 6))
            .col(big_integer_null(Users::InstitutionId))
            .col(boolean(Users::Active))
            .col(created_at())
            .references(Users::DepartmentCode, Departments::Table, Departments::Code)
            .references(Users::InstitutionId, Institutions::Table, Institutions::Id)
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Users::Table.into_iden()]).await
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
}
