//! A credit card's monthly statements (Organizze's "faturas") and paying them.
//!
//! Statements are computed, never stored. Statement `month` of a card covers the days
//! its cycles give ([`Cycles::dates`]) and holds the card's transactions whose
//! `statement_month` is that month:
//! - `amount`: its purchases minus its refunds (OUT minus IN transactions of the card that
//!   are not payments);
//! - `payments`: what the transfers into the card for that statement add up to;
//! - `previous_balance`: the previous statement's balance, carried over whatever its sign
//!   (an overpayment is a credit against the next statement);
//! - `balance` = `previous_balance + amount - payments`.
//!
//! So a balance is the sum of every earlier month's amount minus payments: one grouped
//! sum by statement month ([`month_totals`]), added up in order, for any number of cards.
//!
//! Paying a statement ([`pay_statement`]) is a transfer from a bank account to the card's
//! own account whose IN side names the statement: neither an income nor an expense, so
//! summaries and budgets never count it (the purchases already counted on their dates).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
    sea_query::{Alias, Expr, ExprTrait, Func, SimpleExpr},
};

use super::{
    cards::own_card,
    cycles::{Cycles, Month, StatementDates},
    occurrences, require_writer,
    text::Text,
    transactions::{self, account_for},
    transfers::{self, Sides, Transfer},
};
use crate::commons::{AccountId, CreditCardId, Id, Period};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, Problems},
    commons::money::Money,
    entities::{
        book, book_account, book_credit_card, book_series, book_transaction,
        book_transaction::TransactionKind,
    },
    idempotency::{self, IdempotencyKey},
};

/// The first year statements are listed for.
pub const MIN_YEAR: i32 = 1900;
/// The last year statements are listed for.
pub const MAX_YEAR: i32 = 2999;
/// How a statement's global id packs its card and month: `card * STATEMENT_ID_BASE +
/// month index`. Month indexes of [`MIN_YEAR`]..=[`MAX_YEAR`] are below it.
const STATEMENT_ID_BASE: i64 = 1_000_000;

/// Whether statement months of `year` are listed.
pub fn year_in_range(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

/// The one number naming statement `month` of card `card_id`.
pub fn statement_id(card_id: CreditCardId, month: Month) -> i64 {
    card_id
        .get()
        .saturating_mul(STATEMENT_ID_BASE)
        .saturating_add(i64::from(month.index()))
}

/// The card and month a statement id names; `None` for a number no statement has.
pub fn parse_statement_id(id: i64) -> Option<(CreditCardId, Month)> {
    let card = id / STATEMENT_ID_BASE;
    let month = Month::from_index(i32::try_from(id % STATEMENT_ID_BASE).ok()?);
    (card > 0 && year_in_range(month.year())).then_some((Id::new(card), month))
}

/// What one statement month of a card adds up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthTotals {
    /// Purchases minus refunds.
    pub amount: Money,
    /// Payments into the card for the statement.
    pub payments: Money,
}

/// Where a statement stands, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementStatus {
    /// It has not closed yet: purchases still come in.
    Open,
    /// Closed with something to pay, not yet due.
    Closed,
    /// Past its due date with something still to pay.
    Overdue,
    /// Closed with nothing to pay (or a credit).
    Paid,
}

/// One statement of a card, computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    pub card_id: CreditCardId,
    pub dates: StatementDates,
    pub amount: Money,
    pub payments: Money,
    pub previous_balance: Money,
    pub balance: Money,
    /// Whether every payment made so far, to this statement or to a later one, covers
    /// what was charged up to this statement: an unpaid balance carried into a later
    /// statement that was then paid in full is paid too.
    pub settled: bool,
}

impl Statement {
    /// Statement `month` of a card with `cycles` and the `totals` of its months.
    pub fn compute(
        card_id: CreditCardId,
        cycles: &Cycles,
        totals: &BTreeMap<i32, MonthTotals>,
        month: Month,
    ) -> Statement {
        let previous: i64 = totals
            .range(..month.index())
            .map(|(_, t)| t.amount.minor() - t.payments.minor())
            .sum();
        let own = totals.get(&month.index()).copied().unwrap_or_default();
        let charged: i64 = totals
            .range(..=month.index())
            .map(|(_, t)| t.amount.minor())
            .sum();
        let paid: i64 = totals.values().map(|t| t.payments.minor()).sum();
        Statement {
            card_id,
            dates: cycles.dates(month),
            amount: own.amount,
            payments: own.payments,
            previous_balance: Money::from_minor(previous),
            balance: Money::from_minor(previous + own.amount.minor() - own.payments.minor()),
            settled: charged <= paid,
        }
    }

