//! Relay cursor connections over keyset pages.

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Context, OutputType, SimpleObject};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;
use crate::service::page::{Page, PageRequest};

/// An opaque cursor naming a row by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdCursor(pub i64);

impl CursorType for IdCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| "not a cursor")?;
        let text = String::from_utf8(bytes).map_err(|_| "not a cursor")?;
        text.strip_prefix("id:").and_then(|id| id.parse().ok()).map(Self).ok_or("not a cursor")
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("id:{}", self.0))
    }
}

/// The order of a list.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// 按创建先后 — oldest first.
    #[default]
    OldestFirst,
    /// 最新在前 — newest first.
    NewestFirst,
}

/// Fields every connection has beside its edges.
#[derive(Debug, Clone, Copy, SimpleObject)]
pub struct ConnectionTotals {
    /// How many nodes match the filter across all pages.
    pub total_count: u64,
}

/// A connection of `N` nodes.
pub type Conn<N> = Connection<IdCursor, N, ConnectionTotals>;

/// The complexity of a connection field: the page size asked for (`first` or `last`, 20
/// when neither is given) times the complexity of one node. List resolvers name it in
/// `#[graphql(complexity = "page_complexity(first, last, child_complexity)")]`.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    usize::try_from(first.or(last).unwrap_or(20)).unwrap_or(0) * child_complexity
}

/// Reads Relay paging arguments, decoding cursors; the total is counted only when the
/// query selects `totalCount`.
///
/// # Errors
/// `BAD_USER_INPUT` naming the argument whose cursor does not decode.
pub fn page_request(
    ctx: &Context<'_>,
    after: Option<String>,
    before: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> Result<PageRequest, AppError> {
    let decode = |cursor: Option<String>, field: &str| {
        cursor
            .map(|c| IdCursor::decode_cursor(&c).map(|c| c.0).map_err(|e| AppError::invalid(field, e)))
            .transpose()
    };
    Ok(PageRequest {
        after: decode(after, "after")?,
        before: decode(before, "before")?,
        first,
        last,
        with_total: ctx.look_ahead().field("totalCount").exists(),
        with_rows: ["edges", "nodes", "pageInfo"].iter().any(|f| ctx.look_ahead().field(f).exists()),
        descending: false,
    })
}

/// Whether the query asks for `field` of a connection's nodes, through `edges { node }` or
/// `nodes`.
pub fn nodes_select(ctx: &Context<'_>, field: &str) -> bool {
    let look = ctx.look_ahead();
    look.field("edges").field("node").field(field).exists() || look.field("nodes").field(field).exists()
}

/// Turns a page of rows into a connection of nodes.
pub fn connection<M, N: OutputType>(
    page: Page<M>,
    id_of: impl Fn(&M) -> i64,
    node: impl Fn(M) -> N,
) -> Conn<N> {
    let totals = ConnectionTotals { total_count: page.total.unwrap_or_default() };
    let mut conn = Connection::with_additional_fields(page.has_previous, page.has_next, totals);
    conn.edges = page.items.into_iter().map(|m| Edge::new(IdCursor(id_of(&m)), node(m))).collect();
    conn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = IdCursor(42);
        assert_eq!(IdCursor::decode_cursor(&cursor.encode_cursor()), Ok(cursor));
        assert!(IdCursor::decode_cursor("42").is_err());
        assert!(IdCursor::decode_cursor(&URL_SAFE_NO_PAD.encode("id:x")).is_err());
    }
}
