//! The generation `filings-changed` (see [`crate::ddl::generation`]): raised when a filing is
//! added or removed, or changes state, kind or department. The number of filings in each
//! state that the bureaus' work lists show is kept in memory with it; an update that sets
//! none of those columns leaves the kept totals as they are.

use sea_orm_migration::prelude::*;

use crate::ddl::Watched;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTER: &str = "filings-changed";
const TABLES: &[Watched<'static>] = &[("filings", &["state", "kind", "department_code"])];

crate::ddl::generation_migration!(COUNTER, TABLES);
