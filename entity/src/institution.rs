//! `institutions`: organisations that apply to become outlets (Art 2, 5, 19).

use sea_orm::entity::prelude::*;

use crate::json::{IpCategories, KeyIndustries, ServiceModes};
use crate::sea_orm_active_enums::{ExemptCategory, InstitutionKind};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "institutions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unified social credit code (GB 32100-2015).
    #[sea_orm(unique)]
    pub uscc: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub department_code: String,
    /// Set when the institution belongs to a category that need not file (Art 19).
    pub exempt_category: Option<ExemptCategory>,
    pub legal_representative: String,
    pub address: String,
    pub principal_name: String,
    pub principal_title: Option<String>,
    pub principal_phone: Option<String>,
    pub principal_email: Option<String>,
    pub contact_name: String,
    pub contact_title: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_mobile: Option<String>,
    pub contact_email: Option<String>,
    pub website: Option<String>,
    #[sea_orm(column_type = "Json")]
    pub ip_categories: IpCategories,
    #[sea_orm(column_type = "Json")]
    pub service_modes: ServiceModes,
    /// Premises area in square metres.
    pub premises_area: Option<i32>,
    pub network_environment: Option<String>,
    pub hardware: Option<String>,
    pub software: Option<String>,
    #[sea_orm(column_type = "Json")]
    pub key_industries: KeyIndustries,
    pub profile: Option<String>,
    /// Optimistic-concurrency counter, raised by every update.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::department::Entity",
        from = "Column::DepartmentCode",
        to = "super::department::Column::Code"
    )]
    Department,
    #[sea_orm(has_many = "super::institution_staff::Entity")]
    Staff,
    #[sea_orm(has_many = "super::institution_database::Entity")]
    Database,
    #[sea_orm(has_many = "super::institution_service_item::Entity")]
    ServiceItem,
}

impl Related<super::department::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Department.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

/// What a list shows of an institution beside another record (a page of filings): its
/// name and where it belongs. Five columns, none of them null, where the model has 29: a
/// page of 20 filings read with their institutions' whole rows spent a fifth of the
/// server's time decoding them. The rest is read when a field asks for it.
#[derive(Clone, Debug, PartialEq, Eq, DerivePartialModel)]
#[sea_orm(entity = "Entity")]
pub struct Summary {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub kind: InstitutionKind,
    pub department_code: String,
}