    pub fn id(&self) -> i64 {
        statement_id(self.card_id, self.dates.month)
    }

    /// OPEN up to its closing day; then PAID without a positive balance or once later
    /// payments covered it ([`Statement::settled`]), else CLOSED up to its due date and
    /// OVERDUE after it.
    pub fn status(&self, today: NaiveDate) -> StatementStatus {
        if today <= self.dates.closing {
            StatementStatus::Open
        } else if !self.balance.is_positive() || self.settled {
            StatementStatus::Paid
        } else if today <= self.dates.due {
            StatementStatus::Closed
        } else {
            StatementStatus::Overdue
        }
    }
}

type T = book_transaction::Column;

fn col(column: T) -> Expr {
    Expr::col((book_transaction::Entity, column))
}

fn sum_minor(expr: impl Into<Expr>) -> SimpleExpr {
    Func::cast_as(Func::sum(expr.into()), Alias::new("BIGINT")).into()
}

/// The totals of every statement month of the cards whose own accounts are
/// `account_ids`, by account then month. One statement for any number of cards.
pub async fn month_totals<C: ConnectionTrait>(
    db: &C,
    account_ids: &[AccountId],
) -> Result<HashMap<AccountId, BTreeMap<i32, MonthTotals>>, DbErr> {
    let mut totals: HashMap<AccountId, BTreeMap<i32, MonthTotals>> = account_ids
        .iter()
        .map(|id| (*id, BTreeMap::new()))
        .collect();
    if account_ids.is_empty() {
        return Ok(totals);
    }
    let is_in = || T::Kind.eq(TransactionKind::In);
    let amount: Expr = Expr::case(
        T::TransferId.is_null().and(is_in()),
        col(T::AmountMinor).mul(-1i64),
    )
    .case(T::TransferId.is_null(), col(T::AmountMinor))
    .finally(0i64)
    .into();
    let payments: Expr = Expr::case(
        T::TransferId.is_not_null().and(is_in()),
        col(T::AmountMinor),
    )
    .case(T::TransferId.is_not_null(), col(T::AmountMinor).mul(-1i64))
    .finally(0i64)
    .into();
    let rows: Vec<(i64, i32, Option<i64>, Option<i64>)> = book_transaction::Entity::find()
        .select_only()
        .column(T::AccountId)
        .column(T::StatementMonth)
        .column_as(sum_minor(amount), "amount")
        .column_as(sum_minor(payments), "payments")
        .filter(T::AccountId.is_in(account_ids.iter().copied()))
        .filter(T::StatementMonth.is_not_null())
        .group_by(T::AccountId)
        .group_by(T::StatementMonth)
        .into_tuple()
        .all(db)
        .await?;
    for (account, month, amount, payments) in rows {
        totals.entry(Id::new(account)).or_default().insert(
            month,
            MonthTotals {
                amount: Money::from_minor(amount.unwrap_or(0)),
                payments: Money::from_minor(payments.unwrap_or(0)),
            },
        );
    }
    Ok(totals)
}

/// [`month_totals`] by (card account, day): each account's months with the
/// occurrences of its recurring series dated up to the day that have no row (see
/// [`occurrences`]). One statement of sums, and one of the series' stored occurrences
/// when the cards have recurring series.
pub async fn month_totals_through<C: ConnectionTrait>(
    db: &C,
    keys: &[(AccountId, NaiveDate)],
) -> DomainResult<HashMap<(AccountId, NaiveDate), BTreeMap<i32, MonthTotals>>> {
    let mut accounts: Vec<AccountId> = keys.iter().map(|(account, _)| *account).collect();
    accounts.sort_unstable();
    accounts.dedup();
    let totals = month_totals(db, &accounts).await?;
    let mut found: HashMap<(AccountId, NaiveDate), BTreeMap<i32, MonthTotals>> = keys
        .iter()
        .filter_map(|key| Some((*key, totals.get(&key.0)?.clone())))
        .collect();
    let recurring =
        occurrences::recurring_on_accounts(db, accounts.iter().map(|a| a.get())).await?;
    if recurring.is_empty() {
        return Ok(found);
    }
    let cycles = super::cards::cycles_by_account(db, accounts.iter().map(|a| a.get())).await?;
    let mut days: Vec<NaiveDate> = keys.iter().map(|(_, day)| *day).collect();
    days.sort_unstable();
    days.dedup();
    for day in days {
        let runs = occurrences::Runs::through(db, &recurring, day).await?;
        for run in &runs.0 {
            let account = Id::new(run.series.account_id);
            let (Some(months), Some(cycles)) = (
                found.get_mut(&(account, day)),
                cycles.get(&run.series.account_id),
            ) else {
                continue;
            };
            let signed = match run.series.transaction_kind {
                TransactionKind::Out => run.series.amount_minor,
                TransactionKind::In => -run.series.amount_minor,
            };
            for (_, date) in run.occurrences() {
                let month = months
                    .entry(cycles.statement_for(date).index())
                    .or_default();
                month.amount = Money::from_minor(month.amount.minor() + signed);
            }
        }
    }
    Ok(found)
}

