//! Listing a book's transactions: the filters of the REST APIs (Fipli's date range, type
//! and collector; Organizze's accounts, categories, tags and whole days; Infinanza's
//! excluded flag and external id) as one [`TransactionQuery`], and keyset pages over it.
//!
//! Pages are keyset, never OFFSET: a page starts strictly after (or before) the position
//! of the row a cursor names, a position being the row's sort key and its id. Paging
//! through a listing therefore reaches every row exactly once even while rows are added
//! or removed elsewhere in it, and each page costs one SELECT that an index can serve
//! (`ix_book_transactions_date` is `(book_id, date, id)`).
//!
//! Everything is put into SQL, including who may see a private row of the business
//! book, so that a page holds exactly the rows asked for and counts agree with pages.

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, Value,
    sea_query::{BinOper, Expr, ExprTrait, Func, Query},
};

use super::{
    can_see,
    occurrences::{self, Runs, Unstored},
    text::Text,
    transactions::MAX_EXTERNAL_ID_CHARS,
};
use crate::commons::{AccountId, CategoryId, CreditCardId, TagId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, Problems},
    commons::Period,
    commons::search::{LIKE_ESCAPE, contains_pattern},
    entities::{
        book, book_category, book_credit_card, book_series, book_transaction,
        book_transaction::TransactionKind, book_transaction_tag,
    },
    reads::{self, RowText},
};

/// The most IDs one filter list (`accountIds`, `categoryIds`, `tagIds`) may hold.
pub const MAX_FILTER_IDS: usize = 100;
/// The longest text a search may look for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// How a listing is ordered. Each order breaks ties by id in the same direction, so the
/// order is total and a position in it is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionOrder {
    /// Newest date first.
    DateDesc,
    /// Oldest date first.
    DateAsc,
    /// Largest amount first.
    AmountDesc,
    /// Smallest amount first.
    AmountAsc,
    /// Last recorded first.
    CreatedDesc,
    /// First recorded first.
    CreatedAsc,
}

/// Where a transaction stands on a given day (the `status` filter): the same rule as
/// the `status` a transaction shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Paid or received.
    Paid,
    /// Not paid, and its due date (its date, without one) is today or later.
    Pending,
    /// Not paid, and its due date (its date, without one) has passed.
    Overdue,
}

/// Who recorded a transaction: a user (whoever they logged in as) or an API token (the
/// application, Fipli's collector token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreatedBy {
    User(i64),
    Token(i64),
}

/// What a listing of a book's transactions holds. Every field narrows it; `None` (an
/// empty list for the id lists) leaves that field free. IDs of another book match no
/// transaction of this one.
#[derive(Debug, Clone, Default)]
pub struct TransactionQuery {
    /// The days covered (both ends included); all dates when `None`.
    pub period: Option<Period>,
    /// Only incomes or only expenses.
    pub kind: Option<TransactionKind>,
    /// Transactions of any of these accounts.
    pub account_ids: Vec<AccountId>,
    /// Transactions of any of these categories; a top-level category also brings its
    /// subcategories.
    pub category_ids: Vec<CategoryId>,
    /// Transactions carrying any of these tags.
    pub tag_ids: Vec<TagId>,
    pub created_by: Option<CreatedBy>,
    /// PAID, PENDING or OVERDUE as of the day given with it (the organization's today).
    pub status: Option<(PaymentStatus, NaiveDate)>,
    /// Text to find in the description, contact name or notes, whatever the letter case.
    pub search: Option<String>,
    pub excluded: Option<bool>,
    pub external_id: Option<String>,
    /// `Some(false)` leaves the sides of transfers out, `Some(true)` keeps only them.
    pub transfers: Option<bool>,
    /// `Some(false)` leaves credit cards' purchases and payments out (only the accounts'
    /// money, an Organizze user's request), `Some(true)` keeps only them.
    pub credit_cards: Option<bool>,
    /// Purchases and payments of any of these credit cards.
    pub credit_card_ids: Vec<CreditCardId>,
}

