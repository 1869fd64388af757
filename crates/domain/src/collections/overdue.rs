//! Overdue invoices: what drivers should have paid and have not, by how late it is.
//!
//! An invoice is overdue when it is owed and payable (PENDING, or a FRACTION of a split
//! invoice) and its due date is before today in the organization's calendar. A FROZEN
//! invoice is owed but suspended, so nobody chases it; PAID, SPLIT and CANCELLED ones
//! are owed no more. Its age is counted in whole days from its due date, and falls in one
//! of four aging buckets. The totals of the buckets cover every invoice the filters keep,
//! whatever the page, in one aggregate statement.

use chrono::{NaiveDate, TimeDelta};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, Order, QueryFilter,
    QuerySelect, RelationTrait, Select,
    sea_query::{Alias, CaseStatement, Expr, ExprTrait, Func, SimpleExpr},
};

use super::text::Text;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::{Money, UserId, search},
    entities::{contract, invoice, invoice::InvoiceStatus, user},
    reads::Listing,
    visibility,
};

/// The longest text the search looks for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// How late an overdue invoice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgingBucket {
    /// 1 to 7 days past its due date.
    Days1To7,
    /// 8 to 30 days.
    Days8To30,
    /// 31 to 60 days.
    Days31To60,
    /// More than 60 days.
    Over60,
}

impl AgingBucket {
    /// Every bucket, from the most recent debts to the oldest.
    pub const ALL: [AgingBucket; 4] = [
        AgingBucket::Days1To7,
        AgingBucket::Days8To30,
        AgingBucket::Days31To60,
        AgingBucket::Over60,
    ];

    /// The days overdue the bucket holds: from the first to the last (none for the
    /// oldest bucket), both included.
    pub const fn days(self) -> (i64, Option<i64>) {
        match self {
            AgingBucket::Days1To7 => (1, Some(7)),
            AgingBucket::Days8To30 => (8, Some(30)),
            AgingBucket::Days31To60 => (31, Some(60)),
            AgingBucket::Over60 => (61, None),
        }
    }

    /// The bucket of an invoice `days_overdue` days late; none when it is not late.
    pub fn of(days_overdue: i64) -> Option<AgingBucket> {
        Self::ALL.into_iter().find(|bucket| {
            let (first, last) = bucket.days();
            days_overdue >= first && last.is_none_or(|last| days_overdue <= last)
        })
    }

    fn index(self) -> i64 {
        match self {
            AgingBucket::Days1To7 => 0,
            AgingBucket::Days8To30 => 1,
            AgingBucket::Days31To60 => 2,
            AgingBucket::Over60 => 3,
        }
    }

    fn from_index(index: i64) -> Option<AgingBucket> {
        Self::ALL.into_iter().find(|b| b.index() == index)
    }
}

/// Whole days from `due` to `today`: positive once the invoice is late, 0 on its due
/// date, negative before.
pub fn days_overdue(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days()
}

/// The day `days` days before `today`.
fn days_before(today: NaiveDate, days: i64) -> NaiveDate {
    today
        .checked_sub_signed(TimeDelta::days(days))
        .unwrap_or(NaiveDate::MIN)
}

/// Which overdue invoices to list; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct OverdueFilter {
    /// Only the invoices of this aging bucket.
    pub bucket: Option<AgingBucket>,
    /// Only this driver's.
    pub client_id: Option<UserId>,
    /// Only the drivers whose name or document contains this text (any letter case).
    pub search: Option<String>,
}

/// The invoices of one aging bucket: how many, and what is left to pay on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgingTotal {
    pub bucket: AgingBucket,
    pub count: u64,
    pub amount: Money,
}

/// The totals of every bucket, in [`AgingBucket::ALL`]'s order (empty buckets
/// included), and of all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingTotals {
    pub buckets: Vec<AgingTotal>,
    pub count: u64,
    pub amount: Money,
}

/// The overdue invoices a staff member asked for, on one day: a listing (oldest due
/// first) and the totals of the whole filtered set.
#[derive(Clone)]
pub struct Overdue {
    rows: Select<invoice::Entity>,
    listing: Listing<invoice::Entity>,
    today: NaiveDate,
}

/// The overdue invoices of `viewer`'s organization on `today` (a date of its calendar)
/// that `filter` keeps, oldest due first, then by id. Staff only (COLLECTORs read too);
/// a search longer than [`MAX_SEARCH_CHARS`] is refused (TOO_LONG).
pub fn overdue_invoices(
    viewer: &Viewer,
    filter: &OverdueFilter,
    today: NaiveDate,
) -> DomainResult<Overdue> {
    visibility::require_staff(viewer)?;
    let mut rows = invoice::Entity::find()
        .inner_join(contract::Entity)
        .filter(contract::Column::OrganizationId.eq(viewer.organization_id))
        .filter(invoice::Column::Status.is_in([InvoiceStatus::Pending, InvoiceStatus::Fraction]))
        .filter(invoice::Column::DueDate.lt(today));
    if let Some(bucket) = filter.bucket {
        let (first, last) = bucket.days();
        rows = rows.filter(invoice::Column::DueDate.lte(days_before(today, first)));
        if let Some(last) = last {
            rows = rows.filter(invoice::Column::DueDate.gte(days_before(today, last)));
        }
    }
    if let Some(client) = filter.client_id {
        rows = rows.filter(contract::Column::ClientId.eq(client));
    }
    let text = filter
        .search
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    if let Some(text) = text {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(DomainError::invalid(
                "search",
                UserErrorCode::TooLong,
                Text::SearchTooLong {
                    max: MAX_SEARCH_CHARS.to_string(),
                },
            ));
        }
        let lower =
            |column: user::Column| Expr::expr(Func::lower(Expr::col((user::Entity, column))));
        // The whole name too, so that "luz mora" finds Luz Mora.
        let full_name = Expr::cust("LOWER(users.first_name || ' ' || users.last_name)");
        rows = rows
            .join(JoinType::InnerJoin, contract::Relation::Client.def())
            .filter(
                Condition::any()
                    .add(search::contains(lower(user::Column::Document), &text))
                    .add(search::contains(lower(user::Column::FirstName), &text))
                    .add(search::contains(lower(user::Column::LastName), &text))
                    .add(search::contains(full_name, &text)),
            );
    }
    let listing = Listing::new(
        rows.clone(),
        [
            (invoice::Column::DueDate, Order::Asc),
            (invoice::Column::Id, Order::Asc),
        ],
    );
    Ok(Overdue {
        rows,
        listing,
        today,
    })
}

