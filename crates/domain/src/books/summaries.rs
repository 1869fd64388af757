//! What a book's transactions add up to: the Leasy REST API's income, expense and
//! financial summaries of a period, its all-time balance, spending by category, and the
//! balance of an account on a day.
//!
//! Rules kept here:
//! - reports (summaries, balance, spending by category, budgets) leave out excluded
//!   transactions and both sides of transfers (money moved between accounts is neither
//!   income nor expense), and what the caller cannot see (another user's private
//!   transaction of the business book: its amount must not leak through a total);
//! - a report of a period counts every transaction dated in it, paid or pending (what
//!   the book expects for the period, Organizze's "predicted"); the paid part is given
//!   beside it. Spending by category can instead go by cash: paid transactions by the day
//!   they were paid (an Organizze user's request);
//! - an account's balance is different: it is the money in the account, so it counts
//!   every paid transaction of the account up to the day, transfers and excluded ones
//!   included ("excluded" only keeps a transaction out of reports);
//! - totals are summed in SQL over the integer minor units and read back as integers,
//!   never through a float; each figure is one aggregate statement whatever the number
//!   of rows.

use crate::commons::AccountId;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
    sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, SimpleExpr},
};

use super::occurrences;
use crate::{
    DomainError, DomainResult,
    auth::Viewer,
    commons::Money,
    commons::Period,
    entities::{
        book, book_category, book_series, book_transaction, book_transaction::Column as T,
        book_transaction::TransactionKind,
    },
};

/// Most transactions a summary lists in its details; its totals always cover every
/// transaction of the period. A month of a driver's book is far below it; a year of the
/// business book may not be, and a reply must not grow without bound.
pub const MAX_DETAILS: u64 = 1_000;

/// Which transactions a report counts, and by which date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Basis {
    /// Every transaction dated in the period, paid or pending (accrual).
    #[default]
    Accrual,
    /// Only paid transactions, by the day they were paid (cash).
    Cash,
}

/// What the transactions of one kind add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every transaction counted, paid or pending.
    pub total: Money,
    /// The paid (or received) part of `total`.
    pub paid: Money,
    /// How many transactions were counted.
    pub count: u64,
}

impl Totals {
    /// The part of `total` still pending.
    pub fn pending(&self) -> Money {
        Money::from_minor(self.total.minor() - self.paid.minor())
    }

    /// Whether the details of these transactions were cut at [`MAX_DETAILS`].
    pub fn details_truncated(&self) -> bool {
        self.count > MAX_DETAILS
    }
}

/// Incomes and expenses side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookTotals {
    pub income: Totals,
    pub expense: Totals,
}

impl BookTotals {
    pub fn of(&self, kind: TransactionKind) -> Totals {
        match kind {
            TransactionKind::In => self.income,
            TransactionKind::Out => self.expense,
        }
    }

    /// Incomes minus expenses; negative when more went out than came in. Both totals are
    /// sums of positive amounts within `i64`, so their difference cannot overflow.
    pub fn balance(&self) -> Money {
        Money::from_minor(self.income.total.minor() - self.expense.total.minor())
    }

    /// Paid incomes minus paid expenses.
    pub fn paid_balance(&self) -> Money {
        Money::from_minor(self.income.paid.minor() - self.expense.paid.minor())
    }
}

/// The spending (or earning) of one category in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryShare {
    pub category_id: i64,
    pub total: Money,
    pub count: u64,
    /// Of the period's total of the kind, in percent, two places.
    pub percentage: Decimal,
}

/// Hidden from `viewer`: another user's private transaction of the business book (the
/// SQL form of [`super::transactions::visible_to`]).
pub fn visible_condition(viewer: &Viewer) -> Condition {
    if viewer.is_client() || viewer.is_admin() {
        Condition::all()
    } else {
        Condition::any()
            .add(T::Private.eq(false))
            .add(T::CreatedByUserId.eq(viewer.user_id))
    }
}

/// The transactions of `book` that reports count: not excluded, not a side of a
/// transfer, visible to `viewer`.
pub fn reportable(viewer: &Viewer, book: &book::Model) -> Select<book_transaction::Entity> {
    book_transaction::Entity::find()
        .filter(T::BookId.eq(book.id))
        .filter(T::Excluded.eq(false))
        .filter(T::TransferId.is_null())
        .filter(visible_condition(viewer))
}

/// [`reportable`] with the occurrences of `recurring` (the book's recurring series) dated
/// in `period` that have no row (see [`occurrences`]), for a sum: without the statement
/// each falls in, which no sum reads, so that no statement runs before the sum's own.
fn summable_in(
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    period: &Period,
) -> Select<book_transaction::Entity> {
    occurrences::Unstored::to_sum(recurring, period).source(reportable(viewer, book), book.id)
}

