//! `Book.transactions(filter:, orderBy:)` and the driver's quick lists `Book.incomes` and
//! `Book.expenses`: keyset cursor connections over [`crate::domain::books::listing`].
//!
//! A cursor names a position (the row's sort key and id) in one order, never an offset,
//! so a client paging through rows that others keep adding sees each row once. A page
//! is one SELECT; `totalCount` is one COUNT, run only when it is selected.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::Select;

use super::{
    text::Text,
    transactions::{Transaction, TransactionKind, TransactionStatus},
    writes::recurring,
};
use crate::{
    domain::{
        books::listing::{
            self, Built, CreatedBy, Fetched, Page, PaymentStatus, Position, Slice, SortKey,
            TransactionQuery,
        },
        books::occurrences::Unstored,
        books::tags,
        commons::{Id, Period, TransactionId},
    },
    entities::{book, book_transaction},
    graphql::{
        commons::{
            ContextExt, ErrorCode, GlobalId, NodeKind, PageArgs, PeriodInput,
            connection::{DEFAULT_PAGE_SIZE, PageInfo, size},
            targets, today,
        },
        fast::{
            books,
            compiled::{EdgeShape, Later, set_member},
            plain::PlainList,
        },
    },
};

/// How a listing of transactions is ordered. Ties are broken by the order they were
/// recorded in, in the same direction, so the order is the same on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[graphql(remote = "crate::domain::books::listing::TransactionOrder")]
pub enum TransactionOrder {
    /// Newest date first (the default).
    #[default]
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

impl TransactionOrder {
    /// The order's name inside a cursor.
    fn tag(self) -> &'static str {
        match self {
            Self::DateDesc => "DATE_DESC",
            Self::DateAsc => "DATE_ASC",
            Self::AmountDesc => "AMOUNT_DESC",
            Self::AmountAsc => "AMOUNT_ASC",
            Self::CreatedDesc => "CREATED_DESC",
            Self::CreatedAsc => "CREATED_ASC",
        }
    }
}

impl From<TransactionStatus> for PaymentStatus {
    fn from(status: TransactionStatus) -> Self {
        match status {
            TransactionStatus::Paid => Self::Paid,
            TransactionStatus::Pending => Self::Pending,
            TransactionStatus::Overdue => Self::Overdue,
        }
    }
}

/// Which transactions of the book to list. Every field given narrows the listing;
/// omitted fields (and empty lists) leave it open. IDs of records of another book are
/// not errors: they match no transaction of this one.
#[derive(InputObject, Debug, Clone, Default)]
pub struct TransactionFilter {
    /// The days covered, by the transaction's `date` (whole days, both ends included:
    /// `{from: "2026-11-10", to: "2026-11-12"}` is those three days), or a month. At most
    /// one year (BAD_USER_INPUT past it). When omitted: from the first day of the current
    /// month to today, in the organization's timezone.
    pub period: Option<PeriodInput>,
    /// Only incomes (IN) or only expenses (OUT).
    pub kind: Option<TransactionKind>,
    /// Transactions of any of these accounts.
    pub account_ids: Option<Vec<ID>>,
    /// Transactions of any of these categories; a top-level category brings its
    /// subcategories along.
    pub category_ids: Option<Vec<ID>>,
    /// Transactions carrying any of these tags.
    pub tag_ids: Option<Vec<ID>>,
    /// Transactions recorded by this user (a `StaffUser` or `Client` ID: Fipli's
    /// collector), or through this API token (an `ApiToken` ID).
    pub created_by: Option<ID>,
    /// PAID, PENDING or OVERDUE, as of today in the organization's timezone.
    pub status: Option<TransactionStatus>,
    /// Text to find in the description, the contact name or the notes, whatever the
    /// letter case (of A to Z everywhere; of accented letters too on PostgreSQL); `%`
    /// and `_` are plain characters here. At most 100 characters.
    pub search: Option<String>,
    /// Only the transactions left out of summaries (true) or only the others (false);
    /// both when omitted.
    pub excluded: Option<bool>,
    /// The transaction an integration knows by this `externalId`.
    pub external_id: Option<String>,
    /// false leaves the sides of transfers out, true lists only them; both when omitted.
    pub transfers: Option<bool>,
    /// false leaves credit cards' purchases and statement payments out (only the
    /// accounts' money), true lists only them; both when omitted.
    pub credit_cards: Option<bool>,
    /// Purchases and statement payments of any of these credit cards.
    pub credit_card_ids: Option<Vec<ID>>,
}

