//! Collections (issue 19 §6): what the back office chases and what came in. The overdue
//! invoices by age, the money received per day and source, the car papers about to
//! expire across the fleet, and a driver's statement of account. Every one is a read:
//! for the organization's staff (ADMINs and COLLECTORs), and the statement for the
//! driver too; another organization's rows never appear.
//!
//! What an invoice costs is the rule payments follow: its total minus its discounts,
//! never below zero ([`left_to_pay`]).

pub mod documents;
pub mod overdue;
pub mod received;
pub mod statement;
pub mod text;

use crate::commons::Money;

/// What is still to pay of an invoice of `total_minor` with these discounts (minor
/// units): the total minus the discounts, never below zero.
pub fn left_to_pay(total_minor: i64, discounts: impl IntoIterator<Item = i64>) -> Money {
    let discounted = discounts
        .into_iter()
        .fold(0i64, |sum, d| sum.saturating_add(d));
    Money::from_minor(total_minor.saturating_sub(discounted).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_left_to_pay_never_goes_below_zero() {
        assert_eq!(left_to_pay(1000, [250]), Money::from_minor(750));
        assert_eq!(left_to_pay(1000, []), Money::from_minor(1000));
        assert_eq!(left_to_pay(1000, [600, 600]), Money::ZERO);
    }
}
