//! Books whose figures never depend on what was read (issue 20): a recurring series is a
//! rule, its occurrences are computed when a period is read and stored only when one is
//! changed, paid or deleted. So all-time figures (the balance, the incomes and expenses
//! listed without a period) are the same whatever was read before and in whatever
//! order, and reading writes no row. "Today" is 2026-11-24 in Lima.

use gateway::entities::book_transaction;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    book_transactions::noon_in_lima,
    common::{DRIVER, TestApp, ok},
    db_test,
};

const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id } userErrors { field code message } } }";
const UPDATE: &str = "mutation($input: UpdateTransactionInput!) { updateTransaction(input: $input) { affectedCount transaction { id amount date paid } userErrors { field code message } } }";
const DELETE: &str = "mutation($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { affectedCount deletedIds userErrors { field code message } } }";

/// What a driver sees of all time: the balance and every income and expense listed.
const ALL_TIME: &str =
    "{ book { balance { totalIncome totalExpense paidIncome paidExpense totalBalance }
    incomes(first: 100) { totalCount nodes { id date amount } }
    expenses(first: 100) { totalCount nodes { id date amount } } } }";

/// Reads that reach far from today: periods in the future and the past, summaries,
/// budgets and spending.
const FAR_READS: [&str; 6] = [
    r#"{ book { transactions(filter: { period: { from: "2027-01-01", to: "2027-12-31" } }, first: 100) { totalCount } } }"#,
    r#"{ book { transactions(filter: { period: { from: "2025-01-01", to: "2025-12-31" } }, first: 100) { totalCount } } }"#,
    r#"{ book { expenseSummary(period: { year: 2027, month: 12 }) { total count } } }"#,
    r#"{ book { financialSummary(period: { year: 2030, month: 6 }) { totalExpense totalIncome } } }"#,
    r#"{ book { budgets(year: 2027) { predictedTotal } } }"#,
    r#"{ book { spendingByCategory(period: { year: 2028, month: 2 }) { total } } }"#,
];

async fn read(app: &TestApp, token: &str, query: &str) -> Value {
    let body = app.gql(query, json!({}), Some(token)).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

async fn rows(app: &TestApp) -> u64 {
    book_transaction::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

/// A monthly 10.00 expense from Aug 15 and a weekly 5.00 income from Nov 3: up to today
/// (Nov 24) four of each, of which the first ones are stored (paid, as past).
async fn two_series(app: &TestApp, token: &str) {
    ok(
        app,
        token,
        CREATE,
        json!({ "kind": "OUT", "amount": "10.00", "description": "Streaming", "date": "2026-08-15",
                "recurrence": { "periodicity": "MONTHLY" } }),
    )
    .await;
    ok(
        app,
        token,
        CREATE,
        json!({ "kind": "IN", "amount": "5.00", "description": "Tips", "date": "2026-11-03",
                "recurrence": { "periodicity": "WEEKLY" } }),
    )
    .await;
}

fn dates(list: &Value) -> Vec<&str> {
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["date"].as_str().unwrap())
        .collect()
}

db_test!(
    the_demo_drivers_balance_is_the_same_before_and_after_reading_other_months,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let before = read(&app, &token, ALL_TIME).await;
        let rows_before = rows(&app).await;
        for query in FAR_READS {
            read(&app, &token, query).await;
        }
        assert_eq!(read(&app, &token, ALL_TIME).await, before);
        assert_eq!(rows(&app).await, rows_before, "reading wrote rows");
    }
);