/// [`reportable`] over `period`'s days with the occurrences of `recurring` (the book's
/// recurring series) dated in it that have no row (see [`occurrences`]), as rows.
async fn reportable_in<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    period: &Period,
) -> DomainResult<Select<book_transaction::Entity>> {
    let unstored = occurrences::Unstored::in_period(db, recurring, period).await?;
    Ok(unstored.source(reportable(viewer, book), book.id))
}

fn col(column: T) -> Expr {
    Expr::col((book_transaction::Entity, column))
}

/// The day a payment happened: its paid date, or its date when none was recorded.
fn paid_day() -> Expr {
    Func::coalesce([col(T::PaidOn), col(T::Date)]).into()
}

/// `SUM(expr)` read back as a 64-bit integer: PostgreSQL sums BIGINTs as NUMERIC.
fn sum_minor(expr: impl Into<Expr>) -> SimpleExpr {
    Func::cast_as(Func::sum(expr.into()), Alias::new("BIGINT")).into()
}

/// The amount when paid, else 0.
fn paid_amount() -> Expr {
    Expr::case(col(T::Paid).eq(true), col(T::AmountMinor))
        .finally(0i64)
        .into()
}

fn in_period(
    query: Select<book_transaction::Entity>,
    period: &Period,
    basis: Basis,
) -> Select<book_transaction::Entity> {
    match basis {
        Basis::Accrual => query.filter(col(T::Date).between(period.from(), period.to())),
        Basis::Cash => query
            .filter(col(T::Paid).eq(true))
            .filter(paid_day().between(period.from(), period.to())),
    }
}

/// Which of `bounds` (sorted, ascending) is the first one `value` is on or before: `1`
/// for the first, `bounds.len() + 1` for anything later (callers filter those out). The
/// number of a day's month in a year, or of an "as of" day, computed by the database in
/// one portable expression.
fn bucket(value: Expr, bounds: &[NaiveDate]) -> Expr {
    let mut case = CaseStatement::new();
    let mut slot: i64 = 0;
    for bound in bounds {
        slot += 1;
        case = case.case(value.clone().lte(*bound), slot);
    }
    case.finally(slot + 1).into()
}

/// Groups by the `slot` output column. Not by its expression again: its dates are bound
/// parameters, and PostgreSQL cannot tell that `$3` in the select list and `$9` in the
/// GROUP BY hold the same day.
fn by_slot() -> Expr {
    Expr::col(Alias::new("slot"))
}

/// Incomes and expenses of `book` in `period`: one statement. Of all time when `None`,
/// with the occurrences of `recurring` (the book's recurring series) dated up to `today`
/// only: one more statement when the book has recurring series.
pub async fn totals<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    period: Option<&Period>,
    today: NaiveDate,
) -> DomainResult<BookTotals> {
    let mut runs = occurrences::Runs::default();
    let query = match period {
        Some(period) => in_period(
            summable_in(viewer, book, recurring, period),
            period,
            Basis::Accrual,
        ),
        None => {
            runs = occurrences::Runs::through(db, recurring, today).await?;
            let query = reportable(viewer, book);
            match occurrences::after_day(recurring, today) {
                Some(later) => query.filter(later.not()),
                None => query,
            }
        }
    };
    let rows: Vec<(TransactionKind, Option<i64>, Option<i64>, i64)> = query
        .select_only()
        .column(T::Kind)
        .column_as(sum_minor(col(T::AmountMinor)), "total")
        .column_as(sum_minor(paid_amount()), "paid")
        .column_as(T::Id.count(), "n")
        .group_by(T::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let mut totals = BookTotals::default();
    for (kind, total, paid, count) in rows {
        let counted = Totals {
            total: Money::from_minor(total.unwrap_or(0)),
            paid: Money::from_minor(paid.unwrap_or(0)),
            count: u64::try_from(count).unwrap_or(0),
        };
        match kind {
            TransactionKind::In => totals.income = counted,
            TransactionKind::Out => totals.expense = counted,
        }
    }
    for run in &runs.0 {
        let row = run.template();
        if row.excluded || !super::transactions::visible_to(viewer, &row) {
            continue;
        }
        let count = run.count();
        let amount = Money::from_minor(
            row.amount_minor
                .saturating_mul(i64::try_from(count).unwrap_or(i64::MAX)),
        );
        let counted = match row.kind {
            TransactionKind::In => &mut totals.income,
            TransactionKind::Out => &mut totals.expense,
        };
        counted.total = Money::from_minor(counted.total.minor().saturating_add(amount.minor()));
        counted.count += count;
    }
    Ok(totals)
}

/// The transactions of `kind` that a summary of `period` counts, newest first (by date,
/// then the last recorded first, as the Leasy REST API lists them), at most
/// [`MAX_DETAILS`].
pub async fn details<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    kind: TransactionKind,
    period: &Period,
) -> DomainResult<Vec<book_transaction::Model>> {
    let reportable = reportable_in(db, viewer, book, recurring, period).await?;
    Ok(in_period(reportable, period, Basis::Accrual)
        .filter(T::Kind.eq(kind))
        .order_by_desc(T::Date)
        .order_by_desc(T::Id)
        .limit(MAX_DETAILS)
        .all(db)
        .await?)
}

