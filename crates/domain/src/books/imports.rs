//! Importing a bank statement into a book (`importStatement`): the transactions of an OFX
//! or CSV file ([`super::bank_files`]) that the book does not have yet become incomes and
//! expenses of one account, all of them or none.
//!
//! - A line the book already has is skipped: by its OFX `FITID` (kept in `ofx_id`) or its
//!   CSV external id (kept in `external_id`), looked up in the book; a line whose id comes
//!   again in the same file is created once. A line without an id (a CSV mapping without
//!   an external id column) is recognised by what it says: the account's transactions
//!   without an id of the same day, amount and description (whatever the letter case)
//!   stand for as many of the file's lines alike, so that importing the file again, or a
//!   statement that overlaps it, creates only what is new, while two coffees of the same
//!   price on one day are two transactions.
//! - Each new transaction is filed like the latest one of the book with the same
//!   description (whatever the letter case) and the same kind, in a category still in
//!   use; else in the book's default category of its kind.
//! - A file with any line that cannot be read creates nothing: every refused line is
//!   reported with its number, so that the whole file can be mended at once.
//!
//! The statements are bounded whatever the file's size: the lookups go a thousand ids
//! or descriptions at a time, and the rows are inserted a few hundred per statement.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set, Statement as Sql, Value,
};

use super::{
    bank_files::{self, CsvMapping, Refusal, Statement},
    categories::default_category,
    require_writer,
    text::Text,
    transaction_rules::account_for,
    transactions::category_kind,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::AccountId,
    entities::{book, book_transaction, book_transaction::TransactionKind},
    reads::placeholder,
};

/// The refused lines an answer lists; the count says how many there were in all.
pub const MAX_REFUSALS_LISTED: usize = 100;
/// Ids or descriptions per lookup statement.
const LOOKUP_CHUNK: usize = 1_000;
/// Rows per INSERT: 200 rows of 27 columns stay far below both databases' limits on
/// bound values.
const INSERT_CHUNK: usize = 200;

/// The kind of bank file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementFormat {
    /// OFX 1.02 (SGML) or 2.x (XML).
    Ofx,
    /// A CSV export, laid out as its [`CsvMapping`] says.
    Csv,
}

/// A statement to import into an account of the caller's book.
#[derive(Debug, Clone)]
pub struct StatementImport {
    pub account_id: AccountId,
    pub format: StatementFormat,
    pub content: String,
    /// Required for CSV; ignored for OFX.
    pub mapping: Option<CsvMapping>,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The transactions created, in the file's order; none when a line was refused.
    pub created: Vec<book_transaction::Model>,
    /// Lines the book already had, or that repeat an earlier line's id.
    pub skipped: usize,
    /// The first [`MAX_REFUSALS_LISTED`] refused lines.
    pub refused: Vec<Refusal>,
    pub refused_count: usize,
}

/// Reads the file: whole-file problems (not an OFX file, a CSV without its mapping, more
/// than [`bank_files::MAX_STATEMENT_LINES`] lines) are the input's errors.
pub fn read(import: &StatementImport) -> DomainResult<Statement> {
    match import.format {
        StatementFormat::Ofx => bank_files::read_ofx(&import.content),
        StatementFormat::Csv => {
            let mapping = import.mapping.as_ref().ok_or_else(|| {
                DomainError::invalid("mapping", UserErrorCode::Required, Text::CsvNeedsMapping)
            })?;
            bank_files::read_csv(&import.content, mapping)
        }
    }
}

