//! `GET /exports/transactions.csv?period=...`: the caller's book's transactions of a
//! period as a CSV file, authorized like the GraphQL API (the same `Authorization`
//! header; a driver gets their own book, staff the business book, as `book` answers).
//!
//! The rows are those of `book { transactions(filter: {period}) }` in its default order
//! (newest date first), the unstored occurrences of recurring series included, read a
//! page at a time from the read-only pool and written as they come
//! ([`crate::domain::books::exports`]): the response starts before the last page is read.
//!
//! The cells are the API's fields, as the API writes them: global IDs, dates as
//! `YYYY-MM-DD` (days of the organization's calendar), amounts as decimals with a `.`
//! and two places, instants in the organization's time zone. Quoting follows RFC 4180
//! (a cell with a delimiter, a quote or a line break is quoted, its quotes doubled), and
//! a cell a spreadsheet would read as a formula (one that starts with `=`, `+`, `-` or
//! `@`) is written with a `'` before it: a description such as `=HYPERLINK(...)` stays
//! text when the file is opened.

use axum::{
    body::{Body, Bytes},
    extract::{Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{NaiveDate, SecondsFormat};
use chrono_tz::Tz;
use futures_util::stream;

use super::{
    documents::{caller, internal, language_of},
    text::Text,
};
use crate::{
    app::App,
    domain::{
        DomainError, Language, Message,
        books::{self, exports::Export, exports::ExportRow},
        commons::{Calendar, Period, calendar::DEFAULT_ZONE, money::Money},
    },
    entities::book_transaction::TransactionKind,
    graphql::commons::{GlobalId, NodeKind},
};

#[derive(serde::Deserialize)]
pub struct ExportParams {
    period: Option<String>,
}

/// The columns, named as the API names the fields.
const COLUMNS: [&str; 24] = [
    "id",
    "date",
    "kind",
    "amount",
    "signedAmount",
    "description",
    "category",
    "account",
    "creditCard",
    "tags",
    "paid",
    "paidOn",
    "dueDate",
    "contactName",
    "notes",
    "barcode",
    "externalId",
    "bankData",
    "ofxId",
    "reconciledOn",
    "excluded",
    "private",
    "transfer",
    "createdAt",
];

/// A refusal of the request itself, as JSON with a code (the GraphQL API's
/// `BAD_USER_INPUT`), in the caller's language.
fn bad_request(message: impl Into<Message>, language: Language) -> Response {
    let body = serde_json::json!({
        "code": "BAD_USER_INPUT",
        "message": message.into().say(language),
    });
    let mut response = (StatusCode::BAD_REQUEST, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A period as a URL writes it, mirroring `PeriodInput`: a month (`2026-11`, its
/// `{month, year}`), or days (`2026-11-03..2026-11-20`, its `{from, to}`; `2026-11-03..`
/// runs to today, as `to` omitted does). At most a year, as everywhere.
pub fn parse_period(text: &str, today: NaiveDate) -> Result<Period, Message> {
    let text = text.trim();
    let not_a_period = || -> Message {
        Text::NotAPeriod {
            value: text.to_string(),
        }
        .into()
    };
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| not_a_period());
    if let Some((from, to)) = text.split_once("..") {
        let from = day(from)?;
        let to = if to.is_empty() { today } else { day(to)? };
        return Period::new(from, to).map_err(|e| e.message().into());
    }
    let (year, month) = text.split_once('-').ok_or_else(not_a_period)?;
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || !digits(month, 2) {
        return Err(not_a_period());
    }
    let (year, month) = (
        year.parse().map_err(|_| not_a_period())?,
        month.parse().map_err(|_| not_a_period())?,
    );
    Period::month(year, month).map_err(|e| e.message().into())
}

/// The period as the file's name says it: `2026-11`, or `2026-11-03_2026-11-20`.
fn period_name(period: &Period) -> String {
    match period.single_month() {
        Some((year, month)) if Period::month(year, month).is_ok_and(|whole| whole == *period) => {
            format!("{year:04}-{month:02}")
        }
        _ => format!("{}_{}", period.from(), period.to()),
    }
}

pub async fn transactions_csv(
    State(app): State<App>,
    headers: HeaderMap,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Response {
    let asked = super::graphql::accept_language(&headers).and_then(Language::negotiate);
    let viewer = match caller(&app, &headers, asked).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    let db = &app.state.read_only;
    // Said only when there is something to say: a request that succeeds reads no
    // language.
    let Ok(Query(params)) = params else {
        return bad_request(
            Text::MalformedQueryString,
            language_of(&app, asked, &viewer).await,
        );
    };
    let Some(period) = params.period.filter(|p| !p.trim().is_empty()) else {
        return bad_request(
            Text::PeriodRequired,
            language_of(&app, asked, &viewer).await,
        );
    };
    let context = match books::book_in_context(db, &viewer).await {
        Ok(context) => context,
        Err(DomainError::NotFound(message)) => {
            return super::documents::plain(
                StatusCode::NOT_FOUND,
                message,
                language_of(&app, asked, &viewer).await,
            );
        }
        Err(err) => {
            let language = language_of(&app, asked, &viewer).await;
            return internal(&err, language);
        }
    };
    let zone = context
        .organization
        .as_ref()
        .map_or(Calendar::new(DEFAULT_ZONE), Calendar::of)
        .zone();
    let today = Calendar::new(zone).date_of(app.state.config.clock.now());
    let period = match parse_period(&period, today) {
        Ok(period) => period,
        Err(message) => return bad_request(message, language_of(&app, asked, &viewer).await),
    };
    let export = match Export::open(db, &viewer, &context, period).await {
        Ok(export) => export,
        Err(err) => {
            let language = language_of(&app, asked, &viewer).await;
            return internal(&err, language);
        }
    };
    let mut header_row = Vec::new();
    write_record(&mut header_row, COLUMNS.iter().map(|c| c.to_string()));
    // The header, then a chunk per page; a failure mid-way ends the body early (the
    // client sees a cut response, never a file that looks whole).
    let pages = stream::unfold(
        (Some(export), app.state.read_only.clone()),
        move |(export, db)| async move {
            let mut export = export?;
            match export.next_page(&db).await {
                Ok(Some(rows)) => {
                    let mut chunk = Vec::with_capacity(rows.len() * 160);
                    for row in &rows {
                        write_record(&mut chunk, cells(row, zone));
                    }
                    Some((Ok(Bytes::from(chunk)), (Some(export), db)))
                }
                Ok(None) => None,
                Err(err) => {
                    tracing::error!(error = %err, "exporting transactions failed mid-way");
                    Some((Err(std::io::Error::other(err.to_string())), (None, db)))
                }
            }
        },
    );
    let body = stream::iter([Ok::<_, std::io::Error>(Bytes::from(header_row))]);
    let body = Body::from_stream(futures_util::StreamExt::chain(body, pages));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"transactions-{}.csv\"",
        period_name(&period)
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

fn money(minor: i64) -> String {
    format!("{:.2}", Money::from_minor(minor).to_decimal())
}

fn date(day: Option<NaiveDate>) -> String {
    day.map(|d| d.to_string()).unwrap_or_default()
}

/// A row's cells, in [`COLUMNS`]' order.
fn cells(export: &ExportRow, zone: Tz) -> impl Iterator<Item = String> {
    let row = &export.row;
    let signed = match row.kind {
        TransactionKind::In => row.amount_minor,
        TransactionKind::Out => -row.amount_minor,
    };
    [
        GlobalId::new(NodeKind::Transaction, row.id).to_id().0,
        row.date.to_string(),
        match row.kind {
            TransactionKind::In => "IN".into(),
            TransactionKind::Out => "OUT".into(),
        },
        money(row.amount_minor),
        money(signed),
        row.description.clone(),
        export.category.clone(),
        export.account.clone(),
        export.credit_card.clone(),
        export.tags.join("; "),
        row.paid.to_string(),
        date(row.paid_on),
        date(row.due_date),
        row.contact_name.clone(),
        row.notes.clone(),
        row.barcode.clone(),
        row.external_id.clone().unwrap_or_default(),
        row.bank_data.clone(),
        row.ofx_id.clone(),
        date(row.reconciled_on),
        row.excluded.to_string(),
        row.private.to_string(),
        row.transfer_id
            .map(|id| GlobalId::new(NodeKind::Transfer, id).to_id().0)
            .unwrap_or_default(),
        row.created_at
            .with_timezone(&zone)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
    ]
    .into_iter()
}

/// Appends one CSV record (RFC 4180, CRLF line ends) to `out`.
fn write_record(out: &mut Vec<u8>, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_cell(out, &cell);
    }
    out.extend_from_slice(b"\r\n");
}

/// A cell, guarded against formulas and quoted when it needs to be. A negative amount
/// (`-12.30`) is a number, not a formula: only cells that are not plain numbers are
/// guarded, so that amounts stay numbers in a spreadsheet.
fn write_cell(out: &mut Vec<u8>, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@']) && !is_number(cell);
    let needs_quotes = cell.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        out.push(b'"');
    }
    if formula {
        out.push(b'\'');
    }
    for byte in cell.bytes() {
        if byte == b'"' {
            out.push(b'"');
        }
        out.push(byte);
    }
    if needs_quotes {
        out.push(b'"');
    }
}

fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(cell: &str) -> String {
        let mut out = Vec::new();
        write_cell(&mut out, cell);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn cells_are_quoted_and_guarded() {
        assert_eq!(written("plain"), "plain");
        assert_eq!(written("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
        assert_eq!(written("=1+2"), "'=1+2");
        assert_eq!(written("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(written("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(written("-12.30"), "-12.30");
        assert_eq!(written("-cmd"), "'-cmd");
    }

    #[test]
    fn periods_as_urls_write_them() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let month = parse_period("2026-11", today).unwrap();
        assert_eq!(period_name(&month), "2026-11");
        let days = parse_period("2026-11-03..2026-11-20", today).unwrap();
        assert_eq!(period_name(&days), "2026-11-03_2026-11-20");
        let open = parse_period("2026-11-03..", today).unwrap();
        assert_eq!(open.to(), today);
        assert!(parse_period("2026-13", today).is_err());
        assert!(parse_period("nov", today).is_err());
        assert!(parse_period("2025-01-01..2026-11-01", today).is_err());
    }
}