/// The rows of a private transaction of the business book that `viewer` may see, as
/// SQL: the same rule as [`super::transactions::visible_to`] (drivers and ADMINs see
/// every row of their book; anyone else the rows that are not private and their own).
pub fn visible_condition(viewer: &Viewer) -> Option<Condition> {
    if viewer.is_client() || viewer.is_admin() {
        return None;
    }
    Some(
        Condition::any()
            .add(book_transaction::Column::Private.eq(false))
            .add(book_transaction::Column::CreatedByUserId.eq(viewer.user_id)),
    )
}

/// `column` contains `pattern` whatever the letter case. Both sides go through the
/// database's LOWER so that a text always finds itself: SQLite's LOWER folds ASCII
/// letters only, PostgreSQL's folds every letter its locale knows.
fn contains(column: book_transaction::Column, pattern: &str) -> Expr {
    Expr::expr(Func::lower(Expr::col((book_transaction::Entity, column)))).binary(
        BinOper::Like,
        Expr::expr(Func::lower(Expr::val(pattern.to_string())))
            .binary(BinOper::Escape, Expr::cust(format!("'{LIKE_ESCAPE}'"))),
    )
}

impl TransactionQuery {
    /// Refuses what no listing should run: too many IDs in a list, a search or an
    /// external id longer than any stored text.
    pub fn check(&self) -> DomainResult<()> {
        let mut p = Problems::default();
        for (field, count) in [
            ("accountIds", self.account_ids.len()),
            ("categoryIds", self.category_ids.len()),
            ("tagIds", self.tag_ids.len()),
            ("creditCardIds", self.credit_card_ids.len()),
        ] {
            if count > MAX_FILTER_IDS {
                p.add(
                    field,
                    UserErrorCode::LimitReached,
                    Text::TooManyFilterIds {
                        field: field.to_string(),
                        max: MAX_FILTER_IDS.to_string(),
                    },
                );
            }
        }
        if let Some(search) = &self.search {
            checks::text(&mut p, "search", search, false, MAX_SEARCH_CHARS);
        }
        if let Some(external) = &self.external_id {
            checks::text(&mut p, "externalId", external, false, MAX_EXTERNAL_ID_CHARS);
        }
        p.finish()
    }

    /// The transactions of `book` that match and that `viewer` may see, unordered: its
    /// stored rows only. Listings use [`TransactionQuery::select_with`].
    pub fn select(
        &self,
        viewer: &Viewer,
        book: &book::Model,
    ) -> DomainResult<Select<book_transaction::Entity>> {
        self.select_with(viewer, book, &Unstored::none())
    }

