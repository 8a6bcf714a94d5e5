//! `filings.department_code`: the department of the filing's institution, kept on the
//! filing so that a league or city bureau's list of filings in a state is one index range,
//! `(department_code, state, id)`, instead of a look-up of every filing of the department's
//! institutions. Filled from the institutions for the filings that exist.

use sea_orm::ConnectionTrait as _;
use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, index};
use crate::m20260101_000005_create_filings::Filings;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 2] = ["idx_filings_department_state", "idx_filings_department"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds a NOT NULL column to a table with rows only with a default; the update
        // below leaves no row with it.
        manager
            .alter_table(
                Table::alter()
                    .table(Filings::Table)
                    .add_column(string_len(Added::DepartmentCode, 6).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE filings SET department_code = \
                 (SELECT department_code FROM institutions WHERE institutions.id = filings.institution_id)",
            )
            .await?;
        index(
            INDEXES[0],
            Filings::Table,
            [Added::DepartmentCode.into_iden(), Filings::State.into_iden(), Filings::Id.into_iden()],
        )
        .create_in(manager)
        .await?;
        index(INDEXES[1], Filings::Table, [Added::DepartmentCode.into_iden(), Filings::Id.into_iden()])
            .create_in(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in INDEXES {
            manager.drop_index(Index::drop().name(name).table(Filings::Table).to_owned()).await?;
        }
        manager
            .alter_table(Table::alter().table(Filings::Table).drop_column(Added::DepartmentCode).to_owned())
            .await
    }
}

/// The column this migration adds to `filings`.
#[derive(DeriveIden, Clone, Copy)]
enum Added {
    DepartmentCode,
}
