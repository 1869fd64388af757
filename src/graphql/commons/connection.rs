//! Cursor connections (Relay): `first/after/last/before`, `pageInfo`, `totalCount`.
//! Pages hold 20 items by default and at most 100; asking for more is an error, not a
//! silent cut.

use async_graphql::{SimpleObject, connection::CursorType};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use sea_orm::{DatabaseConnection, DbErr, EntityTrait};

use super::{errors::ErrorCode, text::Text};
use crate::domain::reads::Listing;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

/// Position of an item in an ordered listing, opaque to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetCursor(pub u64);

impl CursorType for OffsetCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let raw = URL_SAFE_NO_PAD.decode(s).map_err(|_| "malformed cursor")?;
        let raw = std::str::from_utf8(&raw).map_err(|_| "malformed cursor")?;
        let offset = raw.strip_prefix("o:").ok_or("malformed cursor")?;
        offset
            .parse()
            .map(OffsetCursor)
            .map_err(|_| "malformed cursor")
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("o:{}", self.0))
    }
}

/// The opaque cursor of the item at `position` in a listing.
pub fn cursor_of(position: u64) -> String {
    OffsetCursor(position).encode_cursor()
}

/// [`cursor_of`] written in PostgreSQL, for the position in the SQL expression
/// `position` (`fast::fleet`'s compiled edges).
pub fn postgres_cursor(position: &str) -> String {
    super::global_id::postgres_base64url(&format!("'o:' || {position}"))
}

/// Where a page sits in the whole listing.
#[derive(Debug, Clone, SimpleObject)]
pub struct PageInfo {
    /// True when items come after this page (fetch them with `after: endCursor`).
    pub has_next_page: bool,
    /// True when items come before this page (fetch them with `before: startCursor`).
    pub has_previous_page: bool,
    /// Cursor of the first item of this page; null when the page is empty.
    pub start_cursor: Option<String>,
    /// Cursor of the last item of this page; null when the page is empty.
    pub end_cursor: Option<String>,
}

