//! `outlets`: filed institutions (网点), valid for three years at a time (Art 9), with the
//! public data the list shows (Art 8).

use sea_orm::entity::prelude::*;

use crate::json::{IpCategories, ServiceItems, ServiceModes};
use crate::sea_orm_active_enums::{InstitutionKind, OutletStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outlets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// e.g. `NM-IPIS-2026-0001`.
    #[sea_orm(unique)]
    pub number: String,
    pub institution_id: i64,
    /// The initial filing that created it.
    pub filing_id: i64,
    pub status: OutletStatus,
    pub filed_on: Date,
    /// First and last day of validity.
    pub valid_from: Date,
    pub valid_until: Date,
    pub name: String,
    pub kind: InstitutionKind,
    pub department_code: String,
    pub address: String,
    pub contact_name: String,
    pub website: Option<String>,
    #[sea_orm(column_type = "Json")]
    pub ip_categories: IpCategories,
    #[sea_orm(column_type = "Json")]
    pub service_modes: ServiceModes,
    #[sea_orm(column_type = "Json")]
    pub service_items: ServiceItems,
    /// Recommended to CNIPA as a national outlet (Art 11).
    pub national_recommended_on: Option<Date>,
    pub national_note: Option<String>,
    /// Why and when it was terminated or revoked (Art 18).
    pub sanction_reason: Option<String>,
    pub sanctioned_on: Option<Date>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

no_relations!();
