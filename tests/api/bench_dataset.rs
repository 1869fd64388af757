//! The benchmark dataset and operations of issue 9 (`benches/`), checked for what a timed
//! run cannot show: `seed --bench` loads, the benchmarked queries answer without errors,
//! and their SQL statements stay within the query's depth, whatever the number of drivers.

use async_graphql::parser::{
    parse_query,
    types::{Selection, SelectionSet},
};
use gateway::{
    entities::{client_profile, contract, invoice, organization, user, wallet_movement},
    seed::bench::{
        BENCH_ORGANIZATION_SLUG, BENCH_PASSWORD, BENCH_SALES_INVOICES, BENCH_STAFF_DOCUMENT,
        CONTRACTS_PER_CLIENT, INVOICES_PER_CONTRACT, driver_document, seed_bench,
    },
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Value, json};

use crate::{
    common::{TestApp, mutation, ok},
    db_test,
};

const NESTED_PAGE: &str = include_str!("../../benches/queries/nested_page.graphql");
const DASHBOARD: &str = include_str!("../../benches/queries/dashboard.graphql");
/// The staff's other pages of drivers (`benches/run.sh` operations 5 to 7, and 9).
const STAFF_PAGES: [(&str, &str); 4] = [
    (
        "nested page with when each contract was created",
        include_str!("../../benches/queries/nested_page_created.graphql"),
    ),
    (
        "invoices with type, discounts and amount to pay",
        include_str!("../../benches/queries/invoices_computed.graphql"),
    ),
    (
        "nested page as edges",
        include_str!("../../benches/queries/nested_page_edges.graphql"),
    ),
    (
        "wallets with their last movements",
        include_str!("../../benches/queries/wallets.graphql"),
    ),
];
const BOOK_PAGE: &str = include_str!("../../benches/queries/book_page.graphql");
const SALES_INVOICES: &str = include_str!("../../benches/queries/sales_invoices.graphql");

