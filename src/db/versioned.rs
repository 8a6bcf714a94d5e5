//! The one versioned update: `UPDATE … SET …, version = version + 1 WHERE id = ? AND
//! version = ?`. Zero rows means someone else changed the record since the caller read
//! it, and answers `CONFLICT`.

use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait as _, ConnectionTrait, EntityTrait, QueryFilter as _};

use crate::error::AppError;

/// A table whose rows carry an id and a version.
pub trait Versioned: EntityTrait {
    /// What a row is called in messages.
    const NAME: &'static str;
    /// The primary key.
    const ID: Self::Column;
    /// The version, raised by one on every change.
    const VERSION: Self::Column;
}

macro_rules! versioned {
    ($($module:ident => $name:literal),+ $(,)?) => {
        $(
            impl Versioned for entity::$module::Entity {
                const NAME: &'static str = $name;
                const ID: Self::Column = entity::$module::Column::Id;
                const VERSION: Self::Column = entity::$module::Column::Version;
            }
        )+
    };
}

versioned! {
    institution => "institution",
    filing => "filing",
    objection => "objection",
    outlet => "outlet",
    annual_report => "annual report",
    department_summary => "department summary",
    change_report => "change report",
}

/// Writes `set` to row `id` of `E` if it is still at `version`, raising the version, and
/// returns the row as written.
///
/// # Errors
/// `CONFLICT` when the row is no longer at `version`; `NOT_FOUND` when it is gone.
pub async fn versioned_update<E: Versioned>(
    conn: &impl ConnectionTrait,
    id: i64,
    version: i32,
    set: E::ActiveModel,
) -> Result<E::Model, AppError> {
    let updated = E::update_many()
        .set(set)
        .col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .filter(E::ID.eq(id))
        .filter(E::VERSION.eq(version))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::stale(E::NAME));
    }
    E::find().filter(E::ID.eq(id)).one(conn).await?.ok_or(AppError::NotFound { entity: E::NAME })
}
