//! The generation `institutions-changed` (see [`crate::ddl::generation`]): raised when an
//! institution is added or removed, or moves to another department or kind. The number of
//! institutions per department and kind, which every bureau's overview shows, is kept in
//! memory with it; other changes to an institution (its address, its contacts) leave the
//! kept counts as they are.

use sea_orm_migration::prelude::*;

use crate::ddl::Watched;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COUNTER: &str = "institutions-changed";
const TABLES: &[Watched<'static>] = &[("institutions", &["department_code", "kind"])];

crate::ddl::generation_migration!(COUNTER, TABLES);