/// How deep the document's fields nest (fragments add no level), as the depth limit counts.
fn depth(document: &str) -> usize {
    fn level(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => 1 + level(&field.node.selection_set.node),
                Selection::InlineFragment(fragment) => level(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let document = parse_query(document).expect("a valid document");
    document
        .operations
        .iter()
        .map(|(_, op)| level(&op.node.selection_set.node))
        .max()
        .unwrap_or(0)
}

/// The token of the first driver of a new bench organization of five drivers.
async fn first_driver_of_five(app: &TestApp) -> String {
    seed_bench(&app.app.state.db, &app.app.state.config, "bench-5", 5)
        .await
        .expect("bench data");
    login(app, "bench-5", &driver_document(0)).await
}

async fn login(app: &TestApp, organization: &str, document: &str) -> String {
    let body = app
        .gql(
            "mutation($input: LoginInput!) { login(input: $input) { session { accessToken } userErrors { code } } }",
            json!({ "input": { "document": document, "password": BENCH_PASSWORD, "organization": organization } }),
            None,
        )
        .await;
    body["data"]["login"]["session"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("login of {document} in {organization} failed: {body}"))
        .to_string()
}

/// Runs `document` and returns the reply with the SQL statements it cost.
async fn measured(app: &TestApp, document: &str, variables: Value, token: &str) -> (Value, u64) {
    let before = app.statements();
    let body = app.gql(document, variables, Some(token)).await;
    let statements = app.statements() - before;
    assert!(body["errors"].is_null(), "{body}");
    (body, statements)
}

/// Statements of the nested page (all drivers of the organization, at most 50), of
/// driver 0's dashboard, of the staff's other pages (the sales invoices' too) and of
/// driver 1's book page, in an
/// organization of `clients` drivers; each with its document.
async fn costs(app: &TestApp, clients: usize) -> Vec<(&'static str, u64)> {
    let slug = format!("bench-{clients}");
    seed_bench(&app.app.state.db, &app.app.state.config, &slug, clients)
        .await
        .expect("bench data");
    let staff = login(app, &slug, BENCH_STAFF_DOCUMENT).await;
    let (page, page_statements) = measured(app, NESTED_PAGE, json!({ "first": 50 }), &staff).await;
    let drivers = page["data"]["clients"]["nodes"].as_array().unwrap();
    assert_eq!(drivers.len(), clients.min(50));
    for driver in drivers {
        let contracts = driver["contracts"].as_array().unwrap();
        assert_eq!(contracts.len(), CONTRACTS_PER_CLIENT, "{driver}");
        for contract in contracts {
            assert!(contract["car"]["model"].is_string(), "{contract}");
            assert_eq!(contract["invoices"]["nodes"].as_array().unwrap().len(), 10);
        }
    }
    let driver = login(app, &slug, &driver_document(0)).await;
    let (dashboard, dashboard_statements) = measured(app, DASHBOARD, json!({}), &driver).await;
    let me = &dashboard["data"]["me"];
    assert_eq!(me["document"], driver_document(0));
    assert!(me["wallet"]["balance"].is_string(), "{dashboard}");
    for contract in me["contracts"].as_array().unwrap() {
        // The three newest weekly invoices are still to pay.
        assert_eq!(contract["invoices"]["totalCount"], 3, "{contract}");
    }
    let summary = &dashboard["data"]["book"]["financialSummary"];
    assert!(summary["totalIncome"].is_string(), "{dashboard}");
    let mut costs = vec![
        (NESTED_PAGE, page_statements),
        (DASHBOARD, dashboard_statements),
    ];
    for (name, document) in STAFF_PAGES {
        let (page, statements) = measured(app, document, json!({ "first": 50 }), &staff).await;
        let listed = &page["data"]["clients"];
        let drivers = listed["nodes"]
            .as_array()
            .or(listed["edges"].as_array())
            .map_or(0, Vec::len);
        assert_eq!(drivers, clients.min(50), "{name}: {page}");
        costs.push((document, statements));
    }
    let discounted = measured(app, STAFF_PAGES[1].1, json!({ "first": 50 }), &staff)
        .await
        .0
        .to_string();
    assert!(
        discounted.contains("\"discounts\":[{\"amount\":\"5.00\"}]"),
        "the bench invoices have discounts: {discounted}"
    );
    let wallets = measured(app, STAFF_PAGES[3].1, json!({ "first": 50 }), &staff)
        .await
        .0;
    assert!(
        wallets["data"]["clients"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["wallet"]["movements"]["nodes"].as_array().unwrap().len() == 5),
        "the bench wallets have movements: {wallets}"
    );
    let (sales, sales_statements) =
        measured(app, SALES_INVOICES, json!({ "first": 50 }), &staff).await;
    let page = &sales["data"]["salesInvoices"];
    assert_eq!(page["totalCount"], BENCH_SALES_INVOICES, "{sales}");
    let invoices = page["nodes"].as_array().unwrap();
    assert_eq!(invoices.len(), 50, "{sales}");
    assert!(
        invoices
            .iter()
            .all(|i| !i["items"].as_array().unwrap().is_empty()),
        "{sales}"
    );
    costs.push((SALES_INVOICES, sales_statements));
    let ledger = login(app, &slug, &driver_document(1)).await;
    let today = app.app.state.config.clock.now().date_naive();
    let period = json!({ "from": today - chrono::TimeDelta::days(200), "to": today + chrono::TimeDelta::days(1) });
    let (book, book_statements) = measured(app, BOOK_PAGE, period, &ledger).await;
    let transactions = book["data"]["book"]["transactions"]["nodes"]
        .as_array()
        .unwrap();
    assert_eq!(transactions.len(), 100, "{book}");
    assert!(
        transactions
            .iter()
            .any(|t| t["tags"].as_array().unwrap().len() == 2),
        "{book}"
    );
    costs.push((BOOK_PAGE, book_statements));
    costs
}

db_test!(
    benchmarked_operations_cost_the_same_statements_for_5_and_50_drivers,
    |app| {
        let small = costs(&app, 5).await;
        let large = costs(&app, 50).await;
        assert_eq!(
            small, large,
            "statements of each operation for 5 and 50 drivers"
        );
        // Wide rather than deep: the dashboard's caller is one statement, the book comes
        // with its organization and recurring series, the invoice count with the page.
        for (document, statements) in large {
            assert!(
                statements <= depth(document) as u64,
                "{statements} statements, more than the depth {} of {document}",
                depth(document)
            );
        }
    }
);

db_test!(seed_bench_command_loads_a_small_dataset, |app| {
    let out = crate::common::gateway_command(
        &["seed", "--bench", "--clients", "3"],
        &app.app.state.config.database_url,
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = &app.app.state.db;
    let org = organization::Entity::find()
        .filter(organization::Column::Slug.eq(BENCH_ORGANIZATION_SLUG))
        .one(db)
        .await
        .unwrap()
        .expect("the bench organization");
    let drivers = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org.id))
        .filter(user::Column::Role.eq(user::Role::Client))
        .count(db)
        .await
        .unwrap();
    assert_eq!(drivers, 3);
    let contracts: Vec<i64> = contract::Entity::find()
        .filter(contract::Column::OrganizationId.eq(org.id))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(contracts.len(), 3 * CONTRACTS_PER_CLIENT);
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::ContractId.is_in(contracts))
        .count(db)
        .await
        .unwrap();
    assert_eq!(
        invoices as usize,
        3 * CONTRACTS_PER_CLIENT * INVOICES_PER_CONTRACT
    );
    // Every wallet's coins came in as movements: a balance is the sum of its movements.
    let wallets = client_profile::Entity::find()
        .inner_join(user::Entity)
        .filter(user::Column::OrganizationId.eq(org.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(wallets.len(), 3);
    assert!(wallets.iter().any(|w| w.coins_minor > 0), "{wallets:?}");
    for wallet in &wallets {
        let moved: i64 = wallet_movement::Entity::find()
            .filter(wallet_movement::Column::ClientId.eq(wallet.user_id))
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|m| m.amount_minor)
            .sum();
        assert_eq!(moved, wallet.coins_minor, "driver {}", wallet.user_id);
    }
    // A second load into the same database is refused and changes nothing.
    let again = tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
        .args(["seed", "--bench", "--clients", "3"])
        .env("DATABASE_URL", &app.app.state.config.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    assert!(!again.status.success());
    let after = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(after, 4, "3 drivers and the staff member, once");
});

/// The statements `benches/run.sh` reads from `/metrics` around one request of a running
/// server.
async fn statements_metric(app: &TestApp) -> u64 {
    let reply = app
        .send(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, axum::http::StatusCode::OK);
    // Every GraphQL request's statements, summed over the operation and outcome labels.
    reply
        .text
        .lines()
        .filter(|line| line.starts_with("graphql_sql_statements_per_request_sum"))
        .filter_map(|line| line.rsplit_once(' ')?.1.parse::<u64>().ok())
        .sum()
}

db_test!(metrics_count_the_statements_a_request_sends, |app| {
    let staff = app.login(crate::common::ADMIN).await;
    let before = statements_metric(&app).await;
    let start = app.statements();
    let body = app
        .gql(NESTED_PAGE, json!({ "first": 5 }), Some(&staff))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let sent = app.statements() - start;
    assert!(sent > 0);
    assert_eq!(statements_metric(&app).await - before, sent);
});

db_test!(every_foreign_key_leads_an_index, |app| {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let db = &app.app.state.db;
    let backend = db.get_database_backend();
    // (table, column) of foreign keys whose column starts no index (nor the primary key).
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT c.conrelid::regclass::text, a.attname::text
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.contype = 'f' AND NOT EXISTS (
               SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
             ORDER BY 1, 2"
        }
        _ => {
            "SELECT m.name, f.\"from\"
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f
             WHERE m.type = 'table' AND f.seq = 0
               AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) il, pragma_index_info(il.name) ii
                               WHERE ii.seqno = 0 AND ii.name = f.\"from\")
               AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) t
                               WHERE t.pk = 1 AND t.name = f.\"from\")
             ORDER BY 1, 2"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap();
    let missing: Vec<String> = rows
        .iter()
        .map(|row| {
            let table: String = row.try_get_by_index(0).unwrap();
            let column: String = row.try_get_by_index(1).unwrap();
            format!("{table}.{column}")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "foreign keys without an index: {missing:?}"
    );
});

// The dashboard (`benches/queries/dashboard.graphql`, of a driver of the bench dataset,
// whose book has no recurring series) runs its two roots at the same time and its
// statements in two rounds: on PostgreSQL `me` whole (the driver with profile, plan,
// wallet, contracts and their invoice pages, one statement whose JSON PostgreSQL
// builds) beside the book (with organization and recurring series); then the book's
// summary. Holding the book back shows it: while the book's statement waits for a lock,
// the caller's side runs to its end, one statement, and nothing else can run.
db_test!(
    the_dashboards_roots_run_at_the_same_time_in_two_rounds,
    |app| {
        let token = first_driver_of_five(&app).await;
        let query = DASHBOARD;
        let before = app.statements();
        let body = app.gql(query, json!({}), Some(&token)).await;
        assert!(body["errors"].is_null(), "{body}");
        assert!(body["data"]["me"]["contracts"][0]["invoices"]["totalCount"].is_number());
        // SQLite resolves the caller, then their contracts and invoice pages.
        let expected = if app.backend == "postgres" { 3 } else { 5 };
        assert_eq!(app.statements() - before, expected, "{body}");
        if app.backend != "postgres" {
            return;
        }
        let lock = app.app.state.db.begin().await.unwrap();
        lock.execute_unprepared("LOCK TABLE books IN ACCESS EXCLUSIVE MODE")
            .await
            .unwrap();
        let before = app.statements();
        let request = app.gql(query, json!({}), Some(&token));
        let watch = async {
            let mut waited = 0;
            while app.statements() - before < 1 && waited < 10_000 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                waited += 10;
            }
            // Anything the caller's side could still send would come now.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let seen = app.statements() - before;
            lock.commit().await.unwrap();
            seen
        };
        let (again, seen) = tokio::join!(request, watch);
        assert_eq!(seen, 1, "the caller whole, while the book waited");
        assert_eq!(again["data"], body["data"]);
    }
);

// With recurring series in the book, one of them on a credit card, the dashboard's
// statements stay the same: the month's summary adds the series' occurrences up
// without the card's statements (no sum reads them), so it follows the book at once,
// in the second round.
db_test!(
    a_book_with_recurring_series_keeps_the_dashboard_in_two_rounds,
    |app| {
        let token = first_driver_of_five(&app).await;
        let before = app.statements();
        let plain = app.gql(DASHBOARD, json!({}), Some(&token)).await;
        assert!(plain["errors"].is_null(), "{plain}");
        let plain_statements = app.statements() - before;
        let card = ok(
            &app,
            &token,
            &mutation("createCreditCard", "creditCard { id }"),
            json!({ "name": "Visa", "closingDay": 5, "dueDay": 15 }),
        )
        .await["creditCard"]["id"]
            .clone();
        let today = app.app.state.config.clock.now().date_naive();
        let started = today - chrono::TimeDelta::days(70);
        for input in [
            json!({ "kind": "OUT", "amount": "10.00", "date": started, "creditCardId": card,
                    "description": "streaming", "recurrence": { "periodicity": "WEEKLY" } }),
            json!({ "kind": "IN", "amount": "250.00", "date": started,
                    "description": "alquiler", "recurrence": { "periodicity": "WEEKLY" } }),
        ] {
            ok(
                &app,
                &token,
                &mutation("createTransaction", "transaction { id }"),
                input,
            )
            .await;
        }
        let before = app.statements();
        let body = app.gql(DASHBOARD, json!({}), Some(&token)).await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(app.statements() - before, plain_statements, "{body}");
        // The weekly rent's occurrences of this month count, stored or not.
        let income = &body["data"]["book"]["financialSummary"]["totalIncome"];
        let plain_income = &plain["data"]["book"]["financialSummary"]["totalIncome"];
        assert_ne!(income, plain_income, "{body}");
    }
);