/// Imports `statement`, already read, into `account` of `book`, on the caller's write
/// transaction (see [`super::writes::import_statement`]).
pub async fn import(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    account_id: AccountId,
    format: StatementFormat,
    statement: Statement,
    now: DateTime<Utc>,
) -> DomainResult<Imported> {
    require_writer(viewer)?;
    let account = account_for(txn, book, Some(account_id), "accountId").await?;
    if !statement.refused.is_empty() {
        let mut refused = statement.refused;
        refused.sort_by_key(|r| r.line);
        let refused_count = refused.len();
        refused.truncate(MAX_REFUSALS_LISTED);
        return Ok(Imported {
            refused,
            refused_count,
            ..Default::default()
        });
    }
    let lines = statement.lines;
    let keys: Vec<&str> = lines.iter().filter_map(|l| l.key.as_deref()).collect();
    let mut known = known_keys(txn, book, format, &keys).await?;
    let mut alike = lines_alike(txn, book, account.id, &lines).await?;
    let mut skipped = 0;
    let mut new = Vec::with_capacity(lines.len());
    for line in lines {
        let had = match &line.key {
            Some(key) => !known.insert(key.clone()),
            None => alike
                .get_mut(&Alike::of(&line))
                .filter(|count| **count > 0)
                .map(|count| *count -= 1)
                .is_some(),
        };
        if had {
            skipped += 1;
            continue;
        }
        new.push(line);
    }
    let categories = proposed_categories(txn, book, &new).await?;
    let (created_by_user_id, created_by_token_id) = viewer.creator();
    let rows: Vec<book_transaction::ActiveModel> = new
        .into_iter()
        .map(|line| {
            let kind = kind_of(line.amount.minor());
            let category = categories.of(&line.description, kind);
            let (ofx_id, external_id) = match format {
                StatementFormat::Ofx => (line.key.unwrap_or_default(), None),
                StatementFormat::Csv => (String::new(), line.key),
            };
            book_transaction::ActiveModel {
                organization_id: Set(book.organization_id),
                book_id: Set(book.id),
                kind: Set(kind),
                amount_minor: Set(line.amount.minor().abs()),
                description: Set(line.description),
                date: Set(line.date),
                due_date: Set(None),
                // A bank's statement shows money that moved.
                paid: Set(true),
                paid_on: Set(Some(line.date)),
                category_id: Set(Some(category)),
                account_id: Set(account.id),
                statement_month: Set(None),
                contact_name: Set(String::new()),
                notes: Set(String::new()),
                barcode: Set(String::new()),
                external_id: Set(external_id),
                bank_data: Set(line.bank_data),
                ofx_id: Set(ofx_id),
                reconciled_on: Set(None),
                excluded: Set(false),
                private: Set(false),
                transfer_id: Set(None),
                series_id: Set(None),
                occurrence: Set(None),
                created_by_user_id: Set(created_by_user_id),
                created_by_token_id: Set(created_by_token_id),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    let mut created = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(INSERT_CHUNK) {
        created.extend(
            book_transaction::Entity::insert_many(chunk.iter().cloned())
                .exec_with_returning(txn)
                .await?,
        );
    }
    Ok(Imported {
        created,
        skipped,
        ..Default::default()
    })
}

fn kind_of(signed_minor: i64) -> TransactionKind {
    if signed_minor < 0 {
        TransactionKind::Out
    } else {
        TransactionKind::In
    }
}

/// The ids of `keys` the book already has: OFX ids in `ofx_id`, CSV ones in
/// `external_id`, a thousand at a time (see [`wanted`]).
async fn known_keys(
    txn: &DatabaseTransaction,
    book: &book::Model,
    format: StatementFormat,
    keys: &[&str],
) -> DomainResult<HashSet<String>> {
    let column = match format {
        StatementFormat::Ofx => "ofx_id",
        StatementFormat::Csv => "external_id",
    };
    let backend = txn.get_database_backend();
    let mut known = HashSet::new();
    let distinct: Vec<&str> = keys
        .iter()
        .copied()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for chunk in distinct.chunks(LOOKUP_CHUNK) {
        let (join, filter) = wanted(backend, &format!("t.{column}"), 2, chunk.len(), |p| p);
        let sql = format!(
            "SELECT t.{column} AS v FROM book_transactions t {join} WHERE t.book_id = {} {filter}",
            placeholder(backend, 1),
        );
        let mut values: Vec<Value> = vec![book.id.into()];
        values.extend(chunk.iter().map(|k| Value::from(k.to_string())));
        let found = Known::find_by_statement(Sql::from_sql_and_values(backend, sql, values))
            .all(txn)
            .await?;
        known.extend(found.into_iter().map(|k| k.v));
    }
    Ok(known)
}

#[derive(FromQueryResult)]
struct Known {
    v: String,
}

/// What recognises a line without an id: its day, signed amount and lower-cased
/// description.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Alike(NaiveDate, i64, String);

impl Alike {
    fn of(line: &bank_files::StatementLine) -> Self {
        Alike(
            line.date,
            line.amount.minor(),
            line.description.to_lowercase(),
        )
    }
}

/// How many transactions without an id `account` has alike each line without an id of
/// `lines`: one statement, over the days the lines span.
async fn lines_alike(
    txn: &DatabaseTransaction,
    book: &book::Model,
    account: i64,
    lines: &[bank_files::StatementLine],
) -> DomainResult<HashMap<Alike, usize>> {
    let days = lines.iter().filter(|l| l.key.is_none()).map(|l| l.date);
    let (Some(first), Some(last)) = (days.clone().min(), days.max()) else {
        return Ok(HashMap::new());
    };
    use book_transaction::Column;
    let rows: Vec<(NaiveDate, TransactionKind, i64, String)> = book_transaction::Entity::find()
        .select_only()
        .columns([
            Column::Date,
            Column::Kind,
            Column::AmountMinor,
            Column::Description,
        ])
        .filter(Column::BookId.eq(book.id))
        .filter(Column::AccountId.eq(account))
        .filter(Column::Date.between(first, last))
        .filter(Column::ExternalId.is_null())
        .filter(Column::OfxId.eq(""))
        .into_tuple()
        .all(txn)
        .await?;
    let mut alike = HashMap::new();
    for (date, kind, minor, description) in rows {
        let signed = match kind {
            TransactionKind::In => minor,
            TransactionKind::Out => -minor,
        };
        *alike
            .entry(Alike(date, signed, description.to_lowercase()))
            .or_insert(0) += 1;
    }
    Ok(alike)
}

/// Rows whose `expression` is one of `count` parameters from `first`, each written as
/// `wrap` says: a join to a `VALUES` list on PostgreSQL, which hashes it (an `IN` list of
/// parameters is compared row by row there), and an `IN` list on SQLite, which makes an
/// index of it (and scans a `VALUES` list for every row). Returns what goes after the
/// table (the join) and what goes after the `WHERE` (the filter).
fn wanted(
    backend: sea_orm::DbBackend,
    expression: &str,
    first: usize,
    count: usize,
    wrap: impl Fn(String) -> String,
) -> (String, String) {
    let each = (0..count).map(|i| wrap(placeholder(backend, first + i)));
    if backend == sea_orm::DbBackend::Postgres {
        let rows: Vec<String> = each.map(|p| format!("({p})")).collect();
        (
            format!(
                "JOIN (VALUES {}) AS wanted(v) ON wanted.v = {expression}",
                rows.join(", ")
            ),
            String::new(),
        )
    } else {
        let list: Vec<String> = each.collect();
        (
            String::new(),
            format!("AND {expression} IN ({})", list.join(", ")),
        )
    }
}

/// The category each new transaction gets.
struct Proposals {
    /// By lower-cased description and kind: the latest matching transaction's category.
    earlier: HashMap<(String, TransactionKind), i64>,
    income: i64,
    expense: i64,
}

impl Proposals {
    fn of(&self, description: &str, kind: TransactionKind) -> i64 {
        self.earlier
            .get(&(description.to_lowercase(), kind))
            .copied()
            .unwrap_or(match kind {
                TransactionKind::In => self.income,
                TransactionKind::Out => self.expense,
            })
    }
}

#[derive(FromQueryResult)]
struct Earlier {
    description: String,
    kind: TransactionKind,
    category_id: i64,
    date: NaiveDate,
    id: i64,
}

/// For each description of `lines`, the category of the book's latest transaction with
/// that description and kind, filed in a category that is not archived. One statement
/// per thousand descriptions: the database keeps, per description and kind, only the
/// latest row (by date, then by id).
async fn proposed_categories(
    txn: &DatabaseTransaction,
    book: &book::Model,
    lines: &[bank_files::StatementLine],
) -> DomainResult<Proposals> {
    let income = default_category(txn, book, category_kind(TransactionKind::In))
        .await?
        .id;
    let expense = default_category(txn, book, category_kind(TransactionKind::Out))
        .await?
        .id;
    let descriptions: Vec<&str> = lines
        .iter()
        .map(|l| l.description.as_str())
        .filter(|d| !d.is_empty())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let backend = txn.get_database_backend();
    let mut latest: HashMap<(String, TransactionKind), (NaiveDate, i64, i64)> = HashMap::new();
    for chunk in descriptions.chunks(LOOKUP_CHUNK) {
        let (join, filter) = wanted(backend, "LOWER(t.description)", 3, chunk.len(), |p| {
            format!("LOWER({p})")
        });
        let sql = format!(
            "SELECT description, kind, category_id, date, id FROM ( \
               SELECT t.description, t.kind, t.category_id, t.date, t.id, \
                 ROW_NUMBER() OVER (PARTITION BY LOWER(t.description), t.kind \
                                    ORDER BY t.date DESC, t.id DESC) AS latest \
               FROM book_transactions t \
               JOIN book_categories c ON c.id = t.category_id AND c.archived = {} \
               {join} \
               WHERE t.book_id = {} AND t.transfer_id IS NULL {filter} \
             ) ranked WHERE latest = 1",
            placeholder(backend, 1),
            placeholder(backend, 2),
        );
        let mut values: Vec<Value> = vec![false.into(), book.id.into()];
        values.extend(chunk.iter().map(|d| Value::from(d.to_string())));
        let rows = Earlier::find_by_statement(Sql::from_sql_and_values(backend, sql, values))
            .all(txn)
            .await?;
        for row in rows {
            // SQLite's LOWER folds A to Z only: rows whose descriptions differ beyond
            // that come apart there, and the latest of them wins here.
            let key = (row.description.to_lowercase(), row.kind);
            let candidate = (row.date, row.id, row.category_id);
            latest
                .entry(key)
                .and_modify(|held| {
                    if (candidate.0, candidate.1) > (held.0, held.1) {
                        *held = candidate;
                    }
                })
                .or_insert(candidate);
        }
    }
    Ok(Proposals {
        earlier: latest
            .into_iter()
            .map(|(key, (_, _, category))| (key, category))
            .collect(),
        income,
        expense,
    })
}
