//! Writing a recurring series' occurrences when a period that holds them is read.
//!
//! A recurring series (`book_series`, kind RECURRING) has no end, so its occurrences
//! cannot all be written when it is created: only occurrence 0 is. Every reader over a
//! period (listings, summaries, budgets, statements) first calls [`ensure_occurrences`],
//! which writes the occurrences of the book's recurring series that fall in the period
//! and are not written yet. From then on they are ordinary rows: listed, summed, edited
//! and paid like any other transaction.
//!
//! Rules kept here:
//! - an occurrence is written at most once: the unique index on `(series_id,
//!   occurrence)` and `ON CONFLICT DO NOTHING` make two readers of the same period at
//!   once write it once between them;
//! - an occurrence deleted on its own (a row in `book_series_skips`) or past the series'
//!   `last_occurrence` (a series ended from an occurrence on) is never written; one
//!   edited on its own keeps its row, wherever its date went;
//! - an occurrence written this way is PENDING (`paid = false`): it is what is expected,
//!   not what happened. It takes the series' template (kind, amount, description,
//!   category, account, contact, notes, excluded, private, tags still in the book) and,
//!   on a credit card's account, the statement its date falls in;
//! - one call covers at most one year from `from` (the longest period a reader accepts),
//!   so no request writes more than 53 occurrences of one series;
//! - its cost does not grow with the rows: one SELECT of the book's recurring series
//!   (none when the caller read them with the book), and only when some occurrence may be missing, one SELECT of those already written
//!   or skipped, and then, only when something is missing, one INSERT of the rows, one
//!   SELECT of card cycles and, for tagged series, one SELECT and one INSERT of tags.

use crate::commons::{BookId, Id};
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{OnConflict, Query, UnionType},
};

use super::{
    cards,
    series::{Periodicity, occurrences_in},
};
use crate::{
    DomainResult,
    commons::Period,
    entities::{
        book, book_series, book_series::SeriesKind, book_series_skip, book_tag, book_transaction,
        book_transaction_tag,
    },
};

/// Rows one INSERT carries at most (about 14,000 bind parameters, under SQLite's and
/// PostgreSQL's limits).
const ROWS_PER_INSERT: usize = 500;

/// An occurrence to write: the index of its series in the loaded list, its number and
/// its date.
struct Wanted {
    series: usize,
    occurrence: i32,
    date: NaiveDate,
}

/// Writes the occurrences of `book`'s recurring series dated from `from` to `to` (at
/// most one year after `from`) that are not written yet, not deleted on their own and
/// not past the series' end. Returns how many rows were written. Safe to call from
/// concurrent readers of the same period.
pub async fn ensure_occurrences<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<u64> {
    let series = recurring_series(db, &[Id::new(book.id)]).await?;
    ensure_occurrences_of(db, &series, from, to).await
}

/// The recurring series of `books`, every one of them: the list
/// [`ensure_occurrences_of`] takes.
pub async fn recurring_series<C: ConnectionTrait>(
    db: &C,
    books: &[BookId],
) -> Result<Vec<book_series::Model>, DbErr> {
    book_series::Entity::find()
        .filter(book_series::Column::BookId.is_in(books.iter().copied()))
        .filter(book_series::Column::Kind.eq(SeriesKind::Recurring))
        .all(db)
        .await
}

