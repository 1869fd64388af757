//! `GET /exports/transactions.csv?period=...` (issue 23): the caller's book's
//! transactions of a period as CSV, the same rows as the `transactions` listing of that
//! period (recurring occurrences without a row included), each caller their own book,
//! 401 without credentials, 400 for a missing or malformed period, RFC 4180 quoting and
//! formulas kept as text. Today is 2026-11-24 in Lima.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    book_transactions::noon_in_lima,
    common::{ADMIN, DRIVER, Reply, TestApp, ok},
    db_test,
};

const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id } userErrors { field code } } }";

async fn export(app: &TestApp, token: Option<&str>, query: &str) -> Reply {
    let mut request = Request::get(format!("/exports/transactions.csv{query}"))
        .header(header::ACCEPT_LANGUAGE, "en");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The records of a CSV text (RFC 4180), each a list of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        record.is_empty() && cell.is_empty(),
        "the file ends with a line end"
    );
    records
}

/// The exported rows as maps from column to cell.
fn rows(reply: &Reply) -> Vec<serde_json::Map<String, Value>> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let mut records = parse_csv(&reply.text).into_iter();
    let header = records.next().expect("a header row");
    records
        .map(|cells| {
            assert_eq!(cells.len(), header.len(), "{cells:?}");
            header
                .iter()
                .cloned()
                .zip(cells.into_iter().map(Value::String))
                .collect()
        })
        .collect()
}

/// `(id, amount)` of every transaction the listing of November 2026 shows, in order.
async fn listing(app: &TestApp, token: &str) -> Vec<(Value, Value)> {
    let body = app
        .gql(
            "{ book { transactions(filter: {period: {month: 11, year: 2026}}, first: 100) { pageInfo { hasNextPage } nodes { id amount } } } }",
            json!({}),
            Some(token),
        )
        .await;
    let page = &body["data"]["book"]["transactions"];
    assert_eq!(page["pageInfo"]["hasNextPage"], false, "{body}");
    page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].clone(), n["amount"].clone()))
        .collect()
}

db_test!(
    the_export_holds_the_listings_rows,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        // A weekly series whose later occurrences of the month have no row.
        ok(
            &app,
            &driver,
            CREATE,
            json!({ "kind": "OUT", "amount": "25.00", "description": "Lavado", "date": "2026-11-01", "recurrence": { "periodicity": "WEEKLY" } }),
        )
        .await;
        ok(
            &app,
            &driver,
            CREATE,
            json!({ "kind": "IN", "amount": "1234.50", "description": "Semana", "date": "2026-11-10", "tagNames": ["Uber", "Noche"] }),
        )
        .await;
        let reply = export(&app, Some(&driver), "?period=2026-11").await;
        assert_eq!(
            reply.headers[header::CONTENT_TYPE],
            "text/csv; charset=utf-8"
        );
        assert_eq!(
            reply.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"transactions-2026-11.csv\""
        );
        let exported = rows(&reply);
        let listed = listing(&app, &driver).await;
        assert!(listed.len() >= 6, "{listed:?}");
        let pairs: Vec<(Value, Value)> = exported
            .iter()
            .map(|r| (r["id"].clone(), r["amount"].clone()))
            .collect();
        assert_eq!(pairs, listed);
        // The occurrences without a row are there, as the listing shows them.
        let washes: Vec<&str> = exported
            .iter()
            .filter(|r| r["description"] == "Lavado")
            .map(|r| r["date"].as_str().unwrap())
            .collect();
        assert_eq!(
            washes,
            [
                "2026-11-29",
                "2026-11-22",
                "2026-11-15",
                "2026-11-08",
                "2026-11-01"
            ]
        );
        let week = exported
            .iter()
            .find(|r| r["description"] == "Semana")
            .unwrap();
        assert_eq!(week["kind"], "IN");
        assert_eq!(week["amount"], "1234.50");
        assert_eq!(week["signedAmount"], "1234.50");
        assert_eq!(week["tags"], "Noche; Uber");
        assert_eq!(week["account"], "Efectivo");
        assert_eq!(week["paid"], "true");
        assert!(
            week["createdAt"].as_str().unwrap().ends_with("-05:00"),
            "Lima's time: {week:?}"
        );

        // Days, and a range open to today.
        let reply = export(&app, Some(&driver), "?period=2026-11-09..2026-11-16").await;
        assert_eq!(
            reply.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"transactions-2026-11-09_2026-11-16.csv\""
        );
        let dates: Vec<Value> = rows(&reply).iter().map(|r| r["date"].clone()).collect();
        assert!(
            dates
                .iter()
                .all(|d| d.as_str().unwrap() >= "2026-11-09" && d.as_str().unwrap() <= "2026-11-16"),
            "{dates:?}"
        );
        assert!(dates.contains(&json!("2026-11-15")), "{dates:?}");
    }
);

