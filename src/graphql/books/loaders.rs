//! The books' loaders, one statement per level: transactions' tags, recurring series,
//! credit cards and their statements, account balances, transfers' sides. They read
//! through the domain and return its rows, and know nothing of the schema's types.

use crate::domain::commons::{AccountId, BookId, CreditCardId, Id, TransactionId, TransferId};
use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use sea_orm::{DatabaseConnection, DbErr};

use crate::{
    domain::{
        DomainError,
        books::{
            cards,
            cycles::Cycles,
            occurrences,
            statements::{self, MonthTotals},
            summaries, tags, transfers,
        },
        commons::money::Money,
    },
    entities::{book_credit_card, book_series, book_tag, book_transaction},
};

/// A domain error as a loader's error: loaders fail only on the database, and anything
/// else the domain says is kept as its text.
fn database_error(error: DomainError) -> Arc<DbErr> {
    Arc::new(match error {
        DomainError::Database(e) => e,
        other => DbErr::Custom(other.to_string()),
    })
}

/// Every recurring series of each book, read once per request and book however many
/// periods the request reads (each computes its occurrences from them). A book write
/// forgets what was loaded (see `write_book`).
pub struct RecurringSeries {
    db: DatabaseConnection,
}

impl RecurringSeries {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<BookId> for RecurringSeries {
    type Value = Vec<book_series::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[BookId]) -> Result<HashMap<BookId, Self::Value>, Self::Error> {
        let rows = occurrences::recurring_series(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let mut series: HashMap<BookId, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            series.entry(Id::new(row.book_id)).or_default().push(row);
        }
        Ok(series)
    }
}

/// The tags of each transaction, by name.
pub struct TransactionTags {
    db: DatabaseConnection,
}

impl TransactionTags {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<TransactionId> for TransactionTags {
    type Value = Vec<book_tag::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[TransactionId],
    ) -> Result<HashMap<TransactionId, Self::Value>, Self::Error> {
        tags::tags_of_transactions(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Cards by their own account's id (a transaction's card).
pub struct CardsByAccount {
    db: DatabaseConnection,
}

impl CardsByAccount {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<AccountId> for CardsByAccount {
    type Value = book_credit_card::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[AccountId],
    ) -> Result<HashMap<AccountId, Self::Value>, Self::Error> {
        cards::cards_by_account(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// The statement cycles of cards, by card id.
pub struct CardCycles {
    db: DatabaseConnection,
}

impl CardCycles {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<CreditCardId> for CardCycles {
    type Value = Cycles;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[CreditCardId],
    ) -> Result<HashMap<CreditCardId, Self::Value>, Self::Error> {
        cards::cycles_of_cards(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// The totals of every statement month of cards, by (the card's own account, the last
/// day the statements asked cover): recurring purchases count through that day.
pub struct StatementTotals {
    db: DatabaseConnection,
}

impl StatementTotals {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<(AccountId, NaiveDate)> for StatementTotals {
    type Value = BTreeMap<i32, MonthTotals>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(AccountId, NaiveDate)],
    ) -> Result<HashMap<(AccountId, NaiveDate), Self::Value>, Self::Error> {
        statements::month_totals_through(&self.db, keys)
            .await
            .map_err(database_error)
    }
}

/// The transactions of statements, by (card account, month index).
pub struct StatementRows {
    db: DatabaseConnection,
}

impl StatementRows {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<(AccountId, i32)> for StatementRows {
    type Value = Vec<book_transaction::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(AccountId, i32)],
    ) -> Result<HashMap<(AccountId, i32), Self::Value>, Self::Error> {
        statements::statement_rows(&self.db, keys)
            .await
            .map_err(database_error)
    }
}

/// What cards owe as of a day, by (card account, day).
pub struct CardOutstanding {
    db: DatabaseConnection,
}

impl CardOutstanding {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<(AccountId, NaiveDate)> for CardOutstanding {
    type Value = Money;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(AccountId, NaiveDate)],
    ) -> Result<HashMap<(AccountId, NaiveDate), Self::Value>, Self::Error> {
        statements::outstanding(&self.db, keys)
            .await
            .map_err(database_error)
    }
}

/// Balances of accounts on days: all the accounts and days of a request level in one
/// statement.
pub struct AccountBalances {
    db: DatabaseConnection,
}

impl AccountBalances {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<(AccountId, NaiveDate)> for AccountBalances {
    type Value = Money;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[(AccountId, NaiveDate)],
    ) -> Result<HashMap<(AccountId, NaiveDate), Self::Value>, Self::Error> {
        summaries::account_balances(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Loads transfers by id as their two sides, in one statement per batch.
pub struct TransferSides {
    db: DatabaseConnection,
}

impl TransferSides {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<TransferId> for TransferSides {
    type Value = transfers::Transfer;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[TransferId],
    ) -> Result<HashMap<TransferId, Self::Value>, Self::Error> {
        transfers::transfers_by_id(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
