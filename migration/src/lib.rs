//! Schema migrations of outlet-filing, in the order they apply.
//!
//! Run them with `outlet-filing migrate`, with this crate's own binary
//! (`cargo run -p migration -- up`), or with `sea-orm-cli migrate`.

#![expect(
    elided_lifetimes_in_paths,
    reason = "MigrationTrait's async_trait signature rejects `SchemaManager<'_>`"
)]

pub use sea_orm_migration::prelude::*;

mod ddl;

mod m20260101_000001_create_departments;
mod m20260101_000002_create_institutions;
mod m20260101_000003_create_users;
mod m20260101_000004_create_audit_events;
mod m20260101_000005_create_filings;
mod m20260101_000006_create_outlets;
mod m20260101_000007_create_reports;
mod m20260101_000008_create_report_attachments;
mod m20260101_000009_chain_audit_events;
mod m20261202_000020_create_attempt_counts;
mod m20261205_000021_outlet_standing_indexes;
mod m20261205_000022_generations;
mod m20261205_000023_filings_department;
mod m20261205_000024_institutions_generation;
mod m20261205_000025_outlet_status_order_index;
mod m20261206_000026_filings_generation;

/// Every migration of the schema, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_create_departments::Migration),
            Box::new(m20260101_000002_create_institutions::Migration),
            Box::new(m20260101_000003_create_users::Migration),
            Box::new(m20260101_000004_create_audit_events::Migration),
            Box::new(m20260101_000005_create_filings::Migration),
            Box::new(m20260101_000006_create_outlets::Migration),
            Box::new(m20260101_000007_create_reports::Migration),
            Box::new(m20260101_000008_create_report_attachments::Migration),
            Box::new(m20260101_000009_chain_audit_events::Migration),
            Box::new(m20261202_000020_create_attempt_counts::Migration),
            Box::new(m20261205_000021_outlet_standing_indexes::Migration),
            Box::new(m20261205_000022_generations::Migration),
            Box::new(m20261205_000023_filings_department::Migration),
            Box::new(m20261205_000024_institutions_generation::Migration),
            Box::new(m20261205_000025_outlet_status_order_index::Migration),
            Box::new(m20261206_000026_filings_generation::Migration),
        ]
    }
}
