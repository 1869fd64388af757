//! Leads, the Leasy REST API's "Nuevo lead" (`POST clients/new/`): a public form, so
//! every field is checked and normalised here, every problem reported at once, and the
//! same person asking twice within a month is refused instead of stored twice.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait, sea_query::OnConflict,
};

use super::text::Text;
use crate::commons::OrganizationId;
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    commons::Calendar,
    commons::search,
    entities::{
        lead,
        lead::{CarOfInterest, TimeWorking},
        lead_document_lock,
    },
};
use sea_orm::Order;

/// A document already sent as a lead within this many days (counted back from the
/// request's instant) is a duplicate: staff are already calling that person back.
pub const DUPLICATE_WINDOW_DAYS: i64 = 30;
pub const MAX_NAME_CHARS: usize = 100;
/// Peruvian documents: DNI has 8 digits, RUC 11, a foreigner's card up to 12; the
/// REST API's examples have 10 and 11.
pub const MIN_DOCUMENT_DIGITS: usize = 8;
pub const MAX_DOCUMENT_DIGITS: usize = 12;
/// RFC 5321's limit for a whole address.
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_UTM_CHARS: usize = 50;
pub const MAX_SEARCH_CHARS: usize = 100;

/// A lead as the form sends it, before any check.
#[derive(Debug, Clone)]
pub struct LeadInput {
    pub first_name: String,
    pub last_name: String,
    pub document: String,
    pub phone_number: String,
    pub email: String,
    pub time_working: Option<TimeWorking>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub car_of_interest: CarOfInterest,
}

/// A lead whose every field passed, in the form it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLead {
    pub first_name: String,
    pub last_name: String,
    pub document: String,
    pub phone_number: String,
    pub email: String,
    pub time_working: Option<TimeWorking>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub car_of_interest: CarOfInterest,
}

/// Checks and normalises every field; the errors name every field at fault, one error a
/// field (its first broken rule), so that a form can mark them all at once.
pub fn validate(input: LeadInput) -> Result<ValidLead, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut check = |field: &str, result: Checked| {
        result.unwrap_or_else(|(code, message)| {
            errors.push(FieldError::new(field, code, message));
            String::new()
        })
    };
    let first_name = check("firstName", name(&input.first_name));
    let last_name = check("lastName", name(&input.last_name));
    let document = check("document", document(&input.document));
    let phone_number = check("phoneNumber", phone(&input.phone_number));
    let email = check("email", email(&input.email));
    let mut utm = |field: &str, value: Option<&str>| -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        Some(check(field, utm_value(value)))
    };
    let utm_source = utm("utmSource", input.utm_source.as_deref());
    let utm_medium = utm("utmMedium", input.utm_medium.as_deref());
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidLead {
        first_name,
        last_name,
        document,
        phone_number,
        email,
        time_working: input.time_working,
        utm_source,
        utm_medium,
        car_of_interest: input.car_of_interest,
    })
}

type Checked = Result<String, (UserErrorCode, Text)>;

fn fail(code: UserErrorCode, message: Text) -> Checked {
    Err((code, message))
}

/// Trimmed, inner runs of spaces made one; letters (any alphabet, accents included),
/// spaces, apostrophes, hyphens and dots.
fn name(raw: &str) -> Checked {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return fail(UserErrorCode::Required, Text::WriteName);
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return fail(
            UserErrorCode::TooLong,
            Text::NameTooLong {
                max: MAX_NAME_CHARS.to_string(),
            },
        );
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || matches!(c, ' ' | '\'' | '’' | '-' | '.')
            // Combining accents, for names typed in decomposed form.
            || ('\u{0300}'..='\u{036F}').contains(&c)
    };
    if !value.chars().all(allowed) || !value.chars().any(char::is_alphabetic) {
        return fail(UserErrorCode::InvalidFormat, Text::NameFormat);
    }
    Ok(value)
}

/// Digits only, 8 to 12 of them.
fn document(raw: &str) -> Checked {
    let value = raw.trim();
    if value.is_empty() {
        return fail(UserErrorCode::Required, Text::WriteDocument);
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return fail(UserErrorCode::InvalidFormat, Text::DocumentDigitsOnly);
    }
    if value.len() < MIN_DOCUMENT_DIGITS {
        return fail(
            UserErrorCode::TooShort,
            Text::DocumentTooShort {
                min: MIN_DOCUMENT_DIGITS.to_string(),
            },
        );
    }
    if value.len() > MAX_DOCUMENT_DIGITS {
        return fail(
            UserErrorCode::TooLong,
            Text::DocumentTooLong {
                max: MAX_DOCUMENT_DIGITS.to_string(),
            },
        );
    }
    Ok(value.to_string())
}