/// One transaction of a listing and its cursor.
#[derive(SimpleObject)]
pub struct TransactionEdge {
    /// Opaque position of this transaction in the listing's order; pass it as `after`
    /// or `before`.
    pub cursor: String,
    /// The transaction.
    pub node: Transaction,
}

/// A page of a book's transactions.
pub struct TransactionConnection {
    list: List,
    page_info: PageInfo,
    /// The whole listing, counted only when `totalCount` is asked for.
    listing: Select<book_transaction::Entity>,
    /// Occurrences of recurring series the listing lacks (an all-time listing counts
    /// them without listing them).
    unstored: u64,
}

/// A page of a book's transactions.
#[Object]
impl TransactionConnection {
    /// The transactions of this page, each with its cursor.
    async fn edges(&self) -> async_graphql::Result<PlainList<'_, TransactionEdge>> {
        match &self.list {
            List::Edges(json) => Ok(PlainList::compiled(json)),
            List::Resolved(edges) => Ok(PlainList::new(edges.iter().collect(), None)),
            List::Nodes(_) => Err(NOT_COMPILED.into()),
        }
    }
    /// The transactions of this page, without cursors.
    async fn nodes(&self) -> async_graphql::Result<PlainList<'_, Transaction>> {
        match &self.list {
            List::Nodes(json) => Ok(PlainList::compiled(json)),
            List::Resolved(edges) => Ok(PlainList::new(
                edges.iter().map(|e| &e.node).collect(),
                None,
            )),
            List::Edges(_) => Err(NOT_COMPILED.into()),
        }
    }
    /// Where this page sits in the whole listing.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
    /// How many transactions the listing has in all, whatever the page.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(listing::count(ctx.db(), &self.listing).await? + self.unstored)
    }
}

/// A page's list: its rows' edges for the resolvers, or the JSON texts PostgreSQL built
/// for the selection (`fast::books`) of each node or of each edge. A compiled page
/// reads only its rows' positions beside the texts, so it answers only the list its
/// selection compiled.
enum List {
    Resolved(Vec<TransactionEdge>),
    Nodes(Vec<String>),
    Edges(Vec<String>),
}

/// The error of a compiled page asked for the list it did not compile: `page_selection`
/// compiles a page only when its selection asks for one of them.
const NOT_COMPILED: &str = "a compiled page asked for the list it did not compile";

const CURSOR_PREFIX: &str = "tx1";

fn encode_cursor(order: TransactionOrder, at: Position) -> String {
    let key = match at.key {
        SortKey::Date(d) => d.format("%Y-%m-%d").to_string(),
        SortKey::Amount(a) => a.to_string(),
        SortKey::Created(c) => c.to_rfc3339_opts(SecondsFormat::Nanos, true),
    };
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}:{}:{}:{key}", order.tag(), at.id))
}

