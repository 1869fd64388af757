//! A book's changes for integrations that keep a copy of it: `Book.changes` (a page of
//! what changed after a cursor) and the `bookChanged` subscription (each change as it
//! commits). Both read the domain's change log (`domain::books::changes`).

use std::time::Duration;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt, stream};

use super::text::Text;
use crate::{
    domain::books::changes::{self, MAX_PAGE, Position},
    entities::{book, book_change},
    graphql::{
        commons::{ContextExt, ErrorCode, GlobalId, NodeKind},
        node::{Node, load_node},
    },
};

/// Changes a page holds when `first` is not given.
pub const DEFAULT_FIRST: i32 = 100;

/// What kind of object a change is of.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::entities::book_change::ChangeKind")]
pub enum ChangeKind {
    /// A transaction of the book (a side of a transfer included).
    Transaction,
    /// A transfer between two accounts of the book.
    Transfer,
    /// An account of the book.
    Account,
    /// A credit card of the book.
    CreditCard,
    /// A category or subcategory of the book.
    Category,
    /// A tag of the book.
    Tag,
    /// A category's budget for a month (`Book.budgets`).
    Budget,
    /// A customer of the business (in the business book's changes).
    Customer,
    /// A sales invoice of the business (in the business book's changes).
    SalesInvoice,
    /// A receipt of the business (in the business book's changes).
    Receipt,
    /// A driver's contract invoice (in the driver's book's changes).
    Invoice,
    /// A movement of a driver's wallet (in the driver's book's changes).
    WalletMovement,
}

/// What happened to the object.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::entities::book_change::ChangeOperation")]
pub enum ChangeOperation {
    /// The object was created.
    Created,
    /// Changed, or one of its parts was (a transaction's tags, an invoice's discounts,
    /// a sales invoice's items, a card's cycles).
    Updated,
    /// The object was deleted; its `id` stays to remove it from a copy.
    Deleted,
}

/// A cursor of the change log: the place of the last change read, opaque to clients as
/// the connections' cursors are (`commons::connection`: base64url of a tagged value).
fn cursor_of(at: Position) -> String {
    URL_SAFE_NO_PAD.encode(format!("changes:{}:{}", at.seq, at.id))
}

/// The place a cursor stands for; the empty cursor (or none) is the start of the log.
fn position_of(cursor: Option<&str>) -> async_graphql::Result<Position> {
    let Some(text) = cursor.filter(|text| !text.is_empty()) else {
        return Ok(Position::default());
    };
    let decoded = URL_SAFE_NO_PAD.decode(text).ok();
    decoded
        .as_deref()
        .and_then(|raw| std::str::from_utf8(raw).ok())
        .and_then(|raw| raw.strip_prefix("changes:"))
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(seq, id)| Some((seq.parse::<i64>().ok()?, id.parse::<i64>().ok()?)))
        .filter(|(seq, id)| *seq >= 0 && *id >= 0)
        .map(|(seq, id)| Position { seq, id })
        .ok_or_else(|| ErrorCode::BadUserInput.error(Text::NotAChangeCursor))
}

/// One change of a book: an object created, updated or deleted.
pub struct BookChange(pub book_change::Model);

/// One change of a book: an object created, updated or deleted. Its `node` is the object
/// as it is now, not as the change left it: applying a book's changes in order (upsert
/// each `node`, remove each one that is null) leaves a copy equal to the book.
#[Object]
impl BookChange {
    /// Where this change is in the log: pass it as `since` to read what came after it.
    async fn cursor(&self) -> String {
        cursor_of(Position::of(&self.0))
    }
    /// What kind of object changed.
    async fn kind(&self) -> ChangeKind {
        self.0.kind.into()
    }
    /// Whether it was created, updated or deleted.
    async fn operation(&self) -> ChangeOperation {
        self.0.operation.into()
    }
    /// When the change committed (its transaction's time).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The global ID of the object changed; it stays the object's ID after a deletion, so
    /// that a copy can remove it.
    async fn id(&self) -> ID {
        GlobalId::new(NodeKind::of_change(self.0.kind), self.0.object_id).to_id()
    }
    /// The object as it is now; null when it no longer exists (deleted since) or the
    /// caller may not see it (a private transaction of someone else).
    async fn node(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        let viewer = ctx.viewer()?;
        let id = GlobalId::new(NodeKind::of_change(self.0.kind), self.0.object_id);
        load_node(ctx, viewer, id).await
    }
}

/// A page of a book's changes.
#[derive(SimpleObject)]
pub struct BookChangePage {
    /// The changes after `since`, oldest first.
    changes: Vec<BookChange>,
    /// Pass it as `since` to read the next page: the last change's cursor, or `since`
    /// itself when there was nothing new.
    cursor: String,
    /// Whether more changes follow this page right now.
    has_more: bool,
}

/// `Book.changes`.
pub async fn page(
    ctx: &Context<'_>,
    book: &book::Model,
    since: Option<String>,
    first: i32,
) -> async_graphql::Result<BookChangePage> {
    let after = position_of(since.as_deref())?;
    let limit = u64::try_from(first)
        .ok()
        .filter(|n| (1..=MAX_PAGE).contains(n))
        .ok_or_else(|| {
            ErrorCode::BadUserInput.error(Text::ChangePageSize {
                max: MAX_PAGE.to_string(),
            })
        })?;
    let mut rows = changes::changes_after(ctx.db(), book.id, after, limit + 1).await?;
    let has_more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let cursor = cursor_of(rows.last().map_or(after, Position::of));
    Ok(BookChangePage {
        changes: rows.into_iter().map(BookChange).collect(),
        cursor,
        has_more,
    })
}

/// How long a subscriber on SQLite waits before looking at the log again: one process
/// writes there, and no database notification tells it of a change a job made.
const SQLITE_LOOK_AGAIN: Duration = Duration::from_millis(250);

/// `bookChanged`: every change of `book` after `since` (or after the last one when none),
/// read from the log each time the book is told to have changed; a missed notification
/// is made up by the next one, as the log, not the notification, says what changed.
pub fn subscribe(
    ctx: &Context<'_>,
    book: book::Model,
    since: Option<String>,
) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<BookChange>> + use<>> {
    let db = ctx.db().clone();
    let events = &ctx.state().events;
    let wakeups = events.book_changes(book.id, SQLITE_LOOK_AGAIN);
    let since = since.map(|s| position_of(Some(&s))).transpose()?;
    let state = (db, book.id, since, wakeups);
    Ok(
        stream::unfold(state, |(db, book_id, after, mut wakeups)| async move {
            let after = match after {
                Some(after) => after,
                None => match changes::end_of_log(&db, book_id).await {
                    Ok(last) => last,
                    Err(error) => {
                        return Some((vec![Err(error.into())], (db, book_id, None, wakeups)));
                    }
                },
            };
            loop {
                match changes::changes_after(&db, book_id, after, MAX_PAGE).await {
                    Ok(rows) if rows.is_empty() => {
                        // The bus ended: so does the subscription.
                        wakeups.next().await?;
                    }
                    Ok(rows) => {
                        let last = rows.last().map_or(after, Position::of);
                        let items: Vec<_> =
                            rows.into_iter().map(|row| Ok(BookChange(row))).collect();
                        return Some((items, (db, book_id, Some(last), wakeups)));
                    }
                    Err(error) => {
                        return Some((
                            vec![Err(error.into())],
                            (db, book_id, Some(after), wakeups),
                        ));
                    }
                }
            }
        })
        .flat_map(stream::iter),
    )
}
