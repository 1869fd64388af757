//! Series of transactions (issue 6): installments written at once and adding up to the
//! total, recurring transactions whose occurrences appear in any period read (far future
//! included, computed and never written), every periodicity over a year, month-end dates, and
//! scoped updates and deletes (THIS, THIS_AND_FUTURE, ALL) on installment and recurring
//! series with paid occurrences. "Today" is 2026-11-24 in Lima.

use gateway::entities::book_transaction;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    book_transactions::noon_in_lima,
    common::{TestApp, ok, refused},
    db_test,
};

const FIELDS: &str = "id amount description date paid installment totalInstallments recurring periodicity reconciledOn";

fn create_doc() -> String {
    format!(
        "mutation($input: CreateTransactionInput!) {{ createTransaction(input: $input) {{ affectedCount transaction {{ {FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_doc() -> String {
    format!(
        "mutation($input: UpdateTransactionInput!) {{ updateTransaction(input: $input) {{ affectedCount transaction {{ {FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

const DELETE: &str = "mutation($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { affectedCount deletedIds userErrors { field code message } } }";

/// The transactions of a period whose description contains `search`, oldest first.
async fn listed(app: &TestApp, token: &str, from: &str, to: &str, search: &str) -> Vec<Value> {
    let query = format!(
        "query($f: TransactionFilter) {{ book {{ transactions(filter: $f, orderBy: DATE_ASC, first: 100) {{ nodes {{ {FIELDS} }} }} }} }}"
    );
    let body = app
        .gql(
            &query,
            json!({ "f": { "period": { "from": from, "to": to }, "search": search } }),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["book"]["transactions"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

fn column<'a>(rows: &'a [Value], field: &str) -> Vec<&'a str> {
    rows.iter().map(|r| r[field].as_str().unwrap()).collect()
}

async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, &create_doc(), input).await
}

async fn rows(app: &TestApp) -> u64 {
    book_transaction::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(
    installments_add_up_and_fall_back_at_month_end,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000001").await;
        let created = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "100.00", "description": "Sofa", "date": "2027-01-31",
                "installments": { "total": 3 } }),
        )
        .await;
        // The REST API's bug: "installments_attributes ignored: created without installments".
        assert_eq!(created["affectedCount"], 3);
        let first = &created["transaction"];
        assert_eq!(first["amount"], "33.34");
        assert_eq!(first["installment"], 1);
        assert_eq!(first["totalInstallments"], 3);
        assert_eq!(first["recurring"], false);
        assert_eq!(first["periodicity"], "MONTHLY");
        let all = listed(&app, &token, "2027-01-01", "2027-12-31", "Sofa").await;
        assert_eq!(column(&all, "amount"), ["33.34", "33.33", "33.33"]);
        assert_eq!(
            column(&all, "date"),
            ["2027-01-31", "2027-02-28", "2027-03-31"]
        );
        let numbers: Vec<_> = all
            .iter()
            .map(|r| (r["installment"].clone(), r["totalInstallments"].clone()))
            .collect();
        assert_eq!(
            numbers,
            [
                (json!(1), json!(3)),
                (json!(2), json!(3)),
                (json!(3), json!(3))
            ]
        );
        // Future installments are pending.
        assert!(all.iter().all(|r| r["paid"] == false));

        // Past installments are paid by default; paid: false applies to the first only.
        let created = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "0.05", "description": "Chicle", "date": "2026-09-30",
                "paid": false, "installments": { "total": 3, "periodicity": "WEEKLY" } }),
        )
        .await;
        assert_eq!(created["affectedCount"], 3);
        let all = listed(&app, &token, "2026-09-01", "2026-10-31", "Chicle").await;
        assert_eq!(column(&all, "amount"), ["0.03", "0.01", "0.01"]);
        assert_eq!(
            column(&all, "date"),
            ["2026-09-30", "2026-10-07", "2026-10-14"]
        );
        let paid: Vec<_> = all.iter().map(|r| r["paid"].clone()).collect();
        assert_eq!(paid, [json!(false), json!(true), json!(true)]);

        // Refused, and nothing written.
        let before = rows(&app).await;
        let both = json!({ "kind": "OUT", "amount": "10.00", "recurrence": { "periodicity": "WEEKLY" },
                       "installments": { "total": 2 } });
        assert_eq!(
            refused(&app, &token, &create_doc(), both).await.1,
            "INVALID_FORMAT"
        );
        let none = json!({ "kind": "OUT", "amount": "10.00", "installments": { "total": 0 } });
        assert_eq!(
            refused(&app, &token, &create_doc(), none).await,
            ("installments".into(), "OUT_OF_RANGE".into())
        );
        let many = json!({ "kind": "OUT", "amount": "10.00", "installments": { "total": 421 } });
        assert_eq!(
            refused(&app, &token, &create_doc(), many).await.1,
            "OUT_OF_RANGE"
        );
        let cents = json!({ "kind": "OUT", "amount": "0.02", "installments": { "total": 3 } });
        assert_eq!(
            refused(&app, &token, &create_doc(), cents).await,
            ("amount".into(), "INVALID_AMOUNT".into())
        );
        assert_eq!(rows(&app).await, before);
    }
);

