//! `announcement_filings`: which filings an announcement names.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcement_filings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub announcement_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub filing_id: i64,
    /// For a list: the outlet the filing became.
    pub outlet_id: Option<i64>,
}

no_relations!();