/// A Peruvian mobile: 9 digits starting with 9, optionally after +51; spaces, hyphens,
/// dots and parentheses between digits are dropped. Stored as the 9 digits.
fn phone(raw: &str) -> Checked {
    let value = raw.trim();
    if value.is_empty() {
        return fail(UserErrorCode::Required, Text::WritePhone);
    }
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let local = compact.strip_prefix("+51").unwrap_or(&compact);
    let well_formed =
        local.len() == 9 && local.starts_with('9') && local.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return fail(UserErrorCode::InvalidFormat, Text::PeruvianMobile);
    }
    Ok(local.to_string())
}

/// An ASCII address, lower-cased: `local@domain.tld`.
fn email(raw: &str) -> Checked {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return fail(UserErrorCode::Required, Text::WriteEmail);
    }
    if value.chars().count() > MAX_EMAIL_CHARS {
        return fail(
            UserErrorCode::TooLong,
            Text::EmailTooLong {
                max: MAX_EMAIL_CHARS.to_string(),
            },
        );
    }
    if !is_email(&value) {
        return fail(UserErrorCode::InvalidFormat, Text::EmailFormat);
    }
    Ok(value)
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// A campaign tag as given (case kept: the REST API's example sends `iOs`): ASCII
/// letters, digits, `.`, `_` and `-`.
fn utm_value(value: &str) -> Checked {
    if value.chars().count() > MAX_UTM_CHARS {
        return fail(
            UserErrorCode::TooLong,
            Text::CampaignTagTooLong {
                max: MAX_UTM_CHARS.to_string(),
            },
        );
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return fail(UserErrorCode::InvalidFormat, Text::CampaignTagFormat);
    }
    Ok(value.to_string())
}

/// Lower case without accents, so that "ALCALA" finds "Alcalá".
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

impl ValidLead {
    /// The row to insert for this lead.
    pub fn into_active_model(
        self,
        organization_id: OrganizationId,
        now: DateTime<Utc>,
    ) -> lead::ActiveModel {
        let search_text = fold(&format!(
            "{} {} {} {} {}",
            self.first_name, self.last_name, self.document, self.email, self.phone_number
        ));
        lead::ActiveModel {
            organization_id: Set(organization_id.get()),
            first_name: Set(self.first_name),
            last_name: Set(self.last_name),
            document: Set(self.document),
            phone_number: Set(self.phone_number),
            email: Set(self.email),
            time_working: Set(self.time_working),
            utm_source: Set(self.utm_source),
            utm_medium: Set(self.utm_medium),
            car_of_interest: Set(self.car_of_interest),
            search_text: Set(search_text),
            created_at: Set(now),
            ..Default::default()
        }
    }
}

/// Stores a lead, unless its document already came within [`DUPLICATE_WINDOW_DAYS`] in the
/// same organization (a DUPLICATE error on `document`; nothing is written).
///
/// Two concurrent requests for one document cannot both insert: the transaction first
/// writes the document's lock row, which makes the second request wait (PostgreSQL's row
/// lock, SQLite's single writer) until the first commits, and then see its lead.
pub async fn create_lead(
    db: &DatabaseConnection,
    organization_id: OrganizationId,
    input: LeadInput,
    now: DateTime<Utc>,
) -> DomainResult<lead::Model> {
    let lead = validate(input).map_err(DomainError::Invalid)?;
    let txn = db.begin().await?;
    // First statement of the transaction: SQLite must take its write lock before reading,
    // or a concurrent commit would make this transaction's snapshot stale.
    lead_document_lock::Entity::insert(lead_document_lock::ActiveModel {
        organization_id: Set(organization_id.get()),
        document: Set(lead.document.clone()),
        locked_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            lead_document_lock::Column::OrganizationId,
            lead_document_lock::Column::Document,
        ])
        .update_column(lead_document_lock::Column::LockedAt)
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let since = now - TimeDelta::days(DUPLICATE_WINDOW_DAYS);
    let recent = lead::Entity::find()
        .filter(lead::Column::OrganizationId.eq(organization_id))
        .filter(lead::Column::Document.eq(lead.document.as_str()))
        .filter(lead::Column::CreatedAt.gt(since))
        .count(&txn)
        .await?;
    if recent > 0 {
        return Err(DomainError::invalid(
            "document",
            UserErrorCode::Duplicate,
            Text::RecentLead {
                days: DUPLICATE_WINDOW_DAYS.to_string(),
            },
        ));
    }
    let stored = lead
        .into_active_model(organization_id, now)
        .insert(&txn)
        .await?;
    txn.commit().await?;
    Ok(stored)
}