db_test!(
    every_periodicity_over_a_year,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000002").await;
        for periodicity in [
            "WEEKLY",
            "BIWEEKLY",
            "MONTHLY",
            "BIMONTHLY",
            "TRIMONTHLY",
            "YEARLY",
        ] {
            let created = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "10.00", "description": format!("Fixed {periodicity}"),
                    "date": "2027-01-31", "recurrence": { "periodicity": periodicity } }),
        )
        .await;
            assert_eq!(created["affectedCount"], 1);
            assert_eq!(created["transaction"]["recurring"], true);
            assert_eq!(created["transaction"]["totalInstallments"], 1);
        }
        let year = |search: &'static str| {
            let app = &app;
            let token = &token;
            async move { listed(app, token, "2027-01-01", "2027-12-31", search).await }
        };
        let weekly = year("Fixed WEEKLY").await;
        assert_eq!(weekly.len(), 48);
        assert_eq!(weekly[1]["date"], "2027-02-07");
        assert_eq!(weekly[47]["date"], "2027-12-26");
        let biweekly = year("Fixed BIWEEKLY").await;
        assert_eq!(biweekly.len(), 24);
        assert_eq!(biweekly[23]["date"], "2027-12-19");
        assert_eq!(
            column(&year("Fixed MONTHLY").await, "date"),
            [
                "2027-01-31",
                "2027-02-28",
                "2027-03-31",
                "2027-04-30",
                "2027-05-31",
                "2027-06-30",
                "2027-07-31",
                "2027-08-31",
                "2027-09-30",
                "2027-10-31",
                "2027-11-30",
                "2027-12-31"
            ]
        );
        assert_eq!(
            column(&year("Fixed BIMONTHLY").await, "date"),
            [
                "2027-01-31",
                "2027-03-31",
                "2027-05-31",
                "2027-07-31",
                "2027-09-30",
                "2027-11-30"
            ]
        );
        assert_eq!(
            column(&year("Fixed TRIMONTHLY").await, "date"),
            ["2027-01-31", "2027-04-30", "2027-07-31", "2027-10-31"]
        );
        assert_eq!(column(&year("Fixed YEARLY").await, "date"), ["2027-01-31"]);
        // Later occurrences: pending, from the template, numbered as not in installments.
        let monthly = year("Fixed MONTHLY").await;
        assert!(monthly[1..].iter().all(|r| r["paid"] == false
            && r["amount"] == "10.00"
            && r["recurring"] == true
            && r["installment"] == 1
            && r["periodicity"] == "MONTHLY"));
        // Leap year: Feb 29 2028, and the 31st again in March.
        let leap = listed(&app, &token, "2028-02-01", "2028-03-31", "Fixed MONTHLY").await;
        assert_eq!(column(&leap, "date"), ["2028-02-29", "2028-03-31"]);
    }
);

db_test!(
    recurring_occurrences_are_computed_for_any_period_and_never_written,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000003").await;
        create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "45.50", "description": "Internet", "date": "2026-11-10",
                "recurrence": { "periodicity": "MONTHLY" } }),
    )
    .await;
        let far = listed(&app, &token, "2090-05-01", "2090-05-31", "Internet").await;
        assert_eq!(column(&far, "date"), ["2090-05-10"]);
        assert_eq!(far[0]["paid"], false);
        assert_eq!(far[0]["amount"], "45.50");

        let before = rows(&app).await;
        let first = listed(&app, &token, "2027-01-01", "2027-06-30", "Internet").await;
        assert_eq!(first.len(), 6);
        assert_eq!(rows(&app).await, before, "reading a period writes nothing");
        let again = listed(&app, &token, "2027-01-01", "2027-06-30", "Internet").await;
        assert_eq!(column(&first, "id"), column(&again, "id"));

        // Summaries of a future month count the occurrence.
        let body = app
        .gql(
            "{ book { expenseSummary(period: { year: 2027, month: 8 }) { total count } financialSummary(period: { year: 2027, month: 9 }) { totalExpense } } }",
            json!({}),
            Some(&token),
        )
        .await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(body["data"]["book"]["expenseSummary"]["total"], "45.50");
        assert_eq!(body["data"]["book"]["expenseSummary"]["count"], 1);
        assert_eq!(
            body["data"]["book"]["financialSummary"]["totalExpense"],
            "45.50"
        );
    }
);

