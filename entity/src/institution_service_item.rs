//! `institution_service_items`: the services an institution offers (Art 13, 14).

use sea_orm::entity::prelude::*;

use crate::json::ServiceChannels;
use crate::sea_orm_active_enums::ServiceType;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "institution_service_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub institution_id: i64,
    pub position: i32,
    pub service_type: ServiceType,
    pub description: String,
    #[sea_orm(column_type = "Json")]
    pub channels: ServiceChannels,
    /// Whether the service is free or low-cost (Art 5(2)).
    pub free_or_low_cost: bool,
}

part_of_institution!();
