//! Money: an exact amount in integer minor units (céntimos for PEN).
//!
//! Money never passes through a float. Amounts are stored as `i64` minor units in every
//! database and computed with [`rust_decimal::Decimal`]; rounding is always explicit, half
//! away from zero to two places.

use std::{fmt, str::FromStr};

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::sentences::Text;

/// Decimal places of every currency we handle (PEN, USD).
pub const MINOR_DIGITS: u32 = 2;
/// Largest absolute amount accepted from input: 10^13 major units keeps every sum of a few
/// thousand amounts far inside `i64` minor units.
const MAX_MAJOR_DIGITS: usize = 13;

/// Why an amount was refused; `Display` is its message in English.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", crate::Message::from(self.message()))]
pub enum MoneyError {
    Malformed,
    TooPrecise,
    OutOfRange,
}

impl MoneyError {
    /// What the caller is told.
    pub fn message(&self) -> Text {
        match self {
            MoneyError::Malformed => Text::AmountMalformed,
            MoneyError::TooPrecise => Text::AmountTooPrecise {
                places: MINOR_DIGITS.to_string(),
            },
            MoneyError::OutOfRange => Text::AmountTooLarge,
        }
    }
}

/// An exact amount of money in minor units; stored (in a kept receipt) as that number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_minor(minor: i64) -> Self {
        Self(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    /// The amount as an exact decimal with two places (e.g. `12.40`).
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, MINOR_DIGITS)
    }

    /// Converts an exact decimal; more than two places is refused rather than rounded,
    /// since silently dropping cents from user input moves money.
    pub fn from_decimal(value: Decimal) -> Result<Self, MoneyError> {
        let normalized = value.normalize();
        if normalized.scale() > MINOR_DIGITS {
            return Err(MoneyError::TooPrecise);
        }
        let minor = value
            .checked_mul(Decimal::from(100))
            .and_then(|m| m.to_i64())
            .ok_or(MoneyError::OutOfRange)?;
        Ok(Self(minor))
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Multiplies by a rate (a percentage as `0.18`, a quantity as `3`), rounding the
    /// result half away from zero to the cent.
    pub fn mul_rate(self, rate: Decimal) -> Result<Money, MoneyError> {
        let product = self
            .to_decimal()
            .checked_mul(rate)
            .ok_or(MoneyError::OutOfRange)?;
        Money::from_decimal(round_money(product))
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Sums amounts, refusing overflow instead of wrapping.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, Money::checked_add)
    }
}

/// Rounds half away from zero to the cent: the one rounding rule of the money path.
pub fn round_money(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(MINOR_DIGITS, RoundingStrategy::MidpointAwayFromZero)
}

/// Checks the strict textual form every client must use: `-?(0|[1-9][0-9]*)(\.[0-9]{1,N})?`.
/// No exponent, no `+`, no spaces, no `NaN`/`Infinity`, no bare `.5` or `5.`.
pub fn parse_strict_decimal(text: &str, max_places: u32) -> Result<Decimal, MoneyError> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return Err(MoneyError::Malformed);
    }
    if let Some(frac) = frac {
        if !digits(frac) {
            return Err(MoneyError::Malformed);
        }
        if frac.len() > max_places as usize {
            return Err(MoneyError::TooPrecise);
        }
    }
    if int.len() > MAX_MAJOR_DIGITS {
        return Err(MoneyError::OutOfRange);
    }
    Decimal::from_str(text).map_err(|_| MoneyError::Malformed)
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Money::from_decimal(parse_strict_decimal(text, MINOR_DIGITS)?)
    }
}

impl fmt::Display for Money {
    /// Always two places: `12.40`, `-0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.to_decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_formats_exactly() {
        assert_eq!(m("12.40").minor(), 1240);
        assert_eq!(m("12.4").minor(), 1240);
        assert_eq!(m("12").minor(), 1200);
        assert_eq!(m("-0.05").minor(), -5);
        assert_eq!(m("0").to_string(), "0.00");
        assert_eq!(m("12.4").to_string(), "12.40");
        assert_eq!(Money::from_minor(-5).to_string(), "-0.05");
        assert_eq!(Money::from_minor(123456789).to_string(), "1234567.89");
    }

    #[test]
    fn refuses_every_non_canonical_form() {
        for bad in [
            "", "-", ".5", "5.", "+5", " 5", "5 ", "1e3", "1E3", "NaN", "Infinity", "0x10", "1,5",
            "01", "--1", "1.2.3", "١٢",
        ] {
            assert_eq!(bad.parse::<Money>(), Err(MoneyError::Malformed), "{bad:?}");
        }
        assert_eq!("1.234".parse::<Money>(), Err(MoneyError::TooPrecise));
        assert_eq!(
            "99999999999999".parse::<Money>(),
            Err(MoneyError::OutOfRange)
        );
    }

    #[test]
    fn adds_without_overflow() {
        assert_eq!(m("0.10").checked_add(m("0.20")), Some(m("0.30")));
        assert_eq!(Money::from_minor(i64::MAX).checked_add(m("0.01")), None);
        assert_eq!(
            Money::sum([m("1.10"), m("2.20"), m("3.30")]),
            Some(m("6.60"))
        );
        assert_eq!(m("5").checked_sub(m("7.5")), Some(m("-2.50")));
    }

    #[test]
    fn multiplies_by_a_rate_rounding_half_away_from_zero() {
        // 18 % tax on 10.25 = 1.845 -> 1.85
        assert_eq!(m("10.25").mul_rate(Decimal::new(18, 2)).unwrap(), m("1.85"));
        // the negative mirror rounds away from zero too
        assert_eq!(
            m("-10.25").mul_rate(Decimal::new(18, 2)).unwrap(),
            m("-1.85")
        );
        // 0.125 -> 0.13, not banker's 0.12
        assert_eq!(m("0.25").mul_rate(Decimal::new(5, 1)).unwrap(), m("0.13"));
        assert_eq!(
            m("100")
                .mul_rate(Decimal::new(1, 0) / Decimal::new(3, 0))
                .unwrap(),
            m("33.33")
        );
        assert_eq!(m("3.33").mul_rate(Decimal::from(3)).unwrap(), m("9.99"));
    }

    #[test]
    fn decimal_with_more_places_is_refused_not_rounded() {
        assert_eq!(
            Money::from_decimal(Decimal::new(1001, 3)),
            Err(MoneyError::TooPrecise)
        );
        // trailing zeros are not extra precision
        assert_eq!(Money::from_decimal(Decimal::new(1000, 3)), Ok(m("1")));
    }
}