/// Half away from zero to two places, as every rounding of the API.
pub(super) fn percent_of(part: i64, whole: i64) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// What each category of `kind` adds up to in `period`, the biggest first (then the
/// most transactions, then the oldest category). With `roll_up`, a subcategory's
/// transactions count in its top-level category and subcategories are not listed;
/// without it every category stands alone (its `parent` tells where it belongs).
/// Percentages are each rounded on their own, so they may add up to 100 ± 0.01 per
/// category.
#[allow(clippy::too_many_arguments)]
pub async fn spending_by_category<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    kind: TransactionKind,
    period: &Period,
    basis: Basis,
    roll_up: bool,
) -> DomainResult<Vec<CategoryShare>> {
    let group: Expr = if roll_up {
        Func::coalesce([
            Expr::col((book_category::Entity, book_category::Column::ParentId)),
            Expr::col((book_category::Entity, book_category::Column::Id)),
        ])
        .into()
    } else {
        col(T::CategoryId)
    };
    let reportable = summable_in(viewer, book, recurring, period);
    let mut query = in_period(reportable, period, basis).filter(T::Kind.eq(kind));
    if roll_up {
        query = query.join(
            JoinType::InnerJoin,
            book_transaction::Relation::Category.def(),
        );
    }
    let rows: Vec<(Option<i64>, Option<i64>, i64)> = query
        .select_only()
        .column_as(group.clone(), "category")
        .column_as(sum_minor(col(T::AmountMinor)), "total")
        .column_as(col(T::Id).count(), "n")
        .group_by(group)
        .into_tuple()
        .all(db)
        .await?;
    let rows: Vec<(i64, i64, u64)> = rows
        .into_iter()
        .filter_map(|(category, total, n)| {
            Some((category?, total.unwrap_or(0), u64::try_from(n).unwrap_or(0)))
        })
        .collect();
    let whole: i64 = rows.iter().map(|(_, total, _)| *total).sum();
    let mut shares: Vec<CategoryShare> = rows
        .into_iter()
        .map(|(category_id, total, count)| CategoryShare {
            category_id,
            total: Money::from_minor(total),
            count,
            percentage: percent_of(total, whole),
        })
        .collect();
    shares.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(b.count.cmp(&a.count))
            .then(a.category_id.cmp(&b.category_id))
    });
    Ok(shares)
}

/// The balance of each account on each day asked: paid incomes minus paid expenses of
/// the account paid on or before the day (transfers, excluded and private transactions
/// count: this is the money in the account, whoever recorded it). One statement for any number of accounts and
/// days: the database sums by account and by which asked day a payment falls on or
/// before, and the balances are the running sums of those.
pub async fn account_balances<C: ConnectionTrait>(
    db: &C,
    keys: &[(AccountId, NaiveDate)],
) -> Result<HashMap<(AccountId, NaiveDate), Money>, DbErr> {
    let mut balances: HashMap<(AccountId, NaiveDate), Money> =
        keys.iter().map(|key| (*key, Money::ZERO)).collect();
    let days: Vec<NaiveDate> = keys
        .iter()
        .map(|(_, day)| *day)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let accounts: BTreeSet<AccountId> = keys.iter().map(|(account, _)| *account).collect();
    let Some(last) = days.last().copied() else {
        return Ok(balances);
    };
    let signed: Expr = Expr::case(T::Kind.eq(TransactionKind::In), col(T::AmountMinor))
        .finally(col(T::AmountMinor).mul(-1i64))
        .into();
    let slot = bucket(paid_day(), &days);
    let rows: Vec<(i64, i64, Option<i64>)> = book_transaction::Entity::find()
        .select_only()
        .column(T::AccountId)
        .column_as(slot, "slot")
        .column_as(sum_minor(signed), "total")
        .filter(T::AccountId.is_in(accounts))
        .filter(T::Paid.eq(true))
        .filter(paid_day().lte(last))
        .group_by(T::AccountId)
        .group_by(by_slot())
        .into_tuple()
        .all(db)
        .await?;
    // by_slot[account][i]: what was paid after days[i-1] and on or before days[i].
    let mut by_slot: HashMap<i64, Vec<i64>> = HashMap::new();
    for (account, slot, total) in rows {
        let slots = by_slot
            .entry(account)
            .or_insert_with(|| vec![0; days.len()]);
        let index = usize::try_from(slot).unwrap_or(0).saturating_sub(1);
        if let Some(cell) = slots.get_mut(index) {
            *cell += total.unwrap_or(0);
        }
    }
    for ((account, day), balance) in &mut balances {
        let Some(slots) = by_slot.get(&account.get()) else {
            continue;
        };
        let upto = days.partition_point(|d| d <= day);
        *balance = Money::from_minor(slots.iter().take(upto).sum());
    }
    Ok(balances)
}