/// Which leads the staff list shows: part of a name, document, email or phone, and a
/// range of days in the organization's time zone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadSearch {
    text: Option<String>,
    created_from: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
}

impl LeadSearch {
    /// `from` and `to` are both included; `search` is case- and accent-insensitive.
    pub fn new(
        search: Option<&str>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        calendar: Calendar,
    ) -> DomainResult<Self> {
        let text = search.map(|s| fold(s.trim())).filter(|s| !s.is_empty());
        if text
            .as_ref()
            .is_some_and(|t| t.chars().count() > MAX_SEARCH_CHARS)
        {
            return Err(DomainError::invalid(
                "search",
                UserErrorCode::TooLong,
                Text::LeadSearchTooLong {
                    max: MAX_SEARCH_CHARS.to_string(),
                },
            ));
        }
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(DomainError::invalid(
                "to",
                UserErrorCode::InvalidFormat,
                Text::ToBeforeFrom,
            ));
        }
        Ok(Self {
            text,
            created_from: from.map(|d| start_of_day(calendar, d)),
            created_before: to
                .and_then(|d| d.succ_opt())
                .map(|d| start_of_day(calendar, d)),
        })
    }

    /// The organization's matching leads, newest first.
    pub fn listing(&self, organization_id: OrganizationId) -> Listing<lead::Entity> {
        let mut query =
            lead::Entity::find().filter(lead::Column::OrganizationId.eq(organization_id));
        if let Some(text) = &self.text {
            query = query.filter(search::contains(lead::Column::SearchText.into_expr(), text));
        }
        if let Some(from) = self.created_from {
            query = query.filter(lead::Column::CreatedAt.gte(from));
        }
        if let Some(before) = self.created_before {
            query = query.filter(lead::Column::CreatedAt.lt(before));
        }
        Listing::new(
            query,
            [
                (lead::Column::CreatedAt, Order::Desc),
                (lead::Column::Id, Order::Desc),
            ],
        )
    }
}

