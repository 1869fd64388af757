//! The driver's quick entries (the Leasy REST API's "Registrar incomes" and "Registrar
//! expenses"): everything but the amount and the category code defaulted, in the
//! organization's timezone; the category code's errors; and the idempotency key that
//! makes a retried entry land once.

use chrono::{TimeZone, Utc};
use futures_util::future::join_all;
use gateway::{domain::commons::Clock, entities::book_transaction};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    book_transactions::{BookIds, count_transactions, row},
    common::{COLLECTOR, DRIVER, TestApp, error_code, ok, refused, run},
    db_test,
};

const FIELDS: &str = "transaction { id kind amount description date paid paidOn status category { code } account { name } isTransfer createdBy { __typename } } userErrors { field code message }";

fn income() -> String {
    format!("mutation($input: RecordIncomeInput!) {{ recordIncome(input: $input) {{ {FIELDS} }} }}")
}

fn expense() -> String {
    format!(
        "mutation($input: RecordExpenseInput!) {{ recordExpense(input: $input) {{ {FIELDS} }} }}"
    )
}

const SET_DEFAULT_ACCOUNT: &str = "mutation($input: SetDefaultAccountInput!) { setDefaultAccount(input: $input) { userErrors { code } } }";
const SET_DEFAULT_CATEGORY: &str = "mutation($input: SetDefaultCategoryInput!) { setDefaultCategory(input: $input) { userErrors { code } } }";
const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id code } userErrors { field code } } }";
const DELETE: &str = "mutation($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { deletedIds userErrors { code } } }";

/// 03:30 UTC on 1 December is still 30 November, 22:30, in Lima: the entries belong to
/// the 30th (and to November).
fn late_evening_in_lima(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 1, 3, 30, 0).unwrap());
}

async fn record_income(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, &income(), input).await["transaction"].clone()
}

async fn record_expense(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, &expense(), input).await["transaction"].clone()
}

db_test!(
    quick_entries_default_everything_but_the_amount,
    |config| { late_evening_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let rows = count_transactions(&app).await;
        let t = record_income(&app, &token, json!({ "amount": "10.00" })).await;
        assert_eq!(
            t,
            json!({
                "id": t["id"], "kind": "IN", "amount": "10.00", "description": "",
                "date": "2026-11-30", "paid": true, "paidOn": "2026-11-30", "status": "PAID",
                "category": { "code": "viajes" }, "account": { "name": "Efectivo" },
                "isTransfer": false, "createdBy": { "__typename": "Client" }
            })
        );
        let e = record_expense(
            &app,
            &token,
            json!({ "amount": "13.00", "category": "combustible" }),
        )
        .await;
        assert_eq!(
            (
                &e["kind"],
                &e["amount"],
                &e["date"],
                &e["paidOn"],
                &e["category"]["code"],
                &e["account"]["name"]
            ),
            (
                &json!("OUT"),
                &json!("13.00"),
                &json!("2026-11-30"),
                &json!("2026-11-30"),
                &json!("combustible"),
                &json!("Efectivo")
            )
        );
        // The code is matched trimmed and in any letter case.
        let e = record_expense(
            &app,
            &token,
            json!({ "amount": "13.00", "category": " Combustible " }),
        )
        .await;
        assert_eq!(e["category"]["code"], "combustible");
        assert_eq!(count_transactions(&app).await, rows + 3);
        assert_eq!(row(&app, &e["id"]).await.amount_minor, 1300);

        // The defaults follow the book: its default account and INCOME category.
        let b = BookIds::of(&app, &token).await;
        ok(
            &app,
            &token,
            SET_DEFAULT_ACCOUNT,
            json!({ "id": b.account("Cuenta BCP") }),
        )
        .await;
        ok(
            &app,
            &token,
            SET_DEFAULT_CATEGORY,
            json!({ "id": b.category("otros_ingresos") }),
        )
        .await;
        let t = record_income(&app, &token, json!({ "amount": "12.40" })).await;
        assert_eq!(
            (&t["account"]["name"], &t["category"]["code"]),
            (&json!("Cuenta BCP"), &json!("otros_ingresos"))
        );
        let e = record_expense(
            &app,
            &token,
            json!({ "amount": "1.00", "category": "otros" }),
        )
        .await;
        assert_eq!(e["account"]["name"], "Cuenta BCP");
    }
);

