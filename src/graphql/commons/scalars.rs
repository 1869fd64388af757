//! Scalars of the API: `Decimal` (exact amounts as strings) and `Date` (a calendar day).
//! `DateTime` (RFC 3339, UTC) and `UUID` come from async-graphql.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::commons::{Money, MoneyError, money::parse_strict_decimal};

/// An exact decimal amount, always a JSON string such as `"12.40"`: an optional minus
/// sign, digits without leading zeros, and at most two decimal places. JSON numbers,
/// exponents (`1e3`), `NaN`, `Infinity` and more than two decimals are rejected, never
/// rounded. Outputs always carry two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal(pub rust_decimal::Decimal);

/// An exact decimal amount, always a JSON string such as `"12.40"`: an optional minus
/// sign, digits without leading zeros, and at most two decimal places. JSON numbers,
/// exponents (`1e3`), `NaN`, `Infinity` and more than two decimals are rejected, never
/// rounded. Outputs always carry two decimals.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::custom(
                "Decimal must be a string such as \"12.40\", not a JSON number",
            ));
        };
        parse_strict_decimal(text, crate::domain::commons::money::MINOR_DIGITS)
            .map(Decimal)
            .map_err(|e| InputValueError::custom(format!("invalid Decimal {text:?}: {e}")))
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(_))
    }

    fn to_value(&self) -> Value {
        Value::String(format!("{:.2}", self.0))
    }
}

impl Decimal {
    pub fn money(self) -> Result<Money, MoneyError> {
        Money::from_decimal(self.0)
    }
}

impl From<Money> for Decimal {
    fn from(money: Money) -> Self {
        Decimal(money.to_decimal())
    }
}

/// A calendar day, `YYYY-MM-DD`, with no time zone: dates are interpreted in the
/// organization's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar day, `YYYY-MM-DD`, with no time zone: dates are interpreted in the
/// organization's time zone.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::custom(
                "Date must be a string such as \"2026-01-31\"",
            ));
        };
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !well_formed {
            return Err(InputValueError::custom(format!(
                "invalid Date {text:?}: use YYYY-MM-DD"
            )));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| InputValueError::custom(format!("invalid Date {text:?}: no such day")))
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(_))
    }

    fn to_value(&self) -> Value {
        // `Display` writes YYYY-MM-DD directly; `format` would parse a pattern each time.
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_decimal(v: serde_json::Value) -> Result<String, String> {
        let value = Value::from_json(v).unwrap();
        <Decimal as ScalarType>::parse(value)
            .map(|d| d.to_value().to_string())
            .map_err(|e| e.into_server_error(Default::default()).message)
    }

    #[test]
    fn decimal_accepts_only_canonical_strings() {
        assert_eq!(
            parse_decimal(serde_json::json!("12.40")).unwrap(),
            "\"12.40\""
        );
        assert_eq!(parse_decimal(serde_json::json!("-3")).unwrap(), "\"-3.00\"");
        for bad in [
            serde_json::json!(12.4),
            serde_json::json!(12),
            serde_json::json!("1e3"),
            serde_json::json!("NaN"),
            serde_json::json!("12.345"),
            serde_json::json!(" 1"),
            serde_json::json!(null),
        ] {
            assert!(parse_decimal(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_is_strict() {
        let ok = <Date as ScalarType>::parse(Value::String("2024-02-29".into())).unwrap();
        assert_eq!(ok.to_value(), Value::String("2024-02-29".into()));
        for bad in [
            "2023-02-29",
            "2024-2-1",
            "20240101",
            "2024-01-01T00:00:00Z",
            "",
        ] {
            assert!(
                <Date as ScalarType>::parse(Value::String(bad.into())).is_err(),
                "{bad}"
            );
        }
    }
}