/// The bounds that number the months of `months` (the last day of each) for [`bucket`].
pub(super) fn month_ends(months: &[Period]) -> Vec<NaiveDate> {
    months.iter().map(Period::to).collect()
}

/// What one category's transactions add up to in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CategoryMonth {
    pub category_id: i64,
    /// The category's parent, when it is a subcategory.
    pub parent_id: Option<i64>,
    /// Which month of those asked, from 1.
    pub slot: usize,
    pub totals: Totals,
}

/// A row of [`by_category_and_month`]: category, parent, slot, total, paid, count.
type CategoryMonthRow = (Option<i64>, Option<i64>, i64, Option<i64>, Option<i64>, i64);

/// Sums of a book's reportable transactions per category and per month of `months`
/// (consecutive whole months), for `categories` and their subcategories.
pub(super) async fn by_category_and_month<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    months: &[Period],
    categories: &[i64],
) -> DomainResult<Vec<CategoryMonth>> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let span = Period::new(first.from(), last.to())
        .map_err(|e| DomainError::Internal(format!("the months of one year: {e}")))?;
    let slot = bucket(col(T::Date), &month_ends(months));
    let parent = Expr::col((book_category::Entity, book_category::Column::ParentId));
    let rows: Vec<CategoryMonthRow> = summable_in(viewer, book, recurring, &span)
        .join(
            JoinType::InnerJoin,
            book_transaction::Relation::Category.def(),
        )
        .filter(col(T::Date).between(first.from(), last.to()))
        .filter(
            Condition::any()
                .add(col(T::CategoryId).is_in(categories.iter().copied()))
                .add(parent.clone().is_in(categories.iter().copied())),
        )
        .select_only()
        .column(T::CategoryId)
        .column_as(parent.clone(), "parent")
        .column_as(slot, "slot")
        .column_as(sum_minor(col(T::AmountMinor)), "total")
        .column_as(sum_minor(paid_amount()), "paid")
        .column_as(col(T::Id).count(), "n")
        .group_by(col(T::CategoryId))
        .group_by(parent)
        .group_by(by_slot())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(category, parent, slot, total, paid, count)| {
            Some(CategoryMonth {
                category_id: category?,
                parent_id: parent,
                slot: usize::try_from(slot).ok()?,
                totals: Totals {
                    total: Money::from_minor(total.unwrap_or(0)),
                    paid: Money::from_minor(paid.unwrap_or(0)),
                    count: u64::try_from(count).unwrap_or(0),
                },
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(percent_of(1, 3), Decimal::new(3333, 2));
        assert_eq!(percent_of(2, 3), Decimal::new(6667, 2));
        // 1/8 = 12.5 % exactly; 1/16 = 6.25 %; 1/32 = 3.125 % -> 3.13, not banker's 3.12
        assert_eq!(percent_of(1, 32), Decimal::new(313, 2));
        assert_eq!(percent_of(5, 0), Decimal::ZERO);
        assert_eq!(percent_of(7, 7), Decimal::new(10000, 2));
    }

    #[test]
    fn balances_of_a_period_may_be_negative() {
        let totals = BookTotals {
            income: Totals {
                total: Money::from_minor(2240),
                paid: Money::from_minor(1000),
                count: 2,
            },
            expense: Totals {
                total: Money::from_minor(2600),
                paid: Money::from_minor(2600),
                count: 2,
            },
        };
        assert_eq!(totals.balance().to_string(), "-3.60");
        assert_eq!(totals.paid_balance().to_string(), "-16.00");
        assert_eq!(totals.income.pending().to_string(), "12.40");
        assert!(!totals.income.details_truncated());
    }
}