db_test!(
    all_time_figures_count_occurrences_up_to_today_whatever_was_read,
    |config| { noon_in_lima(config) },
    |app| {
        let (first, _) = app.new_driver("71200001").await;
        let (second, _) = app.new_driver("71200002").await;
        two_series(&app, &first).await;
        two_series(&app, &second).await;

        // The first driver reads all time first, then far periods, then all time again.
        let rows_before = rows(&app).await;
        let seen = read(&app, &first, ALL_TIME).await;
        let book = &seen["book"];
        assert_eq!(
            book["balance"],
            json!({ "totalIncome": "20.00", "totalExpense": "40.00", "paidIncome": "5.00",
                    "paidExpense": "10.00", "totalBalance": "-20.00" })
        );
        assert_eq!(
            dates(&book["expenses"]),
            ["2026-11-15", "2026-10-15", "2026-09-15", "2026-08-15"]
        );
        assert_eq!(book["expenses"]["totalCount"], 4);
        assert_eq!(
            dates(&book["incomes"]),
            ["2026-11-24", "2026-11-17", "2026-11-10", "2026-11-03"]
        );
        assert_eq!(book["incomes"]["totalCount"], 4);
        for query in FAR_READS {
            read(&app, &first, query).await;
        }
        assert_eq!(read(&app, &first, ALL_TIME).await, seen);

        // The second reads far periods first: the same figures, the same IDs' shape.
        for query in FAR_READS.iter().rev() {
            read(&app, &second, query).await;
        }
        let other = read(&app, &second, ALL_TIME).await;
        assert_eq!(other["book"]["balance"], book["balance"]);
        assert_eq!(dates(&other["book"]["expenses"]), dates(&book["expenses"]));
        assert_eq!(dates(&other["book"]["incomes"]), dates(&book["incomes"]));
        assert_eq!(rows(&app).await, rows_before, "reading wrote rows");

        // A far month counts its occurrence, and only a period that holds one shows it.
        let december = read(
            &app,
            &first,
            r#"{ book { expenseSummary(period: { year: 2027, month: 12 }) { total count } } }"#,
        )
        .await;
        assert_eq!(
            december["book"]["expenseSummary"],
            json!({ "total": "10.00", "count": 1 })
        );
    }
);

db_test!(
    an_occurrence_without_a_row_is_stored_by_its_first_change,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71200003").await;
        ok(
            &app,
            &token,
            CREATE,
            json!({ "kind": "OUT", "amount": "30.00", "description": "Gym", "date": "2026-11-20",
                    "tagNames": ["health"], "recurrence": { "periodicity": "MONTHLY" } }),
        )
        .await;
        let february = r#"{ book { transactions(filter: { period: { year: 2027, month: 2 } }) { nodes { id amount date tags { name } } } } }"#;
        let listed = read(&app, &token, february).await;
        let occurrence = listed["book"]["transactions"]["nodes"][0].clone();
        assert_eq!(occurrence["date"], "2027-02-20");
        assert_eq!(occurrence["tags"], json!([{ "name": "health" }]));
        let id = occurrence["id"].as_str().unwrap().to_string();

        // Its ID names it, and a filter by its series' tags finds it.
        let node =
            "query($id: ID!) { node(id: $id) { ... on Transaction { id amount date paid } } }";
        let found = app.gql(node, json!({ "id": id }), Some(&token)).await;
        assert_eq!(found["data"]["node"]["date"], "2027-02-20", "{found}");
        let tagged = read(&app, &token, r#"{ book { tags { id name } } }"#).await;
        let tag = tagged["book"]["tags"][0]["id"].clone();
        let by_tag = app
            .gql(
                "query($t: [ID!]) { book { transactions(filter: { period: { year: 2027, month: 2 }, tagIds: $t }) { nodes { id } } } }",
                json!({ "t": [tag] }),
                Some(&token),
            )
            .await;
        assert_eq!(
            by_tag["data"]["book"]["transactions"]["nodes"],
            json!([{ "id": id }]),
            "{by_tag}"
        );

        // Its first change stores it, under a new ID; the old one still names it.
        let before = rows(&app).await;
        let changed = ok(&app, &token, UPDATE, json!({ "id": id, "amount": "35.00" })).await;
        assert_eq!(rows(&app).await, before + 1);
        let stored_id = changed["transaction"]["id"].as_str().unwrap().to_string();
        assert_ne!(stored_id, id);
        assert_eq!(changed["transaction"]["amount"], "35.00");
        let found = app.gql(node, json!({ "id": id }), Some(&token)).await;
        assert_eq!(found["data"]["node"]["id"], stored_id.as_str(), "{found}");
        assert_eq!(found["data"]["node"]["amount"], "35.00");
        let listed = read(&app, &token, february).await;
        assert_eq!(
            listed["book"]["transactions"]["nodes"],
            json!([{ "id": stored_id, "amount": "35.00", "date": "2027-02-20", "tags": [{ "name": "health" }] }])
        );
        // The months around it still follow the series.
        let march = read(
            &app,
            &token,
            r#"{ book { transactions(filter: { period: { year: 2027, month: 3 } }) { nodes { amount } } } }"#,
        )
        .await;
        assert_eq!(
            march["book"]["transactions"]["nodes"],
            json!([{ "amount": "30.00" }])
        );

        // Deleting one without a row skips it for good; its ID then names nothing.
        let april = r#"{ book { transactions(filter: { period: { year: 2027, month: 4 } }) { nodes { id } } } }"#;
        let april_id =
            read(&app, &token, april).await["book"]["transactions"]["nodes"][0]["id"].clone();
        let gone = ok(&app, &token, DELETE, json!({ "id": april_id })).await;
        assert_eq!(gone["affectedCount"], 1);
        assert_eq!(
            read(&app, &token, april).await["book"]["transactions"]["nodes"],
            json!([])
        );
        let found = app.gql(node, json!({ "id": april_id }), Some(&token)).await;
        assert_eq!(found["data"]["node"], Value::Null, "{found}");
    }
);