db_test!(
    a_quick_expense_needs_an_expense_category_of_the_book,
    |app| {
        let token = app.login(DRIVER).await;
        let other = app.new_driver("70000201").await.0;
        ok(
            &app,
            &other,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Peajes", "code": "peajes" }),
        )
        .await;
        let rows = count_transactions(&app).await;
        for (category, code) in [
            ("no_existe", "NOT_FOUND"),
            // Another driver's category: theirs, not this book's.
            ("peajes", "NOT_FOUND"),
            ("viajes", "KIND_MISMATCH"),
            ("otros_ingresos", "KIND_MISMATCH"),
            ("", "REQUIRED"),
            ("   ", "REQUIRED"),
        ] {
            assert_eq!(
                refused(
                    &app,
                    &token,
                    &expense(),
                    json!({ "amount": "13.00", "category": category })
                )
                .await,
                ("category".into(), code.into()),
                "{category:?}"
            );
        }
        // Bad amounts, alone and with a bad category: every problem at once.
        for (mutation, input) in [
            (income(), json!({ "amount": "0.00" })),
            (income(), json!({ "amount": "-1.00" })),
            (
                expense(),
                json!({ "amount": "0.00", "category": "combustible" }),
            ),
        ] {
            assert_eq!(
                refused(&app, &token, &mutation, input).await,
                ("amount".into(), "INVALID_AMOUNT".into())
            );
        }
        let both = run(
            &app,
            &token,
            &expense(),
            json!({ "amount": "0.00", "category": "" }),
        )
        .await;
        let codes: Vec<&str> = both["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["INVALID_AMOUNT", "REQUIRED"], "{both}");
        for amount in [json!("0.001"), json!(10), json!(10.5)] {
            assert_eq!(
                error_code(&app, &token, &income(), json!({ "amount": amount })).await,
                "BAD_USER_INPUT"
            );
        }
        assert_eq!(count_transactions(&app).await, rows);
    }
);

db_test!(collectors_record_no_quick_entries, |app| {
    let collector = app.login(COLLECTOR).await;
    let rows = count_transactions(&app).await;
    assert_eq!(
        error_code(&app, &collector, &income(), json!({ "amount": "1.00" })).await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            &expense(),
            json!({ "amount": "1.00", "category": "otros" })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(count_transactions(&app).await, rows);
});

async fn with_amount(app: &TestApp, minor: i64) -> u64 {
    book_transaction::Entity::find()
        .filter(book_transaction::Column::AmountMinor.eq(minor))
        .count(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(a_retried_entry_with_its_key_is_recorded_once, |app| {
    let token = app.login(DRIVER).await;
    let key = "0b6f1c2d-8a47-4b59-9c0d-2e7f4a1b5c83";
    let first = record_income(
        &app,
        &token,
        json!({ "amount": "10.01", "idempotencyKey": key }),
    )
    .await;
    let rows = count_transactions(&app).await;
    // The retry returns the same transaction and writes nothing.
    let retried = record_income(
        &app,
        &token,
        json!({ "amount": "10.01", "idempotencyKey": key }),
    )
    .await;
    assert_eq!(retried, first);
    assert_eq!(count_transactions(&app).await, rows);
    assert_eq!(with_amount(&app, 1001).await, 1);

    // The same key for another entry is a conflict, and records nothing.
    assert_eq!(
        error_code(
            &app,
            &token,
            &income(),
            json!({ "amount": "10.02", "idempotencyKey": key })
        )
        .await,
        "CONFLICT"
    );
    assert_eq!(
        error_code(
            &app,
            &token,
            &expense(),
            json!({ "amount": "10.01", "category": "otros", "idempotencyKey": key })
        )
        .await,
        "CONFLICT"
    );
    assert_eq!(count_transactions(&app).await, rows);

    // A refused entry stores nothing under its key: fixed, the same key records it once.
    let key2 = "expense-retry-0002";
    assert_eq!(
        refused(
            &app,
            &token,
            &expense(),
            json!({ "amount": "7.77", "category": "no_existe", "idempotencyKey": key2 })
        )
        .await,
        ("category".into(), "NOT_FOUND".into())
    );
    let e = record_expense(
        &app,
        &token,
        json!({ "amount": "7.77", "category": "combustible", "idempotencyKey": key2 }),
    )
    .await;
    let e_again = record_expense(
        &app,
        &token,
        json!({ "amount": "7.77", "category": "COMBUSTIBLE", "idempotencyKey": key2 }),
    )
    .await;
    assert_eq!(e_again["id"], e["id"]);
    assert_eq!(with_amount(&app, 777).await, 1);

    // Malformed keys are the caller's to fix.
    for bad in ["short", "", "  ", "has spaces in it", "ñandú-ñandú"] {
        assert_eq!(
            refused(
                &app,
                &token,
                &income(),
                json!({ "amount": "1.00", "idempotencyKey": bad })
            )
            .await,
            ("idempotencyKey".into(), "INVALID_FORMAT".into()),
            "{bad:?}"
        );
    }

    // Keys belong to their user: another driver's same key records their own entry.
    let other = app.new_driver("70000202").await.0;
    let theirs = record_income(
        &app,
        &other,
        json!({ "amount": "10.01", "idempotencyKey": key }),
    )
    .await;
    assert_ne!(theirs["id"], first["id"]);
    assert_eq!(with_amount(&app, 1001).await, 2);

    // Deleted since, the retry does not bring it back: CONFLICT, nothing written.
    ok(&app, &token, DELETE, json!({ "id": first["id"] })).await;
    assert_eq!(
        error_code(
            &app,
            &token,
            &income(),
            json!({ "amount": "10.01", "idempotencyKey": key })
        )
        .await,
        "CONFLICT"
    );
    assert_eq!(with_amount(&app, 1001).await, 1);
});

db_test!(simultaneous_retries_with_one_key_record_one_entry, |app| {
    let token = app.login(DRIVER).await;
    let mutation = expense();
    let (app_ref, token_ref, mutation_ref) = (&app, &token, &mutation);
    let results = join_all((0..8).map(|_| async move {
        app_ref
            .gql(
                mutation_ref,
                json!({ "input": { "amount": "33.33", "category": "combustible",
                                   "idempotencyKey": "flaky-network-0001" } }),
                Some(token_ref),
            )
            .await
    }))
    .await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|b| {
            assert_eq!(b["data"]["recordExpense"]["userErrors"], json!([]), "{b}");
            b["data"]["recordExpense"]["transaction"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "every retry returns the one entry");
    assert_eq!(with_amount(&app, 3333).await, 1);
});
