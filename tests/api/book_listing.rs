//! Listing a book's transactions (`Book.transactions`) and the driver's quick lists
//! (`Book.incomes`, `Book.expenses`): keyset pages that reach every row once, the default
//! period in the organization's timezone, the one-year limit and whole days, each
//! filter, who sees what, and SQL statements that do not grow with the page.

use std::collections::{HashMap, HashSet};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use gateway::{
    domain::commons::Clock,
    entities::{book_transaction, book_transaction::TransactionKind, user, user::Role},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::{
    common::{
        TestApp,
        fixtures::{
            BookParts, add_account, add_tag, add_transaction, add_transactions, add_transfer,
            book_parts, new_transaction, tag_transactions,
        },
        ok, raw_id,
    },
    db_test,
};

const PASSWORD: &str = "clave1234";

const LIST: &str = "query($filter: TransactionFilter, $order: TransactionOrder! = DATE_DESC, $first: Int, $after: String, $last: Int, $before: String) { book { transactions(filter: $filter, orderBy: $order, first: $first, after: $after, last: $last, before: $before) { totalCount nodes { id date } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";

const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id date kind amount } userErrors { field code message } } }";

const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id } userErrors { field code } } }";

/// The whole year 2026: wide enough for every fixture row, within the one-year limit.
fn year_2026() -> Value {
    json!({ "period": { "from": "2026-01-01", "to": "2026-12-31" } })
}

fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