/// [`ensure_occurrences`] for a book whose recurring series (all of them, as
/// [`recurring_series`] reads them) were read already, with the book or by a batch.
pub async fn ensure_occurrences_of<C: ConnectionTrait>(
    db: &C,
    recurring: &[book_series::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> DomainResult<u64> {
    let latest = from
        .checked_add_months(Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    let Ok(period) = Period::new(from, to.min(latest)) else {
        return Ok(0);
    };
    let series: Vec<book_series::Model> = recurring
        .iter()
        .filter(|s| s.kind == SeriesKind::Recurring && s.start_date <= period.to())
        .cloned()
        .collect();
    let wanted = wanted_in(&series, &period);
    if wanted.is_empty() {
        return Ok(0);
    }
    let present = present(db, &series, &wanted).await?;
    let missing: Vec<&Wanted> = wanted
        .iter()
        .filter(|w| !present.contains(&(series[w.series].id, w.occurrence)))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    write(db, &series, &missing, Utc::now()).await
}

/// Every occurrence of `series` that falls in `period` and is not past its series' end.
fn wanted_in(series: &[book_series::Model], period: &Period) -> Vec<Wanted> {
    let mut wanted = Vec::new();
    for (index, s) in series.iter().enumerate() {
        let Some(periodicity) = Periodicity::from_name(&s.periodicity) else {
            continue;
        };
        // A series ended at `last_occurrence` has `last + 1` occurrences (none at -1).
        let limit = s
            .last_occurrence
            .map(|last| u32::try_from(i64::from(last) + 1).unwrap_or(0));
        for (n, date) in occurrences_in(s.start_date, periodicity, period, limit) {
            if let Ok(occurrence) = i32::try_from(n) {
                wanted.push(Wanted {
                    series: index,
                    occurrence,
                    date,
                });
            }
        }
    }
    wanted
}

/// The `(series_id, occurrence)` pairs among `wanted` already written or skipped, in
/// one statement whatever the number of series.
async fn present<C: ConnectionTrait>(
    db: &C,
    series: &[book_series::Model],
    wanted: &[Wanted],
) -> DomainResult<HashSet<(i64, i32)>> {
    let mut ranges: HashMap<i64, (i32, i32)> = HashMap::new();
    for w in wanted {
        let id = series[w.series].id;
        let range = ranges.entry(id).or_insert((w.occurrence, w.occurrence));
        range.0 = range.0.min(w.occurrence);
        range.1 = range.1.max(w.occurrence);
    }
    let mut written = Condition::any();
    let mut skipped = Condition::any();
    for (id, (low, high)) in &ranges {
        written = written.add(
            Condition::all()
                .add(book_transaction::Column::SeriesId.eq(*id))
                .add(book_transaction::Column::Occurrence.between(*low, *high)),
        );
        skipped = skipped.add(
            Condition::all()
                .add(book_series_skip::Column::SeriesId.eq(*id))
                .add(book_series_skip::Column::Occurrence.between(*low, *high)),
        );
    }
    let mut query = Query::select()
        .column(book_transaction::Column::SeriesId)
        .column(book_transaction::Column::Occurrence)
        .from(book_transaction::Entity)
        .cond_where(written)
        .to_owned();
    query.union(
        UnionType::All,
        Query::select()
            .column(book_series_skip::Column::SeriesId)
            .column(book_series_skip::Column::Occurrence)
            .from(book_series_skip::Entity)
            .cond_where(skipped)
            .to_owned(),
    );
    let mut found = HashSet::new();
    for row in db.query_all(&query).await? {
        found.insert((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
    }
    Ok(found)
}

/// The tag ids a series' template lists (`"3,7"`).
pub fn template_tags(series: &book_series::Model) -> Vec<i64> {
    series
        .tag_ids
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

/// Writes `missing` from their series' templates, with their tags.
async fn write<C: ConnectionTrait>(
    db: &C,
    series: &[book_series::Model],
    missing: &[&Wanted],
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let accounts: HashSet<i64> = missing
        .iter()
        .map(|w| series[w.series].account_id)
        .collect();
    let cycles = cards::cycles_by_account(db, accounts).await?;
    let rows = missing.iter().map(|w| {
        let s = &series[w.series];
        book_transaction::ActiveModel {
            organization_id: Set(s.organization_id),
            book_id: Set(s.book_id),
            kind: Set(s.transaction_kind),
            amount_minor: Set(s.amount_minor),
            description: Set(s.description.clone()),
            date: Set(w.date),
            due_date: Set(None),
            paid: Set(false),
            paid_on: Set(None),
            category_id: Set(Some(s.category_id)),
            account_id: Set(s.account_id),
            statement_month: Set(cycles
                .get(&s.account_id)
                .map(|c| c.statement_for(w.date).index())),
            contact_name: Set(s.contact_name.clone()),
            notes: Set(s.notes.clone()),
            barcode: Set(String::new()),
            external_id: Set(None),
            bank_data: Set(String::new()),
            ofx_id: Set(String::new()),
            reconciled_on: Set(None),
            excluded: Set(s.excluded),
            private: Set(s.private),
            transfer_id: Set(None),
            series_id: Set(Some(s.id)),
            occurrence: Set(Some(w.occurrence)),
            created_by_user_id: Set(s.created_by_user_id),
            created_by_token_id: Set(s.created_by_token_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    });
    let rows: Vec<_> = rows.collect();
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        inserted.extend(
            book_transaction::Entity::insert_many(chunk.iter().cloned())
                .on_conflict(
                    OnConflict::columns([
                        book_transaction::Column::SeriesId,
                        book_transaction::Column::Occurrence,
                    ])
                    .do_nothing()
                    .to_owned(),
                )
                .exec_with_returning(db)
                .await?,
        );
    }
    let tags_of: HashMap<i64, Vec<i64>> = series
        .iter()
        .map(|s| (s.id, template_tags(s)))
        .filter(|(_, tags)| !tags.is_empty())
        .collect();
    if !tags_of.is_empty() && !inserted.is_empty() {
        link_template_tags(db, &inserted, &tags_of).await?;
    }
    Ok(inserted.len() as u64)
}

/// Puts on each row the tags its series' template lists, leaving out tags deleted since.
pub async fn link_template_tags<C: ConnectionTrait>(
    db: &C,
    rows: &[book_transaction::Model],
    tags_of: &HashMap<i64, Vec<i64>>,
) -> DomainResult<()> {
    let all: HashSet<i64> = tags_of.values().flatten().copied().collect();
    let existing: HashSet<i64> = book_tag::Entity::find()
        .select_only()
        .column(book_tag::Column::Id)
        .filter(book_tag::Column::Id.is_in(all))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let links: Vec<book_transaction_tag::ActiveModel> = rows
        .iter()
        .flat_map(|row| {
            let tags = row
                .series_id
                .and_then(|id| tags_of.get(&id))
                .cloned()
                .unwrap_or_default();
            tags.into_iter()
                .filter(|tag| existing.contains(tag))
                .map(|tag_id| book_transaction_tag::ActiveModel {
                    transaction_id: Set(row.id),
                    tag_id: Set(tag_id),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for chunk in links.chunks(ROWS_PER_INSERT * 10) {
        book_transaction_tag::Entity::insert_many(chunk.iter().cloned())
            .on_conflict(
                OnConflict::columns([
                    book_transaction_tag::Column::TransactionId,
                    book_transaction_tag::Column::TagId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