/// Declares a connection type `$connection` of `$node` with its edge type `$edge`:
/// `edges`, `nodes`, `pageInfo` and `totalCount`, each described in the schema. With
/// `plain = f`, `nodes` answers the fields `f` reads straight from a node without a future
/// per field, and a page PostgreSQL built (its `compiled` constructor) as its JSON (see
/// [`crate::graphql::fast::plain`]). Cursors are written only when an edge's is asked.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $connection_doc:literal, $edge_doc:literal $(, plain = $plain:expr)?) => {
        #[doc = $connection_doc]
        pub struct $connection {
            edges: Vec<$edge>,
            page_info: $crate::graphql::commons::connection::PageInfo,
            total_count: u64,
            /// The page's nodes as PostgreSQL built them (`fast::compiled`), in
            /// place of `edges`.
            compiled: Option<Vec<String>>,
            /// Or its edges, with their nodes as PostgreSQL built them.
            compiled_edges: Option<Vec<String>>,
        }

        #[doc = $edge_doc]
        pub struct $edge {
            position: u64,
            node: $node,
        }

        #[async_graphql::Object]
        #[doc = $edge_doc]
        impl $edge {
            /// Opaque position of this item; pass it as `after` or `before`.
            async fn cursor(&self) -> String {
                $crate::graphql::commons::connection::cursor_of(self.position)
            }
            /// The item.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        #[async_graphql::Object]
        #[doc = $connection_doc]
        impl $connection {
            /// The items of this page, each with its cursor.
            async fn edges(&self) -> $crate::graphql::fast::plain::PlainList<'_, $edge> {
                if let Some(json) = &self.compiled_edges {
                    return $crate::graphql::fast::plain::PlainList::compiled(json);
                }
                $crate::graphql::fast::plain::PlainList::new(self.edges.iter().collect(), None)
            }
            /// The items of this page, without cursors.
            async fn nodes(&self) -> $crate::graphql::fast::plain::PlainList<'_, $node> {
                if let Some(json) = &self.compiled {
                    return $crate::graphql::fast::plain::PlainList::compiled(json);
                }
                #[allow(unused_mut, unused_assignments)]
                let mut plain: Option<$crate::graphql::fast::plain::PlainFields<$node>> = None;
                $(plain = Some($plain);)?
                $crate::graphql::fast::plain::PlainList::new(
                    self.edges.iter().map(|e| &e.node).collect(),
                    plain,
                )
            }
            /// Where this page sits in the whole listing.
            async fn page_info(&self) -> &$crate::graphql::commons::connection::PageInfo {
                &self.page_info
            }
            /// How many items the listing has in all, whatever the page.
            async fn total_count(&self) -> u64 {
                self.total_count
            }
        }

        impl $connection {
            /// The connection for the rows fetched for `window`.
            pub fn new(
                window: $crate::graphql::commons::connection::Window,
                nodes: impl IntoIterator<Item = $node>,
            ) -> Self {
                let edges: Vec<$edge> = nodes
                    .into_iter()
                    .enumerate()
                    .map(|(i, node)| $edge {
                        position: window.position_of(i),
                        node,
                    })
                    .collect();
                let page_info = window.page_info(
                    (!edges.is_empty()).then(|| window.cursor_at(0)),
                    edges.last().map(|e| $crate::graphql::commons::connection::cursor_of(e.position)),
                );
                Self {
                    edges,
                    page_info,
                    total_count: window.total(),
                    compiled: None,
                    compiled_edges: None,
                }
            }

            /// The connection for the nodes PostgreSQL built as JSON text for `window`
            /// (`fast::compiled`): only `nodes`, `pageInfo` and `totalCount` read it,
            /// as the compiler accepts no other selection.
            #[allow(dead_code)]
            pub fn compiled(
                window: $crate::graphql::commons::connection::Window,
                nodes: Vec<String>,
            ) -> Self {
                let page_info = window.page_info(
                    (!nodes.is_empty()).then(|| window.cursor_at(0)),
                    nodes.len().checked_sub(1).map(|i| window.cursor_at(i)),
                );
                Self {
                    edges: Vec::new(),
                    page_info,
                    total_count: window.total(),
                    compiled: Some(nodes),
                    compiled_edges: None,
                }
            }

            /// The connection for the edges built from the nodes PostgreSQL built as
            /// JSON text for `window` (`fast::fleet`): only `edges`, `pageInfo` and
            /// `totalCount` read it.
            #[allow(dead_code)]
            pub fn compiled_edges(
                window: $crate::graphql::commons::connection::Window,
                edges: Vec<String>,
            ) -> Self {
                let mut page = Self::compiled(window, Vec::new());
                page.page_info = window.page_info(
                    (!edges.is_empty()).then(|| window.cursor_at(0)),
                    edges.len().checked_sub(1).map(|i| window.cursor_at(i)),
                );
                page.compiled = None;
                page.compiled_edges = Some(edges);
                page
            }

            /// The connection for a page of a listing read as rows (each made a node by
            /// `node`) or built by PostgreSQL (`fast::listing`).
            #[allow(dead_code)]
            pub fn listed<M>(
                window: $crate::graphql::commons::connection::Window,
                page: $crate::graphql::commons::connection::Listed<M>,
                node: impl Fn(M) -> $node,
            ) -> Self {
                use $crate::graphql::commons::connection::Listed;
                match page {
                    Listed::Rows(rows) => Self::new(window, rows.into_iter().map(node)),
                    Listed::Nodes(nodes) => Self::compiled(window, nodes),
                    Listed::Edges(edges) => Self::compiled_edges(window, edges),
                }
            }
        }
    };
}

/// A page's items: rows for the resolvers, or JSON texts PostgreSQL built
/// (`fast::listing`).
pub enum Listed<M> {
    Rows(Vec<M>),
    /// The JSON texts of the page's `nodes`.
    Nodes(Vec<String>),
    /// The JSON texts of the page's `edges`, cursors included.
    Edges(Vec<String>),
}

/// The paging arguments of a connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }
}

/// Which slice of the listing to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
    has_previous: bool,
    has_next: bool,
    total: u64,
}

/// A page size argument (`first` or `last`): BAD_USER_INPUT when negative or above
/// [`MAX_PAGE_SIZE`].
pub fn size(value: Option<i32>, name: &str) -> async_graphql::Result<Option<u64>> {
    size_up_to(value, name, MAX_PAGE_SIZE)
}

/// [`size`] for a listing whose pages may hold up to `max` items.
fn size_up_to(value: Option<i32>, name: &str, max: u64) -> async_graphql::Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(n) if n < 0 => Err(ErrorCode::BadUserInput.error(Text::NegativeSize {
            name: name.to_string(),
        })),
        Some(n) if n as u64 > max => Err(ErrorCode::BadUserInput.error(Text::PageTooLarge {
            name: name.to_string(),
            max: max.to_string(),
        })),
        Some(n) => Ok(Some(n as u64)),
    }
}

fn cursor(value: Option<&str>, name: &str) -> async_graphql::Result<Option<u64>> {
    value
        .map(|c| {
            OffsetCursor::decode_cursor(c).map(|c| c.0).map_err(|_| {
                ErrorCode::BadUserInput.error(Text::NotACursor {
                    name: name.to_string(),
                })
            })
        })
        .transpose()
}

/// Page arguments read: the sizes asked for and the positions the cursors name.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub first: Option<u64>,
    pub last: Option<u64>,
    pub after: Option<u64>,
    pub before: Option<u64>,
}

