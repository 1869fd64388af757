//! Storing series (issue 6): creating a transaction as recurring or in installments, and
//! changing or deleting one occurrence, it and the later ones, or all of them (the
//! Organizze REST API's `update_future` and `update_all`). The date rules are
//! [`super::series`]'; writing a recurring series' later occurrences is
//! [`super::occurrences`]'.
//!
//! Rules kept here:
//! - installments: `amount` is the purchase's TOTAL, split by
//!   [`split_installments`] (the first takes the cents that do not divide); every
//!   installment is written at once, dated by [`occurrence_date`] from the first. `paid`,
//!   `paidOn`, `reconciledOn`, `externalId`, `barcode`, `bankData` and `ofxId` apply to
//!   the first only; the others are paid when dated today or earlier, like any
//!   transaction sent without `paid`. Tags go on all. On a credit card, installment `n`
//!   goes to the statement `n` months after the first's, not to the one its date falls
//!   in: with month-end fallbacks two dates could share a statement;
//! - recurring: the series keeps a template (the first occurrence's fields) and only
//!   occurrence 0 is written now; the others are computed when read (see
//!   [`super::occurrences`]), and one is stored when it is first changed, paid or
//!   deleted, so a scoped edit has only the stored ones to change: the others follow the
//!   template;
//! - a scoped edit (THIS_AND_FUTURE, ALL) changes the fields sent on this occurrence as
//!   THIS would, and the series' shared fields (kind, amount, description, category,
//!   account, contact, notes, excluded, private, tags, date) on the others in scope.
//!   Per-occurrence fields (paid, paidOn, dueDate, reconciledOn, externalId, barcode,
//!   bankData, ofxId) change on this occurrence only. Reconciled occurrences are never
//!   changed by a scoped edit, and THIS_AND_FUTURE also keeps the later occurrences
//!   that are paid and dated before today;
//! - THIS_AND_FUTURE on a recurring series splits it: the old series ends before this
//!   occurrence and a new one starts at its (possibly new) date with the new template,
//!   holding the moved occurrences renumbered from 0 and remembering where it came from
//!   (so that an occurrence's old ID still finds it). Without a new date the new series
//!   keeps the old one's rule (its anchor), so that its month ends do not move; a new
//!   date re-derives the later occurrences' dates from it
//!   (`occurrence_date(new date, k - n)`); with ALL the series' start moves by the same
//!   number of days and every date is re-derived;
//! - THIS_AND_FUTURE from occurrence 0 does not split (nothing comes before it): it
//!   changes the series whole, and what it keeps stays in the series, where a later ALL
//!   reaches it. ALL reaches the series the occurrence is in now, not the parts split off
//!   before it;
//! - deleting one occurrence of a recurring series remembers it (a skip) so it never
//!   shows again; deleting from one on ends the series before it, keeping (as THIS_AND_
//!   FUTURE edits do) the occurrences paid before today, the one named included;
//!   deleting ALL deletes the series too (reconciled occurrences are kept, as
//!   transactions of their own);
//! - on a transaction outside a series every scope means THIS.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::{
    cards,
    cycles::Month,
    occurrences::{self, link_template_tags},
    require_writer,
    series::{Periodicity, SeriesError, occurrence_date, split_installments},
    text::Text,
    transactions::{self, NewTransaction, TransactionChanges},
};
use crate::commons::TransactionId;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::Problems,
    entities::{
        book, book_series, book_series::SeriesKind, book_series_skip, book_transaction,
        book_transaction_tag,
    },
};

/// How a new transaction repeats, as sent: at most one of the two.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeriesRequest {
    /// Open-ended, every `periodicity`.
    pub recurrence: Option<Periodicity>,
    /// `(periodicity, total)`: the purchase paid in `total` installments.
    pub installments: Option<(Periodicity, i32)>,
}

/// Which occurrences of a series a change or a deletion reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesScope {
    /// This occurrence only.
    #[default]
    This,
    /// This occurrence and the later ones (Organizze's `update_future`).
    ThisAndFuture,
    /// Every occurrence, past and paid ones included (Organizze's `update_all`).
    All,
}

/// A transaction created, with how many occurrences were written with it.
#[derive(Debug, Clone)]
pub struct Created {
    /// The first (or only) occurrence.
    pub transaction: book_transaction::Model,
    /// 1 for a single transaction or a recurring one; the number of installments.
    pub written: u32,
}