/// The global ID of a row, as the API shows it.
fn gid(kind: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

fn tx(id: i64) -> String {
    gid("Transaction", id)
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// A new driver of the demo organization with an empty book: their token and book.
async fn driver(app: &TestApp, document: &str) -> (String, BookParts) {
    let (token, user_id) = app.new_driver(document).await;
    let body = app
        .gql("{ book { isBusiness } }", json!({}), Some(&token))
        .await;
    assert_eq!(body["data"]["book"]["isBusiness"], false, "{body}");
    let organization_id = user::Entity::find_by_id(user_id)
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    let parts = book_parts(&app.app.state.db, organization_id, Some(user_id)).await;
    (token, parts)
}

/// A staff user of the organization `slug` (created with it when new): user id, token.
async fn staff(app: &TestApp, slug: &str, document: &str, role: Role) -> (i64, String) {
    let user_id = app.add_user(slug, document, PASSWORD, role).await;
    let token = app.login((document, PASSWORD)).await;
    let body = app
        .gql("{ book { isBusiness } }", json!({}), Some(&token))
        .await;
    assert_eq!(body["data"]["book"]["isBusiness"], true, "{body}");
    (user_id, token)
}

async fn business_parts(app: &TestApp, user_id: i64) -> BookParts {
    let organization_id = user::Entity::find_by_id(user_id)
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    book_parts(&app.app.state.db, organization_id, None).await
}

/// One page of `Book.transactions`; panics on errors.
async fn page(app: &TestApp, token: &str, variables: Value) -> Value {
    let body = app.gql(LIST, variables.clone(), Some(token)).await;
    assert!(body["errors"].is_null(), "{variables}: {body}");
    body["data"]["book"]["transactions"].clone()
}

/// The `extensions.code` of a listing refused as a whole.
async fn list_error(app: &TestApp, token: &str, variables: Value) -> String {
    let body = app.gql(LIST, variables, Some(token)).await;
    assert!(body["data"]["book"].is_null(), "{body}");
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {body}"))
        .to_string()
}

fn ids_of(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids a filter lists (within 2026 unless the filter says otherwise), in the
/// default order.
async fn listed(app: &TestApp, token: &str, filter: Value) -> Vec<String> {
    let mut filter = filter;
    if filter.get("period").is_none() {
        filter["period"] = year_2026()["period"].clone();
    }
    let connection = page(app, token, json!({ "filter": filter, "first": 100 })).await;
    let ids = ids_of(&connection);
    assert_eq!(connection["totalCount"], ids.len(), "{connection}");
    ids
}

/// Every transaction of the book in (date, id) descending order: what DATE_DESC lists.
async fn all_date_desc(app: &TestApp, book_id: i64) -> Vec<(NaiveDate, i64)> {
    let mut rows: Vec<(NaiveDate, i64)> = book_transaction::Entity::find()
        .filter(book_transaction::Column::BookId.eq(book_id))
        .all(&app.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.date, r.id))
        .collect();
    rows.sort_unstable_by(|a, b| b.cmp(a));
    rows
}

/// Pages forward with `first` from the start; returns the ids listed, in order.
async fn page_forward(app: &TestApp, token: &str, first: i32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let connection = page(
            app,
            token,
            json!({ "filter": year_2026(), "first": first, "after": after }),
        )
        .await;
        let page_ids = ids_of(&connection);
        assert!(page_ids.len() <= first as usize);
        assert_eq!(
            connection["pageInfo"]["hasPreviousPage"],
            after.is_some(),
            "{connection}"
        );
        ids.extend(page_ids);
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = Some(
            connection["pageInfo"]["endCursor"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids
}

db_test!(a_thousand_transactions_are_each_listed_once, |app| {
    let (token, parts) = driver(&app, "71000001").await;
    let db = &app.app.state.db;
    // 1,000 rows over 50 days: about 20 share each date, so the id breaks most ties.
    let rows = (0..1000u64)
        .map(|i| {
            let date = day(3, 1).checked_add_days(Days::new(i * 13 % 50)).unwrap();
            let kind = if i % 3 == 0 {
                TransactionKind::In
            } else {
                TransactionKind::Out
            };
            new_transaction(&parts, kind, 100 + (i as i64 * 37 % 500), date)
        })
        .collect();
    add_transactions(db, rows).await;
    let expected: Vec<String> = all_date_desc(&app, parts.book.id)
        .await
        .iter()
        .map(|(_, id)| tx(*id))
        .collect();
    assert_eq!(expected.len(), 1000);

    // Forward by 100, while 40 rows are recorded after the third page: 20 dated before
    // the page's end (they come later in the listing) and 20 after it (already passed).
    let mut listed_ids: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    let mut must_appear: HashSet<String> = HashSet::new();
    let mut must_not_appear: HashSet<String> = HashSet::new();
    loop {
        let connection = page(
            &app,
            &token,
            json!({ "filter": year_2026(), "first": 100, "after": after }),
        )
        .await;
        if pages == 0 {
            assert_eq!(connection["totalCount"], 1000);
            assert_eq!(connection["pageInfo"]["hasPreviousPage"], false);
        }
        listed_ids.extend(ids_of(&connection));
        pages += 1;
        if pages == 3 {
            let last_date = NaiveDate::parse_from_str(
                connection["nodes"][99]["date"].as_str().unwrap(),
                "%Y-%m-%d",
            )
            .unwrap();
            let later: Vec<_> = (0..20)
                .map(|_| new_transaction(&parts, TransactionKind::Out, 999, day(3, 1)))
                .collect();
            let earlier: Vec<_> = (0..20)
                .map(|_| new_transaction(&parts, TransactionKind::Out, 999, day(4, 30)))
                .collect();
            assert!(day(3, 1) < last_date && last_date < day(4, 30));
            must_appear.extend(add_transactions(db, later).await.into_iter().map(tx));
            must_not_appear.extend(add_transactions(db, earlier).await.into_iter().map(tx));
        }
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = Some(
            connection["pageInfo"]["endCursor"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut seen = HashSet::new();
    for id in &listed_ids {
        assert!(seen.insert(id.clone()), "{id} listed twice");
    }
    let originals: Vec<String> = listed_ids
        .iter()
        .filter(|id| !must_appear.contains(*id))
        .cloned()
        .collect();
    assert_eq!(originals, expected, "every first row once, in order");
    assert!(must_appear.iter().all(|id| seen.contains(id)));
    assert!(must_not_appear.iter().all(|id| !seen.contains(id)));
    assert_eq!(listed_ids.len(), 1020);

    // Now 1,040 rows: by 7 forward, and by 100 backward from the end, each in order.
    let expected: Vec<String> = all_date_desc(&app, parts.book.id)
        .await
        .iter()
        .map(|(_, id)| tx(*id))
        .collect();
    assert_eq!(expected.len(), 1040);
    assert_eq!(page_forward(&app, &token, 7).await, expected);

    let mut backward: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let connection = page(
            &app,
            &token,
            json!({ "filter": year_2026(), "last": 100, "before": before }),
        )
        .await;
        assert_eq!(connection["pageInfo"]["hasNextPage"], before.is_some());
        let mut page_ids = ids_of(&connection);
        page_ids.extend(backward);
        backward = page_ids;
        if connection["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = Some(
            connection["pageInfo"]["startCursor"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(backward, expected);
});

db_test!(statements_per_page_do_not_grow_with_its_size, |app| {
    let (admin_id, token) = staff(&app, "listing-statements", "81000001", Role::Admin).await;
    let parts = business_parts(&app, admin_id).await;
    let db = &app.app.state.db;
    let bank = add_account(db, &parts, "Banco").await;
    let tags = [
        add_tag(db, &parts, "Uno").await,
        add_tag(db, &parts, "Dos").await,
        add_tag(db, &parts, "Tres").await,
    ];
    let rows = (0..150u64)
        .map(|i| {
            let kind = if i % 2 == 0 {
                TransactionKind::In
            } else {
                TransactionKind::Out
            };
            let mut row =
                new_transaction(&parts, kind, 1_000 + i as i64, day(6, 1 + (i % 28) as u32));
            if i % 3 == 0 {
                row.account_id = Set(bank);
            }
            row
        })
        .collect();
    let ids = add_transactions(db, rows).await;
    let links: Vec<(i64, i64)> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, id)| {
            let mut l = vec![(*id, tags[i % 3])];
            if i % 2 == 0 {
                l.push((*id, tags[(i + 1) % 3]));
            }
            l
        })
        .collect();
    tag_transactions(db, &links).await;

    let query = |n: usize, count: bool| {
        format!(
            "{{ book {{ transactions(first: {n}, filter: {{ period: {{ from: \"2026-01-01\", to: \"2026-12-31\" }} }}) {{ {} nodes {{ id amount category {{ code }} account {{ name }} tags {{ name }} }} }} }} }}",
            if count { "totalCount" } else { "" }
        )
    };
    let run = |n: usize, count: bool| {
        let app = &app;
        let token = &token;
        let q = query(n, count);
        async move {
            let before = app.statements();
            let body = app.gql(&q, json!({}), Some(token)).await;
            let spent = app.statements() - before;
            assert!(body["errors"].is_null(), "{body}");
            let nodes = body["data"]["book"]["transactions"]["nodes"]
                .as_array()
                .unwrap()
                .clone();
            assert_eq!(nodes.len(), n);
            assert!(nodes.iter().all(|n| n["category"]["code"].is_string()
                && n["account"]["name"].is_string()
                && !n["tags"].as_array().unwrap().is_empty()));
            spent
        }
    };
    run(5, true).await;
    let ten = run(10, true).await;
    let hundred = run(100, true).await;
    assert_eq!(ten, hundred, "statements for 10 rows vs 100 rows");
    assert!(ten <= 8, "{ten} statements for one page");
    // totalCount is one COUNT, run only when asked for.
    assert_eq!(run(100, false).await, hundred - 1);
});

db_test!(
    late_on_the_last_day_in_lima_the_default_listing_is_that_month,
    |config| {
        // 23:30 on 2026-11-30 in Lima.
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 1, 4, 30, 0).unwrap());
    },
    |app| {
        let (token, parts) = driver(&app, "71000002").await;
        let db = &app.app.state.db;
        let created = ok(
            &app,
            &token,
            CREATE,
            json!({ "kind": "OUT", "amount": "25.00" }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(created["date"], "2026-11-30");
        let first = add_transaction(
            db,
            new_transaction(&parts, TransactionKind::In, 100, day(11, 1)),
        )
        .await;
        let mid = add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 200, day(11, 15)),
        )
        .await;
        add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 300, day(10, 31)),
        )
        .await;
        add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 400, day(12, 1)),
        )
        .await;

        let connection = page(&app, &token, json!({})).await;
        assert_eq!(
            ids_of(&connection),
            vec![
                created["id"].as_str().unwrap().to_string(),
                tx(mid.id),
                tx(first.id)
            ]
        );
        assert_eq!(connection["totalCount"], 3);
    }
);

db_test!(
    just_after_midnight_in_lima_the_default_listing_is_the_new_month,
    |config| {
        // 00:30 on 2026-12-01 in Lima.
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 1, 5, 30, 0).unwrap());
    },
    |app| {
        let (token, parts) = driver(&app, "71000003").await;
        let db = &app.app.state.db;
        let nov30 = add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 100, day(11, 30)),
        )
        .await;
        let nov1 = add_transaction(
            db,
            new_transaction(&parts, TransactionKind::In, 200, day(11, 1)),
        )
        .await;

        let connection = page(&app, &token, json!({})).await;
        assert_eq!(connection["nodes"], json!([]));
        assert_eq!(connection["totalCount"], 0);
        assert_eq!(connection["pageInfo"]["hasNextPage"], false);
        assert_eq!(connection["pageInfo"]["endCursor"], Value::Null);

        let created = ok(
            &app,
            &token,
            CREATE,
            json!({ "kind": "IN", "amount": "12.40" }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(created["date"], "2026-12-01");
        let ids = ids_of(&page(&app, &token, json!({})).await);
        assert_eq!(ids, vec![created["id"].as_str().unwrap().to_string()]);

        // November as a month, the year defaulting to the current one.
        let november = listed(&app, &token, json!({ "period": { "month": 11 } })).await;
        assert_eq!(november, vec![tx(nov30.id), tx(nov1.id)]);
    }
);

