//! Summaries, balances and budgets of a book: the Leasy REST API's income, expense and
//! financial summaries and balance against a hand-computed fixture, to the cent;
//! spending by category; the period forms and their errors; the last evening of a month
//! in Lima; an account's balance before and after a payment, with a transfer; budgets
//! with their actual and predicted totals, by month and by year, and moved by category
//! deletion; and statements that do not grow with the rows.
//!
//! The clock stands at 2026-12-01T04:30:00Z, which is 2026-11-30 23:30 in Lima: "today"
//! is the last day of November there, and the default period is November 2026.

use chrono::{NaiveDate, TimeZone, Utc};
use gateway::{
    domain::commons::Clock,
    entities::{
        book, book_account, book_category, book_transaction, book_transaction::TransactionKind,
        book_transfer,
    },
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, refused},
    db_test,
};

const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id date paid } userErrors { field code message } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name } userErrors { field code } } }";
const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id code } userErrors { field code } } }";
const DELETE_CATEGORY: &str = "mutation($input: DeleteCategoryInput!) { deleteCategory(input: $input) { deletedId userErrors { field code } } }";
const SET_BUDGET: &str = "mutation($input: SetBudgetInput!) { setBudget(input: $input) { budget { category { code } year month amount actualTotal predictedTotal percentage predictedPercentage } userErrors { field code } } }";
const IDS: &str = "{ book { accounts { id name } categories { id code } } }";

const FINANCIAL: &str = "query($period: PeriodInput) { book { financialSummary(period: $period) {
    from to year month monthName totalIncome totalExpense balance paidIncome paidExpense paidBalance
    incomeCount expenseCount
    details { incomes { amount date } expenses { amount date category { code } } incomesTruncated expensesTruncated } } } }";
const INCOME: &str = "query($period: PeriodInput) { book { incomeSummary(period: $period) {
    kind from to year month monthName total paidTotal pendingTotal count detailsTruncated
    details { amount date description paid category { code } transaction { id kind amount } } } } }";
const EXPENSE: &str = "query($period: PeriodInput) { book { expenseSummary(period: $period) {
    kind from to monthName total paidTotal pendingTotal count detailsTruncated
    details { amount date paid category { code name } } } } }";
const BALANCE: &str = "{ book { balance { totalIncome totalExpense totalBalance paidIncome paidExpense paidBalance } } }";
const SPENDING: &str = "query($period: PeriodInput, $kind: TransactionKind! = OUT, $basis: ReportBasis! = ACCRUAL, $rollUp: Boolean! = false) { book {
    spendingByCategory(period: $period, kind: $kind, basis: $basis, rollUpSubcategories: $rollUp) {
      category { code parent { code } } total count percentage } } }";
const BUDGETS: &str = "query($year: Int, $month: Int) { book { budgets(year: $year, month: $month) {
    category { code } year month amount actualTotal predictedTotal percentage predictedPercentage } } }";

/// 04:30 UTC on December 1st is 23:30 on November 30th in Lima.
fn last_evening_of_november(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 1, 4, 30, 0).unwrap());
}

/// The data of a query that must not fail.
async fn data(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let body = app.gql(query, variables, Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["book"].clone()
}

/// The error code of a query refused as a whole.
async fn query_error(app: &TestApp, token: &str, query: &str, variables: Value) -> String {
    let body = app.gql(query, variables, Some(token)).await;
    assert!(
        body["data"].is_null() || body["data"]["book"].is_null(),
        "{body}"
    );
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"))
        .to_string()
}

/// Global IDs of the caller's accounts (by name) and categories (by code).
async fn ids(app: &TestApp, token: &str) -> (Value, Value) {
    let b = data(app, token, IDS, json!({})).await;
    (b["accounts"].clone(), b["categories"].clone())
}

fn id_of(list: &Value, key: &str, value: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))["id"]
        .clone()
}

async fn record(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, CREATE, input).await["transaction"].clone()
}

