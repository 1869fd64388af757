//! Saved cards (the Leasy REST API's "tarjetas guardadas" and "guardar tarjeta kushki"):
//! a driver saves the payment processor's token for a card with what is needed to show
//! it, and picks the default card. A full card number never reaches the database,
//! whichever field it is sent in; a CVV has no field at all.

use crate::commons::text::NotFound;
use std::ops::RangeInclusive;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};

use super::text::Text;
use crate::commons::CardId;
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    auth::Viewer,
    checks,
    entities::{card, card::CardBrand, user},
};

pub const MAX_TOKEN_CHARS: usize = 200;
pub const MAX_SUBSCRIPTION_ID_CHARS: usize = 64;
pub const MAX_BRAND_CHARS: usize = 50;
/// Keeps `Client.cards` a short plain list rather than a connection.
pub const MAX_CARDS_PER_CLIENT: usize = 10;
/// Lengths of card numbers (ISO/IEC 7812).
const CARD_NUMBER_DIGITS: RangeInclusive<usize> = 13..=19;

/// What the app sends to save a card: the processor's token and display data.
#[derive(Debug, Clone, Default)]
pub struct NewCard {
    pub token: String,
    pub brand: Option<String>,
    pub bin: Option<String>,
    pub last4: String,
    pub expiration_month: Option<String>,
    pub expiration_year: Option<String>,
    pub subscription_id: Option<String>,
    pub make_default: bool,
}

/// A [`NewCard`] that passed every check, normalised for storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCard {
    pub token: String,
    pub brand: CardBrand,
    pub brand_name: String,
    pub bin: Option<String>,
    pub last4: String,
    /// (month 1-12, four-digit year).
    pub expiration: Option<(i32, i32)>,
    pub subscription_id: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Recognising card numbers.
// ---------------------------------------------------------------------------------------

/// Read through when looking for digits, as people write card numbers with them
/// ("4111 1111 1111 1111", "4111-1111-1111-1111").
fn is_digit_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// The longest stretches of digits in `value`, separators skipped.
fn digit_runs(value: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut current = String::new();
    for c in value.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !is_digit_separator(c) && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2, d * 2) {
                (0, _) => d,
                (_, doubled) if doubled > 9 => doubled - 9,
                (_, doubled) => doubled,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// For display fields, which never hold more than six digits: any run of 13 digits or
/// more (a 20-digit run contains a card number as well).
pub fn looks_like_card_number(value: &str) -> bool {
    digit_runs(value)
        .iter()
        .any(|run| run.len() >= *CARD_NUMBER_DIGITS.start())
}

/// For the processor's opaque identifiers, which may be long numbers themselves (the
/// REST API's subscription id "1676385575463000" has 16 digits): a run of 13 to 19 digits
/// that is a payment card's number, i.e. starts with a card network's digit (2 to 6: Visa,
/// Mastercard, Amex, Diners, Discover, JCB, UnionPay) and passes the Luhn check.
pub fn contains_card_number(value: &str) -> bool {
    digit_runs(value).iter().any(|run| {
        CARD_NUMBER_DIGITS.contains(&run.len())
            && matches!(run.as_bytes()[0], b'2'..=b'6')
            && luhn_valid(run)
    })
}

// ---------------------------------------------------------------------------------------
// Brands and masking.
// ---------------------------------------------------------------------------------------

/// The canonical name of a brand, stored when the app gives none.
pub fn brand_label(brand: CardBrand) -> &'static str {
    match brand {
        CardBrand::Visa => "VISA",
        CardBrand::Mastercard => "MASTERCARD",
        CardBrand::Amex => "AMEX",
        CardBrand::Diners => "DINERS",
        CardBrand::Other => "OTHER",
    }
}

/// Normalises a brand name as processors and apps spell it ("visa", "MasterCard",
/// "American Express", "Diners Club").
pub fn brand_from_name(name: &str) -> CardBrand {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if key.starts_with("visa") {
        CardBrand::Visa
    } else if key.starts_with("master") || key == "mc" {
        CardBrand::Mastercard
    } else if key.starts_with("amex") || key.starts_with("americanexpress") {
        CardBrand::Amex
    } else if key.starts_with("diners") {
        CardBrand::Diners
    } else {
        CardBrand::Other
    }
}