/// The position a cursor of this listing in `order` names; BAD_USER_INPUT for anything
/// else (garbage, a cursor of another listing, or of another order of this one).
fn decode_cursor(
    cursor: &str,
    order: TransactionOrder,
    name: &str,
) -> async_graphql::Result<Position> {
    let bad = || {
        ErrorCode::BadUserInput.error(Text::NotACursor {
            name: name.to_string(),
            order: order.tag().to_string(),
        })
    };
    let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let raw = std::str::from_utf8(&raw).map_err(|_| bad())?;
    let mut parts = raw.splitn(4, ':');
    let (Some(CURSOR_PREFIX), Some(tag), Some(id), Some(key)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if tag != order.tag() {
        return Err(bad());
    }
    // Negative for an occurrence of a recurring series that has no row.
    let id: i64 = id.parse().ok().filter(|id| *id != 0).ok_or_else(bad)?;
    let key = match order {
        TransactionOrder::DateDesc | TransactionOrder::DateAsc => {
            SortKey::Date(NaiveDate::parse_from_str(key, "%Y-%m-%d").map_err(|_| bad())?)
        }
        TransactionOrder::AmountDesc | TransactionOrder::AmountAsc => {
            SortKey::Amount(key.parse().map_err(|_| bad())?)
        }
        TransactionOrder::CreatedDesc | TransactionOrder::CreatedAsc => SortKey::Created(
            DateTime::parse_from_rfc3339(key)
                .map_err(|_| bad())?
                .with_timezone(&Utc),
        ),
    };
    Ok(Position { key, id })
}

/// The page asked for, checked before any SQL runs: sizes at most 100, cursors of this
/// listing and order. 20 from the start when neither `first` nor `last` is given.
fn slice(args: &PageArgs, order: TransactionOrder) -> async_graphql::Result<Slice> {
    let mut first = size(args.first, "first")?;
    let last = size(args.last, "last")?;
    if first.is_none() && last.is_none() {
        first = Some(DEFAULT_PAGE_SIZE);
    }
    let cursor = |value: &Option<String>, name: &str| {
        value
            .as_deref()
            .map(|c| decode_cursor(c, order, name))
            .transpose()
    };
    Ok(Slice {
        first,
        after: cursor(&args.after, "after")?,
        last,
        before: cursor(&args.before, "before")?,
    })
}

fn created_by(id: &ID) -> async_graphql::Result<CreatedBy> {
    match GlobalId::parse(id) {
        Some(GlobalId {
            kind: NodeKind::Client | NodeKind::StaffUser,
            id,
        }) => Ok(CreatedBy::User(id)),
        Some(GlobalId {
            kind: NodeKind::ApiToken,
            id,
        }) => Ok(CreatedBy::Token(id)),
        _ => Err(ErrorCode::BadUserInput.error(Text::NotACreator)),
    }
}

impl TransactionFilter {
    /// The domain query but for the period and the status, which wait for the
    /// organization's today: everything here is checked before any SQL runs.
    fn into_query(self) -> async_graphql::Result<TransactionQuery> {
        Ok(TransactionQuery {
            period: None,
            kind: self.kind.map(Into::into),
            account_ids: targets(
                &self.account_ids.unwrap_or_default(),
                NodeKind::Account,
                "accountIds",
                "an account",
            )?,
            category_ids: targets(
                &self.category_ids.unwrap_or_default(),
                NodeKind::Category,
                "categoryIds",
                "a category",
            )?,
            tag_ids: targets(
                &self.tag_ids.unwrap_or_default(),
                NodeKind::Tag,
                "tagIds",
                "a tag",
            )?,
            created_by: self.created_by.as_ref().map(created_by).transpose()?,
            status: None,
            search: self.search,
            excluded: self.excluded,
            external_id: self.external_id,
            transfers: self.transfers,
            credit_cards: self.credit_cards,
            credit_card_ids: targets(
                &self.credit_card_ids.unwrap_or_default(),
                NodeKind::CreditCard,
                "creditCardIds",
                "a credit card",
            )?,
        })
    }
}

/// The connection of a page `found` in `order`; `listing` and `unstored` count its
/// whole listing.
fn connection(
    found: Page,
    order: TransactionOrder,
    listing: Select<book_transaction::Entity>,
    unstored: u64,
) -> TransactionConnection {
    let domain_order: listing::TransactionOrder = order.into();
    let edges: Vec<TransactionEdge> = found
        .rows
        .into_iter()
        .map(|row| TransactionEdge {
            cursor: encode_cursor(order, domain_order.position_of(&row)),
            node: Transaction(row),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page: found.has_next,
        has_previous_page: found.has_previous,
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    TransactionConnection {
        list: List::Resolved(edges),
        page_info,
        listing,
        unstored,
    }
}

/// The connection of a compiled page `found` in `order` (each row's JSON text, as the
/// page's nodes or, with an edge shape, in its edges); `listing` and `unstored` count
/// its whole listing. Only edges and `pageInfo` hold cursors: a page of nodes encodes
/// two, not one per row.
fn compiled_connection(
    found: Page<Built>,
    order: TransactionOrder,
    edges: Option<EdgeShape>,
    listing: Select<book_transaction::Entity>,
    unstored: u64,
) -> TransactionConnection {
    let cursor = |row: &Built| encode_cursor(order, row.at);
    let page_info = PageInfo {
        has_next_page: found.has_next,
        has_previous_page: found.has_previous,
        start_cursor: found.rows.first().map(cursor),
        end_cursor: found.rows.last().map(cursor),
    };
    let list = match edges {
        None => List::Nodes(found.rows.into_iter().map(|row| row.text).collect()),
        Some(shape) => List::Edges(
            found
                .rows
                .iter()
                .map(|row| shape.edge(&cursor(row), &row.text))
                .collect(),
        ),
    };
    TransactionConnection {
        list,
        page_info,
        listing,
        unstored,
    }
}

/// `Book.transactions`: the book's transactions matching `filter`, in `order`.
pub async fn transactions(
    ctx: &Context<'_>,
    book: &book::Model,
    filter: Option<TransactionFilter>,
    order: TransactionOrder,
    args: PageArgs,
) -> async_graphql::Result<TransactionConnection> {
    ctx.viewer()?;
    let slice = slice(&args, order)?;
    let filter = filter.unwrap_or_default();
    let period = filter.period.clone().unwrap_or_default();
    let status = filter.status;
    let mut query = filter.into_query()?;
    query.check()?;
    let today = today(ctx).await?;
    let period = period.resolve(today, Period::month_to_date(today))?;
    let recurring = recurring(ctx, book).await?;
    let unstored = Unstored::in_period(ctx.db(), &recurring, &period).await?;
    query.period = Some(period);
    query.status = status.map(|s| (s.into(), today));
    let viewer = ctx.viewer()?;
    let listing = query.select_with(viewer, book, &unstored)?;
    // A page PostgreSQL can build whole comes with each transaction's JSON text.
    if let Some((page, later)) = books::transaction_page(ctx, today) {
        let found = listing::fetch_page_with_text(
            ctx.db(),
            listing.clone(),
            order.into(),
            &slice,
            &page.node,
        )
        .await?;
        let found = with_lists_read_later(ctx, &later, found).await?;
        return Ok(compiled_connection(found, order, page.edges, listing, 0));
    }
    let found = listing::fetch_page(ctx.db(), listing.clone(), order.into(), &slice).await?;
    Ok(connection(found, order, listing, 0))
}

/// `Book.incomes` and `Book.expenses`: every income (or expense) of the book, whatever
/// its date, newest first; the sides of transfers are neither. Having no period, they
/// show a recurring series' occurrences dated up to today, and none after it.
pub async fn quick_list(
    ctx: &Context<'_>,
    book: &book::Model,
    kind: TransactionKind,
    args: PageArgs,
) -> async_graphql::Result<TransactionConnection> {
    ctx.viewer()?;
    let order = TransactionOrder::DateDesc;
    let slice = slice(&args, order)?;
    let today = today(ctx).await?;
    let recurring = recurring(ctx, book).await?;
    let (text, edges, later) = match books::transaction_page(ctx, today) {
        Some((page, later)) => (Some(page.node), page.edges, later),
        None => (None, None, Vec::new()),
    };
    let (found, listing, unstored) = listing::all_of_kind_page(
        ctx.db(),
        ctx.viewer()?,
        book,
        kind.into(),
        &recurring,
        today,
        &slice,
        text,
    )
    .await?;
    Ok(match found {
        Fetched::Built(found) => {
            let found = with_lists_read_later(ctx, &later, found).await?;
            compiled_connection(found, order, edges, listing, unstored)
        }
        Fetched::Rows(found) => connection(found, order, listing, unstored),
    })
}

/// A compiled page `found` with the lists its texts left null (`later`: a stored
/// transaction's tags) read for the whole page in one statement and set in. An
/// occurrence without a row (a negative id) carries its own.
async fn with_lists_read_later(
    ctx: &Context<'_>,
    later: &[Later],
    mut found: Page<Built>,
) -> async_graphql::Result<Page<Built>> {
    let stored: Vec<TransactionId> = found
        .rows
        .iter()
        .filter(|row| !row.is_unstored())
        .map(|row| Id::new(row.at.id))
        .collect();
    if later.is_empty() || stored.is_empty() {
        return Ok(found);
    }
    let items: Vec<String> = later.iter().map(|list| list.item.clone()).collect();
    let lists = tags::tag_lists_as_text(ctx.db(), &items, &stored).await?;
    for row in found.rows.iter_mut().filter(|row| !row.is_unstored()) {
        let of_row = lists.get(&Id::new(row.at.id));
        for (i, list) in later.iter().enumerate() {
            let value = of_row.map_or("[]", |lists| lists[i].as_str());
            row.text = set_member(&row.text, &list.key, value)
                .ok_or("a compiled transaction without its list")?;
        }
    }
    Ok(found)
}