/// The caller's book and its account named `name`, read straight from the database.
async fn book_and_account(app: &TestApp, owner: Option<i64>, name: &str) -> (book::Model, i64) {
    let db = &app.app.state.db;
    let mut query = book::Entity::find();
    query = match owner {
        Some(owner) => query.filter(book::Column::OwnerId.eq(owner)),
        None => query.filter(book::Column::OwnerId.is_null()),
    };
    let b = query.one(db).await.unwrap().expect("the book exists");
    let account = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(b.id))
        .filter(book_account::Column::Name.eq(name))
        .one(db)
        .await
        .unwrap()
        .expect("the account exists");
    (b, account.id)
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A transaction row with every optional field empty.
fn row(
    b: &book::Model,
    kind: TransactionKind,
    minor: i64,
    date: NaiveDate,
    account_id: i64,
    category_id: Option<i64>,
) -> book_transaction::ActiveModel {
    let now = Utc::now();
    book_transaction::ActiveModel {
        organization_id: Set(b.organization_id),
        book_id: Set(b.id),
        kind: Set(kind),
        amount_minor: Set(minor),
        description: Set(String::new()),
        date: Set(date),
        due_date: Set(None),
        paid: Set(true),
        paid_on: Set(Some(date)),
        category_id: Set(category_id),
        account_id: Set(account_id),
        contact_name: Set(String::new()),
        notes: Set(String::new()),
        barcode: Set(String::new()),
        external_id: Set(None),
        bank_data: Set(String::new()),
        ofx_id: Set(String::new()),
        reconciled_on: Set(None),
        excluded: Set(false),
        private: Set(false),
        transfer_id: Set(None),
        created_by_user_id: Set(b.owner_id),
        created_by_token_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A transfer written straight through the entities (the transfer mutation is another
/// issue's): the link and its two sides, without category, paid on `date`.
async fn insert_transfer(
    app: &TestApp,
    b: &book::Model,
    from: i64,
    to: i64,
    minor: i64,
    date: NaiveDate,
) {
    let db = &app.app.state.db;
    let transfer = book_transfer::ActiveModel {
        organization_id: Set(b.organization_id),
        book_id: Set(b.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    for (kind, account) in [(TransactionKind::Out, from), (TransactionKind::In, to)] {
        let mut side = row(b, kind, minor, date, account, None);
        side.transfer_id = Set(Some(transfer.id));
        side.description = Set("Transferencia".into());
        side.insert(db).await.unwrap();
    }
}

fn amounts(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| d["amount"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------
// The hand-computed fixture
// ---------------------------------------------------------------------------------------

/// November 2026 of a driver's book:
/// - incomes 10.00 + 12.40 (the REST API's) + 0.10 + 0.20 = 22.70, all received; the 0.20
///   recorded without a date at 23:30 Lima on the 30th;
/// - expenses 13.00 + 13.00 (the REST API's) + 0.10 + 0.20 = 26.30 paid, plus 4.00
///   pending: 30.30 in all; combustible 13.00 + 0.10 + 4.00 = 17.10, otros 13.00 + 0.20
///   = 13.20;
/// - left out: an excluded 500.00 expense and a 100.00 transfer from Efectivo to Yape;
/// - outside the month: an income of 50.00 on October 31st and a pending expense of 9.99
///   on December 1st.
///
/// So the paid balance is the REST API's -3.60; counting the pending expense, -7.60. In
/// binary floating point, 10.00 + 12.40 + 0.10 + 0.20 is 22.700000000000003.
async fn november_fixture(app: &TestApp, document: &str) -> (String, i64) {
    let (token, user_id) = app.new_driver(document).await;
    ok(
        app,
        &token,
        CREATE_ACCOUNT,
        json!({ "kind": "OTHER", "name": "Yape" }),
    )
    .await;
    let (_, categories) = ids(app, &token).await;
    let combustible = id_of(&categories, "code", "combustible");
    let incomes = [
        ("10.00", "2026-11-07"),
        ("12.40", "2026-11-07"),
        ("0.10", "2026-11-15"),
    ];
    for (amount, date) in incomes {
        record(
            app,
            &token,
            json!({ "kind": "IN", "amount": amount, "date": date }),
        )
        .await;
    }
    let late = record(app, &token, json!({ "kind": "IN", "amount": "0.20" })).await;
    assert_eq!(late["date"], "2026-11-30", "today in Lima, not in UTC");
    let expenses = [
        ("13.00", "2026-11-07", Some(&combustible)),
        ("13.00", "2026-11-08", None),
        ("0.10", "2026-11-15", Some(&combustible)),
        ("0.20", "2026-11-16", None),
    ];
    for (amount, date, category) in expenses {
        let mut input = json!({ "kind": "OUT", "amount": amount, "date": date });
        if let Some(category) = category {
            input["categoryId"] = category.clone();
        }
        record(app, &token, input).await;
    }
    let pending = record(
        app,
        &token,
        json!({ "kind": "OUT", "amount": "4.00", "date": "2026-11-29", "paid": false, "categoryId": combustible }),
    )
    .await;
    assert_eq!(pending["paid"], false);
    record(
        app,
        &token,
        json!({ "kind": "OUT", "amount": "500.00", "date": "2026-11-10", "excluded": true }),
    )
    .await;
    record(
        app,
        &token,
        json!({ "kind": "IN", "amount": "50.00", "date": "2026-10-31" }),
    )
    .await;
    let future = record(
        app,
        &token,
        json!({ "kind": "OUT", "amount": "9.99", "date": "2026-12-01" }),
    )
    .await;
    assert_eq!(future["paid"], false, "a future date is pending by default");
    let (b, efectivo) = book_and_account(app, Some(user_id), "Efectivo").await;
    let (_, yape) = book_and_account(app, Some(user_id), "Yape").await;
    insert_transfer(app, &b, efectivo, yape, 10_000, day("2026-11-12")).await;
    (token, user_id)
}

db_test!(
    summaries_match_a_hand_computed_fixture_to_the_cent,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = november_fixture(&app, "71000001").await;

        // The default period is the whole current month in Lima: November.
        let f = data(&app, &token, FINANCIAL, json!({})).await["financialSummary"].clone();
        assert_eq!(f["from"], "2026-11-01");
        assert_eq!(f["to"], "2026-11-30");
        assert_eq!(
            (f["year"].clone(), f["month"].clone()),
            (json!(2026), json!(11))
        );
        assert_eq!(f["monthName"], "November");
        assert_eq!(f["totalIncome"], "22.70");
        assert_eq!(f["totalExpense"], "30.30");
        assert_eq!(f["balance"], "-7.60");
        assert_eq!(f["paidIncome"], "22.70");
        assert_eq!(f["paidExpense"], "26.30");
        assert_eq!(f["paidBalance"], "-3.60");
        assert_eq!(
            (f["incomeCount"].clone(), f["expenseCount"].clone()),
            (json!(4), json!(5))
        );
        assert_eq!(
            amounts(&f["details"]["incomes"]),
            ["0.20", "0.10", "12.40", "10.00"],
            "newest first"
        );
        assert_eq!(
            amounts(&f["details"]["expenses"]),
            ["4.00", "0.20", "0.10", "13.00", "13.00"]
        );
        assert_eq!(f["details"]["expenses"][3]["category"]["code"], "otros");
        assert_eq!(
            f["details"]["expenses"][4]["category"]["code"],
            "combustible"
        );
        assert_eq!(f["details"]["incomesTruncated"], false);

        let i = data(&app, &token, INCOME, json!({})).await["incomeSummary"].clone();
        assert_eq!(i["kind"], "IN");
        assert_eq!(i["monthName"], "November");
        assert_eq!(i["total"], "22.70");
        assert_eq!(i["paidTotal"], "22.70");
        assert_eq!(i["pendingTotal"], "0.00");
        assert_eq!(i["count"], 4);
        assert_eq!(i["detailsTruncated"], false);
        assert_eq!(i["details"][0]["date"], "2026-11-30");
        assert_eq!(i["details"][0]["category"]["code"], "viajes");
        assert_eq!(i["details"][0]["transaction"]["kind"], "IN");
        assert_eq!(i["details"][0]["transaction"]["amount"], "0.20");

        let e = data(&app, &token, EXPENSE, json!({})).await["expenseSummary"].clone();
        assert_eq!(e["kind"], "OUT");
        assert_eq!(e["total"], "30.30");
        assert_eq!(e["paidTotal"], "26.30");
        assert_eq!(e["pendingTotal"], "4.00");
        assert_eq!(e["count"], 5);
        assert_eq!(e["details"][0]["paid"], false);
        assert_eq!(e["details"][0]["category"]["name"], "Combustible");
        let listed: Vec<&str> = e["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["amount"].as_str().unwrap())
            .collect();
        assert!(
            !listed.contains(&"500.00") && !listed.contains(&"100.00"),
            "{listed:?}"
        );

        // All time: October's income and December's pending expense count too.
        let b = data(&app, &token, BALANCE, json!({})).await["balance"].clone();
        assert_eq!(
            b,
            json!({
                "totalIncome": "72.70", "totalExpense": "40.29", "totalBalance": "32.41",
                "paidIncome": "72.70", "paidExpense": "26.30", "paidBalance": "46.40"
            })
        );

        // By category: accrual (the default) counts the pending 4.00.
        let s = data(&app, &token, SPENDING, json!({})).await["spendingByCategory"].clone();
        assert_eq!(
            s,
            json!([
                { "category": { "code": "combustible", "parent": null }, "total": "17.10", "count": 3, "percentage": "56.44" },
                { "category": { "code": "otros", "parent": null }, "total": "13.20", "count": 2, "percentage": "43.56" }
            ])
        );
        // Cash: only what was paid, by the day it was paid; now otros is the biggest.
        let s =
            data(&app, &token, SPENDING, json!({ "basis": "CASH" })).await["spendingByCategory"]
                .clone();
        assert_eq!(
            s,
            json!([
                { "category": { "code": "otros", "parent": null }, "total": "13.20", "count": 2, "percentage": "50.19" },
                { "category": { "code": "combustible", "parent": null }, "total": "13.10", "count": 2, "percentage": "49.81" }
            ])
        );
        let s = data(&app, &token, SPENDING, json!({ "kind": "IN" })).await["spendingByCategory"]
            .clone();
        assert_eq!(
            s,
            json!([{ "category": { "code": "viajes", "parent": null }, "total": "22.70", "count": 4, "percentage": "100.00" }])
        );
        // Another month, asked for by month: October has the one income.
        let october = json!({ "period": { "month": 10, "year": 2026 } });
        let f = data(&app, &token, FINANCIAL, october).await["financialSummary"].clone();
        assert_eq!(
            (f["totalIncome"].clone(), f["totalExpense"].clone()),
            (json!("50.00"), json!("0.00"))
        );
        assert_eq!(f["balance"], "50.00");
        assert_eq!(f["monthName"], "October");
    }
);

db_test!(
    the_last_evening_of_a_month_in_lima_belongs_to_that_month,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000002").await;
        let t = record(&app, &token, json!({ "kind": "OUT", "amount": "8.50" })).await;
        assert_eq!(t["date"], "2026-11-30");
        let e = data(&app, &token, EXPENSE, json!({})).await["expenseSummary"].clone();
        assert_eq!(
            (e["from"].clone(), e["to"].clone()),
            (json!("2026-11-01"), json!("2026-11-30"))
        );
        assert_eq!(e["total"], "8.50");
        assert_eq!(e["count"], 1);
        // In UTC it is already December; in the organization's December there is nothing.
        let december = json!({ "period": { "month": 12, "year": 2026 } });
        let e = data(&app, &token, EXPENSE, december).await["expenseSummary"].clone();
        assert_eq!(e["total"], "0.00");
        assert_eq!(e["details"], json!([]));
    }
);

db_test!(
    periods_by_month_or_by_days_and_their_errors,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000003").await;
        for (amount, date) in [
            ("1.00", "2026-10-15"),
            ("2.00", "2026-11-07"),
            ("4.00", "2026-11-08"),
        ] {
            record(
                &app,
                &token,
                json!({ "kind": "IN", "amount": amount, "date": date }),
            )
            .await;
        }
        let summary = async |period: Value| {
            data(&app, &token, INCOME, json!({ "period": period })).await["incomeSummary"].clone()
        };
        // A month; the year defaults to the current one in Lima (2026).
        let s = summary(json!({ "month": 11 })).await;
        assert_eq!(
            (s["from"].clone(), s["to"].clone(), s["total"].clone()),
            (json!("2026-11-01"), json!("2026-11-30"), json!("6.00"))
        );
        let s = summary(json!({ "month": 2, "year": 2024 })).await;
        assert_eq!(
            (s["from"].clone(), s["to"].clone()),
            (json!("2024-02-01"), json!("2024-02-29"))
        );
        // Days, both included: one day, and a range over two months (no month then).
        let s = summary(json!({ "from": "2026-11-07", "to": "2026-11-07" })).await;
        assert_eq!(
            (s["total"].clone(), s["monthName"].clone()),
            (json!("2.00"), json!("November"))
        );
        let s = summary(json!({ "from": "2026-10-15", "to": "2026-11-07" })).await;
        assert_eq!(s["total"], "3.00");
        assert_eq!(
            (
                s["year"].clone(),
                s["month"].clone(),
                s["monthName"].clone()
            ),
            (Value::Null, Value::Null, Value::Null)
        );
        // `to` defaults to today in Lima.
        let s = summary(json!({ "from": "2026-11-08" })).await;
        assert_eq!(
            (s["to"].clone(), s["total"].clone()),
            (json!("2026-11-30"), json!("4.00"))
        );
        // Exactly one year is accepted.
        let s = summary(json!({ "from": "2025-11-30", "to": "2026-11-30" })).await;
        assert_eq!(s["total"], "7.00");

        for bad in [
            json!({ "from": "2025-11-30", "to": "2026-12-01" }),
            json!({ "from": "2026-11-30", "to": "2026-11-01" }),
            json!({ "month": 13 }),
            json!({ "month": 0, "year": 2026 }),
            json!({ "year": 2026 }),
            json!({ "to": "2026-11-30" }),
            json!({ "month": 11, "from": "2026-11-01" }),
        ] {
            for query in [INCOME, EXPENSE, FINANCIAL, SPENDING] {
                let code = query_error(&app, &token, query, json!({ "period": bad })).await;
                assert_eq!(code, "BAD_USER_INPUT", "{bad} on {query}");
            }
        }
    }
);

// ---------------------------------------------------------------------------------------
// Spending by category
// ---------------------------------------------------------------------------------------

db_test!(
    spending_by_category_lists_subcategories_or_rolls_them_up,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000004").await;
        let (_, categories) = ids(&app, &token).await;
        let combustible = id_of(&categories, "code", "combustible");
        let grifo = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Grifo", "parentId": combustible }),
        )
        .await["category"]["id"]
            .clone();
        let otros = id_of(&categories, "code", "otros");
        for (amount, category) in [
            ("6.00", &combustible),
            ("3.00", &grifo),
            ("1.00", &grifo),
            ("7.00", &otros),
        ] {
            record(&app, &token, json!({ "kind": "OUT", "amount": amount, "date": "2026-11-10", "categoryId": category })).await;
        }
        let s = data(&app, &token, SPENDING, json!({})).await["spendingByCategory"].clone();
        assert_eq!(
            s,
            json!([
                { "category": { "code": "otros", "parent": null }, "total": "7.00", "count": 1, "percentage": "41.18" },
                { "category": { "code": "combustible", "parent": null }, "total": "6.00", "count": 1, "percentage": "35.29" },
                { "category": { "code": "grifo", "parent": { "code": "combustible" } }, "total": "4.00", "count": 2, "percentage": "23.53" }
            ])
        );
        let s = data(&app, &token, SPENDING, json!({ "rollUp": true })).await["spendingByCategory"]
            .clone();
        assert_eq!(
            s,
            json!([
                { "category": { "code": "combustible", "parent": null }, "total": "10.00", "count": 3, "percentage": "58.82" },
                { "category": { "code": "otros", "parent": null }, "total": "7.00", "count": 1, "percentage": "41.18" }
            ])
        );
        // Nothing spent: an empty list, not a division by zero.
        let s = data(
            &app,
            &token,
            SPENDING,
            json!({ "period": { "month": 1, "year": 2026 } }),
        )
        .await;
        assert_eq!(s["spendingByCategory"], json!([]));
    }
);

db_test!(
    a_collector_does_not_see_private_amounts_in_totals,
    |config| { last_evening_of_november(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let collector = app.login(COLLECTOR).await;
        let before_admin =
            data(&app, &admin, FINANCIAL, json!({})).await["financialSummary"]["totalExpense"]
                .clone();
        let before_collector =
            data(&app, &collector, FINANCIAL, json!({})).await["financialSummary"]["totalExpense"]
                .clone();
        let cents = |v: &Value| -> i64 { v.as_str().unwrap().replace('.', "").parse().unwrap() };
        record(
            &app,
            &admin,
            json!({ "kind": "OUT", "amount": "123.45", "private": true }),
        )
        .await;
        record(&app, &admin, json!({ "kind": "OUT", "amount": "1.00" })).await;
        let f = data(&app, &admin, FINANCIAL, json!({})).await["financialSummary"].clone();
        assert_eq!(cents(&f["totalExpense"]) - cents(&before_admin), 12_445);
        let f = data(&app, &collector, FINANCIAL, json!({})).await["financialSummary"].clone();
        assert_eq!(cents(&f["totalExpense"]) - cents(&before_collector), 100);
        let amounts = amounts(&f["details"]["expenses"]);
        assert!(!amounts.contains(&"123.45".to_string()), "{amounts:?}");
    }
);

// ---------------------------------------------------------------------------------------
// Account balances
// ---------------------------------------------------------------------------------------

const ACCOUNT_BALANCES: &str = "{ book { accounts { name
    oct31: balance(asOf: \"2026-10-31\") nov1: balance(asOf: \"2026-11-01\")
    nov4: balance(asOf: \"2026-11-04\") nov9: balance(asOf: \"2026-11-09\")
    nov10: balance(asOf: \"2026-11-10\") nov14: balance(asOf: \"2026-11-14\")
    nov15: balance(asOf: \"2026-11-15\") today: balance } } }";
const ONE_BALANCE: &str = "{ book { accounts { name balance } } }";

db_test!(
    an_account_balance_counts_what_was_paid_by_the_day,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, user_id) = app.new_driver("71000005").await;
        ok(
            &app,
            &token,
            CREATE_ACCOUNT,
            json!({ "kind": "OTHER", "name": "Yape" }),
        )
        .await;
        record(
            &app,
            &token,
            json!({ "kind": "IN", "amount": "100.00", "date": "2026-11-01" }),
        )
        .await;
        // Dated the 5th, paid on the 10th: it leaves the account on the 10th.
        record(&app, &token, json!({ "kind": "OUT", "amount": "30.00", "date": "2026-11-05", "paidOn": "2026-11-10" })).await;
        // Pending: never in the balance.
        record(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "20.00", "date": "2026-11-20", "paid": false }),
        )
        .await;
        // Excluded from reports, but the money did leave the account.
        record(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "5.00", "date": "2026-11-03", "excluded": true }),
        )
        .await;
        let (b, efectivo) = book_and_account(&app, Some(user_id), "Efectivo").await;
        let (_, yape) = book_and_account(&app, Some(user_id), "Yape").await;
        insert_transfer(&app, &b, efectivo, yape, 4_000, day("2026-11-15")).await;

        let before = app.statements();
        let accounts = data(&app, &token, ACCOUNT_BALANCES, json!({})).await["accounts"].clone();
        let many = app.statements() - before;
        let expected = json!([
            { "name": "Efectivo", "oct31": "0.00", "nov1": "100.00", "nov4": "95.00", "nov9": "95.00",
              "nov10": "65.00", "nov14": "65.00", "nov15": "25.00", "today": "25.00" },
            { "name": "Yape", "oct31": "0.00", "nov1": "0.00", "nov4": "0.00", "nov9": "0.00",
              "nov10": "0.00", "nov14": "0.00", "nov15": "40.00", "today": "40.00" }
        ]);
        assert_eq!(accounts, expected);

        // Eight days on two accounts cost what one day costs: one grouped statement.
        let before = app.statements();
        data(&app, &token, ONE_BALANCE, json!({})).await;
        let one = app.statements() - before;
        assert_eq!(many, one, "statements for 16 balances vs 2");

        // Paying the pending expense on the 25th moves the balance from the 25th on.
        let pending = data(
            &app,
            &token,
            "{ book { expenseSummary { details { paid transaction { id } } } } }",
            json!({}),
        )
        .await["expenseSummary"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["paid"] == false)
            .unwrap()["transaction"]["id"]
            .clone();
        ok(
            &app,
            &token,
            "mutation($input: UpdateTransactionInput!) { updateTransaction(input: $input) { transaction { id } userErrors { field code } } }",
            json!({ "id": pending, "paidOn": "2026-11-25" }),
        )
        .await;
        let q = "{ book { accounts { name before: balance(asOf: \"2026-11-24\") after: balance(asOf: \"2026-11-25\") } } }";
        let accounts = data(&app, &token, q, json!({})).await["accounts"].clone();
        assert_eq!(
            accounts[0],
            json!({ "name": "Efectivo", "before": "25.00", "after": "5.00" })
        );
    }
);

// ---------------------------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------------------------

db_test!(
    budgets_show_actual_and_predicted_totals_by_month_and_by_year,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000006").await;
        let (_, categories) = ids(&app, &token).await;
        let combustible = id_of(&categories, "code", "combustible");
        let otros = id_of(&categories, "code", "otros");
        let grifo = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Grifo", "parentId": combustible }),
        )
        .await["category"]["id"]
            .clone();
        let spend = [
            json!({ "amount": "40.00", "date": "2026-11-03", "categoryId": combustible }),
            json!({ "amount": "10.00", "date": "2026-11-04", "categoryId": grifo }),
            json!({ "amount": "25.00", "date": "2026-11-25", "categoryId": combustible, "paid": false }),
            json!({ "amount": "1000.00", "date": "2026-11-26", "categoryId": combustible, "excluded": true }),
            json!({ "amount": "15.00", "date": "2026-12-02", "categoryId": combustible }),
            json!({ "amount": "3.00", "date": "2026-11-05", "categoryId": otros }),
            json!({ "amount": "99.00", "date": "2026-10-31", "categoryId": combustible }),
        ];
        for mut input in spend {
            input["kind"] = json!("OUT");
            record(&app, &token, input).await;
        }
        let set = async |category: &Value, year: i32, month: i32, amount: &str| {
            ok(
                &app,
                &token,
                SET_BUDGET,
                json!({ "categoryId": category, "year": year, "month": month, "amount": amount }),
            )
            .await["budget"]
                .clone()
        };
        // The parent's budget covers its subcategory; the pending 25.00 is only predicted.
        let b = set(&combustible, 2026, 11, "150.00").await;
        assert_eq!(
            b,
            json!({ "category": { "code": "combustible" }, "year": 2026, "month": 11, "amount": "150.00",
                    "actualTotal": "50.00", "predictedTotal": "75.00", "percentage": "33.33", "predictedPercentage": "50.00" })
        );
        let b = set(&grifo, 2026, 11, "20.00").await;
        assert_eq!(
            (b["actualTotal"].clone(), b["percentage"].clone()),
            (json!("10.00"), json!("50.00"))
        );
        // December's 15.00 is in the future, so pending: 0 % reached, 150 % predicted.
        let b = set(&combustible, 2026, 12, "10.00").await;
        assert_eq!(
            (
                b["actualTotal"].clone(),
                b["predictedTotal"].clone(),
                b["percentage"].clone(),
                b["predictedPercentage"].clone()
            ),
            (
                json!("0.00"),
                json!("15.00"),
                json!("0.00"),
                json!("150.00")
            )
        );
        let b = set(&otros, 2026, 11, "3.00").await;
        assert_eq!(b["percentage"], "100.00");

        let codes = |list: &Value| -> Vec<(String, i64)> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["category"]["code"].as_str().unwrap().to_string(),
                        b["month"].as_i64().unwrap(),
                    )
                })
                .collect()
        };
        let month =
            data(&app, &token, BUDGETS, json!({ "year": 2026, "month": 11 })).await["budgets"]
                .clone();
        assert_eq!(
            codes(&month),
            [
                ("combustible".into(), 11),
                ("grifo".into(), 11),
                ("otros".into(), 11)
            ],
            "by category name"
        );
        assert_eq!(month[0]["actualTotal"], "50.00");
        // Without arguments: the current month where the organization is (still November
        // at 23:30 in Lima, though December in UTC), as Organizze's /budgets.
        let current = data(&app, &token, BUDGETS, json!({})).await["budgets"].clone();
        assert_eq!(current, month);
        let month_only =
            data(&app, &token, BUDGETS, json!({ "month": 12 })).await["budgets"].clone();
        assert_eq!(codes(&month_only), [("combustible".into(), 12)]);
        let year = data(&app, &token, BUDGETS, json!({ "year": 2026 })).await["budgets"].clone();
        assert_eq!(
            codes(&year),
            [
                ("combustible".into(), 11),
                ("grifo".into(), 11),
                ("otros".into(), 11),
                ("combustible".into(), 12)
            ]
        );
        assert_eq!(year[3]["predictedTotal"], "15.00");
        assert_eq!(
            year[0]["predictedTotal"], "75.00",
            "October's 99.00 is not November's"
        );
        let empty = data(&app, &token, BUDGETS, json!({ "year": 2025 })).await;
        assert_eq!(empty["budgets"], json!([]));

        // Setting again replaces; 0 removes.
        let b = set(&combustible, 2026, 11, "200.00").await;
        assert_eq!(
            (b["amount"].clone(), b["percentage"].clone()),
            (json!("200.00"), json!("25.00"))
        );
        let removed = ok(
            &app,
            &token,
            SET_BUDGET,
            json!({ "categoryId": otros, "year": 2026, "month": 11, "amount": "0" }),
        )
        .await;
        assert_eq!(removed["budget"], Value::Null);
        let month =
            data(&app, &token, BUDGETS, json!({ "year": 2026, "month": 11 })).await["budgets"]
                .clone();
        assert_eq!(
            codes(&month),
            [("combustible".into(), 11), ("grifo".into(), 11)]
        );
        assert_eq!(month[0]["amount"], "200.00");
    }
);