db_test!(a_period_is_whole_days_and_at_most_a_year, |app| {
    let (token, parts) = driver(&app, "71000004").await;
    let db = &app.app.state.db;
    let mut by_day: HashMap<u32, Vec<i64>> = HashMap::new();
    for d in [9, 10, 11, 12, 12, 13] {
        let row = add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 500, day(11, d)),
        )
        .await;
        by_day.entry(d).or_default().push(row.id);
    }
    // The Organizze complaint: a range of days is those days, not their months.
    let three_days = listed(
        &app,
        &token,
        json!({ "period": { "from": "2026-11-10", "to": "2026-11-12" } }),
    )
    .await;
    let mut expected: Vec<i64> = [10, 11, 12]
        .iter()
        .flat_map(|d| by_day[d].clone())
        .collect();
    expected.sort_unstable();
    expected.reverse();
    assert_eq!(three_days, expected.into_iter().map(tx).collect::<Vec<_>>());
    let one_day = listed(
        &app,
        &token,
        json!({ "period": { "from": "2026-11-13", "to": "2026-11-13" } }),
    )
    .await;
    assert_eq!(one_day, vec![tx(by_day[&13][0])]);

    // Exactly one year is accepted; one day more is refused, as Fipli refuses it.
    let year = listed(
        &app,
        &token,
        json!({ "period": { "from": "2025-11-13", "to": "2026-11-13" } }),
    )
    .await;
    assert_eq!(year.len(), 6);
    for period in [
        json!({ "from": "2025-11-12", "to": "2026-11-13" }),
        json!({ "from": "2020-01-01", "to": "2026-11-13" }),
        json!({ "from": "2026-11-13", "to": "2026-11-12" }),
        json!({ "month": 13 }),
        json!({ "month": 11, "from": "2026-11-01" }),
        json!({ "year": 2026 }),
        json!({ "to": "2026-11-12" }),
    ] {
        assert_eq!(
            list_error(&app, &token, json!({ "filter": { "period": period } })).await,
            "BAD_USER_INPUT",
            "{period}"
        );
    }
});