db_test!(
    listing_statements_do_not_grow_with_series,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000004").await;
        let new_series = |n: usize| {
            let app = &app;
            let token = &token;
            async move {
                for i in 0..n {
                    create(
                    app,
                    token,
                    json!({ "kind": "OUT", "amount": "1.00", "description": format!("Weekly {i}"),
                            "date": "2026-11-02", "recurrence": { "periodicity": "WEEKLY" } }),
                )
                .await;
                }
            }
        };
        let spent = |from: &'static str, to: &'static str| {
            let app = &app;
            let token = &token;
            async move {
                let before = app.statements();
                let rows = listed(app, token, from, to, "Weekly").await;
                (app.statements() - before, rows.len())
            }
        };
        new_series(1).await;
        let (one, count) = spent("2027-03-01", "2027-03-31").await;
        assert_eq!(count, 5);
        new_series(4).await;
        let (five, count) = spent("2027-05-01", "2027-05-31").await;
        assert_eq!(count, 25);
        assert_eq!(one, five, "statements with 1 series vs 5 series");
        let (again, count) = spent("2027-05-01", "2027-05-31").await;
        assert_eq!(count, 25);
        assert_eq!(
            again, five,
            "reading a period again costs the same: nothing was written"
        );
    }
);

db_test!(
    scoped_edits_of_twelve_installments,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000005").await;
        let update = update_doc();
        // Jul 15 2026 to Jun 15 2027: Jul to Nov are past, hence paid.
        create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "1200.00", "description": "Laptop", "date": "2026-07-15",
                "installments": { "total": 12 } }),
    )
    .await;
        let all = listed(&app, &token, "2026-07-01", "2027-06-30", "Laptop").await;
        assert_eq!(all.len(), 12);
        let ids: Vec<Value> = all.iter().map(|r| r["id"].clone()).collect();
        let paid: Vec<bool> = all.iter().map(|r| r["paid"].as_bool().unwrap()).collect();
        assert_eq!(
            paid,
            [
                true, true, true, true, true, false, false, false, false, false, false, false
            ]
        );
        // Installment 7 (Jan 2027) paid ahead of time: a paid FUTURE one still changes.
        ok(&app, &token, &update, json!({ "id": ids[6], "paid": true })).await;

        // THIS_AND_FUTURE from installment 4 (Oct 15, paid): installment 5 (Nov 15, paid and
        // before today) is kept.
        let changed = ok(
        &app,
        &token,
        &update,
        json!({ "id": ids[3], "amount": "150.00", "description": "Laptop Pro", "scope": "THIS_AND_FUTURE" }),
    )
    .await;
        assert_eq!(changed["affectedCount"], 8);
        assert_eq!(changed["transaction"]["installment"], 4);
        let all = listed(&app, &token, "2026-07-01", "2027-06-30", "Laptop").await;
        assert_eq!(
            column(&all, "amount"),
            [
                "100.00", "100.00", "100.00", "150.00", "100.00", "150.00", "150.00", "150.00",
                "150.00", "150.00", "150.00", "150.00"
            ]
        );
        assert_eq!(all[4]["description"], "Laptop");
        assert_eq!(all[11]["description"], "Laptop Pro");
        assert_eq!(all[6]["paid"], true, "paid stays per occurrence");

        // THIS: one only.
        let one = ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[0], "notes": "x", "scope": "THIS" }),
        )
        .await;
        assert_eq!(one["affectedCount"], 1);

        // ALL reaches paid and past ones, but never a reconciled one.
        ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[0], "reconciledOn": "2026-07-20" }),
        )
        .await;
        let every = ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[5], "description": "Notebook", "scope": "ALL" }),
        )
        .await;
        assert_eq!(every["affectedCount"], 11);
        let all = listed(&app, &token, "2026-07-01", "2027-06-30", "o").await;
        assert_eq!(all[0]["description"], "Laptop");
        assert!(all[1..].iter().all(|r| r["description"] == "Notebook"));

        // A new date re-derives the later dates from it.
        let moved = ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[9], "date": "2027-04-30", "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        assert_eq!(moved["affectedCount"], 3);
        let tail = listed(&app, &token, "2027-04-01", "2027-06-30", "Notebook").await;
        assert_eq!(
            column(&tail, "date"),
            ["2027-04-30", "2027-05-30", "2027-06-30"]
        );

        // Deletes: THIS, then THIS_AND_FUTURE from installment 9, then ALL.
        let gone = ok(&app, &token, DELETE, json!({ "id": ids[1] })).await;
        assert_eq!(gone["affectedCount"], 1);
        let gone = ok(
            &app,
            &token,
            DELETE,
            json!({ "id": ids[8], "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        assert_eq!(gone["affectedCount"], 4);
        let left = listed(&app, &token, "2026-07-01", "2027-06-30", "o").await;
        assert_eq!(left.len(), 7);
        assert!(left.iter().all(|r| r["totalInstallments"] == 12));
        let gone = ok(
            &app,
            &token,
            DELETE,
            json!({ "id": ids[4], "scope": "ALL" }),
        )
        .await;
        assert_eq!(gone["affectedCount"], 6, "all but the reconciled one");
        let left = listed(&app, &token, "2026-07-01", "2027-06-30", "o").await;
        assert_eq!(column(&left, "id"), [ids[0].as_str().unwrap()]);
        // The reconciled one cannot go (LOCKED), whatever the scope.
        assert_eq!(
            refused(
                &app,
                &token,
                DELETE,
                json!({ "id": ids[0], "scope": "ALL" })
            )
            .await
            .1,
            "LOCKED"
        );
    }
);

db_test!(
    scoped_edits_of_a_recurring_series,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000006").await;
        let update = update_doc();
        // Aug 31 2026 on, monthly: Aug (paid by default, past), Sep, Oct, Nov 30, Dec 31...
        create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "50.00", "description": "Gym", "date": "2026-08-31",
                "recurrence": { "periodicity": "MONTHLY" } }),
        )
        .await;
        let year = listed(&app, &token, "2026-08-01", "2027-07-31", "Gym").await;
        assert_eq!(year.len(), 12);
        let ids: Vec<Value> = year.iter().map(|r| r["id"].clone()).collect();
        // September paid; October left pending (overdue).
        ok(&app, &token, &update, json!({ "id": ids[1], "paid": true })).await;

        // THIS_AND_FUTURE from September: Aug stays; Sep is this one; Oct..Jul change.
        // Only September has a row of its own (it was paid): the others are computed
        // from the new series.
        let changed = ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[1], "amount": "80.00", "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        assert_eq!(changed["affectedCount"], 1);
        let after = listed(&app, &token, "2026-08-01", "2027-07-31", "Gym").await;
        assert_eq!(after[0]["amount"], "50.00");
        assert!(after[1..].iter().all(|r| r["amount"] == "80.00"));
        // Later periods follow the new template, once.
        let later = listed(&app, &token, "2027-09-01", "2027-09-30", "Gym").await;
        assert_eq!(column(&later, "amount"), ["80.00"]);
        assert_eq!(column(&later, "date"), ["2027-09-30"]);

        // THIS_AND_FUTURE again, from October: the series is split a second time.
        let from_oct = ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[2], "description": "Gym+", "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        // October's ID, read before the first split, still names it: October is stored
        // for the change, the later ones follow the new template.
        assert_eq!(from_oct["affectedCount"], 1);
        let sep = listed(&app, &token, "2027-08-01", "2027-09-30", "Gym").await;
        assert_eq!(column(&sep, "description"), ["Gym+", "Gym+"]);
        assert_eq!(column(&sep, "date"), ["2027-08-31", "2027-09-30"]);
        // Any ID of the first listing still names its occurrence after two splits.
        let february = app
            .gql(
                "query($id: ID!) { node(id: $id) { ... on Transaction { date description amount } } }",
                json!({ "id": ids[6] }),
                Some(&token),
            )
            .await;
        assert_eq!(
            february["data"]["node"],
            json!({ "date": "2027-02-28", "description": "Gym+", "amount": "80.00" }),
            "{february}"
        );

        // THIS delete: that month never comes back.
        let gone = ok(&app, &token, DELETE, json!({ "id": ids[4] })).await;
        assert_eq!(gone["affectedCount"], 1);
        assert!(
            listed(&app, &token, "2026-12-01", "2026-12-31", "Gym")
                .await
                .is_empty()
        );

        // ALL update: every occurrence of the (new) series, its template too.
        let all = ok(
        &app,
        &token,
        &update,
        json!({ "id": ids[5], "notes": "family plan", "description": "Gym family", "scope": "ALL" }),
    )
    .await;
        assert_eq!(
            all["affectedCount"], 2,
            "Oct and Jan, stored for their changes; the others follow the template"
        );
        let next = listed(&app, &token, "2027-10-01", "2027-10-31", "Gym").await;
        assert_eq!(column(&next, "description"), ["Gym family"]);

        // THIS_AND_FUTURE delete from March 2027 ends the series there.
        let gone = ok(
            &app,
            &token,
            DELETE,
            json!({ "id": ids[7], "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        // March, stored to be deleted; the later ones end with the series.
        assert_eq!(gone["affectedCount"], 1);
        assert!(
            listed(&app, &token, "2027-03-01", "2028-02-28", "Gym")
                .await
                .is_empty()
        );
        assert_eq!(
            listed(&app, &token, "2026-08-01", "2027-02-28", "Gym")
                .await
                .len(),
            6
        );

        // ALL delete: every occurrence of the series it is in (Oct 2026 on).
        let gone = ok(
            &app,
            &token,
            DELETE,
            json!({ "id": ids[2], "scope": "ALL" }),
        )
        .await;
        assert_eq!(
            gone["affectedCount"], 2,
            "Oct and Jan, stored; Nov and Feb with the series"
        );
        let left = listed(&app, &token, "2026-08-01", "2027-07-31", "Gym").await;
        assert_eq!(column(&left, "amount"), ["50.00", "80.00"]);
        // The first two series ended where the next began: nothing repeats any more.
        assert!(
            listed(&app, &token, "2030-01-01", "2030-12-31", "Gym")
                .await
                .is_empty()
        );
    }
);

db_test!(
    templates_follow_sent_fields_categories_and_accounts,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000007").await;
        let category = ok(
        &app,
        &token,
        "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } userErrors { field code } } }",
        json!({ "kind": "EXPENSE", "name": "Suscripciones" }),
    )
    .await["category"]["id"]
        .clone();
        let account = ok(
        &app,
        &token,
        "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } userErrors { field code } } }",
        json!({ "kind": "OTHER", "name": "Caja" }),
    )
    .await["account"]["id"]
        .clone();
        create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "39.90", "description": "Netflix", "date": "2026-12-05",
                "categoryId": category, "accountId": account, "tagNames": ["hogar"],
                "recurrence": { "periodicity": "MONTHLY" } }),
    )
    .await;
        let month = |year: i32, month: u32| {
            let app = &app;
            let token = &token;
            async move {
                let body = app
                .gql(
                    "query($f: TransactionFilter) { book { transactions(filter: $f) { nodes { id description notes tags { name } category { id } account { id } } } } }",
                    json!({ "f": { "period": { "year": year, "month": month } } }),
                    Some(token),
                )
                .await;
                assert!(body["errors"].is_null(), "{body}");
                let nodes = body["data"]["book"]["transactions"]["nodes"]
                    .as_array()
                    .unwrap()
                    .clone();
                assert_eq!(nodes.len(), 1, "{nodes:?}");
                nodes[0].clone()
            }
        };
        let january = month(2027, 1).await;
        assert_eq!(january["tags"], json!([{ "name": "hogar" }]));
        assert_eq!(january["account"]["id"], account);
        ok(
            &app,
            &token,
            &update_doc(),
            json!({ "id": january["id"], "description": "Netflix promo" }),
        )
        .await;
        // ALL with notes only: the template keeps its description, not this occurrence's.
        let changed = ok(
            &app,
            &token,
            &update_doc(),
            json!({ "id": january["id"], "notes": "shared", "scope": "ALL" }),
        )
        .await;
        assert_eq!(changed["affectedCount"], 2);
        let march = month(2027, 3).await;
        assert_eq!(march["description"], "Netflix");
        assert_eq!(march["notes"], "shared");
        assert_eq!(month(2027, 1).await["description"], "Netflix promo");

        // Deleting the category hands the template over too.
        ok(
        &app,
        &token,
        "mutation($input: DeleteCategoryInput!) { deleteCategory(input: $input) { deletedId userErrors { field code } } }",
        json!({ "id": category }),
    )
    .await;
        let april = month(2027, 4).await;
        assert!(april["category"]["id"].is_string());
        assert_ne!(april["category"]["id"], category);

        // An account a series writes to cannot be deleted, even with no transaction on it.
        let delete_account = "mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) { deletedId userErrors { field code } } }";
        for period in [(2026, 12), (2027, 1), (2027, 2), (2027, 3), (2027, 4)] {
            let row = month(period.0, period.1).await;
            ok(&app, &token, DELETE, json!({ "id": row["id"] })).await;
        }
        let body = app
        .gql(
            "{ book { transactions(filter: { period: { from: \"2026-12-01\", to: \"2027-04-30\" } }) { nodes { id } } } }",
            json!({}),
            Some(&token),
        )
        .await;
        assert_eq!(
            body["data"]["book"]["transactions"]["nodes"],
            json!([]),
            "deleted ones never come back"
        );
        assert_eq!(
            refused(&app, &token, delete_account, json!({ "id": account })).await,
            ("id".into(), "IN_USE".into())
        );
    }
);

