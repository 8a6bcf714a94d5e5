//! Keyset paging for Relay connections: rows in id order (ascending by default, the order
//! of creation), cursors are ids.

use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, Order, PaginatorTrait, PartialModelTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::error::AppError;

/// Largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;
/// Page size when the client names none.
pub const DEFAULT_PAGE: u64 = 20;

/// Relay paging arguments, with cursors already decoded to ids.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub after: Option<i64>,
    pub before: Option<i64>,
    pub first: Option<i32>,
    pub last: Option<i32>,
    /// Whether to count all matching rows as well.
    pub with_total: bool,
    /// Whether to read the page's rows: not when only the count is asked for.
    pub with_rows: bool,
    /// Newest first: descending ids.
    pub descending: bool,
}

/// One page of rows.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_previous: bool,
    pub has_next: bool,
    /// The number of rows matching the filter, when asked for.
    pub total: Option<u64>,
}

/// Runs `select` as one page. `id` is the entity's primary key column.
///
/// # Errors
/// `BAD_USER_INPUT` when `first` and `last` are both given, or either is negative or above
/// [`MAX_PAGE`].
pub async fn fetch_page<E, C>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: C,
    request: &PageRequest,
) -> Result<Page<E::Model>, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
{
    page_of(db, select, id, request, |rows| rows.all(db)).await
}

/// As [`fetch_page`], each row read as `P`: the columns a list shows, not the whole row.
///
/// # Errors
/// As [`fetch_page`].
pub async fn fetch_partial_page<E, C, P>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: C,
    request: &PageRequest,
) -> Result<Page<P>, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
    P: PartialModelTrait + Send + Sync,
{
    page_of(db, select, id, request, |rows| rows.into_partial_model::<P>().all(db)).await
}

/// How many rows `select` matches, counted over the ids alone: a count over every column
/// makes SQLite read each row's documents (a filing's form) when the select joins another
/// table.
///
/// # Errors
/// When the database fails.
pub async fn count<E, C>(db: &DatabaseConnection, select: Select<E>, id: C) -> Result<u64, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
{
    Ok(select.select_only().column(id).count(db).await?)
}

/// A page read by `read` whose total, when the request asks for one, comes from `total`
/// instead of a count over the page's own select: a total kept in memory, or counted over
/// a cheaper select than the page's.
///
/// # Errors
/// As `total` and `read`.
pub async fn with_total<T, Rows>(
    request: PageRequest,
    total: impl Future<Output = Result<u64, AppError>>,
    read: impl FnOnce(PageRequest) -> Rows,
) -> Result<Page<T>, AppError>
where
    Rows: Future<Output = Result<Page<T>, AppError>>,
{
    let total = if request.with_total { Some(total.await?) } else { None };
    let mut page = read(PageRequest { with_total: false, ..request }).await?;
    page.total = total;
    Ok(page)
}

/// The page itself: `read` reads the rows of the limited, ordered select.
async fn page_of<E, C, T, Rows>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: C,
    request: &PageRequest,
    read: impl Fn(Select<E>) -> Rows,
) -> Result<Page<T>, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
    Rows: Future<Output = Result<Vec<T>, DbErr>>,
{
    let size = |value: i32, field: &str| {
        u64::try_from(value)
            .ok()
            .filter(|v| *v <= MAX_PAGE)
            .ok_or_else(|| AppError::invalid(field, format!("must be between 0 and {MAX_PAGE}")))
    };
    let total = if request.with_total { Some(count(db, select.clone(), id).await?) } else { None };
    let mut select = select;
    // "After" a cursor means further along the chosen order.
    let (forward, backward) =
        if request.descending { (Order::Desc, Order::Asc) } else { (Order::Asc, Order::Desc) };
    if let Some(after) = request.after {
        select = select.filter(if request.descending { id.lt(after) } else { id.gt(after) });
    }
    if let Some(before) = request.before {
        select = select.filter(if request.descending { id.gt(before) } else { id.lt(before) });
    }
    let page = match (request.first, request.last) {
        (Some(_), Some(_)) => return Err(AppError::invalid("last", "give either first or last, not both")),
        (first, last) if !request.with_rows => {
            // The arguments are checked all the same: a request is valid or not whatever
            // it selects.
            first.map(|f| size(f, "first")).transpose()?;
            last.map(|l| size(l, "last")).transpose()?;
            Page { items: Vec::new(), has_previous: false, has_next: false, total }
        }
        (_, Some(last)) => {
            let last = size(last, "last")?;
            let mut items = read(select.order_by(id, backward).limit(last + 1)).await?;
            let has_previous = items.len() as u64 > last;
            items.truncate(last as usize);
            items.reverse();
            Page { items, has_previous, has_next: request.before.is_some(), total }
        }
        (first, None) => {
            let first = first.map_or(Ok(DEFAULT_PAGE), |f| size(f, "first"))?;
            let mut items = read(select.order_by(id, forward).limit(first + 1)).await?;
            let has_next = items.len() as u64 > first;
            items.truncate(first as usize);
            Page { items, has_previous: request.after.is_some(), has_next, total }
        }
    };
    Ok(page)
}