db_test!(
    each_caller_exports_their_own_book,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let admin = app.login(ADMIN).await;
        ok(
            &app,
            &admin,
            CREATE,
            json!({ "kind": "OUT", "amount": "99.00", "description": "Solo empresa", "date": "2026-11-05" }),
        )
        .await;
        ok(
            &app,
            &driver,
            CREATE,
            json!({ "kind": "OUT", "amount": "3.00", "description": "Solo conductor", "date": "2026-11-05" }),
        )
        .await;
        let mine: Vec<Value> = rows(&export(&app, Some(&driver), "?period=2026-11").await)
            .iter()
            .map(|r| r["description"].clone())
            .collect();
        assert!(mine.contains(&json!("Solo conductor")), "{mine:?}");
        assert!(!mine.contains(&json!("Solo empresa")), "{mine:?}");
        let business: Vec<Value> = rows(&export(&app, Some(&admin), "?period=2026-11").await)
            .iter()
            .map(|r| r["description"].clone())
            .collect();
        assert!(business.contains(&json!("Solo empresa")), "{business:?}");
        assert!(!business.contains(&json!("Solo conductor")), "{business:?}");
    }
);

db_test!(refusals_say_why, |config| { noon_in_lima(config) }, |app| {
    let anonymous = export(&app, None, "?period=2026-11").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.headers[header::WWW_AUTHENTICATE], "Bearer");
    let expired = export(&app, Some("not-a-token"), "?period=2026-11").await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(
        expired.headers[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer error=\"invalid_token\""),
        "{:?}",
        expired.headers
    );

    let driver = app.login(DRIVER).await;
    for query in [
        "",
        "?period=",
        "?period=noviembre",
        "?period=2026-13",
        "?period=2025-01-01..2026-11-01",
    ] {
        let reply = export(&app, Some(&driver), query).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.text
        );
        assert_eq!(
            reply.body["code"], "BAD_USER_INPUT",
            "{query}: {}",
            reply.text
        );
        assert!(reply.body["message"].is_string(), "{}", reply.text);
    }
    let reply = export(&app, Some(&driver), "?period=noviembre").await;
    assert_eq!(
        reply.body["message"],
        "`noviembre` is not a period: write a month as 2026-11, or days as 2026-11-03..2026-11-20"
    );
});

db_test!(
    cells_are_quoted_and_formulas_stay_text,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let awkward = "Peaje, \"norte\"\nsur";
        let formula = "=HYPERLINK(\"http://example.com\",\"pagar\")";
        for (description, notes) in [(awkward, "ok"), (formula, "@SUM(A1:A9)")] {
            ok(
                &app,
                &driver,
                CREATE,
                json!({ "kind": "OUT", "amount": "1.00", "description": description, "notes": notes, "date": "2026-11-12" }),
            )
            .await;
        }
        let reply = export(&app, Some(&driver), "?period=2026-11").await;
        assert!(
            reply.text.contains("\"Peaje, \"\"norte\"\"\nsur\""),
            "{}",
            reply.text
        );
        assert!(
            reply
                .text
                .contains("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"pagar\"\")\""),
            "{}",
            reply.text
        );
        let exported = rows(&reply);
        let guarded = exported
            .iter()
            .find(|r| r["description"].as_str().unwrap().contains("HYPERLINK"))
            .unwrap();
        assert_eq!(guarded["description"], format!("'{formula}"));
        assert_eq!(guarded["notes"], "'@SUM(A1:A9)");
        // An expense's signed amount is a number, not a formula to guard.
        assert_eq!(guarded["signedAmount"], "-1.00");
        let quoted = exported
            .iter()
            .find(|r| r["description"].as_str().unwrap().starts_with("Peaje"))
            .unwrap();
        assert_eq!(quoted["description"], awkward);
    }
);
