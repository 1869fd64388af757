//! Budgets (Organizze's "metas"): how much a book means to spend (or earn) in a category
//! in one month, set per category and month, and read beside what the category actually
//! reached.
//!
//! Rules kept here:
//! - one budget per category and month; setting it again replaces the amount, and an
//!   amount of 0 removes it (a budget of zero is no budget);
//! - a budget of a top-level category covers its subcategories' transactions too; a
//!   subcategory's own budget covers its own;
//! - the actual total counts the PAID transactions dated in the month, the predicted
//!   total paid and pending ones; both leave out what reports leave out (excluded
//!   transactions, transfers, what the caller cannot see: [`summaries::reportable`]);
//! - reading the budgets of a month or of a whole year takes two statements, whatever
//!   their number.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::{
    occurrences, require_writer,
    summaries::{self, percent_of},
    text::Text,
    transactions::MAX_AMOUNT,
};
use crate::commons::{CategoryId, Id};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::Problems,
    commons::{Money, Period},
    entities::{book, book_budget, book_category, book_series},
};

/// The years budgets may be set and read for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A budget with what its category reached in its month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetView {
    pub budget: book_budget::Model,
    pub category: book_category::Model,
    /// Paid transactions of the category (and its subcategories) dated in the month.
    pub actual: Money,
    /// Paid and pending ones.
    pub predicted: Money,
}

impl BudgetView {
    pub fn year(&self) -> i32 {
        self.budget.month.year()
    }

    pub fn month(&self) -> u32 {
        self.budget.month.month()
    }

    pub fn amount(&self) -> Money {
        Money::from_minor(self.budget.amount_minor)
    }

    /// The actual total as a percentage of the amount, two places, half away from zero
    /// (over 100 when the budget is exceeded).
    pub fn percentage(&self) -> Decimal {
        percent_of(self.actual.minor(), self.budget.amount_minor)
    }

    /// The predicted total as a percentage of the amount.
    pub fn predicted_percentage(&self) -> Decimal {
        percent_of(self.predicted.minor(), self.budget.amount_minor)
    }
}

/// A budget to set: `amount` 0 removes it.
#[derive(Debug, Clone)]
pub struct SetBudget {
    pub category_id: CategoryId,
    pub year: i32,
    pub month: i32,
    pub amount: Decimal,
}

fn check_year(p: &mut Problems, field: &str, year: i32) {
    if !YEARS.contains(&year) {
        p.add(
            field,
            UserErrorCode::OutOfRange,
            Text::BudgetYearRange {
                first: YEARS.start().to_string(),
                last: YEARS.end().to_string(),
            },
        );
    }
}

fn check_month(p: &mut Problems, field: &str, month: i32) -> Option<u32> {
    match u32::try_from(month) {
        Ok(m @ 1..=12) => Some(m),
        _ => {
            p.add(field, UserErrorCode::OutOfRange, Text::MonthRange);
            None
        }
    }
}

/// The months a listing covers: `month` of `year`, or every month of `year`.
pub fn months_of(year: i32, month: Option<i32>) -> DomainResult<Vec<Period>> {
    let mut p = Problems::default();
    check_year(&mut p, "year", year);
    let month = month.map(|m| check_month(&mut p, "month", m));
    p.finish()?;
    let months: Vec<u32> = match month {
        Some(Some(m)) => vec![m],
        Some(None) => Vec::new(),
        None => (1..=12).collect(),
    };
    months
        .into_iter()
        .map(|m| {
            Period::month(year, m)
                .map_err(|e| DomainError::Internal(format!("a checked month: {e}")))
        })
        .collect()
}

/// The budgets of `book` for `months` (consecutive whole months), by month, then
/// category name, with their totals (the occurrences of `recurring`, the book's
/// recurring series, included): two statements.
pub async fn list_budgets<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    months: &[Period],
) -> DomainResult<Vec<BudgetView>> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let rows = book_budget::Entity::find()
        .find_also_related(book_category::Entity)
        .filter(book_budget::Column::BookId.eq(book.id))
        .filter(book_budget::Column::Month.between(first.from(), last.to()))
        .order_by_asc(book_budget::Column::Month)
        .order_by_asc(book_category::Column::Name)
        .order_by_asc(book_budget::Column::Id)
        .all(db)
        .await?;
    let rows = rows
        .into_iter()
        .filter_map(|(budget, category)| Some((budget, category?)))
        .collect();
    with_totals(db, viewer, book, recurring, months, rows).await
}