    /// [`TransactionQuery::select`] over the stored rows and `unstored`, the occurrences of
    /// recurring series that have no row (see [`super::occurrences`]).
    pub fn select_with(
        &self,
        viewer: &Viewer,
        book: &book::Model,
        unstored: &Unstored,
    ) -> DomainResult<Select<book_transaction::Entity>> {
        use book_transaction::Column as T;
        if !can_see(viewer, book) {
            return Err(DomainError::from(NotFound::Book));
        }
        self.check()?;
        let mut query = unstored
            .source(book_transaction::Entity::find(), book.id)
            .filter(T::BookId.eq(book.id))
            .filter(T::OrganizationId.eq(book.organization_id));
        if let Some(visible) = visible_condition(viewer) {
            query = query.filter(visible);
        }
        if let Some(period) = self.period {
            query = query
                .filter(T::Date.gte(period.from()))
                .filter(T::Date.lte(period.to()));
        }
        if let Some(kind) = self.kind {
            query = query.filter(T::Kind.eq(kind));
        }
        if !self.account_ids.is_empty() {
            query = query.filter(T::AccountId.is_in(self.account_ids.iter().copied()));
        }
        if !self.category_ids.is_empty() {
            // The categories named and their subcategories, of this book only.
            query = query.filter(
                T::CategoryId.in_subquery(
                    Query::select()
                        .column((book_category::Entity, book_category::Column::Id))
                        .from(book_category::Entity)
                        .cond_where(
                            Condition::all()
                                .add(
                                    Expr::col((
                                        book_category::Entity,
                                        book_category::Column::BookId,
                                    ))
                                    .eq(book.id),
                                )
                                .add(
                                    Condition::any()
                                        .add(
                                            Expr::col((
                                                book_category::Entity,
                                                book_category::Column::Id,
                                            ))
                                            .is_in(self.category_ids.iter().copied()),
                                        )
                                        .add(
                                            Expr::col((
                                                book_category::Entity,
                                                book_category::Column::ParentId,
                                            ))
                                            .is_in(self.category_ids.iter().copied()),
                                        ),
                                ),
                        )
                        .to_owned(),
                ),
            );
        }
        if !self.tag_ids.is_empty() {
            let tags: Vec<i64> = self.tag_ids.iter().map(|t| t.get()).collect();
            // An occurrence without a row carries its series' template tags.
            let unstored_tagged = Condition::all()
                .add(T::Id.lt(0))
                .add(T::SeriesId.is_in(unstored.series_tagged(&tags)));
            // A subquery rather than a join: a transaction with two of the tags is still
            // one row.
            query = query.filter(
                Condition::any().add(unstored_tagged).add(
                    T::Id.in_subquery(
                        Query::select()
                            .column((
                                book_transaction_tag::Entity,
                                book_transaction_tag::Column::TransactionId,
                            ))
                            .from(book_transaction_tag::Entity)
                            .and_where(
                                Expr::col((
                                    book_transaction_tag::Entity,
                                    book_transaction_tag::Column::TagId,
                                ))
                                .is_in(self.tag_ids.iter().copied()),
                            )
                            .to_owned(),
                    ),
                ),
            );
        }
        match self.created_by {
            Some(CreatedBy::User(id)) => query = query.filter(T::CreatedByUserId.eq(id)),
            Some(CreatedBy::Token(id)) => query = query.filter(T::CreatedByTokenId.eq(id)),
            None => {}
        }
        if let Some((status, today)) = self.status {
            query = query.filter(status_condition(status, today));
        }
        if let Some(search) = self.search.as_deref().map(str::trim)
            && !search.is_empty()
        {
            let pattern = contains_pattern(search);
            query = query.filter(
                Condition::any()
                    .add(contains(T::Description, &pattern))
                    .add(contains(T::ContactName, &pattern))
                    .add(contains(T::Notes, &pattern)),
            );
        }
        if let Some(excluded) = self.excluded {
            query = query.filter(T::Excluded.eq(excluded));
        }
        if let Some(external) = &self.external_id {
            query = query.filter(T::ExternalId.eq(external.trim()));
        }
        match self.transfers {
            Some(false) => query = query.filter(T::TransferId.is_null()),
            Some(true) => query = query.filter(T::TransferId.is_not_null()),
            None => {}
        }
        // A card's purchases are the transactions of its own account.
        let card_accounts = |cards: Option<&[CreditCardId]>| {
            let mut accounts = Query::select();
            accounts
                .column((
                    book_credit_card::Entity,
                    book_credit_card::Column::AccountId,
                ))
                .from(book_credit_card::Entity)
                .and_where(
                    Expr::col((book_credit_card::Entity, book_credit_card::Column::BookId))
                        .eq(book.id),
                );
            if let Some(cards) = cards {
                accounts.and_where(
                    Expr::col((book_credit_card::Entity, book_credit_card::Column::Id))
                        .is_in(cards.iter().copied()),
                );
            }
            accounts.to_owned()
        };
        match self.credit_cards {
            Some(true) => query = query.filter(T::AccountId.in_subquery(card_accounts(None))),
            Some(false) => query = query.filter(T::AccountId.not_in_subquery(card_accounts(None))),
            None => {}
        }
        if !self.credit_card_ids.is_empty() {
            query =
                query.filter(T::AccountId.in_subquery(card_accounts(Some(&self.credit_card_ids))));
        }
        Ok(query)
    }
}

