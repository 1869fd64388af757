//! The arithmetic of a sales invoice, in plain Rust over [`Money`]: item amounts from a
//! quantity and a unit amount, the subtotal, the tax (by a rate, a fixed amount or the
//! organization's default rate) and the total. Every rounding is half away from zero to
//! the cent, once per item and once for the tax.

use rust_decimal::Decimal;

use super::text::Text;
use crate::{
    UserErrorCode, books::transactions::MAX_AMOUNT, checks::Problems, commons::money::Money,
};

/// Hundredths of a percent in 100 %.
pub const FULL_RATE_BP: i32 = 10_000;
/// The largest quantity of one item.
pub const MAX_QUANTITY_CENTI: i64 = 100_000_000;

/// How the tax of an invoice is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxRule {
    /// A rate in hundredths of a percent (1800 = 18 %) of the subtotal.
    Rate(i32),
    /// A fixed amount, whatever the subtotal.
    Fixed(Money),
}

/// An item's quantity, in hundredths (150 = 1.5), from a decimal with at most two places,
/// more than 0 and at most 1,000,000.
pub fn quantity(p: &mut Problems, field: &str, value: Decimal) -> i64 {
    match Money::from_decimal(value) {
        Ok(q) if q.is_positive() && q.minor() <= MAX_QUANTITY_CENTI => q.minor(),
        _ => {
            p.add(field, UserErrorCode::OutOfRange, Text::QuantityRange);
            100
        }
    }
}

/// A unit amount: zero (a free item) or positive, at most the largest amount.
pub fn unit_amount(p: &mut Problems, field: &str, value: Decimal) -> Money {
    match Money::from_decimal(value) {
        Ok(m) if !m.is_negative() && m <= MAX_AMOUNT => m,
        _ => {
            p.add(
                field,
                UserErrorCode::InvalidAmount,
                Text::UnitAmountRange {
                    max: MAX_AMOUNT.to_string(),
                },
            );
            Money::ZERO
        }
    }
}

/// A tax rate given as a percentage (`18` or `18.5`, from 0 to 100 with at most two
/// decimals), in hundredths of a percent.
pub fn rate(p: &mut Problems, field: &str, percentage: Decimal) -> i32 {
    crate::checks::percent(p, field, percentage)
}

/// A fixed tax amount: 0 or more, at most the largest amount.
pub fn fixed_tax(p: &mut Problems, field: &str, value: Decimal) -> Money {
    match Money::from_decimal(value) {
        Ok(m) if !m.is_negative() && m <= MAX_AMOUNT => m,
        _ => {
            p.add(
                field,
                UserErrorCode::InvalidAmount,
                Text::TaxRange {
                    max: MAX_AMOUNT.to_string(),
                },
            );
            Money::ZERO
        }
    }
}

/// Quantity times unit amount, rounded half away from zero to the cent.
pub fn item_amount(quantity_centi: i64, unit: Money) -> Option<Money> {
    unit.mul_rate(Decimal::new(quantity_centi, 2)).ok()
}

/// The tax of `subtotal` under `rule`, rounded half away from zero to the cent.
pub fn tax(subtotal: Money, rule: TaxRule) -> Option<Money> {
    match rule {
        TaxRule::Rate(bp) => subtotal.mul_rate(Decimal::new(i64::from(bp), 4)).ok(),
        TaxRule::Fixed(amount) => Some(amount),
    }
}

/// The totals of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Money,
    pub tax_rate_bp: Option<i32>,
    pub tax: Money,
    pub total: Money,
}

/// Subtotal, tax and total of items already priced; `None` when a figure passes the
/// largest amount or the subtotal is not positive.
pub fn totals(item_amounts: &[Money], rule: TaxRule) -> Option<Totals> {
    let subtotal = Money::sum(item_amounts.iter().copied())?;
    let tax = tax(subtotal, rule)?;
    let total = subtotal.checked_add(tax)?;
    (subtotal.is_positive() && total <= MAX_AMOUNT).then_some(Totals {
        subtotal,
        tax_rate_bp: match rule {
            TaxRule::Rate(bp) => Some(bp),
            TaxRule::Fixed(_) => None,
        },
        tax,
        total,
    })
}