db_test!(
    budgets_refuse_bad_input,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000007").await;
        let (stranger, _) = app.new_driver("71000008").await;
        let (_, categories) = ids(&app, &token).await;
        let (_, theirs) = ids(&app, &stranger).await;
        let mine = id_of(&categories, "code", "combustible");
        let input = |category: &Value, year: i32, month: i32, amount: &str| json!({ "categoryId": category, "year": year, "month": month, "amount": amount });
        for (bad, field, code) in [
            (input(&mine, 2026, 11, "-1.00"), "amount", "INVALID_AMOUNT"),
            (
                input(&mine, 2026, 11, "1000000000.01"),
                "amount",
                "INVALID_AMOUNT",
            ),
            (input(&mine, 2026, 13, "10.00"), "month", "OUT_OF_RANGE"),
            (input(&mine, 2026, 0, "10.00"), "month", "OUT_OF_RANGE"),
            (input(&mine, 1999, 11, "10.00"), "year", "OUT_OF_RANGE"),
            (
                input(&id_of(&theirs, "code", "combustible"), 2026, 11, "10.00"),
                "categoryId",
                "NOT_FOUND",
            ),
        ] {
            assert_eq!(
                refused(&app, &token, SET_BUDGET, bad.clone()).await,
                (field.to_string(), code.to_string()),
                "{bad}"
            );
        }
        // Nothing was stored, not even for the stranger's category.
        for t in [&token, &stranger] {
            let b = data(&app, t, BUDGETS, json!({ "year": 2026 })).await;
            assert_eq!(b["budgets"], json!([]));
        }
        // More than two decimals is not a Decimal at all; an ID of another type is no category.
        assert_eq!(
            error_code(&app, &token, SET_BUDGET, input(&mine, 2026, 11, "1.001")).await,
            "BAD_USER_INPUT"
        );
        let account = id_of(&ids(&app, &token).await.0, "name", "Efectivo");
        assert_eq!(
            error_code(&app, &token, SET_BUDGET, input(&account, 2026, 11, "1.00")).await,
            "BAD_USER_INPUT"
        );
        for bad in [
            json!({ "year": 2026, "month": 13 }),
            json!({ "year": 1999 }),
        ] {
            assert_eq!(
                query_error(&app, &token, BUDGETS, bad).await,
                "BAD_USER_INPUT"
            );
        }
        // COLLECTORs read the business book's budgets but do not set them.
        let collector = app.login(COLLECTOR).await;
        let (_, business) = ids(&app, &collector).await;
        let category = id_of(&business, "code", "otros");
        assert_eq!(
            error_code(
                &app,
                &collector,
                SET_BUDGET,
                input(&category, 2026, 11, "10.00")
            )
            .await,
            "FORBIDDEN"
        );
        let admin = app.login(ADMIN).await;
        ok(
            &app,
            &admin,
            SET_BUDGET,
            input(&category, 2026, 11, "10.00"),
        )
        .await;
        let b = data(
            &app,
            &collector,
            BUDGETS,
            json!({ "year": 2026, "month": 11 }),
        )
        .await;
        let otros = b["budgets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["category"]["code"] == "otros")
            .unwrap()
            .clone();
        assert_eq!(otros["amount"], "10.00");
    }
);

