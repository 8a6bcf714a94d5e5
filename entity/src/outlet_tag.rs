//! `outlet_tags`: what an outlet offers, one row per IP category, service mode and service
//! type (`IP:PATENT`, `MODE:ONLINE`, `SERVICE:SEARCH`), so that lists filter in SQL.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outlet_tags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub outlet_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag: String,
}

no_relations!();