db_test!(
    each_filter_narrows_the_listing,
    |config| {
        // 12:00 on 2026-11-20 in Lima.
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap());
    },
    |app| {
        let (token, parts) = driver(&app, "71000005").await;
        let db = &app.app.state.db;
        let bank = add_account(db, &parts, "BCP").await;
        let auto = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Auto" }),
        )
        .await["category"]["id"]
            .clone();
        let tyres = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Llantas", "parentId": auto }),
        )
        .await["category"]["id"]
            .clone();
        let uber = add_tag(db, &parts, "Uber").await;
        let cabify = add_tag(db, &parts, "Cabify").await;
        let family = add_tag(db, &parts, "Familia").await;

        let row = |kind, minor, d: u32| new_transaction(&parts, kind, minor, day(11, d));
        // r1: an income into the bank, tagged Uber.
        let mut r1 = row(TransactionKind::In, 10_000, 2);
        r1.account_id = Set(bank);
        r1.description = Set("Viajes de la semana".into());
        let r1 = add_transaction(db, r1).await;
        // r2: a car expense, tagged Uber and Cabify, paid at a petrol station.
        let mut r2 = row(TransactionKind::Out, 5_000, 3);
        r2.category_id = Set(Some(raw_id(&auto)));
        r2.contact_name = Set("Grifo Primax".into());
        let r2 = add_transaction(db, r2).await;
        // r3: a tyre (a subcategory of the car), due later: PENDING.
        let mut r3 = row(TransactionKind::Out, 8_000, 4);
        r3.category_id = Set(Some(raw_id(&tyres)));
        r3.notes = Set("Cambio de LLANTAS".into());
        r3.paid = Set(false);
        r3.paid_on = Set(None);
        r3.due_date = Set(Some(day(11, 25)));
        let r3 = add_transaction(db, r3).await;
        // r4: unpaid, dated in the past, no due date: OVERDUE.
        let mut r4 = row(TransactionKind::Out, 1_500, 5);
        r4.description = Set("PRIMAX gasolina".into());
        r4.paid = Set(false);
        r4.paid_on = Set(None);
        let r4 = add_transaction(db, r4).await;
        // r5: unpaid, dated in the past but due later: PENDING.
        let mut r5 = row(TransactionKind::Out, 2_500, 10);
        r5.paid = Set(false);
        r5.paid_on = Set(None);
        r5.due_date = Set(Some(day(11, 22)));
        let r5 = add_transaction(db, r5).await;
        // r6: unpaid, dated tomorrow but due yesterday: OVERDUE.
        let mut r6 = row(TransactionKind::Out, 3_500, 21);
        r6.paid = Set(false);
        r6.paid_on = Set(None);
        r6.due_date = Set(Some(day(11, 19)));
        let r6 = add_transaction(db, r6).await;
        // r7: excluded from reports, with a % in its description.
        let mut r7 = row(TransactionKind::Out, 700, 7);
        r7.excluded = Set(true);
        r7.description = Set("50% descuento".into());
        let r7 = add_transaction(db, r7).await;
        // r8..r11: texts that LIKE's wildcards would confuse, an external id, and a word
        // with letters beyond ASCII.
        let mut r8 = row(TransactionKind::Out, 800, 8);
        r8.description = Set("500 descuento".into());
        r8.external_id = Set(Some("ext-8".into()));
        let r8 = add_transaction(db, r8).await;
        let mut r9 = row(TransactionKind::Out, 900, 9);
        r9.description = Set("pago a_b".into());
        let r9 = add_transaction(db, r9).await;
        let mut r10 = row(TransactionKind::Out, 1_000, 9);
        r10.description = Set("pago axb".into());
        let r10 = add_transaction(db, r10).await;
        let mut r11 = row(TransactionKind::In, 1_100, 11);
        r11.contact_name = Set("Tía Señora".into());
        let r11 = add_transaction(db, r11).await;
        let (t_out, t_in) = add_transfer(db, &parts, bank, 2_000, day(11, 12)).await;
        tag_transactions(db, &[(r1.id, uber), (r2.id, uber), (r2.id, cabify)]).await;
        // Outside the period: never listed below.
        add_transaction(db, row(TransactionKind::In, 9_900, 1)).await;
        let november = json!({ "from": "2026-11-02", "to": "2026-11-30" });

        let all = [
            &r1, &r2, &r3, &r4, &r5, &r6, &r7, &r8, &r9, &r10, &r11, &t_out, &t_in,
        ];
        let ids = |rows: &[&book_transaction::Model]| -> Vec<String> {
            sorted(rows.iter().map(|r| tx(r.id)).collect())
        };
        let check = |filter: Value, expected: Vec<String>| {
            let app = &app;
            let token = &token;
            let november = november.clone();
            async move {
                let mut filter = filter;
                filter["period"] = november;
                let got = sorted(listed(app, token, filter.clone()).await);
                assert_eq!(got, expected, "{filter}");
            }
        };

        check(json!({}), ids(&all)).await;
        check(json!({ "kind": "IN" }), ids(&[&r1, &r11, &t_in])).await;
        check(
            json!({ "kind": "IN", "transfers": false }),
            ids(&[&r1, &r11]),
        )
        .await;
        check(json!({ "transfers": true }), ids(&[&t_out, &t_in])).await;
        check(json!({ "transfers": false }), ids(&all[..11])).await;
        check(
            json!({ "accountIds": [gid("Account", bank)] }),
            ids(&[&r1, &t_in]),
        )
        .await;
        check(json!({ "accountIds": [] }), ids(&all)).await;
        check(json!({ "categoryIds": [auto] }), ids(&[&r2, &r3])).await;
        check(json!({ "categoryIds": [tyres] }), ids(&[&r3])).await;
        check(json!({ "tagIds": [gid("Tag", uber)] }), ids(&[&r1, &r2])).await;
        check(
            json!({ "tagIds": [gid("Tag", uber), gid("Tag", cabify)] }),
            ids(&[&r1, &r2]),
        )
        .await;
        check(json!({ "tagIds": [gid("Tag", family)] }), vec![]).await;
        check(json!({ "status": "PENDING" }), ids(&[&r3, &r5])).await;
        check(json!({ "status": "OVERDUE" }), ids(&[&r4, &r6])).await;
        check(
            json!({ "status": "PAID" }),
            ids(&[&r1, &r2, &r7, &r8, &r9, &r10, &r11, &t_out, &t_in]),
        )
        .await;
        check(json!({ "search": "primax" }), ids(&[&r2, &r4])).await;
        check(json!({ "search": "  llantas " }), ids(&[&r3])).await;
        check(json!({ "search": "50%" }), ids(&[&r7])).await;
        check(json!({ "search": "%" }), ids(&[&r7])).await;
        check(json!({ "search": "a_b" }), ids(&[&r9])).await;
        check(json!({ "search": "Tía Señora" }), ids(&[&r11])).await;
        check(json!({ "search": "tía señora" }), ids(&[&r11])).await;
        // SQLite's LOWER folds A to Z only; PostgreSQL's folds accented capitals too.
        let accented_capitals = if app.backend == "postgres" {
            ids(&[&r11])
        } else {
            vec![]
        };
        check(json!({ "search": "TÍA SEÑORA" }), accented_capitals).await;
        check(json!({ "search": "" }), ids(&all)).await;
        check(json!({ "excluded": true }), ids(&[&r7])).await;
        check(
            json!({ "excluded": false }),
            ids(&[
                &r1, &r2, &r3, &r4, &r5, &r6, &r8, &r9, &r10, &r11, &t_out, &t_in,
            ]),
        )
        .await;
        check(json!({ "externalId": "ext-8" }), ids(&[&r8])).await;
        check(json!({ "externalId": "ext-9" }), vec![]).await;
        check(
            json!({ "kind": "OUT", "status": "PAID", "search": "descuento", "excluded": false }),
            ids(&[&r8]),
        )
        .await;

        // The Transaction's own status agrees with the filter.
        let pending = page(
            &app,
            &token,
            json!({ "filter": { "period": november, "status": "PENDING" } }),
        )
        .await;
        assert_eq!(pending["totalCount"], 2);

        // IDs that are not IDs of the right kind are refused; the period is checked too.
        for filter in [
            json!({ "accountIds": ["nope"] }),
            json!({ "accountIds": [gid("Tag", uber)] }),
            json!({ "categoryIds": [gid("Account", bank)] }),
            json!({ "tagIds": [gid("Category", raw_id(&auto))] }),
            json!({ "createdBy": gid("Invoice", 1) }),
            json!({ "search": "x".repeat(101) }),
            json!({ "tagIds": (1..=101).map(|i| gid("Tag", i)).collect::<Vec<_>>() }),
        ] {
            assert_eq!(
                list_error(&app, &token, json!({ "filter": filter })).await,
                "BAD_USER_INPUT",
                "{filter}"
            );
        }
    }
);