db_test!(
    deleting_a_category_moves_its_budgets,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, _) = app.new_driver("71000009").await;
        let (_, categories) = ids(&app, &token).await;
        let otros = id_of(&categories, "code", "otros");
        let combustible = id_of(&categories, "code", "combustible");
        let new_category = async |name: &str| {
            ok(
                &app,
                &token,
                CREATE_CATEGORY,
                json!({ "kind": "EXPENSE", "name": name }),
            )
            .await["category"]["id"]
                .clone()
        };
        let peajes = new_category("Peajes").await;
        let lavado = new_category("Lavado").await;
        let set = async |category: &Value, month: i32, amount: &str| {
            ok(
                &app,
                &token,
                SET_BUDGET,
                json!({ "categoryId": category, "year": 2026, "month": month, "amount": amount }),
            )
            .await;
        };
        set(&peajes, 11, "30.00").await;
        set(&peajes, 12, "5.00").await;
        set(&otros, 11, "20.00").await;
        set(&lavado, 11, "8.00").await;
        record(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "12.00", "date": "2026-11-02", "categoryId": peajes }),
        )
        .await;

        // Without replacement: to the default category (otros); November's budgets add up.
        ok(&app, &token, DELETE_CATEGORY, json!({ "id": peajes })).await;
        let year = data(&app, &token, BUDGETS, json!({ "year": 2026 })).await["budgets"].clone();
        let rows: Vec<(String, i64, String, String)> = year
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["category"]["code"].as_str().unwrap().to_string(),
                    b["month"].as_i64().unwrap(),
                    b["amount"].as_str().unwrap().to_string(),
                    b["actualTotal"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("lavado".into(), 11, "8.00".into(), "0.00".into()),
                ("otros".into(), 11, "50.00".into(), "12.00".into()),
                ("otros".into(), 12, "5.00".into(), "0.00".into()),
            ]
        );
        // With a replacement: to it.
        ok(
            &app,
            &token,
            DELETE_CATEGORY,
            json!({ "id": lavado, "replacementId": combustible }),
        )
        .await;
        let month =
            data(&app, &token, BUDGETS, json!({ "year": 2026, "month": 11 })).await["budgets"]
                .clone();
        assert_eq!(month[0]["category"]["code"], "combustible");
        assert_eq!(month[0]["amount"], "8.00");
        assert_eq!(month.as_array().unwrap().len(), 2);
    }
);