impl PageArgs {
    /// Checks the arguments before any SQL runs.
    pub fn validate(&self) -> async_graphql::Result<()> {
        self.validate_up_to(MAX_PAGE_SIZE)
    }

    /// [`Self::validate`] for a listing whose pages may hold up to `max` items.
    pub fn validate_up_to(&self, max: u64) -> async_graphql::Result<()> {
        size_up_to(self.first, "first", max)?;
        size_up_to(self.last, "last", max)?;
        cursor(self.after.as_deref(), "after")?;
        cursor(self.before.as_deref(), "before")?;
        Ok(())
    }

    /// For paging forward only (`first`/`after`, no `last` nor `before`), the slice to
    /// fetch as (offset, size) without knowing the listing's total: fetch one item more
    /// than the size to learn whether a next page exists ([`Window::forward`]). `None`
    /// when paging backward, which needs the total ([`Self::window`]).
    pub fn forward(&self) -> async_graphql::Result<Option<(u64, u64)>> {
        self.forward_up_to(MAX_PAGE_SIZE)
    }

    /// [`Self::forward`] for a listing whose pages may hold up to `max` items.
    pub fn forward_up_to(&self, max: u64) -> async_graphql::Result<Option<(u64, u64)>> {
        if self.last.is_some() || self.before.is_some() {
            return Ok(None);
        }
        let first = size_up_to(self.first, "first", max)?;
        let after = cursor(self.after.as_deref(), "after")?;
        Ok(Some((
            after.map_or(0, |a| a.saturating_add(1)),
            first.unwrap_or(DEFAULT_PAGE_SIZE),
        )))
    }

    /// The slice to fetch from a listing of `total` items.
    pub fn window(&self, total: u64) -> async_graphql::Result<Window> {
        self.window_up_to(total, MAX_PAGE_SIZE)
    }

    /// The sizes and the cursors' positions, checked as [`Self::validate`] checks them:
    /// what [`Self::window`] computes a window from (the compiled pages compute the same
    /// window in SQL, `fast::compiled::offset_connection`).
    pub fn bounds(&self) -> async_graphql::Result<Bounds> {
        self.bounds_up_to(MAX_PAGE_SIZE)
    }

    fn bounds_up_to(&self, max: u64) -> async_graphql::Result<Bounds> {
        Ok(Bounds {
            first: size_up_to(self.first, "first", max)?,
            last: size_up_to(self.last, "last", max)?,
            after: cursor(self.after.as_deref(), "after")?,
            before: cursor(self.before.as_deref(), "before")?,
        })
    }

    /// [`Self::window`] for a listing whose pages may hold up to `max` items.
    pub fn window_up_to(&self, total: u64, max: u64) -> async_graphql::Result<Window> {
        let Bounds {
            first,
            last,
            after,
            before,
        } = self.bounds_up_to(max)?;
        let mut start = after.map_or(0, |a| a.saturating_add(1)).min(total);
        let mut end = before.map_or(total, |b| b.min(total)).max(start);
        match (first, last) {
            (Some(f), _) => end = end.min(start + f),
            (None, Some(l)) => start = start.max(end.saturating_sub(l)),
            (None, None) => end = end.min(start + DEFAULT_PAGE_SIZE),
        }
        if let (Some(_), Some(l)) = (first, last) {
            start = start.max(end.saturating_sub(l));
        }
        Ok(Window {
            offset: start,
            limit: end - start,
            has_previous: start > 0,
            has_next: end < total,
            total,
        })
    }
}

impl Window {
    /// The cursor of the `i`-th item of this window.
    pub fn cursor_at(&self, i: usize) -> String {
        cursor_of(self.position_of(i))
    }

    /// The position in the whole listing of the page's `i`th item.
    pub fn position_of(&self, i: usize) -> u64 {
        self.offset + i as u64
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The window of a forward page read as `limit + 1` rows from `offset`: drops the
    /// extra row from `rows`, which only said that a next page exists.
    pub fn forward_trimming<T>(
        offset: u64,
        limit: u64,
        rows: &mut Vec<T>,
        total: Option<u64>,
    ) -> Window {
        let has_next = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        Window::forward(offset, limit, has_next, total)
    }

    /// The window of a forward page ([`PageArgs::forward`]) at `offset` of `limit` items,
    /// `has_next` when one more was found. `total` is the listing's count when it was
    /// asked for (`totalCount`); when not, nothing reads it and it stays 0.
    pub fn forward(offset: u64, limit: u64, has_next: bool, total: Option<u64>) -> Window {
        Window {
            offset,
            limit,
            has_previous: offset > 0,
            has_next,
            total: total.unwrap_or_default(),
        }
    }

    pub fn page_info(&self, start_cursor: Option<String>, end_cursor: Option<String>) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next,
            has_previous_page: self.has_previous,
            start_cursor,
            end_cursor,
        }
    }
}