db_test!(
    scoped_edits_at_the_edges_of_a_recurring_series,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000009").await;
        let update = update_doc();
        // Aug 10 on, monthly: Aug (paid, as past), Sep (paid below), Oct (overdue)...
        create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "20.00", "description": "Rent", "date": "2026-08-10",
                    "recurrence": { "periodicity": "MONTHLY" } }),
        )
        .await;
        let ids: Vec<Value> = listed(&app, &token, "2026-08-01", "2026-12-31", "Rent")
            .await
            .iter()
            .map(|r| r["id"].clone())
            .collect();
        ok(&app, &token, &update, json!({ "id": ids[1], "paid": true })).await;

        // THIS_AND_FUTURE from the first occurrence changes the series whole, keeping
        // September (paid before today) as it was...
        ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[0], "amount": "25.00", "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        let months = listed(&app, &token, "2026-08-01", "2026-12-31", "Rent").await;
        assert_eq!(
            column(&months, "amount"),
            ["25.00", "20.00", "25.00", "25.00", "25.00"]
        );
        // ...in the same series, so a later ALL reaches it.
        ok(
            &app,
            &token,
            &update,
            json!({ "id": ids[2], "description": "Rent+", "scope": "ALL" }),
        )
        .await;
        let months = listed(&app, &token, "2026-08-01", "2027-01-31", "Rent").await;
        assert_eq!(column(&months, "description"), ["Rent+"; 6]);

        // Deleting from a paid occurrence dated before today keeps it (and the earlier
        // ones); the series ends before it.
        let gone = ok(
            &app,
            &token,
            DELETE,
            json!({ "id": ids[1], "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        // October, stored by the ALL edit above, goes; the later ones end with the series.
        assert_eq!(gone["affectedCount"], 1);
        let left = listed(&app, &token, "2026-08-01", "2027-07-31", "Rent").await;
        assert_eq!(column(&left, "date"), ["2026-08-10", "2026-09-10"]);
        assert!(left.iter().all(|r| r["paid"] == true));

        // ALL after a THIS_AND_FUTURE split reaches the part the occurrence is in now,
        // not the part split off before it.
        create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "30.00", "description": "Gym", "date": "2026-09-05",
                    "recurrence": { "periodicity": "MONTHLY" } }),
        )
        .await;
        let gym: Vec<Value> = listed(&app, &token, "2026-09-01", "2026-12-31", "Gym")
            .await
            .iter()
            .map(|r| r["id"].clone())
            .collect();
        ok(
            &app,
            &token,
            &update,
            json!({ "id": gym[2], "amount": "40.00", "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        ok(
            &app,
            &token,
            &update,
            json!({ "id": gym[3], "description": "Gym 2", "scope": "ALL" }),
        )
        .await;
        let months = listed(&app, &token, "2026-09-01", "2027-01-31", "Gym").await;
        assert_eq!(
            column(&months, "description"),
            ["Gym", "Gym", "Gym 2", "Gym 2", "Gym 2"]
        );
        assert_eq!(
            column(&months, "amount"),
            ["30.00", "30.00", "40.00", "40.00", "40.00"]
        );
    }
);