// ---------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------

const EVERYTHING: &str = "{ book {
    incomeSummary { total count details { amount category { code } transaction { id tags { name } } } }
    expenseSummary { total details { amount category { code parent { code } } } }
    financialSummary { balance details { incomes { amount } expenses { amount category { code } } } }
    balance { totalBalance }
    spendingByCategory { category { code } total percentage }
    rolled: spendingByCategory(rollUpSubcategories: true) { category { code } total }
    budgets(year: 2026) { category { code parent { code } } amount actualTotal predictedTotal }
    accounts { name balance } } }";

db_test!(
    summaries_and_budgets_cost_the_same_whatever_the_rows,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, user_id) = app.new_driver("71000010").await;
        ok(
            &app,
            &token,
            CREATE_ACCOUNT,
            json!({ "kind": "OTHER", "name": "Yape" }),
        )
        .await;
        let (_, categories) = ids(&app, &token).await;
        let combustible = id_of(&categories, "code", "combustible");
        let grifo = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Grifo", "parentId": combustible }),
        )
        .await["category"]["id"]
            .clone();
        record(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "1.00", "categoryId": grifo, "tagNames": ["uber"] }),
        )
        .await;
        record(
            &app,
            &token,
            json!({ "kind": "IN", "amount": "1.00", "tagNames": ["uber"] }),
        )
        .await;
        ok(
            &app,
            &token,
            SET_BUDGET,
            json!({ "categoryId": grifo, "year": 2026, "month": 11, "amount": "5.00" }),
        )
        .await;

        let mut counts = Vec::new();
        for round in 0..2 {
            let before = app.statements();
            let body = app.gql(EVERYTHING, json!({}), Some(&token)).await;
            counts.push(app.statements() - before);
            assert!(body["errors"].is_null(), "{body}");
            if round == 0 {
                let codes = ["combustible", "otros", "mantenimiento", "gastos_personales"];
                for (i, code) in codes.iter().enumerate() {
                    let category = id_of(&categories, "code", code);
                    for month in [10, 11, 12] {
                        let date = format!("2026-{month}-{:02}", 3 + i);
                        for kind in ["IN", "OUT"] {
                            let mut input = json!({ "kind": kind, "amount": format!("{}.25", i + 2), "date": date, "tagNames": [format!("t{i}")] });
                            if kind == "OUT" {
                                input["categoryId"] = category.clone();
                            }
                            record(&app, &token, input).await;
                        }
                        ok(&app, &token, SET_BUDGET, json!({ "categoryId": category, "year": 2026, "month": month, "amount": "50.00" })).await;
                    }
                }
                let (b, efectivo) = book_and_account(&app, Some(user_id), "Efectivo").await;
                let (_, yape) = book_and_account(&app, Some(user_id), "Yape").await;
                insert_transfer(&app, &b, efectivo, yape, 700, day("2026-11-20")).await;
                ok(
                    &app,
                    &token,
                    CREATE_ACCOUNT,
                    json!({ "kind": "OTHER", "name": "Plin" }),
                )
                .await;
            }
        }
        // 17 fixed statements: the book (with its organization and recurring series, which
        // the six readers over a period then share), its summaries' own totals and details,
        // one per loader and level. A loader's keys of one level may go out in two batches
        // when a summary's own query returns while the level is being resolved, so the count
        // may vary by one or two between runs; 24 more rows must not add 24 statements.
        assert!(
            counts.iter().all(|c| (17..=19).contains(c)),
            "statements for one query, before and after adding rows: {counts:?}"
        );
    }
);

