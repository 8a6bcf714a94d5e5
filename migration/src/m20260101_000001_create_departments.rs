//! The recommending departments (DESIGN §2), created and seeded with their GB/T 2260 codes.

use sea_orm_migration::{prelude::*, schema::*};

use crate::ddl::{Create, drop_tables, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(code, name, kind, parent)`: the 12 leagues and cities, then the two separately
/// planned cities that the guideline's notice also addresses.
const DEPARTMENTS: [(&str, &str, &str, Option<&str>); 14] = [
    ("150100", "呼和浩特市", "PREFECTURE_CITY", None),
    ("150200", "包头市", "PREFECTURE_CITY", None),
    ("150300", "乌海市", "PREFECTURE_CITY", None),
    ("150400", "赤峰市", "PREFECTURE_CITY", None),
    ("150500", "通辽市", "PREFECTURE_CITY", None),
    ("150600", "鄂尔多斯市", "PREFECTURE_CITY", None),
    ("150700", "呼伦贝尔市", "PREFECTURE_CITY", None),
    ("150800", "巴彦淖尔市", "PREFECTURE_CITY", None),
    ("150900", "乌兰察布市", "PREFECTURE_CITY", None),
    ("152200", "兴安盟", "LEAGUE", None),
    ("152500", "锡林郭勒盟", "LEAGUE", None),
    ("152900", "阿拉善盟", "LEAGUE", None),
    ("150781", "满洲里市", "SEPARATELY_PLANNED_CITY", Some("150700")),
    ("152501", "二连浩特市", "SEPARATELY_PLANNED_CITY", Some("152500")),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        table(Departments::Table)
            .col(string_len(Departments::Code, 6).primary_key())
            .col(string_len(Departments::Name, 32))
            .col(string_len(Departments::Kind, 32))
            .col(string_len_null(Departments::ParentCode, 6))
            .col(integer(Departments::SortOrder))
            .create_in(manager)
            .await?;

        let mut insert = Query::insert()
            .into_table(Departments::Table)
            .columns([
                Departments::Code,
                Departments::Name,
                Departments::Kind,
                Departments::ParentCode,
                Departments::SortOrder,
            ])
            .to_owned();
        for (order, (code, name, kind, parent)) in (1..).zip(DEPARTMENTS) {
            insert.values_panic([
                code.into(),
                name.into(),
                kind.into(),
                parent.map(str::to_owned).into(),
                order.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Departments::Table.into_iden()]).await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Departments {
    Table,
    Code,
    Name,
    Kind,
    ParentCode,
    SortOrder,
}