/// The brand from the first six digits, when the app does not name it.
pub fn brand_from_bin(bin: &str) -> CardBrand {
    let prefix = |len: usize| bin.get(..len).and_then(|p| p.parse::<u32>().ok());
    if bin.starts_with('4') {
        CardBrand::Visa
    } else if prefix(2).is_some_and(|p| (51..=55).contains(&p))
        || prefix(4).is_some_and(|p| (2221..=2720).contains(&p))
    {
        CardBrand::Mastercard
    } else if matches!(prefix(2), Some(34 | 37)) {
        CardBrand::Amex
    } else if prefix(3).is_some_and(|p| (300..=305).contains(&p))
        || matches!(prefix(2), Some(36 | 38 | 39))
    {
        CardBrand::Diners
    } else {
        CardBrand::Other
    }
}

/// The card number as it may be shown: the first six digits when known, the last four,
/// X for every digit in between (e.g. "545195XXXXXX5480", or "XXXXXXXXXXXX5480"). The
/// length is the brand's usual one: 15 for Amex, 14 for Diners, 16 otherwise.
pub fn masked_number(brand: CardBrand, bin: Option<&str>, last4: &str) -> String {
    let length: usize = match brand {
        CardBrand::Amex => 15,
        CardBrand::Diners => 14,
        _ => 16,
    };
    let head = bin.unwrap_or_default();
    let hidden = length.saturating_sub(head.len() + last4.len());
    format!("{head}{}{last4}", "X".repeat(hidden))
}

// ---------------------------------------------------------------------------------------
// Validation.
// ---------------------------------------------------------------------------------------

/// Field names as the GraphQL input spells them.
mod field {
    pub const TOKEN: &str = "token";
    pub const BRAND: &str = "brand";
    pub const BIN: &str = "bin";
    pub const LAST4: &str = "last4";
    pub const MONTH: &str = "expirationMonth";
    pub const YEAR: &str = "expirationYear";
    pub const SUBSCRIPTION_ID: &str = "subscriptionId";
}

#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    /// Records a problem; `None` lets a check `return` it as its result.
    fn add<T>(
        &mut self,
        field: &str,
        code: UserErrorCode,
        message: impl Into<crate::Message>,
    ) -> Option<T> {
        self.0.push(FieldError::new(field, code, message));
        None
    }
}

/// An optional text input: blank is the same as absent.
fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn is_opaque_id(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The processor's token or subscription id: opaque letters, digits, `-` and `_`.
fn check_opaque(
    problems: &mut Problems,
    field: &str,
    value: &str,
    max_chars: usize,
) -> Option<String> {
    if contains_card_number(value) {
        return problems.add(
            field,
            UserErrorCode::LooksLikeCardNumber,
            Text::LooksLikeCardNumber,
        );
    }
    if value.chars().count() > max_chars {
        return problems.add(
            field,
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: max_chars.to_string(),
            },
        );
    }
    if !is_opaque_id(value) {
        return problems.add(field, UserErrorCode::InvalidFormat, Text::OpaqueIdFormat);
    }
    Some(value.to_string())
}

/// Exactly `len` digits (the BIN, the last four).
fn check_digits(
    problems: &mut Problems,
    field: &str,
    value: &str,
    len: usize,
    message: Text,
) -> Option<String> {
    if looks_like_card_number(value) {
        return problems.add(
            field,
            UserErrorCode::LooksLikeCardNumber,
            Text::LooksLikeCardNumber,
        );
    }
    if value.len() != len || !value.bytes().all(|b| b.is_ascii_digit()) {
        return problems.add(field, UserErrorCode::InvalidFormat, message);
    }
    Some(value.to_string())
}

