//! `users`: accounts, each with one role at one scope.

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    /// PHC string of an argon2id hash.
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    /// Set for recommenders: the department they act for.
    pub department_code: Option<String>,
    /// Set for applicants: the institution they act for.
    pub institution_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

relations_with_institution! {
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentCode",
        to = "super::department::Column::Code"
    )]
    Department,
}