/// Adds to each budget what its category (and its subcategories) reached in its month.
async fn with_totals<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    recurring: &[book_series::Model],
    months: &[Period],
    rows: Vec<(book_budget::Model, book_category::Model)>,
) -> DomainResult<Vec<BudgetView>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut categories: Vec<i64> = rows.iter().map(|(b, _)| b.category_id).collect();
    categories.sort_unstable();
    categories.dedup();
    let sums =
        summaries::by_category_and_month(db, viewer, book, recurring, months, &categories).await?;
    // (category, month index from 1) -> (total, paid); a subcategory's sums also go to
    // its parent.
    let mut reached: HashMap<(i64, usize), (i64, i64)> = HashMap::new();
    for sum in sums {
        for id in std::iter::once(sum.category_id).chain(sum.parent_id) {
            let cell = reached.entry((id, sum.slot)).or_default();
            cell.0 = cell.0.saturating_add(sum.totals.total.minor());
            cell.1 = cell.1.saturating_add(sum.totals.paid.minor());
        }
    }
    Ok(rows
        .into_iter()
        .map(|(budget, category)| {
            let slot = months
                .iter()
                .position(|m| m.contains(budget.month))
                .map_or(0, |i| i + 1);
            let (total, paid) = reached
                .get(&(budget.category_id, slot))
                .copied()
                .unwrap_or_default();
            BudgetView {
                budget,
                category,
                actual: Money::from_minor(paid),
                predicted: Money::from_minor(total),
            }
        })
        .collect())
}

/// Sets (creates or replaces) the budget of a category of `book` for a month, or removes
/// it when the amount is 0. Returns the budget as it was (`None` when the category had
/// none that month) and as it is now (`None` when removed, or when there was none to
/// remove).
pub async fn set_budget(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    set: SetBudget,
    now: DateTime<Utc>,
) -> DomainResult<(Option<book_budget::Model>, Option<BudgetView>)> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    check_year(&mut p, "year", set.year);
    let month = check_month(&mut p, "month", set.month);
    let amount = match Money::from_decimal(set.amount) {
        Ok(money) if !money.is_negative() && money <= MAX_AMOUNT => money,
        _ => {
            p.add(
                "amount",
                UserErrorCode::InvalidAmount,
                Text::BudgetAmountRange {
                    max: MAX_AMOUNT.to_string(),
                },
            );
            Money::ZERO
        }
    };
    p.finish()?;
    let period = Period::month(set.year, month.unwrap_or(1))
        .map_err(|e| DomainError::Internal(format!("a checked month: {e}")))?;
    let category = book_category::Entity::find_by_id(set.category_id.get())
        .filter(book_category::Column::BookId.eq(book.id))
        .one(txn)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("categoryId", UserErrorCode::NotFound, Text::NoSuchCategory)
        })?;
    let existing = book_budget::Entity::find()
        .filter(book_budget::Column::CategoryId.eq(category.id))
        .filter(book_budget::Column::Month.eq(period.from()))
        .one(txn)
        .await?;
    if amount == Money::ZERO {
        if let Some(found) = &existing {
            book_budget::Entity::delete_by_id(found.id)
                .exec(txn)
                .await?;
        }
        return Ok((existing, None));
    }
    let budget = match existing.clone() {
        Some(found) => {
            let mut active = found.into_active_model();
            active.amount_minor = Set(amount.minor());
            active.updated_at = Set(now);
            active.update(txn).await?
        }
        None => {
            book_budget::ActiveModel {
                organization_id: Set(book.organization_id),
                book_id: Set(book.id),
                category_id: Set(category.id),
                month: Set(period.from()),
                amount_minor: Set(amount.minor()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    };
    let recurring = occurrences::recurring_series(txn, &[Id::new(book.id)]).await?;
    let mut views = with_totals(
        txn,
        viewer,
        book,
        &recurring,
        &[period],
        vec![(budget, category)],
    )
    .await?;
    let view = views
        .pop()
        .ok_or_else(|| DomainError::Internal("the budget just set is gone".into()))?;
    Ok((existing, Some(view)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_one_or_a_whole_year() {
        assert_eq!(months_of(2026, Some(11)).map(|m| m.len()).ok(), Some(1));
        let year = months_of(2026, None).expect("a year");
        assert_eq!(year.len(), 12);
        assert_eq!(year[1].to().day(), 28);
        assert!(months_of(2026, Some(13)).is_err());
        assert!(months_of(2026, Some(0)).is_err());
        assert!(months_of(1999, None).is_err());
    }
}
