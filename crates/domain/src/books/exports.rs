//! Exporting a book's transactions of a period (`GET /exports/transactions.csv`): the
//! rows of the `transactions` listing of that period, in its order (newest date first),
//! a page at a time so that a year of a busy book never sits in memory whole. The
//! occurrences of recurring series that have no row are in it exactly as the listing
//! shows them: the same query ([`TransactionQuery::select_with`]) over the same computed
//! occurrences.
//!
//! What a row names (its category, account or card, tags) comes with it: the book's
//! categories, accounts and cards once, and each page's tags in one statement.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};

use super::{
    BookInContext,
    listing::{self, Position, Slice, TransactionOrder, TransactionQuery},
    occurrences::Unstored,
    tags,
};
use crate::{
    DomainResult,
    auth::Viewer,
    commons::{Id, Period},
    entities::{book_account, book_category, book_credit_card, book_transaction},
};

/// Rows per page read.
pub const EXPORT_PAGE: u64 = 500;

/// One transaction of an export, with the names of what it points to.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub row: book_transaction::Model,
    /// Empty for a side of a transfer.
    pub category: String,
    /// The account's name; empty for a credit card's transaction (see `credit_card`).
    pub account: String,
    /// The card's name for its purchases and payments; empty otherwise.
    pub credit_card: String,
    /// Tag names, in the listing's order (by name).
    pub tags: Vec<String>,
}

/// An export under way: where it stands in the listing, and the names rows point to.
pub struct Export {
    listing: Select<book_transaction::Entity>,
    after: Option<Position>,
    done: bool,
    categories: HashMap<i64, String>,
    accounts: HashMap<i64, String>,
    cards: HashMap<i64, String>,
}

const ORDER: TransactionOrder = TransactionOrder::DateDesc;

impl Export {
    /// The export of `period` of the caller's book, as `viewer` may see it: the
    /// listing's query, and the book's categories, accounts and cards.
    pub async fn open<C: ConnectionTrait>(
        db: &C,
        viewer: &Viewer,
        context: &BookInContext,
        period: Period,
    ) -> DomainResult<Self> {
        let book = &context.book;
        let unstored = Unstored::in_period(db, &context.recurring, &period).await?;
        let query = TransactionQuery {
            period: Some(period),
            ..Default::default()
        };
        let listing = query.select_with(viewer, book, &unstored)?;
        let categories = book_category::Entity::find()
            .filter(book_category::Column::BookId.eq(book.id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let accounts = book_account::Entity::find()
            .filter(book_account::Column::BookId.eq(book.id))
            .all(db)
            .await?
            .into_iter()
            .filter(|a| !a.for_credit_card)
            .map(|a| (a.id, a.name))
            .collect();
        let cards = book_credit_card::Entity::find()
            .filter(book_credit_card::Column::BookId.eq(book.id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.account_id, c.name))
            .collect();
        Ok(Self {
            listing,
            after: None,
            done: false,
            categories,
            accounts,
            cards,
        })
    }

    /// The next page of at most [`EXPORT_PAGE`] rows; `None` once every row was read.
    pub async fn next_page<C: ConnectionTrait>(
        &mut self,
        db: &C,
    ) -> DomainResult<Option<Vec<ExportRow>>> {
        if self.done {
            return Ok(None);
        }
        let slice = Slice {
            first: Some(EXPORT_PAGE),
            after: self.after,
            last: None,
            before: None,
        };
        let page = listing::fetch_page(db, self.listing.clone(), ORDER, &slice).await?;
        self.done = !page.has_next;
        self.after = page.rows.last().map(|row| ORDER.position_of(row));
        if page.rows.is_empty() {
            self.done = true;
            return Ok(None);
        }
        let ids: Vec<_> = page.rows.iter().map(|row| Id::new(row.id)).collect();
        let mut tags = tags::tags_of_transactions(db, &ids).await?;
        let rows = page
            .rows
            .into_iter()
            .map(|row| {
                let named = |map: &HashMap<i64, String>, key: Option<i64>| {
                    key.and_then(|k| map.get(&k).cloned()).unwrap_or_default()
                };
                ExportRow {
                    category: named(&self.categories, row.category_id),
                    account: named(&self.accounts, Some(row.account_id)),
                    credit_card: named(&self.cards, Some(row.account_id)),
                    tags: tags
                        .remove(&Id::new(row.id))
                        .unwrap_or_default()
                        .into_iter()
                        .map(|t| t.name)
                        .collect(),
                    row,
                }
            })
            .collect();
        Ok(Some(rows))
    }
}