/// `status` as SQL, the rule of the transaction's computed status: paid; else overdue
/// when its due date (its date, without one) is before `today`; else pending.
fn status_condition(status: PaymentStatus, today: NaiveDate) -> Condition {
    use book_transaction::Column as T;
    let past_due = Condition::any()
        .add(
            Condition::all()
                .add(T::DueDate.is_not_null())
                .add(T::DueDate.lt(today)),
        )
        .add(
            Condition::all()
                .add(T::DueDate.is_null())
                .add(T::Date.lt(today)),
        );
    match status {
        PaymentStatus::Paid => Condition::all().add(T::Paid.eq(true)),
        PaymentStatus::Overdue => Condition::all().add(T::Paid.eq(false)).add(past_due),
        PaymentStatus::Pending => Condition::all().add(T::Paid.eq(false)).add(past_due.not()),
    }
}

/// The sort key of a row in one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Date(NaiveDate),
    Amount(i64),
    Created(DateTime<Utc>),
}

/// A row's place in an order: its sort key, then its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub key: SortKey,
    pub id: i64,
}

impl TransactionOrder {
    fn column(self) -> book_transaction::Column {
        use book_transaction::Column as T;
        match self {
            Self::DateDesc | Self::DateAsc => T::Date,
            Self::AmountDesc | Self::AmountAsc => T::AmountMinor,
            Self::CreatedDesc | Self::CreatedAsc => T::CreatedAt,
        }
    }

    fn ascending(self) -> bool {
        matches!(self, Self::DateAsc | Self::AmountAsc | Self::CreatedAsc)
    }

    /// Where a row read as the id and this order's column stands in this order.
    fn position_in(self, row: &QueryResult) -> Result<Position, DbErr> {
        let column = self.column();
        let name = column.as_str();
        let key = match self {
            Self::DateDesc | Self::DateAsc => SortKey::Date(row.try_get("", name)?),
            Self::AmountDesc | Self::AmountAsc => SortKey::Amount(row.try_get("", name)?),
            Self::CreatedDesc | Self::CreatedAsc => SortKey::Created(row.try_get("", name)?),
        };
        let id = book_transaction::Column::Id;
        Ok(Position {
            key,
            id: row.try_get("", id.as_str())?,
        })
    }

    /// Where `row` stands in this order.
    pub fn position_of(self, row: &book_transaction::Model) -> Position {
        let key = match self {
            Self::DateDesc | Self::DateAsc => SortKey::Date(row.date),
            Self::AmountDesc | Self::AmountAsc => SortKey::Amount(row.amount_minor),
            Self::CreatedDesc | Self::CreatedAsc => SortKey::Created(row.created_at),
        };
        Position { key, id: row.id }
    }

    /// The rows strictly after `at` in this order (`forward`), or strictly before it.
    fn beyond(self, at: &Position, forward: bool) -> DomainResult<Condition> {
        let value: Value = match (self, at.key) {
            (Self::DateDesc | Self::DateAsc, SortKey::Date(d)) => d.into(),
            (Self::AmountDesc | Self::AmountAsc, SortKey::Amount(a)) => a.into(),
            (Self::CreatedDesc | Self::CreatedAsc, SortKey::Created(c)) => c.into(),
            _ => {
                return Err(DomainError::invalid(
                    if forward { "after" } else { "before" },
                    UserErrorCode::InvalidFormat,
                    Text::CursorOfOtherOrder,
                ));
            }
        };
        let column = self.column();
        let id = book_transaction::Column::Id;
        let greater = self.ascending() == forward;
        let (key_beyond, id_beyond) = if greater {
            (column.gt(value.clone()), id.gt(at.id))
        } else {
            (column.lt(value.clone()), id.lt(at.id))
        };
        Ok(Condition::any()
            .add(key_beyond)
            .add(Condition::all().add(column.eq(value)).add(id_beyond)))
    }