/// Creates a transaction in `book`, alone or as the start of a series.
pub async fn create(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    mut new: NewTransaction,
    request: SeriesRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Created> {
    require_writer(viewer)?;
    let (periodicity, installments) = match (request.recurrence, request.installments) {
        (None, None) => {
            let transaction =
                transactions::create_transaction(txn, viewer, book, new, today, now).await?;
            return Ok(Created {
                transaction,
                written: 1,
            });
        }
        (Some(_), Some(_)) => {
            return Err(DomainError::invalid(
                "installments",
                UserErrorCode::InvalidFormat,
                Text::RecurringOrInstallments,
            ));
        }
        (Some(periodicity), None) => (periodicity, None),
        (None, Some((periodicity, total))) => (periodicity, Some(total)),
    };
    let date = new.date.unwrap_or(today);
    new.date = Some(date);
    let amounts = match installments {
        Some(total) => {
            let mut p = Problems::default();
            let purchase = transactions::amount(&mut p, "amount", new.amount);
            p.finish()?;
            let count = u32::try_from(total).unwrap_or(0);
            let amounts = split_installments(purchase, count).map_err(installment_error)?;
            new.amount = amounts[0].to_decimal();
            Some((purchase, amounts))
        }
        None => None,
    };
    let due_date = new.due_date;
    let first = transactions::create_transaction(txn, viewer, book, new, today, now).await?;
    let tags = tags_of(txn, first.id).await?;
    let series = book_series::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(if amounts.is_some() {
            SeriesKind::Installments
        } else {
            SeriesKind::Recurring
        }),
        periodicity: Set(periodicity.as_str().to_string()),
        start_date: Set(first.date),
        total_installments: Set(installments),
        last_occurrence: Set(None),
        transaction_kind: Set(first.kind),
        // An installment purchase keeps its total; a recurring one each occurrence's amount.
        amount_minor: Set(amounts
            .as_ref()
            .map_or(first.amount_minor, |(purchase, _)| purchase.minor())),
        description: Set(first.description.clone()),
        category_id: Set(category_of(&first)?),
        account_id: Set(first.account_id),
        contact_name: Set(first.contact_name.clone()),
        notes: Set(first.notes.clone()),
        excluded: Set(first.excluded),
        private: Set(first.private),
        tag_ids: Set(join_tags(&tags)),
        created_by_user_id: Set(first.created_by_user_id),
        created_by_token_id: Set(first.created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut first_active = first.into_active_model();
    first_active.series_id = Set(Some(series.id));
    first_active.occurrence = Set(Some(0));
    let first = first_active.update(txn).await?;

    let Some((_, amounts)) = amounts else {
        return Ok(Created {
            transaction: first,
            written: 1,
        });
    };
    let mut rows = Vec::with_capacity(amounts.len() - 1);
    for (n, amount) in amounts.iter().enumerate().skip(1) {
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        let date = occurrence_date(first.date, periodicity, n32).ok_or_else(too_far)?;
        let (paid, paid_on) = if date <= today {
            (true, Some(date))
        } else {
            (false, None)
        };
        rows.push(book_transaction::ActiveModel {
            organization_id: Set(first.organization_id),
            book_id: Set(first.book_id),
            kind: Set(first.kind),
            amount_minor: Set(amount.minor()),
            description: Set(first.description.clone()),
            date: Set(date),
            due_date: Set(due_date.and_then(|d| occurrence_date(d, periodicity, n32))),
            paid: Set(paid),
            paid_on: Set(paid_on),
            category_id: Set(first.category_id),
            account_id: Set(first.account_id),
            statement_month: Set(first
                .statement_month
                .map(|m| Month::from_index(m).plus(n as i32).index())),
            contact_name: Set(first.contact_name.clone()),
            notes: Set(first.notes.clone()),
            excluded: Set(first.excluded),
            private: Set(first.private),
            series_id: Set(Some(series.id)),
            occurrence: Set(Some(n as i32)),
            created_by_user_id: Set(first.created_by_user_id),
            created_by_token_id: Set(first.created_by_token_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        inserted.extend(
            book_transaction::Entity::insert_many(chunk.iter().cloned())
                .exec_with_returning(txn)
                .await?,
        );
    }
    if !tags.is_empty() {
        link_template_tags(txn, &inserted, &HashMap::from([(series.id, tags)])).await?;
    }
    Ok(Created {
        transaction: first,
        written: u32::try_from(amounts.len()).unwrap_or(u32::MAX),
    })
}

fn installment_error(error: SeriesError) -> DomainError {
    match error {
        SeriesError::InstallmentCount { .. } => {
            DomainError::invalid("installments", UserErrorCode::OutOfRange, error.message())
        }
        other => DomainError::invalid("amount", UserErrorCode::InvalidAmount, other.message()),
    }
}

fn too_far() -> DomainError {
    DomainError::invalid("date", UserErrorCode::OutOfRange, Text::SeriesTooFar)
}

fn category_of(row: &book_transaction::Model) -> DomainResult<i64> {
    row.category_id
        .ok_or_else(|| DomainError::Internal("an income or expense without a category".into()))
}

fn join_tags(tags: &[i64]) -> String {
    tags.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) async fn tags_of(
    txn: &DatabaseTransaction,
    transaction_id: i64,
) -> DomainResult<Vec<i64>> {
    Ok(book_transaction_tag::Entity::find()
        .select_only()
        .column(book_transaction_tag::Column::TagId)
        .filter(book_transaction_tag::Column::TransactionId.eq(transaction_id))
        .into_tuple()
        .all(txn)
        .await?)
}

/// The series `row` is an occurrence of, with its periodicity and the occurrence's
/// number; `None` outside a series.
async fn series_of(
    txn: &DatabaseTransaction,
    row: &book_transaction::Model,
) -> DomainResult<Option<(book_series::Model, Periodicity, i32)>> {
    let (Some(series_id), Some(n)) = (row.series_id, row.occurrence) else {
        return Ok(None);
    };
    let Some(series) = book_series::Entity::find_by_id(series_id)
        .filter(book_series::Column::BookId.eq(row.book_id))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    let periodicity = Periodicity::from_name(&series.periodicity)
        .ok_or_else(|| DomainError::Internal("a series with an unknown periodicity".into()))?;
    Ok(Some((series, periodicity, n)))
}

/// The other occurrences of `series` a scoped edit reaches from occurrence `n`, and
/// those it keeps (reconciled, or with THIS_AND_FUTURE paid and dated before today).
async fn in_scope(
    txn: &DatabaseTransaction,
    series: &book_series::Model,
    except: i64,
    n: i32,
    scope: SeriesScope,
    today: NaiveDate,
) -> DomainResult<(Vec<book_transaction::Model>, Vec<book_transaction::Model>)> {
    let mut query = book_transaction::Entity::find()
        .filter(book_transaction::Column::SeriesId.eq(series.id))
        .filter(book_transaction::Column::Id.ne(except));
    if scope == SeriesScope::ThisAndFuture {
        query = query.filter(book_transaction::Column::Occurrence.gt(n));
    }
    let rows = query.all(txn).await?;
    Ok(rows.into_iter().partition(|row| {
        row.reconciled_on.is_none()
            && (scope == SeriesScope::All || !(row.paid && row.date < today))
    }))
}

/// Changes a transaction and, with a wider `scope`, the other occurrences of its series
/// in scope (see the module's rules). Returns the transaction as it is now and how many
/// occurrences changed.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    changes: TransactionChanges,
    scope: SeriesScope,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(book_transaction::Model, u64)> {
    require_writer(viewer)?;
    let row = transactions::own_transaction(txn, viewer, book, id).await?;
    let found = match scope {
        SeriesScope::This => None,
        _ => series_of(txn, &row).await?,
    };
    let Some((series, periodicity, n)) = found else {
        let updated = transactions::update_transaction(txn, viewer, book, id, changes, now).await?;
        // A recurring card purchase moved on its own goes to its new date's statement; an
        // installment keeps its place in the series.
        if updated.date != row.date
            && row.statement_month.is_some()
            && let Some((series, _, n)) = series_of(txn, &row).await?
            && series.kind == SeriesKind::Recurring
        {
            restate(
                txn,
                &row,
                &series,
                &[(row.id, n, updated.date)],
                (n, updated.date),
            )
            .await?;
            let restated = transactions::own_transaction(txn, viewer, book, id).await?;
            return Ok((restated, 1));
        }
        return Ok((updated, 1));
    };
    let (others, kept) = in_scope(txn, &series, row.id, n, scope, today).await?;
    let updated =
        transactions::update_transaction(txn, viewer, book, id, changes.clone(), now).await?;
    let other_ids: Vec<i64> = others.iter().map(|r| r.id).collect();

    // The shared fields sent, with the values the update of this occurrence resolved.
    let mut shared = book_transaction::Entity::update_many();
    let mut any = false;
    macro_rules! shared {
        ($sent:expr, $column:ident, $value:expr) => {
            if $sent {
                shared = shared.col_expr(book_transaction::Column::$column, Expr::value($value));
                any = true;
            }
        };
    }
    let category_changed = changes.category_id.is_some() || changes.kind.is_some();
    shared!(changes.kind.is_some(), Kind, updated.kind);
    shared!(category_changed, CategoryId, updated.category_id);
    shared!(changes.amount.is_some(), AmountMinor, updated.amount_minor);
    shared!(
        changes.description.is_some(),
        Description,
        updated.description.clone()
    );
    shared!(changes.account_id.is_some(), AccountId, updated.account_id);
    shared!(
        changes.contact_name.is_some(),
        ContactName,
        updated.contact_name.clone()
    );
    shared!(changes.notes.is_some(), Notes, updated.notes.clone());
    shared!(changes.excluded.is_some(), Excluded, updated.excluded);
    shared!(changes.private.is_some(), Private, updated.private);
    if any && !other_ids.is_empty() {
        shared
            .col_expr(book_transaction::Column::UpdatedAt, Expr::value(now))
            .filter(book_transaction::Column::Id.is_in(other_ids.clone()))
            .exec(txn)
            .await?;
    }
    let new_tags = match changes.retags() {
        true => Some(tags_of(txn, updated.id).await?),
        false => None,
    };
    if let Some(tags) = &new_tags
        && !other_ids.is_empty()
    {
        book_transaction_tag::Entity::delete_many()
            .filter(book_transaction_tag::Column::TransactionId.is_in(other_ids.clone()))
            .exec(txn)
            .await?;
        if !tags.is_empty() {
            let links = other_ids.iter().flat_map(|row| {
                tags.iter().map(|tag| book_transaction_tag::ActiveModel {
                    transaction_id: Set(*row),
                    tag_id: Set(*tag),
                })
            });
            book_transaction_tag::Entity::insert_many(links)
                .exec_without_returning(txn)
                .await?;
        }
    }

    // Dates: re-derived from the new date (THIS_AND_FUTURE) or from the shifted start (ALL).
    let date_moved = changes.date.is_some_and(|d| d != row.date);
    // THIS_AND_FUTURE from the first occurrence is the whole series, less what it keeps:
    // no split, so that a later ALL still reaches what was kept.
    let from_first = scope == SeriesScope::ThisAndFuture && n == 0;
    let start = match scope {
        SeriesScope::All if date_moved => {
            shift(series.start_date, updated.date - row.date).ok_or_else(too_far)?
        }
        SeriesScope::ThisAndFuture if from_first && date_moved => updated.date,
        _ => series.start_date,
    };
    if date_moved {
        let mut dated = vec![(updated.id, n, updated.date)];
        for other in &others {
            let k = other.occurrence.unwrap_or(0);
            let date = match scope {
                SeriesScope::ThisAndFuture => step(updated.date, periodicity, k - n),
                _ => step(start, periodicity, k),
            }
            .ok_or_else(too_far)?;
            book_transaction::Entity::update_many()
                .col_expr(book_transaction::Column::Date, Expr::value(date))
                .col_expr(book_transaction::Column::UpdatedAt, Expr::value(now))
                .filter(book_transaction::Column::Id.eq(other.id))
                .exec(txn)
                .await?;
            dated.push((other.id, k, date));
        }
        if row.statement_month.is_some() {
            let anchor = match scope {
                SeriesScope::ThisAndFuture => (n, updated.date),
                _ => (0, start),
            };
            restate(txn, &row, &series, &dated, anchor).await?;
        }
    }

    // The series itself: its template (recurring) and start.
    let template = |mut active: book_series::ActiveModel| {
        // Only the fields sent: this occurrence may differ from the template in others
        // (edited on its own before).
        if series.kind == SeriesKind::Recurring {
            if changes.kind.is_some() {
                active.transaction_kind = Set(updated.kind);
            }
            if changes.amount.is_some() {
                active.amount_minor = Set(updated.amount_minor);
            }
            if category_changed && let Some(category) = updated.category_id {
                active.category_id = Set(category);
            }
            if changes.description.is_some() {
                active.description = Set(updated.description.clone());
            }
            if changes.account_id.is_some() {
                active.account_id = Set(updated.account_id);
            }
            if changes.contact_name.is_some() {
                active.contact_name = Set(updated.contact_name.clone());
            }
            if changes.notes.is_some() {
                active.notes = Set(updated.notes.clone());
            }
            if changes.excluded.is_some() {
                active.excluded = Set(updated.excluded);
            }
            if changes.private.is_some() {
                active.private = Set(updated.private);
            }
            if let Some(tags) = &new_tags {
                active.tag_ids = Set(join_tags(tags));
            }
        }
        active.updated_at = Set(now);
        active
    };
    match (scope, series.kind) {
        (SeriesScope::ThisAndFuture, SeriesKind::Recurring) if !from_first => {
            split(txn, &series, n, &updated, &other_ids, &kept, template, now).await?;
        }
        _ => {
            let mut active = template(series.clone().into_active_model());
            active.start_date = Set(start);
            if date_moved {
                // Every date follows from the moved start now.
                active.anchor_date = Set(None);
                active.anchor_offset = Set(None);
            }
            active.update(txn).await?;
        }
    }
    let updated = book_transaction::Entity::find_by_id(updated.id)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the transaction changed went away".into()))?;
    Ok((updated, 1 + other_ids.len() as u64))
}

/// Ends `series` before occurrence `n` and starts a new one at `first`'s date with the
/// template `template` gives, moving `first` and `moved` into it renumbered from 0. The
/// occurrences kept in the old series and those deleted one by one are skipped in the new
/// one, so that reading their period does not write them again.
#[allow(clippy::too_many_arguments)]
async fn split(
    txn: &DatabaseTransaction,
    series: &book_series::Model,
    n: i32,
    first: &book_transaction::Model,
    moved: &[i64],
    kept: &[book_transaction::Model],
    template: impl Fn(book_series::ActiveModel) -> book_series::ActiveModel,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut old = series.clone().into_active_model();
    old.last_occurrence = Set(Some(n - 1));
    old.updated_at = Set(now);
    old.update(txn).await?;

    let mut fresh = template(series.clone().into_active_model());
    fresh.id = sea_orm::ActiveValue::NotSet;
    fresh.start_date = Set(first.date);
    // Its dates keep following the old rule, unless this occurrence moved: then they
    // follow from its new date.
    let rule = occurrences::rule_of(series);
    match rule.and_then(|rule| Some((rule, rule.date(u32::try_from(n).ok()?)?))) {
        Some((rule, date)) if date == first.date => {
            fresh.anchor_date = Set(Some(rule.anchor));
            fresh.anchor_offset = Set(i32::try_from(rule.offset).ok().map(|o| o + n));
        }
        _ => {
            fresh.anchor_date = Set(None);
            fresh.anchor_offset = Set(None);
        }
    }
    fresh.last_occurrence = Set(series.last_occurrence.map(|last| last - n));
    fresh.continues_series_id = Set(Some(series.id));
    fresh.continues_from = Set(Some(n));
    fresh.created_at = Set(now);
    let fresh = fresh.insert(txn).await?;

    let mut ids = moved.to_vec();
    ids.push(first.id);
    book_transaction::Entity::update_many()
        .col_expr(book_transaction::Column::SeriesId, Expr::value(fresh.id))
        .col_expr(
            book_transaction::Column::Occurrence,
            Expr::col(book_transaction::Column::Occurrence).sub(n),
        )
        .filter(book_transaction::Column::Id.is_in(ids))
        .exec(txn)
        .await?;

    let old_skips: Vec<i32> = book_series_skip::Entity::find()
        .select_only()
        .column(book_series_skip::Column::Occurrence)
        .filter(book_series_skip::Column::SeriesId.eq(series.id))
        .filter(book_series_skip::Column::Occurrence.gt(n))
        .into_tuple()
        .all(txn)
        .await?;
    let skips: Vec<i32> = kept
        .iter()
        .filter_map(|row| row.occurrence)
        .chain(old_skips)
        .map(|k| k - n)
        .collect();
    if !skips.is_empty() {
        book_series_skip::Entity::insert_many(skips.into_iter().map(|occurrence| {
            book_series_skip::ActiveModel {
                series_id: Set(fresh.id),
                occurrence: Set(occurrence),
            }
        }))
        .on_conflict(skip_conflict())
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

fn skip_conflict() -> OnConflict {
    OnConflict::columns([
        book_series_skip::Column::SeriesId,
        book_series_skip::Column::Occurrence,
    ])
    .do_nothing()
    .to_owned()
}

/// Puts card purchases of `series` whose dates moved, as (id, occurrence, new date), in
/// their statements: a recurring occurrence in the one its date falls in; installment `k`
/// in the statement `k - a` months after the one `anchor` (occurrence `a`, its date)
/// falls in, so that each installment stays in its own statement.
async fn restate(
    txn: &DatabaseTransaction,
    row: &book_transaction::Model,
    series: &book_series::Model,
    dated: &[(i64, i32, NaiveDate)],
    anchor: (i32, NaiveDate),
) -> DomainResult<()> {
    let cycles = cards::cycles_by_account(txn, [row.account_id]).await?;
    let Some(cycles) = cycles.get(&row.account_id) else {
        return Ok(());
    };
    let base = cycles.statement_for(anchor.1);
    for (id, k, date) in dated {
        let month = match series.kind {
            SeriesKind::Recurring => cycles.statement_for(*date),
            SeriesKind::Installments => base.plus(k - anchor.0),
        };
        book_transaction::Entity::update_many()
            .col_expr(
                book_transaction::Column::StatementMonth,
                Expr::value(month.index()),
            )
            .filter(book_transaction::Column::Id.eq(*id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn shift(date: NaiveDate, by: chrono::TimeDelta) -> Option<NaiveDate> {
    date.checked_add_signed(by)
}

fn step(start: NaiveDate, periodicity: Periodicity, k: i32) -> Option<NaiveDate> {
    occurrence_date(start, periodicity, u32::try_from(k).ok()?)
}

/// Deletes a transaction and, with a wider `scope`, the other occurrences of its series
/// in scope (see the module's rules). Returns the ids deleted. The transaction itself
/// is LOCKED while reconciled, whatever the scope.
pub async fn delete(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    scope: SeriesScope,
    today: NaiveDate,
) -> DomainResult<Vec<i64>> {
    require_writer(viewer)?;
    let row = transactions::own_transaction(txn, viewer, book, id).await?;
    let found = series_of(txn, &row).await?;
    // THIS_AND_FUTURE keeps what was paid before today, this occurrence too: the series
    // still ends before it.
    let kept =
        scope == SeriesScope::ThisAndFuture && found.is_some() && row.paid && row.date < today;
    let deleted = if kept {
        Vec::new()
    } else {
        transactions::delete_transaction(txn, viewer, book, id).await?
    };
    let Some((series, _, n)) = found else {
        return Ok(deleted);
    };
    let (others, _kept) = match scope {
        SeriesScope::This => (Vec::new(), Vec::new()),
        _ => in_scope(txn, &series, row.id, n, scope, today).await?,
    };
    let other_ids: Vec<i64> = others.iter().map(|r| r.id).collect();
    if !other_ids.is_empty() {
        book_transaction::Entity::delete_many()
            .filter(book_transaction::Column::Id.is_in(other_ids.clone()))
            .exec(txn)
            .await?;
    }
    match (scope, series.kind) {
        (SeriesScope::This, SeriesKind::Recurring) => {
            book_series_skip::Entity::insert(book_series_skip::ActiveModel {
                series_id: Set(series.id),
                occurrence: Set(n),
            })
            .on_conflict(skip_conflict())
            .exec_without_returning(txn)
            .await?;
        }
        (SeriesScope::This, SeriesKind::Installments) => {}
        (SeriesScope::ThisAndFuture, SeriesKind::Recurring) => {
            let last = series
                .last_occurrence
                .map_or(n - 1, |last| Ord::min(last, n - 1));
            let mut active = series.into_active_model();
            active.last_occurrence = Set(Some(last));
            active.update(txn).await?;
        }
        (SeriesScope::ThisAndFuture, SeriesKind::Installments) => {}
        (SeriesScope::All, _) => {
            book_series::Entity::delete_by_id(series.id)
                .exec(txn)
                .await?;
        }
    }
    Ok(deleted.into_iter().chain(other_ids).collect())
}