/// The transactions of each statement asked, as (card account, month index): its
/// purchases and refunds and the IN sides of its payments, by date. One statement for
/// any number of statements.
pub async fn statement_rows<C: ConnectionTrait>(
    db: &C,
    keys: &[(AccountId, i32)],
) -> DomainResult<HashMap<(AccountId, i32), Vec<book_transaction::Model>>> {
    let mut found: HashMap<(AccountId, i32), Vec<book_transaction::Model>> =
        keys.iter().map(|k| (*k, Vec::new())).collect();
    if keys.is_empty() {
        return Ok(found);
    }
    let accounts: Vec<AccountId> = keys.iter().map(|(a, _)| *a).collect();
    let months: Vec<i32> = keys.iter().map(|(_, m)| *m).collect();
    let mut rows = book_transaction::Entity::find()
        .filter(T::AccountId.is_in(accounts.iter().copied()))
        .filter(T::StatementMonth.is_in(months))
        .order_by_asc(T::Date)
        .order_by_asc(T::Id)
        .all(db)
        .await?;
    rows.extend(unstored_rows(db, &accounts, keys).await?);
    for row in rows {
        if let Some(month) = row.statement_month
            && let Some(list) = found.get_mut(&(Id::new(row.account_id), month))
        {
            list.push(row);
        }
    }
    for list in found.values_mut() {
        list.sort_by_key(|row| (row.date, row.id));
    }
    Ok(found)
}

/// The occurrences without a row of the cards' recurring series that fall in the
/// statements asked (see [`occurrences`]): one statement for any number of statements,
/// and none when the cards have no recurring series.
async fn unstored_rows<C: ConnectionTrait>(
    db: &C,
    accounts: &[AccountId],
    keys: &[(AccountId, i32)],
) -> DomainResult<Vec<book_transaction::Model>> {
    let recurring =
        occurrences::recurring_on_accounts(db, accounts.iter().map(|a| a.get())).await?;
    let Some(book_id) = recurring.first().map(|s| s.book_id) else {
        return Ok(Vec::new());
    };
    let cycles = super::cards::cycles_by_account(db, accounts.iter().map(|a| a.get())).await?;
    // Each statement's days, for the series on its card.
    let mut spans = Vec::new();
    let mut asked = Condition::any();
    for (account, month) in keys {
        let Some(cycles) = cycles.get(&account.get()) else {
            continue;
        };
        let month = Month::from_index(*month);
        let opening = cycles.closing(month.plus(-1)).succ_opt();
        let Some(days) = opening.and_then(|from| Period::new(from, cycles.closing(month)).ok())
        else {
            continue;
        };
        spans.extend(
            recurring
                .iter()
                .filter(|s| s.account_id == account.get())
                .map(|s| (s, days)),
        );
        asked = asked.add(
            Condition::all()
                .add(T::AccountId.eq(account.get()))
                .add(T::StatementMonth.eq(month.index())),
        );
    }
    let unstored = occurrences::Unstored::in_periods(db, spans).await?;
    if unstored.is_empty() {
        return Ok(Vec::new());
    }
    // Only the computed rows: the stored ones were read with the statements.
    Ok(unstored
        .source(book_transaction::Entity::find(), book_id)
        .filter(T::Id.lt(0))
        .filter(asked)
        .all(db)
        .await?)
}