db_test!(
    details_stop_at_a_thousand_but_totals_do_not,
    |config| { last_evening_of_november(config) },
    |app| {
        let (token, user_id) = app.new_driver("71000011").await;
        record(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "0.01", "date": "2026-11-01" }),
        )
        .await;
        let (b, efectivo) = book_and_account(&app, Some(user_id), "Efectivo").await;
        let category = book_category::Entity::find()
            .filter(book_category::Column::BookId.eq(b.id))
            .filter(book_category::Column::Code.eq("otros"))
            .one(&app.app.state.db)
            .await
            .unwrap()
            .unwrap();
        // 1,000 more of 0.10 each through the entities: 100.01 in all, 1,001 rows.
        let rows: Vec<_> = (0..1000)
            .map(|i| {
                row(
                    &b,
                    TransactionKind::Out,
                    10,
                    day("2026-11-02") + chrono::Days::new(i % 28),
                    efectivo,
                    Some(category.id),
                )
            })
            .collect();
        for chunk in rows.chunks(200) {
            book_transaction::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&app.app.state.db)
                .await
                .unwrap();
        }
        let e = data(&app, &token, EXPENSE, json!({})).await["expenseSummary"].clone();
        assert_eq!(e["total"], "100.01");
        assert_eq!(e["count"], 1001);
        assert_eq!(e["detailsTruncated"], true);
        let details = e["details"].as_array().unwrap();
        assert_eq!(details.len(), 1000);
        assert_eq!(details[0]["date"], "2026-11-29", "the newest kept");
        assert!(
            details.iter().all(|d| d["amount"] == "0.10"),
            "the oldest (0.01) is the one cut"
        );
        let f = data(&app, &token, FINANCIAL, json!({})).await["financialSummary"].clone();
        assert_eq!(f["details"]["expensesTruncated"], true);
        assert_eq!(f["details"]["incomesTruncated"], false);
        assert_eq!(f["balance"], "-100.01");
    }
);