fn check_brand(problems: &mut Problems, value: &str) -> Option<String> {
    if looks_like_card_number(value) {
        return problems.add(
            field::BRAND,
            UserErrorCode::LooksLikeCardNumber,
            Text::LooksLikeCardNumber,
        );
    }
    if value.chars().count() > MAX_BRAND_CHARS {
        return problems.add(
            field::BRAND,
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: MAX_BRAND_CHARS.to_string(),
            },
        );
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
    {
        return problems.add(
            field::BRAND,
            UserErrorCode::InvalidFormat,
            Text::BrandFormat,
        );
    }
    Some(value.to_string())
}

fn check_month(problems: &mut Problems, value: &str) -> Option<i32> {
    if looks_like_card_number(value) {
        return problems.add(
            field::MONTH,
            UserErrorCode::LooksLikeCardNumber,
            Text::LooksLikeCardNumber,
        );
    }
    let month = (matches!(value.len(), 1 | 2) && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse::<i32>().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m));
    month.or_else(|| {
        problems.add(
            field::MONTH,
            UserErrorCode::InvalidFormat,
            Text::ExpiryMonthFormat,
        )
    })
}

fn check_year(problems: &mut Problems, value: &str) -> Option<i32> {
    if looks_like_card_number(value) {
        return problems.add(
            field::YEAR,
            UserErrorCode::LooksLikeCardNumber,
            Text::LooksLikeCardNumber,
        );
    }
    let digits_only = value.bytes().all(|b| b.is_ascii_digit());
    let year = match (value.len(), digits_only) {
        (2, true) => value.parse::<i32>().ok().map(|yy| 2000 + yy),
        (4, true) => value.parse::<i32>().ok(),
        _ => None,
    }
    .filter(|y| (2000..=2099).contains(y));
    year.or_else(|| {
        problems.add(
            field::YEAR,
            UserErrorCode::InvalidFormat,
            Text::ExpiryYearFormat,
        )
    })
}

/// Every problem of the input, one error per field, so that a form can show them all.
/// The values themselves are never echoed in a message.
pub fn validate(input: &NewCard) -> Result<ValidCard, Vec<FieldError>> {
    let mut problems = Problems::default();
    let token = match input.token.trim() {
        "" => problems.add(field::TOKEN, UserErrorCode::Required, Text::SendToken),
        token => check_opaque(&mut problems, field::TOKEN, token, MAX_TOKEN_CHARS),
    };
    let subscription_id = present(input.subscription_id.as_deref()).map(|value| {
        check_opaque(
            &mut problems,
            field::SUBSCRIPTION_ID,
            value,
            MAX_SUBSCRIPTION_ID_CHARS,
        )
    });
    let brand_name = present(input.brand.as_deref()).map(|value| check_brand(&mut problems, value));
    let bin = present(input.bin.as_deref())
        .map(|value| check_digits(&mut problems, field::BIN, value, 6, Text::BinFormat));
    let last4 = match input.last4.trim() {
        "" => problems.add(field::LAST4, UserErrorCode::Required, Text::SendLast4),
        value => check_digits(&mut problems, field::LAST4, value, 4, Text::Last4Format),
    };
    let month =
        present(input.expiration_month.as_deref()).map(|value| check_month(&mut problems, value));
    let year =
        present(input.expiration_year.as_deref()).map(|value| check_year(&mut problems, value));
    let expiration = match (month, year) {
        (Some(month), Some(year)) => month.zip(year),
        (None, None) => None,
        (Some(_), None) => problems.add(field::YEAR, UserErrorCode::Required, Text::YearWithMonth),
        (None, Some(_)) => problems.add(field::MONTH, UserErrorCode::Required, Text::MonthWithYear),
    };
    let (Some(token), Some(last4)) = (token, last4) else {
        return Err(problems.0);
    };
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let bin = bin.flatten();
    let brand_name = brand_name.flatten();
    let brand = match (&brand_name, &bin) {
        (Some(name), _) => brand_from_name(name),
        (None, Some(bin)) => brand_from_bin(bin),
        (None, None) => CardBrand::Other,
    };
    Ok(ValidCard {
        token,
        brand_name: brand_name.unwrap_or_else(|| brand_label(brand).to_string()),
        brand,
        bin,
        last4,
        expiration,
        subscription_id: subscription_id.flatten(),
    })
}