/// What each card (by its own account) owes as of a day: its purchases (every
/// installment, future ones included; other purchases dated up to the day) minus its
/// refunds dated up to the day minus every payment. One statement per day asked,
/// whatever the number of cards.
pub async fn outstanding<C: ConnectionTrait>(
    db: &C,
    keys: &[(AccountId, NaiveDate)],
) -> DomainResult<HashMap<(AccountId, NaiveDate), Money>> {
    let mut found: HashMap<(AccountId, NaiveDate), Money> =
        keys.iter().map(|k| (*k, Money::ZERO)).collect();
    let mut by_day: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    for (account, day) in keys {
        by_day.entry(*day).or_default().push(account.get());
    }
    for (day, accounts) in by_day {
        let accounts_of_day = accounts.clone();
        let purchase = T::TransferId.is_null();
        let installment = book_series::Column::Kind.eq(book_series::SeriesKind::Installments);
        let signed: Expr = Expr::case(
            purchase
                .clone()
                .and(T::Kind.eq(TransactionKind::Out))
                .and(installment.or(T::Date.lte(day))),
            col(T::AmountMinor),
        )
        .case(
            purchase
                .and(T::Kind.eq(TransactionKind::In))
                .and(T::Date.lte(day)),
            col(T::AmountMinor).mul(-1i64),
        )
        .case(
            T::TransferId
                .is_not_null()
                .and(T::Kind.eq(TransactionKind::In)),
            col(T::AmountMinor).mul(-1i64),
        )
        .case(T::TransferId.is_not_null(), col(T::AmountMinor))
        .finally(0i64)
        .into();
        let rows: Vec<(i64, Option<i64>)> = book_transaction::Entity::find()
            .select_only()
            .column(T::AccountId)
            .column_as(sum_minor(signed), "owed")
            .join(JoinType::LeftJoin, series_of_transaction())
            .filter(T::AccountId.is_in(accounts))
            .group_by(T::AccountId)
            .into_tuple()
            .all(db)
            .await?;
        for (account, owed) in rows {
            found.insert(
                (Id::new(account), day),
                Money::from_minor(owed.unwrap_or(0)),
            );
        }
        // Recurring purchases and refunds dated up to the day that have no row.
        let recurring = occurrences::recurring_on_accounts(db, accounts_of_day).await?;
        let runs = occurrences::Runs::through(db, &recurring, day).await?;
        for run in &runs.0 {
            let count = i64::try_from(run.count()).unwrap_or(i64::MAX);
            let signed = match run.series.transaction_kind {
                TransactionKind::Out => run.series.amount_minor,
                TransactionKind::In => -run.series.amount_minor,
            };
            if let Some(owed) = found.get_mut(&(Id::new(run.series.account_id), day)) {
                *owed =
                    Money::from_minor(owed.minor().saturating_add(signed.saturating_mul(count)));
            }
        }
    }
    Ok(found)
}

/// `book_transactions.series_id` to its series, for a join.
fn series_of_transaction() -> sea_orm::RelationDef {
    book_transaction::Entity::belongs_to(book_series::Entity)
        .from(T::SeriesId)
        .to(book_series::Column::Id)
        .into()
}

/// A payment of a statement as the caller sends it; `None` takes the default named.
#[derive(Debug, Clone)]
pub struct StatementPayment {
    pub card_id: CreditCardId,
    pub month: Month,
    /// The book's default account when not given.
    pub account_id: Option<AccountId>,
    pub amount: Decimal,
    /// Today in the organization's timezone when not given.
    pub date: Option<NaiveDate>,
    /// "Pago <card> MM/YYYY" when not given.
    pub description: Option<String>,
    /// Makes a retry return the first request's payment.
    pub key: Option<IdempotencyKey>,
}

const PAY_STATEMENT: &str = "payStatement";

/// A statement payment made, or replayed for its idempotency key.
#[derive(Debug, Clone)]
pub struct Paid {
    /// The payment: a transfer from the bank account to the card's own account.
    pub transfer: Transfer,
    /// The card paid.
    pub card: book_credit_card::Model,
    /// Whether the key's first request made it, and this one moved nothing.
    pub replayed: bool,
}