    /// `query` sorted in this order, or in the reverse one.
    fn sort(
        self,
        query: Select<book_transaction::Entity>,
        reversed: bool,
    ) -> Select<book_transaction::Entity> {
        let order = if self.ascending() != reversed {
            Order::Asc
        } else {
            Order::Desc
        };
        query
            .order_by(self.column(), order.clone())
            .order_by(book_transaction::Column::Id, order)
    }
}

/// The slice of a listing a page is: Relay's `first`/`after`/`last`/`before`, with the
/// cursors already turned into positions. With neither `first` nor `last`, nothing is
/// fetched: the caller gives the default page size as `first`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Slice {
    pub first: Option<u64>,
    pub after: Option<Position>,
    pub last: Option<u64>,
    pub before: Option<Position>,
}

/// One page of a listing, in the listing's order: its stored rows, or, when the database
/// built each row's answer, [`Built`] rows.
#[derive(Debug, Clone)]
pub struct Page<R = book_transaction::Model> {
    pub rows: Vec<R>,
    /// Rows come before this page. Exact when paging backward; when paging forward,
    /// true whenever an `after` cursor was given (the row it names came before).
    pub has_previous: bool,
    /// Rows come after this page. Exact when paging forward; when paging backward,
    /// true whenever a `before` cursor was given.
    pub has_next: bool,
}

/// How many transactions `query` reaches in all, whatever the page.
pub async fn count<C: ConnectionTrait>(
    db: &C,
    query: &Select<book_transaction::Entity>,
) -> DomainResult<u64> {
    Ok(query.clone().count(db).await?)
}

/// One page of `query` in `order`: one SELECT of at most the page size plus one row
/// (the extra row says whether more follow).
pub async fn fetch_page<C: ConnectionTrait>(
    db: &C,
    query: Select<book_transaction::Entity>,
    order: TransactionOrder,
    slice: &Slice,
) -> DomainResult<Page> {
    let (query, size, backward) = page_query(query, order, slice)?;
    let page = reads::window(db, query, 0, size.saturating_add(1));
    let rows = book_transaction::Model::find_by_statement(page)
        .all(db)
        .await?;
    let (rows, has_previous, has_next) = cut(rows, size, backward, slice);
    Ok(Page {
        rows,
        has_previous,
        has_next,
    })
}