// ---------------------------------------------------------------------------------------
// Storage. Every change runs in the caller's transaction, after `lock_client`.
// ---------------------------------------------------------------------------------------

fn require_client(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_client() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::OnlyDriversSaveCards.into()))
    }
}

/// Serialises the changes to one driver's cards. As the transaction's first statement, a
/// no-op update of the driver's row takes its row lock on PostgreSQL and the write lock
/// on SQLite, so two requests cannot both see "no default card yet" and both make one.
async fn lock_client(txn: &DatabaseTransaction, viewer: &Viewer) -> DomainResult<()> {
    let locked = user::Entity::update_many()
        .col_expr(user::Column::UpdatedAt, Expr::col(user::Column::UpdatedAt))
        .filter(user::Column::Id.eq(viewer.user_id))
        .filter(user::Column::OrganizationId.eq(viewer.organization_id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(DomainError::Unauthenticated(Text::UserGone.into()));
    }
    Ok(())
}

/// The driver's cards, oldest first (the REST API's order).
pub async fn list_cards<C: sea_orm::ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
) -> DomainResult<Vec<card::Model>> {
    Ok(card::Entity::find()
        .filter(card::Column::ClientId.eq(viewer.user_id))
        .filter(card::Column::OrganizationId.eq(viewer.organization_id))
        .order_by_asc(card::Column::Id)
        .all(db)
        .await?)
}

/// One of the caller's cards; another driver's or organization's is "not found", exactly
/// as a missing one.
async fn own_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    card_id: i64,
) -> DomainResult<card::Model> {
    card::Entity::find_by_id(card_id)
        .filter(card::Column::ClientId.eq(viewer.user_id))
        .filter(card::Column::OrganizationId.eq(viewer.organization_id))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Card))
}

