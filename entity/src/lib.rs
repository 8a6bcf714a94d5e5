//! Database entities of outlet-filing, one module per table.
//!
//! These mirror the tables that `migration` creates and carry no behaviour: validation,
//! workflow and authorization live in the application crate. Enumerations stored as text
//! are in [`sea_orm_active_enums`]; small lists stored as JSON are in [`json`].

#[macro_use]
mod macros;

pub mod announcement;
pub mod announcement_filing;
pub mod annual_report;
pub mod audit_event;
pub mod calendar_day;
pub mod change_report;
pub mod counter;
pub mod department;
pub mod department_summary;
pub mod document;
mod domain_values;
pub mod filing;
pub mod filing_attachment;
pub mod institution;
pub mod institution_ban;
pub mod institution_database;
pub mod institution_revision;
pub mod institution_service_item;
pub mod institution_staff;
pub mod json;
pub mod objection;
pub mod outlet;
pub mod outlet_tag;
pub mod prelude;
pub mod report_attachment;
pub mod sea_orm_active_enums;
pub mod user;
