//! Business books (issue 7, the Infinanza REST API): the organization's customers, the
//! sales invoices it makes out to them, the receipts (bills) it has to pay, and how
//! paying either lands in the business book as an income or an expense.
//!
//! Staff only: drivers never reach any of it. COLLECTORs read, ADMINs (and API tokens
//! acting for them) write. Every change runs in one transaction of its own
//! ([`in_business`]) whose first statement locks the business book
//! ([`crate::books::lock_book`]), so that automatic invoice numbers are given one at a
//! time and paying records one income, and whose last appends the change's record to the
//! audit trail.

pub mod amounts;
pub mod customers;
pub mod invoices;
pub mod outbox;
pub mod pdf;
pub mod receipts;
pub mod settings;
pub mod text;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction,
    sea_query::{Expr, ExprTrait, Func},
};

use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    audit::{self, Actor, Change},
    auth::Viewer,
    books,
    checks::Problems,
    entities::book,
};

/// Staff read the business; drivers are FORBIDDEN.
pub fn require_reader(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_staff() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(text::Text::StaffOnly.into()))
    }
}

/// ADMINs change the business; COLLECTORs and drivers are FORBIDDEN.
pub fn require_writer(viewer: &Viewer) -> DomainResult<()> {
    require_reader(viewer)?;
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            text::Text::CollectorsOnlyRead.into(),
        ))
    }
}

/// Runs one staff change to the business in a transaction of its own, ADMINs only: its
/// first statement locks the business book (created beforehand on its first use), `run`
/// makes the change and says what it changed, and the record of it is appended to the
/// audit trail before both commit. When `run` fails, nothing is written, record included.
pub async fn in_business<T, F>(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    run: F,
) -> DomainResult<T>
where
    F: AsyncFnOnce(&DatabaseTransaction, &book::Model) -> DomainResult<(T, Change)>,
{
    require_writer(actor.viewer)?;
    let book = books::book_for(db, actor.viewer, now).await?;
    audit::write(db, actor, now, async |txn| {
        books::lock_book(txn, &book).await?;
        run(txn, &book).await
    })
    .await
}

/// Puts `prefix` in front of the field path of every user error (an inline customer's
/// problems are under `customer`, an item's under `items.<n>`).
pub fn nested(prefix: &[&str], err: DomainError) -> DomainError {
    match err {
        DomainError::Invalid(errors) => DomainError::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: prefix
                        .iter()
                        .map(|p| p.to_string())
                        .chain(e.field)
                        .collect(),
                    ..e
                })
                .collect(),
        ),
        other => other,
    }
}

/// Whether a bill is overdue: not paid and its due date (its date, without one) is past.
pub fn is_overdue(
    paid: bool,
    date: NaiveDate,
    due_date: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    !paid && due_date.unwrap_or(date) < today
}

/// [`is_overdue`] as a SQL condition on a bill table's columns, for the `overdue` filter
/// (`overdue: false` is its negation).
pub fn overdue_condition<C: ColumnTrait>(
    paid: C,
    date: C,
    due_date: C,
    today: NaiveDate,
    overdue: bool,
) -> Condition {
    let due = Expr::expr(Func::coalesce([due_date.into_expr(), date.into_expr()]));
    let is_overdue = Condition::all().add(paid.eq(false)).add(due.lt(today));
    if overdue {
        is_overdue
    } else {
        is_overdue.not()
    }
}

/// The paid flag and date from what was sent: a paid date implies paid; paid without a
/// date was paid today; unpaid has no paid date.
pub fn payment(
    p: &mut Problems,
    paid: Option<bool>,
    paid_on: Option<NaiveDate>,
    today: NaiveDate,
) -> (bool, Option<NaiveDate>) {
    match (paid, paid_on) {
        (Some(false), Some(_)) => {
            p.add(
                "paidOn",
                UserErrorCode::InvalidFormat,
                text::Text::UnpaidWithPaidDate,
            );
            (false, None)
        }
        (Some(true), None) => (true, Some(today)),
        (_, Some(on)) => (true, Some(on)),
        (_, None) => (false, None),
    }
}

/// A due date is not before the date.
pub fn due_after(p: &mut Problems, date: NaiveDate, due_date: Option<NaiveDate>) {
    if due_date.is_some_and(|due| due < date) {
        p.add(
            "dueDate",
            UserErrorCode::InvalidFormat,
            text::Text::DueBeforeDate,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::Credential, commons::Id, entities::user::Role};

    fn viewer(role: Role) -> Viewer {
        Viewer {
            user_id: Id::new(1),
            organization_id: Id::new(1),
            role,
            credential: Credential::AccessToken {
                session: "s".into(),
            },
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn staff_read_admins_write_drivers_nothing() {
        assert!(require_writer(&viewer(Role::Admin)).is_ok());
        assert!(require_reader(&viewer(Role::Collector)).is_ok());
        assert!(matches!(
            require_writer(&viewer(Role::Collector)),
            Err(DomainError::Forbidden(_))
        ));
        assert!(matches!(
            require_reader(&viewer(Role::Client)),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn overdue_goes_by_the_due_date_then_the_date() {
        assert!(is_overdue(false, day(1), Some(day(9)), day(10)));
        assert!(!is_overdue(false, day(1), Some(day(10)), day(10)));
        assert!(!is_overdue(true, day(1), Some(day(2)), day(10)));
        assert!(is_overdue(false, day(9), None, day(10)));
    }

    #[test]
    fn payment_defaults_to_today() {
        let mut p = Problems::default();
        assert_eq!(
            payment(&mut p, Some(true), None, day(5)),
            (true, Some(day(5)))
        );
        assert_eq!(
            payment(&mut p, None, Some(day(3)), day(5)),
            (true, Some(day(3)))
        );
        assert_eq!(payment(&mut p, None, None, day(5)), (false, None));
        assert!(p.is_empty());
        payment(&mut p, Some(false), Some(day(3)), day(5));
        assert!(!p.is_empty());
    }
}
