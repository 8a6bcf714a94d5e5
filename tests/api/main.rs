//! Integration tests through the real router, with real tokens, on a fresh database per
//! test: SQLite by default, PostgreSQL when `TEST_DATABASE_URL` is set.

mod accounts;
mod audit;
mod audit_chain;
mod authz_matrix;
mod errors;
mod files;
mod filings;
mod helpers;
mod hostile_input;
mod http;
mod institutions;
mod limits;
mod outlets;
mod reports;
mod schema;
mod snapshots;
mod statements;
mod throttle;
mod timeouts;