db_test!(
    created_by_and_private_rows_in_the_business_book,
    |config| {
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap());
    },
    |app| {
        let slug = "listing-business";
        let (admin_a, token_a) = staff(&app, slug, "82000001", Role::Admin).await;
        let (admin_b, token_b) = staff(&app, slug, "82000002", Role::Admin).await;
        let (collector, token_c) = staff(&app, slug, "82000003", Role::Collector).await;
        let parts = business_parts(&app, admin_a).await;

        let create = |token: &str, input: Value| {
            let app = &app;
            let token = token.to_string();
            async move {
                ok(app, &token, CREATE, input).await["transaction"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
        };
        let public_a = create(&token_a, json!({ "kind": "IN", "amount": "100.00" })).await;
        let private_a = create(
            &token_a,
            json!({ "kind": "OUT", "amount": "40.00", "private": true }),
        )
        .await;
        let public_b = create(&token_b, json!({ "kind": "OUT", "amount": "30.00" })).await;
        // Through an API token of A's (Fipli's collector token).
        let secret = app
            .gql(
                "mutation { createApiToken(input: { name: \"Cobranza\" }) { secret apiToken { id } } }",
                json!({}),
                Some(&token_a),
            )
            .await["data"]["createApiToken"]
            .clone();
        let api_token_id = secret["apiToken"]["id"].as_str().unwrap().to_string();
        let by_token = create(
            secret["secret"].as_str().unwrap(),
            json!({ "kind": "IN", "amount": "55.00" }),
        )
        .await;
        // A COLLECTOR cannot record; a private row of theirs (from before, say) is theirs.
        let mut row = new_transaction(&parts, TransactionKind::Out, 900, day(11, 3));
        row.private = Set(true);
        row.created_by_user_id = Set(Some(collector));
        let private_c = tx(add_transaction(&app.app.state.db, row).await.id);

        let default = |token: &str| {
            let app = &app;
            let token = token.to_string();
            async move { sorted(ids_of(&page(app, &token, json!({})).await)) }
        };
        let everything = sorted(vec![
            public_a.clone(),
            private_a.clone(),
            public_b.clone(),
            by_token.clone(),
            private_c.clone(),
        ]);
        assert_eq!(default(&token_a).await, everything);
        assert_eq!(default(&token_b).await, everything);
        let for_collector = sorted(vec![
            public_a.clone(),
            public_b.clone(),
            by_token.clone(),
            private_c.clone(),
        ]);
        assert_eq!(default(&token_c).await, for_collector);
        let connection = page(&app, &token_c, json!({ "first": 2 })).await;
        assert_eq!(
            connection["totalCount"], 4,
            "the count agrees with the rows"
        );

        let created_by = |token: &str, id: String| {
            let app = &app;
            let token = token.to_string();
            async move {
                sorted(ids_of(
                    &page(app, &token, json!({ "filter": { "createdBy": id } })).await,
                ))
            }
        };
        assert_eq!(
            created_by(&token_a, gid("StaffUser", admin_b)).await,
            vec![public_b.clone()]
        );
        assert_eq!(
            created_by(&token_a, gid("StaffUser", admin_a)).await,
            sorted(vec![public_a.clone(), private_a.clone(), by_token.clone()])
        );
        assert_eq!(
            created_by(&token_c, gid("StaffUser", admin_a)).await,
            sorted(vec![public_a.clone(), by_token.clone()])
        );
        assert_eq!(
            created_by(&token_c, api_token_id.clone()).await,
            vec![by_token.clone()]
        );
        assert_eq!(
            created_by(&token_c, gid("StaffUser", collector)).await,
            vec![private_c.clone()]
        );
        assert_eq!(
            created_by(&token_a, gid("Client", 1)).await,
            Vec::<String>::new()
        );
    }
);

db_test!(a_driver_never_sees_another_drivers_rows, |app| {
    let (token_x, parts_x) = driver(&app, "71000006").await;
    let (token_y, parts_y) = driver(&app, "71000007").await;
    let db = &app.app.state.db;
    let tag_x = add_tag(db, &parts_x, "Uber").await;
    let mut xs = Vec::new();
    for d in 1..=5 {
        let row = add_transaction(
            db,
            new_transaction(&parts_x, TransactionKind::In, 1_000, day(5, d)),
        )
        .await;
        xs.push(row.id);
    }
    tag_transactions(db, &[(xs[0], tag_x)]).await;
    let y = add_transaction(
        db,
        new_transaction(&parts_y, TransactionKind::In, 2_000, day(5, 3)),
    )
    .await;

    assert_eq!(listed(&app, &token_y, json!({})).await, vec![tx(y.id)]);
    assert_eq!(listed(&app, &token_x, json!({})).await.len(), 5);
    // X's account, category and tag match nothing in Y's book; no error tells they exist.
    for filter in [
        json!({ "accountIds": [gid("Account", parts_x.account_id)] }),
        json!({ "categoryIds": [gid("Category", parts_x.income_category_id)] }),
        json!({ "tagIds": [gid("Tag", tag_x)] }),
        json!({ "externalId": "none" }),
    ] {
        assert_eq!(listed(&app, &token_y, filter).await, Vec::<String>::new());
    }
    // A cursor from X's listing is a position: in Y's book it finds Y's rows only.
    let x_page = page(&app, &token_x, json!({ "filter": year_2026(), "first": 1 })).await;
    let y_page = page(
        &app,
        &token_y,
        json!({ "filter": year_2026(), "after": x_page["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(ids_of(&y_page), vec![tx(y.id)]);
    // Y's incomes are Y's.
    let body = app
        .gql(
            "{ book { incomes { totalCount nodes { id } } } }",
            json!({}),
            Some(&token_y),
        )
        .await;
    assert_eq!(body["data"]["book"]["incomes"]["totalCount"], 1, "{body}");
});

db_test!(cursors_and_page_sizes_are_checked, |app| {
    let (token, parts) = driver(&app, "71000008").await;
    let db = &app.app.state.db;
    for d in 1..=3 {
        add_transaction(
            db,
            new_transaction(&parts, TransactionKind::Out, 100 * d as i64, day(7, d)),
        )
        .await;
    }
    let first = page(&app, &token, json!({ "filter": year_2026(), "first": 1 })).await;
    let cursor = first["pageInfo"]["endCursor"].as_str().unwrap().to_string();
    let edges = app
        .gql(
            "{ book { transactions(first: 2, filter: { period: { from: \"2026-01-01\", to: \"2026-12-31\" } }) { edges { cursor node { id } } pageInfo { startCursor endCursor } } } }",
            json!({}),
            Some(&token),
        )
        .await["data"]["book"]["transactions"]
        .clone();
    assert_eq!(
        edges["edges"][0]["cursor"],
        edges["pageInfo"]["startCursor"]
    );
    assert_eq!(edges["edges"][0]["cursor"], cursor);
    assert_eq!(edges["edges"][1]["cursor"], edges["pageInfo"]["endCursor"]);
    assert_eq!(edges["edges"][0]["node"]["id"], first["nodes"][0]["id"]);
    let forge = |s: &str| URL_SAFE_NO_PAD.encode(s);
    for (variables, why) in [
        (json!({ "after": "garbage" }), "not base64 of a cursor"),
        (
            json!({ "before": forge("o:3") }),
            "an offset cursor of another listing",
        ),
        (
            json!({ "after": forge("tx1:DATE_DESC:1:2026-13-01") }),
            "no such date",
        ),
        (
            json!({ "after": forge("tx1:DATE_DESC:0:2026-07-01") }),
            "no such id",
        ),
        (json!({ "after": forge("tx1:DATE_DESC:x") }), "cut short"),
        (
            json!({ "after": forge("tx1:AMOUNT_ASC:1:abc") }),
            "no amount",
        ),
        (
            json!({ "order": "AMOUNT_ASC", "after": cursor }),
            "a cursor of another order",
        ),
        (json!({ "first": 101 }), "more than 100"),
        (json!({ "last": -1 }), "negative"),
    ] {
        let mut variables = variables;
        variables["filter"] = year_2026();
        assert_eq!(
            list_error(&app, &token, variables).await,
            "BAD_USER_INPUT",
            "{why}"
        );
    }
    let ok_page = page(
        &app,
        &token,
        json!({ "filter": year_2026(), "first": 100, "after": cursor }),
    )
    .await;
    assert_eq!(ok_page["nodes"].as_array().unwrap().len(), 2);
    // `first: 0` is an empty page that still says whether rows follow.
    let empty = page(&app, &token, json!({ "filter": year_2026(), "first": 0 })).await;
    assert_eq!(empty["nodes"], json!([]));
    assert_eq!(empty["pageInfo"]["hasNextPage"], true);
    // `first` and `last` together: the last `last` of the first `first`.
    let both = page(
        &app,
        &token,
        json!({ "filter": year_2026(), "first": 2, "last": 1 }),
    )
    .await;
    assert_eq!(both["nodes"][0]["date"], "2026-07-02");
    assert_eq!(both["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(both["pageInfo"]["hasNextPage"], true);
});

db_test!(every_order_pages_in_its_order, |app| {
    let (token, parts) = driver(&app, "71000009").await;
    let db = &app.app.state.db;
    // Ties in every key: dates, amounts and recording times repeat.
    let specs = [
        (3, 500, "2026-11-01T10:00:00.000001Z"),
        (1, 500, "2026-11-01T10:00:00.000001Z"),
        (3, 100, "2026-11-01T09:00:00Z"),
        (2, 900, "2026-11-02T08:30:00.5Z"),
        (1, 100, "2026-11-02T08:30:00.5Z"),
        (3, 900, "2026-10-30T23:59:59.999999Z"),
        (2, 300, "2026-11-01T10:00:00.000002Z"),
    ];
    let mut rows = Vec::new();
    for (d, amount, created) in specs {
        let mut row = new_transaction(&parts, TransactionKind::Out, amount, day(8, d));
        row.created_at = Set(at(created));
        rows.push(add_transaction(db, row).await);
    }
    type Key = fn(&book_transaction::Model) -> (i64, i64);
    let orders: [(&str, Key, bool); 6] = [
        (
            "DATE_DESC",
            |r| (i64::from(r.date.num_days_from_ce()), r.id),
            true,
        ),
        (
            "DATE_ASC",
            |r| (i64::from(r.date.num_days_from_ce()), r.id),
            false,
        ),
        ("AMOUNT_DESC", |r| (r.amount_minor, r.id), true),
        ("AMOUNT_ASC", |r| (r.amount_minor, r.id), false),
        (
            "CREATED_DESC",
            |r| (r.created_at.timestamp_micros(), r.id),
            true,
        ),
        (
            "CREATED_ASC",
            |r| (r.created_at.timestamp_micros(), r.id),
            false,
        ),
    ];
    for (order, key, descending) in orders {
        let mut expected = rows.clone();
        expected.sort_by_key(key);
        if descending {
            expected.reverse();
        }
        let expected: Vec<String> = expected.iter().map(|r| tx(r.id)).collect();
        // Forward by 2, backward by 3.
        let mut forward = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let c = page(
                &app,
                &token,
                json!({ "filter": year_2026(), "order": order, "first": 2, "after": after }),
            )
            .await;
            forward.extend(ids_of(&c));
            if c["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = c["pageInfo"]["endCursor"].as_str().map(str::to_string);
        }
        assert_eq!(forward, expected, "{order} forward");
        let mut backward: Vec<String> = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let c = page(
                &app,
                &token,
                json!({ "filter": year_2026(), "order": order, "last": 3, "before": before }),
            )
            .await;
            let mut ids = ids_of(&c);
            ids.extend(backward);
            backward = ids;
            if c["pageInfo"]["hasPreviousPage"] == false {
                break;
            }
            before = c["pageInfo"]["startCursor"].as_str().map(str::to_string);
        }
        assert_eq!(backward, expected, "{order} backward");
    }
});

const INCOMES: &str = "query($first: Int, $after: String) { book { incomes(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }";

const QUICK: &str = "query($first: Int) { book { incomes(first: $first) { totalCount nodes { id amount date createdAt } pageInfo { hasNextPage endCursor } } expenses(first: $first) { totalCount nodes { id amount date createdAt category { name icon code } } pageInfo { hasNextPage endCursor } } } }";

db_test!(
    incomes_and_expenses_are_every_one_newest_first,
    |config| {
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 20, 17, 0, 0).unwrap());
    },
    |app| {
        let (token, parts) = driver(&app, "71000010").await;
        let db = &app.app.state.db;
        let create = |input: Value| {
            let app = &app;
            let token = &token;
            async move {
                ok(app, token, CREATE, input).await["transaction"]["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            }
        };
        // Through the mutation, as the driver's app records them.
        let old = create(json!({ "kind": "IN", "amount": "10.00", "date": "2024-06-01" })).await;
        let today_1 = create(json!({ "kind": "IN", "amount": "12.40" })).await;
        let today_2 = create(json!({ "kind": "IN", "amount": "13.00" })).await;
        let june = create(json!({ "kind": "IN", "amount": "20.00", "date": "2026-06-01" })).await;
        let future = create(json!({ "kind": "IN", "amount": "30.00", "date": "2026-12-24" })).await;
        let fuel = create(json!({ "kind": "OUT", "amount": "13.00" })).await;
        let older_fuel =
            create(json!({ "kind": "OUT", "amount": "26.00", "date": "2025-02-02" })).await;
        // Transfers are neither.
        let bank = add_account(db, &parts, "BCP").await;
        add_transfer(db, &parts, bank, 5_000, day(11, 20)).await;

        let body = app.gql(QUICK, json!({ "first": 20 }), Some(&token)).await;
        assert!(body["errors"].is_null(), "{body}");
        let incomes = &body["data"]["book"]["incomes"];
        let income_ids: Vec<&str> = incomes["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert_eq!(income_ids, vec![&future, &today_2, &today_1, &june, &old]);
        assert_eq!(incomes["totalCount"], 5);
        assert_eq!(incomes["nodes"][1]["amount"], "13.00");
        let expenses = &body["data"]["book"]["expenses"];
        let expense_ids: Vec<&str> = expenses["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert_eq!(expense_ids, vec![&fuel, &older_fuel]);
        assert_eq!(expenses["nodes"][0]["category"]["code"], "otros");

        // Paging through incomes two at a time reaches the same five.
        let mut paged = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let body = app
                .gql(INCOMES, json!({ "first": 2, "after": after }), Some(&token))
                .await;
            let incomes = &body["data"]["book"]["incomes"];
            paged.extend(
                incomes["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["id"].as_str().unwrap().to_string()),
            );
            if incomes["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = incomes["pageInfo"]["endCursor"]
                .as_str()
                .map(str::to_string);
        }
        assert_eq!(paged, vec![future, today_2, today_1, june, old]);
    }
);