/// Pays a statement, in part, in full or beyond (the excess is a credit carried to the
/// next statement): a transfer from a bank account of `book` to the card's account whose
/// IN side belongs to the statement. Paid when dated today or earlier, pending for a
/// later date. With a key already used for the same payment, returns that payment and
/// moves nothing; with a key used for another request, CONFLICT.
pub async fn pay_statement(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    payment: StatementPayment,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Paid> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let amount = transactions::amount(&mut p, "amount", payment.amount);
    let description = payment
        .description
        .as_deref()
        .map(|d| checks::text(&mut p, "description", d, false, MAX_DESCRIPTION_CHARS));
    p.finish()?;
    let card = own_card(txn, book, payment.card_id)
        .await
        .map_err(|e| match e {
            DomainError::NotFound(_) => DomainError::invalid(
                "statementId",
                UserErrorCode::NotFound,
                Text::NoSuchStatement,
            ),
            other => other,
        })?;

    let hash = idempotency::request_hash(
        PAY_STATEMENT,
        &format!(
            "{}|{}|{:?}|{}|{:?}|{:?}",
            card.id,
            payment.month.index(),
            payment.account_id,
            amount.minor(),
            payment.date,
            description
        ),
    );
    if let Some(key) = &payment.key
        && let Some(id) =
            idempotency::replay::<i64>(txn, viewer.user_id, key, PAY_STATEMENT, &hash).await?
    {
        let transfer = transfers::own_transfer(txn, viewer, book, Id::new(id))
            .await
            .map_err(|e| match e {
                DomainError::NotFound(_) => DomainError::Conflict(
                    Text::PaymentDeletedSince {
                        key: key.as_str().to_string(),
                    }
                    .into(),
                ),
                other => other,
            })?;
        return Ok(Paid {
            transfer,
            card,
            replayed: true,
        });
    }

    let from = account_for(txn, book, payment.account_id, "accountId").await?;
    let to = book_account::Entity::find_by_id(card.account_id)
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::Internal("a credit card lost its account".into()))?;
    let date = payment.date.unwrap_or(today);
    let month = payment.month;
    let sides = Sides {
        amount,
        date,
        description: description
            .unwrap_or_else(|| format!("Pago {} {:02}/{}", card.name, month.month(), month.year())),
        paid: date <= today,
        incoming_statement: Some(month.index()),
    };
    let transfer = transfers::insert_transfer(txn, viewer, book, &from, &to, sides, now).await?;
    if let Some(key) = &payment.key {
        idempotency::remember(
            txn,
            viewer.user_id,
            key,
            PAY_STATEMENT,
            &hash,
            &transfer.id,
            now,
        )
        .await
        .map_err(|e| match e {
            DomainError::Database(db)
                if matches!(db.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                DomainError::Conflict(
                    crate::idempotency::Text::KeyInUse {
                        key: key.as_str().to_string(),
                    }
                    .into(),
                )
            }
            other => other,
        })?;
    }
    Ok(Paid {
        transfer,
        card,
        replayed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::books::cycles::Cycle;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ids_pack_card_and_month() {
        let month = Month::new(2026, 11).unwrap();
        let id = statement_id(Id::new(42), month);
        assert_eq!(parse_statement_id(id), Some((Id::new(42), month)));
        assert_eq!(parse_statement_id(5), None);
        assert_eq!(parse_statement_id(42 * STATEMENT_ID_BASE + 999_999), None);
        let last = Month::new(MAX_YEAR, 12).unwrap();
        assert!(i64::from(last.index()) < STATEMENT_ID_BASE);
    }

    #[test]
    fn balances_carry_over_whatever_their_sign() {
        let cycles = Cycles::single(Cycle::new(30, 10).unwrap());
        let may = Month::new(2026, 5).unwrap();
        let totals = BTreeMap::from([
            (
                may.index(),
                MonthTotals {
                    amount: Money::from_minor(10_000),
                    payments: Money::from_minor(4_000),
                },
            ),
            (
                may.plus(1).index(),
                MonthTotals {
                    amount: Money::from_minor(1_000),
                    payments: Money::from_minor(10_000),
                },
            ),
        ]);
        let s = |m: Month| Statement::compute(Id::new(7), &cycles, &totals, m);
        assert_eq!(s(may).balance, Money::from_minor(6_000));
        assert_eq!(s(may.plus(1)).previous_balance, Money::from_minor(6_000));
        assert_eq!(s(may.plus(1)).balance, Money::from_minor(-3_000));
        // The overpayment is a credit the next statement starts from.
        assert_eq!(s(may.plus(2)).previous_balance, Money::from_minor(-3_000));
        assert_eq!(s(may.plus(-1)).balance, Money::ZERO);

        let june = s(may.plus(1));
        assert_eq!(june.status(d(2026, 6, 30)), StatementStatus::Open);
        assert_eq!(june.status(d(2026, 7, 1)), StatementStatus::Paid);
        // May's 60.00 went on into June's balance, which June's payment covered.
        assert_eq!(s(may).status(d(2026, 6, 11)), StatementStatus::Paid);
        assert!(s(may).settled);

        // Paid only 90.00 of the 100.00 charged up to May: May is still owed.
        let mut short = totals.clone();
        short.insert(
            may.plus(1).index(),
            MonthTotals {
                amount: Money::from_minor(1_000),
                payments: Money::from_minor(5_000),
            },
        );
        let may = Statement::compute(Id::new(7), &cycles, &short, may);
        assert!(!may.settled);
        assert_eq!(may.status(d(2026, 6, 10)), StatementStatus::Closed);
        assert_eq!(may.status(d(2026, 6, 11)), StatementStatus::Overdue);
    }
}