db_test!(
    expenses_page_through_every_occurrence_up_to_today,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71200004").await;
        // Every Monday from Jan 6 2025: 99 up to Mon Nov 23 2026.
        ok(
            &app,
            &token,
            CREATE,
            json!({ "kind": "OUT", "amount": "2.00", "description": "Parking", "date": "2025-01-06",
                    "recurrence": { "periodicity": "WEEKLY" } }),
        )
        .await;
        ok(
            &app,
            &token,
            CREATE,
            json!({ "kind": "OUT", "amount": "7.00", "description": "Lunch", "date": "2026-03-04" }),
        )
        .await;
        // One paid on its own (stored), one deleted (skipped).
        let week = |from: &str| {
            format!(
                r#"{{ book {{ transactions(filter: {{ period: {{ from: "{from}", to: "{from}" }} }}) {{ nodes {{ id }} }} }} }}"#
            )
        };
        let paid = read(&app, &token, &week("2026-06-01")).await["book"]["transactions"]["nodes"]
            [0]["id"]
            .clone();
        ok(&app, &token, UPDATE, json!({ "id": paid, "paid": true })).await;
        let skipped =
            read(&app, &token, &week("2026-06-08")).await["book"]["transactions"]["nodes"][0]["id"]
                .clone();
        ok(&app, &token, DELETE, json!({ "id": skipped })).await;

        let page = "query($after: String) { book { expenses(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id date amount paid } } } }";
        let mut after = Value::Null;
        let mut seen: Vec<Value> = Vec::new();
        let mut total = None;
        loop {
            let body = app.gql(page, json!({ "after": after }), Some(&token)).await;
            assert!(body["errors"].is_null(), "{body}");
            let list = &body["data"]["book"]["expenses"];
            total = total.or(list["totalCount"].as_u64());
            assert_eq!(list["totalCount"].as_u64(), total);
            seen.extend(list["nodes"].as_array().unwrap().iter().cloned());
            if list["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = list["pageInfo"]["endCursor"].clone();
        }
        // 99 Mondays less the skipped one, and the lunch.
        assert_eq!(seen.len(), 99);
        assert_eq!(total, Some(99));
        let listed_dates: Vec<&str> = seen.iter().map(|n| n["date"].as_str().unwrap()).collect();
        let mut sorted = listed_dates.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(listed_dates, sorted, "newest first");
        assert_eq!(listed_dates[0], "2026-11-23");
        assert_eq!(listed_dates[98], "2025-01-06");
        assert!(!listed_dates.contains(&"2026-06-08"));
        assert!(listed_dates.contains(&"2026-03-04"));
        let mut ids: Vec<&str> = seen.iter().map(|n| n["id"].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 99, "no row twice");
        let paid_ones: Vec<&str> = seen
            .iter()
            .filter(|n| n["paid"] == true)
            .map(|n| n["date"].as_str().unwrap())
            .collect();
        assert_eq!(paid_ones, ["2026-06-01", "2026-03-04", "2025-01-06"]);

        // Paging backward from the end gives the oldest.
        let oldest = read(
            &app,
            &token,
            "{ book { expenses(last: 3) { pageInfo { hasPreviousPage } nodes { date } } } }",
        )
        .await;
        assert_eq!(
            dates(&oldest["book"]["expenses"]),
            ["2025-01-20", "2025-01-13", "2025-01-06"]
        );
        assert_eq!(
            oldest["book"]["expenses"]["pageInfo"]["hasPreviousPage"],
            true
        );
        // The balance agrees with the list: 98 × 2.00 + 7.00.
        let balance = read(&app, &token, "{ book { balance { totalExpense } } }").await;
        assert_eq!(balance["book"]["balance"]["totalExpense"], "203.00");
    }
);