/// Complexity of a list field: its children times the page size asked for (the default
/// page when none is given).
pub fn list_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    list_cost_up_to(first, last, child_complexity, MAX_PAGE_SIZE)
}

/// [`list_cost`] for a listing whose pages may hold up to `max` items.
pub fn list_cost_up_to(
    first: Option<i32>,
    last: Option<i32>,
    child_complexity: usize,
    max: u64,
) -> usize {
    let n = first
        .or(last)
        .map_or(DEFAULT_PAGE_SIZE, |n| n.clamp(1, max as i32) as u64);
    1 + n as usize * child_complexity
}

/// The page of a domain listing that `args` asks for, with the window its count cuts.
pub async fn page_of<E: EntityTrait>(
    db: &DatabaseConnection,
    listing: &Listing<E>,
    args: &PageArgs,
) -> async_graphql::Result<(Window, Vec<E::Model>)>
where
    E::Model: Send + Sync,
{
    cut(
        args,
        async || listing.count(db).await,
        async |offset, limit| listing.page(db, offset, limit).await,
        async |offset, limit| listing.page_counted(db, offset, limit).await,
    )
    .await
}

/// The window `args` asks of a listing, and its items as read: a forward page (`first`,
/// `after`) with the listing's count in one statement (`read_counted`); a backward one
/// after the count (`count`, then `read`), as its window ends at the listing's end.
/// Either way the items are the window's: a window never reaches past the end. Every
/// offset page is cut here, read as rows ([`page_of`]) or as the JSON PostgreSQL builds
/// (`fast::listing::page`).
pub async fn cut<T>(
    args: &PageArgs,
    count: impl AsyncFnOnce() -> Result<u64, DbErr>,
    read: impl AsyncFnOnce(u64, u64) -> Result<T, DbErr>,
    read_counted: impl AsyncFnOnce(u64, u64) -> Result<(T, u64), DbErr>,
) -> async_graphql::Result<(Window, T)> {
    match args.forward()? {
        Some((offset, limit)) => {
            let (items, total) = read_counted(offset, limit).await?;
            Ok((args.window(total)?, items))
        }
        None => {
            let window = args.window(count().await?)?;
            let items = read(window.offset, window.limit).await?;
            Ok((window, items))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        first: Option<i32>,
        after: Option<u64>,
        last: Option<i32>,
        before: Option<u64>,
    ) -> PageArgs {
        PageArgs::new(
            first,
            after.map(|a| OffsetCursor(a).encode_cursor()),
            last,
            before.map(|b| OffsetCursor(b).encode_cursor()),
        )
    }

    #[test]
    fn windows_follow_relay() {
        let w = args(None, None, None, None).window(50).unwrap();
        assert_eq!(
            (w.offset, w.limit, w.has_previous, w.has_next),
            (0, 20, false, true)
        );
        let w = args(Some(10), Some(39), None, None).window(50).unwrap();
        assert_eq!(
            (w.offset, w.limit, w.has_previous, w.has_next),
            (40, 10, true, false)
        );
        let w = args(None, None, Some(5), Some(10)).window(50).unwrap();
        assert_eq!(
            (w.offset, w.limit, w.has_previous, w.has_next),
            (5, 5, true, true)
        );
        let w = args(Some(10), Some(100), None, None).window(50).unwrap();
        assert_eq!((w.offset, w.limit), (50, 0));
        let w = args(Some(0), None, None, None).window(50).unwrap();
        assert_eq!(w.limit, 0);
    }

    #[test]
    fn forward_pages_need_no_total() {
        assert_eq!(
            args(None, None, None, None).forward().unwrap(),
            Some((0, 20))
        );
        assert_eq!(
            args(Some(10), Some(39), None, None).forward().unwrap(),
            Some((40, 10))
        );
        assert_eq!(args(Some(5), None, Some(5), None).forward().unwrap(), None);
        assert_eq!(args(Some(5), None, None, Some(9)).forward().unwrap(), None);
        assert!(args(Some(101), None, None, None).forward().is_err());
    }

    #[test]
    fn oversize_and_malformed_arguments_are_refused() {
        assert!(args(Some(101), None, None, None).window(5).is_err());
        assert!(args(None, None, Some(-1), None).window(5).is_err());
        let bad = PageArgs::new(Some(1), Some("nope".into()), None, None);
        assert!(bad.validate().is_err());
        assert!(args(Some(100), None, None, None).validate().is_ok());
    }

    #[test]
    fn cost_scales_with_the_page() {
        assert_eq!(list_cost(Some(10), None, 3), 31);
        assert_eq!(list_cost(None, None, 3), 61);
        assert_eq!(list_cost(Some(1000), None, 1), 101);
    }
}