/// The first instant of `date` in the calendar's zone (01:00 or later where a DST jump
/// skips midnight).
fn start_of_day(calendar: Calendar, date: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let zone = calendar.zone();
    (0..24)
        .filter_map(|hour| date.and_hms_opt(hour, 0, 0))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| date.and_time(chrono::NaiveTime::MIN).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> LeadInput {
        LeadInput {
            first_name: "  Lou ".into(),
            last_name: "Alcalá   Pérez".into(),
            document: " 1044200864 ".into(),
            phone_number: "+51 987 928 878".into(),
            email: " Hola@LouAlcala.com ".into(),
            time_working: None,
            utm_source: Some("APP".into()),
            utm_medium: Some(" iOs ".into()),
            car_of_interest: CarOfInterest::New,
        }
    }

    fn codes(input: LeadInput) -> Vec<(String, UserErrorCode)> {
        match validate(input) {
            Ok(_) => vec![],
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.field.join("."), e.code))
                .collect(),
        }
    }

    #[test]
    fn normalises_a_valid_lead() {
        let lead = validate(input()).unwrap();
        assert_eq!(lead.first_name, "Lou");
        assert_eq!(lead.last_name, "Alcalá Pérez");
        assert_eq!(lead.document, "1044200864");
        assert_eq!(lead.phone_number, "987928878");
        assert_eq!(lead.email, "hola@loualcala.com");
        assert_eq!(lead.utm_source.as_deref(), Some("APP"));
        assert_eq!(lead.utm_medium.as_deref(), Some("iOs"));
        let blank_utm = LeadInput {
            utm_source: Some("  ".into()),
            utm_medium: None,
            ..input()
        };
        let lead = validate(blank_utm).unwrap();
        assert_eq!((lead.utm_source, lead.utm_medium), (None, None));
    }

    #[test]
    fn reports_every_field_at_once() {
        let all_bad = LeadInput {
            first_name: " ".into(),
            last_name: "R2D2".into(),
            document: "12a".into(),
            phone_number: "12345".into(),
            email: "nope".into(),
            time_working: None,
            utm_source: Some("x".repeat(51)),
            utm_medium: Some("i Os".into()),
            car_of_interest: CarOfInterest::SemiNew,
        };
        assert_eq!(
            codes(all_bad),
            [
                ("firstName".into(), UserErrorCode::Required),
                ("lastName".into(), UserErrorCode::InvalidFormat),
                ("document".into(), UserErrorCode::InvalidFormat),
                ("phoneNumber".into(), UserErrorCode::InvalidFormat),
                ("email".into(), UserErrorCode::InvalidFormat),
                ("utmSource".into(), UserErrorCode::TooLong),
                ("utmMedium".into(), UserErrorCode::InvalidFormat),
            ]
        );
    }

    #[test]
    fn documents_have_8_to_12_digits() {
        for ok in ["12345678", "1044200864", "10442008642", "123456789012"] {
            assert_eq!(document(ok), Ok(ok.to_string()));
        }
        assert_eq!(document("1234567").unwrap_err().0, UserErrorCode::TooShort);
        assert_eq!(
            document("1234567890123").unwrap_err().0,
            UserErrorCode::TooLong
        );
        for bad in ["1234-5678", "12345678x", "１２３４５６７８", "+12345678"] {
            assert_eq!(document(bad).unwrap_err().0, UserErrorCode::InvalidFormat);
        }
    }

    #[test]
    fn phones_are_peruvian_mobiles() {
        for ok in [
            "987928878",
            "+51987928878",
            "+51 987 928 878",
            "987-928-878",
            "(+51) 987928878",
        ] {
            assert_eq!(phone(ok), Ok("987928878".to_string()), "{ok}");
        }
        for bad in [
            "87928878",
            "887928878",
            "9879288781",
            "+52987928878",
            "51987928878",
            "98792887a",
            "+51",
        ] {
            assert_eq!(
                phone(bad).unwrap_err().0,
                UserErrorCode::InvalidFormat,
                "{bad}"
            );
        }
    }

    #[test]
    fn emails() {
        for ok in ["a@b.pe", "hola.mundo+leasy@sub.correo.com.pe"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "a",
            "a@b",
            "@b.pe",
            "a@.pe",
            "a@b.p",
            "a b@c.pe",
            "a@b@c.pe",
            "a..b@c.pe",
            "a@-b.pe",
            "ñ@b.pe",
            "a@b.p3",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        let long = format!("{}@b.pe", "a".repeat(MAX_EMAIL_CHARS));
        assert_eq!(email(&long).unwrap_err().0, UserErrorCode::TooLong);
    }

    #[test]
    fn names_accept_any_alphabet_and_refuse_digits_and_symbols() {
        for ok in ["María José", "O'Neill", "Jean-Luc", "Ma. Elena", "José"] {
            assert!(name(ok).is_ok(), "{ok}");
        }
        for bad in ["<b>", "Lou2", "--", "a@b"] {
            assert_eq!(
                name(bad).unwrap_err().0,
                UserErrorCode::InvalidFormat,
                "{bad}"
            );
        }
        assert_eq!(
            name(&"a".repeat(MAX_NAME_CHARS + 1)).unwrap_err().0,
            UserErrorCode::TooLong
        );
    }

    #[test]
    fn search_folds_case_and_accents() {
        assert_eq!(fold("ALCALÁ Muñoz"), "alcala munoz");
        assert_eq!(fold("Alcala\u{301}"), "alcala");
    }

    #[test]
    fn a_day_range_covers_whole_days_in_lima() {
        let lima = Calendar::new(crate::commons::calendar::DEFAULT_ZONE);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let search =
            LeadSearch::new(None, Some(d("2026-11-01")), Some(d("2026-11-30")), lima).unwrap();
        assert_eq!(
            search.created_from.unwrap().to_rfc3339(),
            "2026-11-01T05:00:00+00:00"
        );
        assert_eq!(
            search.created_before.unwrap().to_rfc3339(),
            "2026-12-01T05:00:00+00:00"
        );
        assert!(LeadSearch::new(None, Some(d("2026-11-02")), Some(d("2026-11-01")), lima).is_err());
        assert!(LeadSearch::new(Some(&"x".repeat(101)), None, None, lima).is_err());
    }
}