/// A rate in hundredths of a percent as the percentage clients read (`18.00`).
pub fn rate_as_percentage(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn tax_rounds_half_away_from_zero_to_the_cent() {
        // 18 % of 10.25 = 1.845 -> 1.85 (banker's rounding would give 1.84)
        assert_eq!(tax(m("10.25"), TaxRule::Rate(1800)), Some(m("1.85")));
        // 18 % of 0.05 = 0.009 -> 0.01
        assert_eq!(tax(m("0.05"), TaxRule::Rate(1800)), Some(m("0.01")));
        // 18 % of 0.02 = 0.0036 -> 0.00
        assert_eq!(tax(m("0.02"), TaxRule::Rate(1800)), Some(m("0.00")));
        // 16 % (Infinanza's example) of 10000 = 1600
        assert_eq!(tax(m("10000"), TaxRule::Rate(1600)), Some(m("1600")));
        // 12.5 % of 0.99 = 0.12375 -> 0.12
        assert_eq!(tax(m("0.99"), TaxRule::Rate(1250)), Some(m("0.12")));
        // 7.25 % of 33.33 = 2.4164... -> 2.42
        assert_eq!(tax(m("33.33"), TaxRule::Rate(725)), Some(m("2.42")));
        assert_eq!(tax(m("5"), TaxRule::Fixed(m("0.99"))), Some(m("0.99")));
    }

    #[test]
    fn items_round_once_each() {
        // 3 x 3.335 is not possible (two decimals), but 1.5 x 0.33 = 0.495 -> 0.50
        assert_eq!(item_amount(150, m("0.33")), Some(m("0.50")));
        assert_eq!(item_amount(100, m("12.40")), Some(m("12.40")));
        assert_eq!(item_amount(333, m("0.10")), Some(m("0.33")));
        let t = totals(&[m("0.50"), m("12.40")], TaxRule::Rate(1800)).unwrap();
        // 12.90 * 0.18 = 2.322 -> 2.32
        assert_eq!(
            (t.subtotal, t.tax, t.total),
            (m("12.90"), m("2.32"), m("15.22"))
        );
        assert_eq!(t.tax_rate_bp, Some(1800));
    }

    #[test]
    fn totals_refuse_empty_and_oversized_invoices() {
        assert_eq!(totals(&[], TaxRule::Rate(1800)), None);
        assert_eq!(totals(&[Money::ZERO], TaxRule::Rate(1800)), None);
        assert_eq!(totals(&[MAX_AMOUNT], TaxRule::Rate(1)), None);
        assert!(totals(&[MAX_AMOUNT], TaxRule::Rate(0)).is_some());
        let fixed = totals(&[m("100")], TaxRule::Fixed(m("7"))).unwrap();
        assert_eq!((fixed.tax_rate_bp, fixed.total), (None, m("107")));
    }

    #[test]
    fn inputs_are_checked() {
        let mut p = Problems::default();
        assert_eq!(quantity(&mut p, "q", Decimal::new(15, 1)), 150);
        assert_eq!(rate(&mut p, "r", Decimal::new(185, 1)), 1850);
        assert!(p.is_empty());
        quantity(&mut p, "q", Decimal::ZERO);
        quantity(&mut p, "q", Decimal::new(1, 3));
        unit_amount(&mut p, "u", Decimal::new(-1, 2));
        fixed_tax(&mut p, "t", Decimal::new(-1, 0));
        rate(&mut p, "r", Decimal::new(101, 0));
        assert!(matches!(p.finish(), Err(crate::DomainError::Invalid(e)) if e.len() == 5));
    }
}