/// Clears the driver's default card, before another one becomes the default (the unique
/// index would refuse two at any moment).
async fn clear_default(txn: &DatabaseTransaction, viewer: &Viewer) -> DomainResult<()> {
    card::Entity::update_many()
        .col_expr(card::Column::IsDefault, Expr::value(false))
        .filter(card::Column::ClientId.eq(viewer.user_id))
        .filter(card::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    Ok(())
}

async fn make_default(txn: &DatabaseTransaction, card: card::Model) -> DomainResult<card::Model> {
    let mut active = card.into_active_model();
    active.is_default = Set(true);
    Ok(active.update(txn).await?)
}

/// Saves a card the processor has tokenised. The driver's first card, or one saved with
/// `make_default`, becomes the default.
pub async fn save_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    input: NewCard,
    now: DateTime<Utc>,
) -> DomainResult<card::Model> {
    require_client(viewer)?;
    let valid = validate(&input).map_err(DomainError::Invalid)?;
    lock_client(txn, viewer).await?;
    let existing = list_cards(txn, viewer).await?;
    if existing.len() >= MAX_CARDS_PER_CLIENT {
        return Err(DomainError::invalid(
            "",
            UserErrorCode::LimitReached,
            Text::TooManyCards {
                max: MAX_CARDS_PER_CLIENT.to_string(),
            },
        ));
    }
    if existing
        .iter()
        .any(|c| c.processor_token.as_deref() == Some(valid.token.as_str()))
    {
        return Err(DomainError::invalid(
            field::TOKEN,
            UserErrorCode::Duplicate,
            Text::CardAlreadySaved,
        ));
    }
    let is_default = input.make_default || !existing.iter().any(|c| c.is_default);
    if is_default {
        clear_default(txn, viewer).await?;
    }
    let (expiration_month, expiration_year) = valid.expiration.unzip();
    Ok(card::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        client_id: Set(viewer.user_id.get()),
        brand: Set(valid.brand),
        brand_name: Set(valid.brand_name),
        bin: Set(valid.bin),
        last4: Set(valid.last4),
        expiration_month: Set(expiration_month),
        expiration_year: Set(expiration_year),
        processor_token: Set(Some(valid.token)),
        processor_subscription_id: Set(valid.subscription_id),
        is_processor_card: Set(true),
        is_default: Set(is_default),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Removes one of the caller's cards and its token. When it was the default, the newest
/// remaining card becomes the default. Returns the removed card.
pub async fn remove_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    card_id: CardId,
) -> DomainResult<card::Model> {
    require_client(viewer)?;
    lock_client(txn, viewer).await?;
    let removed = own_card(txn, viewer, card_id.get()).await?;
    card::Entity::delete_by_id(removed.id).exec(txn).await?;
    if removed.is_default {
        let newest = card::Entity::find()
            .filter(card::Column::ClientId.eq(viewer.user_id))
            .order_by_desc(card::Column::CreatedAt)
            .order_by_desc(card::Column::Id)
            .one(txn)
            .await?;
        if let Some(newest) = newest {
            make_default(txn, newest).await?;
        }
    }
    Ok(removed)
}

/// Makes one of the caller's cards the default; the previous default no longer is.
pub async fn set_default_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    card_id: CardId,
) -> DomainResult<card::Model> {
    require_client(viewer)?;
    lock_client(txn, viewer).await?;
    let chosen = own_card(txn, viewer, card_id.get()).await?;
    if chosen.is_default {
        return Ok(chosen);
    }
    clear_default(txn, viewer).await?;
    make_default(txn, chosen).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> NewCard {
        NewCard {
            token: "tok_5e3f9a1c2b7d4e60".into(),
            last4: "5480".into(),
            ..Default::default()
        }
    }

    fn codes(input: &NewCard) -> Vec<(String, UserErrorCode)> {
        validate(input)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field.join("."), e.code))
            .collect()
    }

    #[test]
    fn card_numbers_are_recognised_however_written() {
        for pan in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "card 5500 0000 0000 0004 here",
            "378282246310005",
            "4222222222222",
        ] {
            assert!(looks_like_card_number(pan), "{pan}");
            assert!(contains_card_number(pan), "{pan}");
        }
        // Display fields refuse any long run; opaque ids only real card numbers.
        for not_a_card in [
            "1676385575463000",
            "4111111111111112",
            "12345678901234567890",
        ] {
            assert!(looks_like_card_number(not_a_card), "{not_a_card}");
            assert!(!contains_card_number(not_a_card), "{not_a_card}");
        }
        for short in ["545195", "5480", "411111111111", "03/22"] {
            assert!(!looks_like_card_number(short), "{short}");
            assert!(!contains_card_number(short), "{short}");
        }
    }

    #[test]
    fn masks_show_at_most_six_and_four_digits() {
        assert_eq!(
            masked_number(CardBrand::Mastercard, Some("545195"), "5480"),
            "545195XXXXXX5480"
        );
        assert_eq!(
            masked_number(CardBrand::Visa, None, "6006"),
            "XXXXXXXXXXXX6006"
        );
        assert_eq!(
            masked_number(CardBrand::Amex, Some("378282"), "0005"),
            "378282XXXXX0005"
        );
        assert_eq!(
            masked_number(CardBrand::Diners, Some("305693"), "5904"),
            "305693XXXX5904"
        );
    }

    #[test]
    fn brands_are_normalised_from_the_name_or_the_bin() {
        assert_eq!(brand_from_name("visa"), CardBrand::Visa);
        assert_eq!(brand_from_name("MASTERCARD"), CardBrand::Mastercard);
        assert_eq!(brand_from_name("Master Card"), CardBrand::Mastercard);
        assert_eq!(brand_from_name("American Express"), CardBrand::Amex);
        assert_eq!(brand_from_name("Diners Club"), CardBrand::Diners);
        assert_eq!(brand_from_name("JCB"), CardBrand::Other);
        assert_eq!(brand_from_bin("454775"), CardBrand::Visa);
        assert_eq!(brand_from_bin("545195"), CardBrand::Mastercard);
        assert_eq!(brand_from_bin("222100"), CardBrand::Mastercard);
        assert_eq!(brand_from_bin("371449"), CardBrand::Amex);
        assert_eq!(brand_from_bin("305693"), CardBrand::Diners);
        assert_eq!(brand_from_bin("601100"), CardBrand::Other);
    }

    #[test]
    fn a_valid_card_is_normalised() {
        let valid = validate(&NewCard {
            brand: Some(" visa ".into()),
            bin: Some("454775".into()),
            expiration_month: Some("3".into()),
            expiration_year: Some("2027".into()),
            subscription_id: Some("1676385575463000".into()),
            ..input()
        })
        .unwrap();
        assert_eq!(valid.brand, CardBrand::Visa);
        assert_eq!(valid.brand_name, "visa");
        assert_eq!(valid.expiration, Some((3, 2027)));
        assert_eq!(valid.subscription_id.as_deref(), Some("1676385575463000"));
        let bare = validate(&NewCard {
            bin: Some("545195".into()),
            expiration_month: Some("".into()),
            ..input()
        })
        .unwrap();
        assert_eq!(bare.brand, CardBrand::Mastercard);
        assert_eq!(bare.brand_name, "MASTERCARD");
        assert_eq!(bare.expiration, None);
    }

    #[test]
    fn each_rule_is_reported_on_its_field() {
        use UserErrorCode::*;
        let cases: Vec<(NewCard, &str, UserErrorCode)> = vec![
            (
                NewCard {
                    token: " ".into(),
                    ..input()
                },
                "token",
                Required,
            ),
            (
                NewCard {
                    token: "a".repeat(201),
                    ..input()
                },
                "token",
                TooLong,
            ),
            (
                NewCard {
                    token: "tok en".into(),
                    ..input()
                },
                "token",
                InvalidFormat,
            ),
            (
                NewCard {
                    last4: "".into(),
                    ..input()
                },
                "last4",
                Required,
            ),
            (
                NewCard {
                    last4: "548".into(),
                    ..input()
                },
                "last4",
                InvalidFormat,
            ),
            (
                NewCard {
                    last4: "54a0".into(),
                    ..input()
                },
                "last4",
                InvalidFormat,
            ),
            (
                NewCard {
                    bin: Some("54519".into()),
                    ..input()
                },
                "bin",
                InvalidFormat,
            ),
            (
                NewCard {
                    brand: Some("visa<script>".into()),
                    ..input()
                },
                "brand",
                InvalidFormat,
            ),
            (
                NewCard {
                    brand: Some("v".repeat(51)),
                    ..input()
                },
                "brand",
                TooLong,
            ),
            (
                NewCard {
                    subscription_id: Some("sub/1".into()),
                    ..input()
                },
                "subscriptionId",
                InvalidFormat,
            ),
            (
                NewCard {
                    expiration_month: Some("13".into()),
                    expiration_year: Some("27".into()),
                    ..input()
                },
                "expirationMonth",
                InvalidFormat,
            ),
            (
                NewCard {
                    expiration_month: Some("00".into()),
                    expiration_year: Some("27".into()),
                    ..input()
                },
                "expirationMonth",
                InvalidFormat,
            ),
            (
                NewCard {
                    expiration_month: Some("03".into()),
                    expiration_year: Some("227".into()),
                    ..input()
                },
                "expirationYear",
                InvalidFormat,
            ),
            (
                NewCard {
                    expiration_month: Some("03".into()),
                    ..input()
                },
                "expirationYear",
                Required,
            ),
            (
                NewCard {
                    expiration_year: Some("27".into()),
                    ..input()
                },
                "expirationMonth",
                Required,
            ),
            (
                NewCard {
                    bin: Some("4111 1111 1111 1111".into()),
                    ..input()
                },
                "bin",
                LooksLikeCardNumber,
            ),
        ];
        for (case, field, code) in cases {
            assert_eq!(codes(&case), vec![(field.to_string(), code)], "{case:?}");
        }
    }
}