/// What is left to pay of the row's invoice, in SQL: its total minus its discounts,
/// never below zero (as `super::left_to_pay`).
const LEFT_TO_PAY: &str = "CASE WHEN invoices.total_minor > (SELECT COALESCE(SUM(d.amount_minor), 0) FROM invoice_discounts d WHERE d.invoice_id = invoices.id) \
     THEN invoices.total_minor - (SELECT COALESCE(SUM(d.amount_minor), 0) FROM invoice_discounts d WHERE d.invoice_id = invoices.id) \
     ELSE 0 END";

/// `SUM(expr)` read back as a 64-bit integer: PostgreSQL sums BIGINTs as NUMERIC.
fn sum_minor(expr: Expr) -> SimpleExpr {
    Func::cast_as(Func::sum(expr), Alias::new("BIGINT")).into()
}

impl Overdue {
    /// The invoices, oldest due first: what the API pages.
    pub fn listing(&self) -> &Listing<invoice::Entity> {
        &self.listing
    }

    /// The day the invoices are overdue on.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The bucket's number of each invoice, in SQL: by its due date, from the most
    /// recent bucket on (every row is already before today).
    fn bucket_of_row(&self) -> Expr {
        let mut case = CaseStatement::new();
        for bucket in AgingBucket::ALL {
            if let (_, Some(last)) = bucket.days() {
                let earliest = days_before(self.today, last);
                case = case.case(
                    Expr::col((invoice::Entity, invoice::Column::DueDate)).gte(earliest),
                    bucket.index(),
                );
            }
        }
        case.finally(AgingBucket::Over60.index()).into()
    }

    /// How many invoices each bucket holds and what is left to pay on them, for the
    /// whole filtered set: one statement.
    pub async fn totals<C: ConnectionTrait>(&self, db: &C) -> DomainResult<AgingTotals> {
        let rows: Vec<(i64, i64, Option<i64>)> = self
            .rows
            .clone()
            .select_only()
            .column_as(self.bucket_of_row(), "aging_bucket")
            .column_as(invoice::Column::Id.count(), "n")
            .column_as(sum_minor(Expr::cust(LEFT_TO_PAY)), "amount")
            // By the output column, not its expression again: its dates are bound
            // parameters, which PostgreSQL cannot tell are the same as the select list's.
            .group_by(Expr::col(Alias::new("aging_bucket")))
            .into_tuple()
            .all(db)
            .await?;
        let mut buckets: Vec<AgingTotal> = AgingBucket::ALL
            .into_iter()
            .map(|bucket| AgingTotal {
                bucket,
                count: 0,
                amount: Money::ZERO,
            })
            .collect();
        for (index, count, amount) in rows {
            let bucket = AgingBucket::from_index(index).ok_or_else(|| {
                DomainError::Internal(format!("an aging bucket numbered {index}"))
            })?;
            if let Some(total) = buckets.iter_mut().find(|t| t.bucket == bucket) {
                total.count = u64::try_from(count).unwrap_or(0);
                total.amount = Money::from_minor(amount.unwrap_or(0));
            }
        }
        let count = buckets.iter().map(|t| t.count).sum();
        let amount = Money::sum(buckets.iter().map(|t| t.amount))
            .ok_or_else(|| DomainError::Internal("the overdue total overflows".into()))?;
        Ok(AgingTotals {
            buckets,
            count,
            amount,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    #[test]
    fn buckets_cover_every_late_day_once() {
        assert_eq!(AgingBucket::of(0), None);
        assert_eq!(AgingBucket::of(-3), None);
        assert_eq!(AgingBucket::of(1), Some(AgingBucket::Days1To7));
        assert_eq!(AgingBucket::of(7), Some(AgingBucket::Days1To7));
        assert_eq!(AgingBucket::of(8), Some(AgingBucket::Days8To30));
        assert_eq!(AgingBucket::of(30), Some(AgingBucket::Days8To30));
        assert_eq!(AgingBucket::of(31), Some(AgingBucket::Days31To60));
        assert_eq!(AgingBucket::of(60), Some(AgingBucket::Days31To60));
        assert_eq!(AgingBucket::of(61), Some(AgingBucket::Over60));
        assert_eq!(AgingBucket::of(5000), Some(AgingBucket::Over60));
        for bucket in AgingBucket::ALL {
            assert_eq!(AgingBucket::from_index(bucket.index()), Some(bucket));
        }
    }

    #[test]
    fn days_overdue_count_calendar_days() {
        assert_eq!(days_overdue(d(2026, 11, 2), d(2026, 11, 9)), 7);
        assert_eq!(days_overdue(d(2026, 11, 9), d(2026, 11, 9)), 0);
        assert_eq!(days_overdue(d(2026, 12, 31), d(2027, 1, 1)), 1);
        assert_eq!(days_before(d(2026, 3, 1), 1), d(2026, 2, 28));
    }
}
