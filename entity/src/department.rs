//! `departments`: the recommending departments (盟市), seeded by a migration.

use sea_orm::entity::prelude::*;

use crate::sea_orm_active_enums::DepartmentKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "departments")]
pub struct Model {
    /// GB/T 2260 division code, e.g. `150100`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub kind: DepartmentKind,
    /// For a separately planned city, the code of the league or city it lies in.
    pub parent_code: Option<String>,
    pub sort_order: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::institution::Entity")]
    Institution,
}

impl Related<super::institution::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Institution.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