/// [`fetch_page`], with each row's `text`: an SQL expression of text over the listing's
/// row (the `book_transactions` of its FROM) and the tables it joins to it, read in the
/// same SELECT. The fast read path has PostgreSQL build each transaction's answer there.
/// Beside the text, only what places a row in `order` is read: the id and the sort
/// key, not the row's other columns, which the text already answers from.
pub async fn fetch_page_with_text<C: ConnectionTrait>(
    db: &C,
    query: Select<book_transaction::Entity>,
    order: TransactionOrder,
    slice: &Slice,
    text: &RowText,
) -> DomainResult<Page<Built>> {
    use book_transaction::Column as T;
    let (query, size, backward) = page_query(query, order, slice)?;
    let query = reads::with_joins(query, &text.joins)
        .select_only()
        .column(T::Id)
        .column(order.column())
        .column_as(Expr::cust(text.text.clone()), Built::TEXT);
    let page = reads::window(db, query, 0, size.saturating_add(1));
    let rows = db
        .query_all_raw(page)
        .await?
        .iter()
        .map(|row| {
            Ok(Built {
                at: order.position_in(row)?,
                text: row.try_get("", Built::TEXT)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let (rows, has_previous, has_next) = cut(rows, size, backward, slice);
    Ok(Page {
        rows,
        has_previous,
        has_next,
    })
}

/// A row of a page whose answer the database built ([`fetch_page_with_text`]): where it
/// stands in the listing's order, and the text built of it.
#[derive(Debug, Clone)]
pub struct Built {
    pub at: Position,
    pub text: String,
}

impl Built {
    const TEXT: &'static str = "listing_text";

    /// Whether the row is an occurrence computed from its series, not a stored row.
    pub fn is_unstored(&self) -> bool {
        occurrences::is_unstored_id(self.at.id)
    }
}

/// The SELECT of a page of `query` (its rows past the cursors, sorted; read one more than
/// the page holds, through [`reads::window`]), the page's size, and whether it pages
/// backward.
fn page_query(
    mut query: Select<book_transaction::Entity>,
    order: TransactionOrder,
    slice: &Slice,
) -> DomainResult<(Select<book_transaction::Entity>, u64, bool)> {
    if let Some(after) = &slice.after {
        query = query.filter(order.beyond(after, true)?);
    }
    if let Some(before) = &slice.before {
        query = query.filter(order.beyond(before, false)?);
    }
    let backward = slice.first.is_none();
    let size = if backward {
        slice.last.unwrap_or(0)
    } else {
        slice.first.unwrap_or(0)
    };
    Ok((order.sort(query, backward), size, backward))
}

/// The page of `rows` (as [`page_query`] read them, of `size` and direction `backward`)
/// in the listing's order, and whether rows come before and after it.
fn cut<R>(mut rows: Vec<R>, size: u64, backward: bool, slice: &Slice) -> (Vec<R>, bool, bool) {
    let more = rows.len() as u64 > size;
    rows.truncate(usize::try_from(size).unwrap_or(usize::MAX));
    if backward {
        rows.reverse();
        return (rows, more, slice.before.is_some());
    }
    let mut has_previous = slice.after.is_some();
    // `first` and `last` together: the last `last` of the first `first` (Relay).
    if let Some(last) = slice.last.and_then(|l| usize::try_from(l).ok())
        && rows.len() > last
    {
        rows.drain(..rows.len() - last);
        has_previous = true;
    }
    (rows, has_previous, more || slice.before.is_some())
}

/// A page of every transaction of `kind` of `book` whatever its date, newest first,
/// transfers left out: the stored ones, and the occurrences of `recurring` (the book's
/// recurring series) dated up to `today`, stored or not; none after it (see
/// [`super::occurrences`]). Only the occurrences that can be on the page are sent to
/// the database: the newest (or, paging backward, the oldest) page's worth of each
/// series between the cursors. With `text`, each row's text as [`fetch_page_with_text`]
/// reads it, in place of the row. Also returns the listing of the stored rows and how
/// many occurrences without a row it lacks, for a total count.
#[allow(clippy::too_many_arguments)]
pub async fn all_of_kind_page<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    kind: TransactionKind,
    recurring: &[book_series::Model],
    today: NaiveDate,
    slice: &Slice,
    text: Option<RowText>,
) -> DomainResult<(Fetched, Select<book_transaction::Entity>, u64)> {
    let order = TransactionOrder::DateDesc;
    let query = TransactionQuery {
        kind: Some(kind),
        transfers: Some(false),
        ..Default::default()
    };
    let runs = Runs::through(db, recurring, today).await?;
    let date_of = |at: &Option<Position>| match at {
        Some(Position {
            key: SortKey::Date(date),
            ..
        }) => Some(*date),
        _ => None,
    };
    // Newest first: rows after `after` are older than it, rows before `before` newer.
    let to = date_of(&slice.after).map_or(today, |d| Ord::min(d, today));
    let from = date_of(&slice.before).unwrap_or(NaiveDate::MIN);
    let backward = slice.first.is_none();
    let size = if backward { slice.last } else { slice.first }.unwrap_or(0);
    let count = usize::try_from(size.saturating_add(1)).unwrap_or(usize::MAX);
    let candidates = runs.page_candidates(db, from, to, count, !backward).await?;
    let later = occurrences::after_day(recurring, today);
    let without_later = |select: Select<book_transaction::Entity>| match &later {
        Some(later) => select.filter(later.clone().not()),
        None => select,
    };
    let listing = without_later(query.select_with(viewer, book, &candidates)?);
    let page = match text {
        Some(text) => Fetched::Built(fetch_page_with_text(db, listing, order, slice, &text).await?),
        None => Fetched::Rows(fetch_page(db, listing, order, slice).await?),
    };
    let stored = without_later(query.select(viewer, book)?);
    let unstored: u64 = runs
        .0
        .iter()
        .filter(|run| {
            let row = run.template();
            row.kind == kind && super::transactions::visible_to(viewer, &row)
        })
        .map(occurrences::Run::count)
        .sum();
    Ok((page, stored, unstored))
}

/// A page read as [`fetch_page`] reads it, or as [`fetch_page_with_text`] does.
#[derive(Debug, Clone)]
pub enum Fetched {
    Rows(Page),
    Built(Page<Built>),
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;
    use crate::commons::Id;
    use crate::{auth::Credential, entities::user::Role};

    fn viewer(role: Role) -> Viewer {
        Viewer {
            user_id: Id::new(7),
            organization_id: Id::new(1),
            role,
            credential: Credential::AccessToken {
                session: "s".into(),
            },
        }
    }

    fn business_book() -> book::Model {
        book::Model {
            id: 3,
            organization_id: 1,
            owner_id: None,
            owner_key: book::BUSINESS_OWNER_KEY,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn wildcards_in_a_search_are_literal() {}

    #[test]
    fn only_collectors_get_the_private_condition() {
        assert!(visible_condition(&viewer(Role::Admin)).is_none());
        assert!(visible_condition(&viewer(Role::Client)).is_none());
        assert!(visible_condition(&viewer(Role::Collector)).is_some());
    }

    #[test]
    fn a_cursor_of_another_order_is_refused() {
        let at = Position {
            key: SortKey::Amount(100),
            id: 1,
        };
        assert!(TransactionOrder::DateDesc.beyond(&at, true).is_err());
        assert!(TransactionOrder::AmountAsc.beyond(&at, false).is_ok());
    }

    #[test]
    fn a_page_is_one_keyset_select() {
        let query = TransactionQuery {
            search: Some("a".into()),
            category_ids: vec![Id::new(1)],
            tag_ids: vec![Id::new(2)],
            ..Default::default()
        }
        .select(&viewer(Role::Collector), &business_book())
        .unwrap();
        let at = Position {
            key: SortKey::Date(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()),
            id: 9,
        };
        let sql = TransactionOrder::DateDesc
            .sort(
                query.filter(TransactionOrder::DateDesc.beyond(&at, true).unwrap()),
                false,
            )
            .limit(11)
            .build(DbBackend::Postgres)
            .to_string();
        assert!(!sql.contains("OFFSET"), "{sql}");
        assert!(
            sql.contains(r#"("book_transactions"."date" < '2026-11-03' OR ("book_transactions"."date" = '2026-11-03' AND "book_transactions"."id" < 9))"#),
            "{sql}"
        );
        assert!(
            sql.contains(r#"LOWER("book_transactions"."notes") LIKE LOWER('%a%') ESCAPE ('!')"#),
            "{sql}"
        );
        assert!(
            sql.contains(r#"("book_transactions"."private" = FALSE OR "book_transactions"."created_by_user_id" = 7)"#),
            "{sql}"
        );
        assert!(
            sql.ends_with(r#"ORDER BY "book_transactions"."date" DESC, "book_transactions"."id" DESC LIMIT 11"#),
            "{sql}"
        );
    }

    #[test]
    fn too_many_ids_or_too_long_a_search_are_refused() {
        let query = TransactionQuery {
            tag_ids: (1..=101).map(Id::new).collect(),
            ..Default::default()
        };
        assert!(query.check().is_err());
        let query = TransactionQuery {
            search: Some("x".repeat(101)),
            ..Default::default()
        };
        assert!(query.check().is_err());
        assert!(TransactionQuery::default().check().is_ok());
    }
}