/// Mid-afternoon on November 20th in Lima: the demo data then holds September to
/// November 20th.
pub fn november_20th(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 20, 20, 0, 0).unwrap());
}

const DEMO: &str = "{ book {
    september: financialSummary(period: { year: 2026, month: 9 }) { totalIncome totalExpense balance }
    october: financialSummary(period: { year: 2026, month: 10 }) { totalIncome totalExpense balance }
    november: financialSummary { monthName totalIncome totalExpense balance }
    spendingByCategory { category { code } total }
    budgets { category { code } amount actualTotal percentage }
    accounts { name balance }
    transfers: transactions(filter: { transfers: true }) { totalCount }
    pending: transactions(filter: { status: PENDING, period: { from: \"2026-11-01\", to: \"2026-12-31\" } }) { nodes { description amount } }
} }";

db_test!(
    the_demo_driver_has_three_months_of_books,
    |config| { november_20th(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let body = app.gql(DEMO, json!({}), Some(&token)).await;
        assert!(body["errors"].is_null(), "{body}");
        let book = &body["data"]["book"];
        let positive = |v: &Value| v != "0.00" && !v.as_str().unwrap().starts_with('-');
        for month in ["september", "october", "november"] {
            assert!(positive(&book[month]["totalIncome"]), "{month}: {book}");
            assert!(positive(&book[month]["totalExpense"]), "{month}: {book}");
        }
        assert_eq!(book["november"]["monthName"], "November");
        let codes: Vec<&str> = book["spendingByCategory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["category"]["code"].as_str().unwrap())
            .collect();
        for code in ["combustible", "mantenimiento", "gastos_personales"] {
            assert!(codes.contains(&code), "{codes:?}");
        }
        assert_eq!(book["budgets"].as_array().unwrap().len(), 3, "{book}");
        let names: Vec<&str> = book["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Efectivo", "Cuenta BCP"]);
        // November's withdrawal and the payment of October's card statement: two
        // transfers, two sides each.
        assert_eq!(book["transfers"]["totalCount"], 4);
        assert_eq!(
            book["pending"]["nodes"],
            // December's card charges (an installment, the phone plan) and the SOAT bill.
            json!([
                { "description": "Llantas nuevas", "amount": "200.00" },
                { "description": "Plan de celular", "amount": "59.90" },
                { "description": "Renovación del SOAT", "amount": "450.00" },
            ])
        );
    }
);
