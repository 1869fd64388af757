//! Drivers, contracts, cars and invoices: what the demo driver sees and isolation between
//! clients and tenants.

use chrono::{TimeZone, Utc};
use gateway::{domain::commons::Clock, entities::user::Role};
use serde_json::{Value, json};

use crate::{
    common::{COLLECTOR, DRIVER},
    db_test,
};

const DEMO_HASH: &str = "0b935679-d439-4463-b24a-1c9d54ce7542";

const PROFILE: &str = "{ me { ... on Client { address phoneNumber phones { phoneNumber } coins plan { name code discountPercent }
    contracts { id hash status weeklyAmount autoCharge processorPublicKey
      summary { totalInvoices totalInvoicesPaid totalInvoicesPending pendingPenalties }
      car { brand model licensePlate year photos documents { kind label dueDate expiresInDays } documentsExpiringWithin(days: 30) { kind } } } } } }";

db_test!(
    the_demo_driver_sees_profile_contracts_car_and_documents,
    |app| {
        let token = app.login(DRIVER).await;
        let body = app.gql(PROFILE, json!({}), Some(&token)).await;
        let me = &body["data"]["me"];
        assert_eq!(me["coins"], "116.00", "{body}");
        assert_eq!(
            me["plan"],
            json!({ "name": "Oro", "code": "oro", "discountPercent": "5.00" })
        );
        assert_eq!(me["phones"].as_array().unwrap().len(), 2);
        let first = &me["contracts"][0];
        assert_eq!(first["hash"], DEMO_HASH);
        assert_eq!(first["weeklyAmount"], "525.00");
        assert_eq!(
            first["summary"],
            json!({ "totalInvoices": 16, "totalInvoicesPaid": 4, "totalInvoicesPending": 10, "pendingPenalties": 1 })
        );
        let kinds: Vec<&str> = first["car"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        for kind in [
            "OWNERSHIP_CARD",
            "SOAT",
            "INSURANCE",
            "DRIVER_LICENSE",
            "TECHNICAL_INSPECTION",
        ] {
            assert!(kinds.contains(&kind), "{kind} missing: {kinds:?}");
        }
        assert_eq!(
            first["car"]["documentsExpiringWithin"],
            json!([{ "kind": "SOAT" }])
        );
        assert_eq!(me["contracts"].as_array().unwrap().len(), 2);
    }
);

db_test!(
    document_expiry_counts_days_in_the_organizations_timezone,
    // 03:30 UTC on the 24th is still the 23rd, 22:30, in Lima: the demo SOAT is due ten
    // days after the 23rd, and a UTC "today" would say 9.
    |config| {
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 3, 30, 0).unwrap());
    },
    |app| {
        let token = app.login(DRIVER).await;
        let body = app
            .gql(
                "query($hash: String!) { contract(hash: $hash) { car { documents { kind dueDate expiresInDays } documentsExpiringWithin(days: 10) { kind } } } }",
                json!({ "hash": DEMO_HASH }),
                Some(&token),
            )
            .await;
        let car = &body["data"]["contract"]["car"];
        let soat = car["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "SOAT")
            .unwrap();
        assert_eq!(soat["dueDate"], "2026-12-03", "{body}");
        assert_eq!(soat["expiresInDays"], 10);
        assert_eq!(car["documentsExpiringWithin"], json!([{ "kind": "SOAT" }]));
    }
);

const INVOICES: &str = "query($hash: String!, $status: InvoiceStatus, $first: Int) { contract(hash: $hash) { invoices(status: $status, first: $first) {
    totalCount nodes { id status priority dueDate total totalWithDiscount type { code } discounts { amount type } } } } }";

db_test!(invoices_filter_by_status_and_discount_exactly, |app| {
    let token = app.login(DRIVER).await;
    // 12 weeks (4 paid, the 5th frozen, the 6th split in three fractions) and a penalty.
    for (status, count) in [
        ("PENDING", 7),
        ("FRACTION", 3),
        ("FROZEN", 1),
        ("PAID", 4),
        ("SPLIT", 1),
    ] {
        let body = app
            .gql(
                INVOICES,
                json!({ "hash": DEMO_HASH, "status": status, "first": 20 }),
                Some(&token),
            )
            .await;
        let invoices = &body["data"]["contract"]["invoices"];
        assert_eq!(invoices["totalCount"], count, "{status}: {body}");
        let nodes = invoices["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), count);
        assert!(nodes.iter().all(|n| n["status"] == status));
        // Ordered by priority, then due date.
        let keys: Vec<(i64, String)> = nodes
            .iter()
            .map(|n| {
                (
                    n["priority"].as_i64().unwrap(),
                    n["dueDate"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{status}");
    }
    let all = app
        .gql(
            INVOICES,
            json!({ "hash": DEMO_HASH, "first": 20 }),
            Some(&token),
        )
        .await;
    let nodes = all["data"]["contract"]["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(nodes.len(), 16);
    // 525.00 - (10.00 + 5.50) = 509.50
    let twice = nodes
        .iter()
        .find(|n| n["discounts"].as_array().unwrap().len() == 2)
        .expect("an invoice with two discounts");
    assert_eq!(twice["total"], "525.00");
    assert_eq!(twice["totalWithDiscount"], "509.50", "{twice}");
    let none = nodes
        .iter()
        .find(|n| n["discounts"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(none["total"], none["totalWithDiscount"]);

    let bad = app
        .gql(
            INVOICES,
            json!({ "hash": DEMO_HASH, "status": "pendings" }),
            Some(&token),
        )
        .await;
    assert!(
        bad["errors"].is_array(),
        "an unknown status is refused: {bad}"
    );
});

db_test!(clients_and_their_contracts_are_isolated, |app| {
    let colleague = app
        .add_user("leasy-demo", "20000001", "otro1234", Role::Client)
        .await;
    app.add_user("other-co", "30000002", "otro1234", Role::Admin)
        .await;
    let _ = colleague;
    let driver = app.login(DRIVER).await;
    let own = app
        .gql(
            INVOICES,
            json!({ "hash": DEMO_HASH, "first": 1 }),
            Some(&driver),
        )
        .await;
    let invoice_id = own["data"]["contract"]["invoices"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let me = app.gql(PROFILE, json!({}), Some(&driver)).await;
    let contract_id = me["data"]["me"]["contracts"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let node = "query($id: ID!) { node(id: $id) { id } }";
    let by_hash = "query($hash: String!) { contract(hash: $hash) { hash } }";
    let outsiders: Vec<(String, &str)> = vec![
        (
            app.login(("20000001", "otro1234")).await,
            "another driver of the organization",
        ),
        (
            app.login(("30000002", "otro1234")).await,
            "an admin of another organization",
        ),
    ];
    for (token, who) in &outsiders {
        let body = app
            .gql(by_hash, json!({ "hash": DEMO_HASH }), Some(token))
            .await;
        assert!(
            body["data"]["contract"].is_null(),
            "{who} reached the contract by hash: {body}"
        );
        for id in [&contract_id, &invoice_id] {
            let body = app.gql(node, json!({ "id": id }), Some(token)).await;
            assert!(body["data"]["node"].is_null(), "{who} reached {id}: {body}");
        }
        let body = app
            .gql(
                "{ clients(first: 100) { nodes { document } } }",
                json!({}),
                Some(token),
            )
            .await;
        let leaked = body.to_string().contains(DRIVER.0);
        assert!(!leaked, "{who} listed the demo driver: {body}");
    }
    // A client may not list drivers at all; staff of the organization may (COLLECTOR too).
    let denied = app
        .gql("{ clients { totalCount } }", json!({}), Some(&driver))
        .await;
    assert_eq!(denied["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let collector = app.login(COLLECTOR).await;
    let body = app
        .gql(by_hash, json!({ "hash": DEMO_HASH }), Some(&collector))
        .await;
    assert_eq!(body["data"]["contract"]["hash"], DEMO_HASH);
    let search = app
        .gql(
            "{ clients(filter: { search: \"PRUEBAS\" }) { totalCount nodes { document } } }",
            json!({}),
            Some(&collector),
        )
        .await;
    assert_eq!(
        search["data"]["clients"]["nodes"],
        json!([{ "document": DRIVER.0 }]),
        "{search}"
    );
    // LIKE's wildcards and its escape are looked for literally.
    for text in ["%", "_", "!", "\\"] {
        let search = app
            .gql(
                "query($text: String) { clients(filter: { search: $text }) { totalCount } }",
                json!({ "text": text }),
                Some(&collector),
            )
            .await;
        assert_eq!(
            search["data"]["clients"]["totalCount"], 0,
            "{text}: {search}"
        );
    }
    let too_long = app
        .gql(
            "query($text: String) { clients(filter: { search: $text }) { totalCount } }",
            json!({ "text": "x".repeat(101) }),
            Some(&collector),
        )
        .await;
    assert_eq!(
        too_long["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{too_long}"
    );
    assert_eq!(
        too_long["errors"][0]["message"],
        "`search` must have at most 100 characters"
    );
    for id in [&contract_id, &invoice_id] {
        let body = app.gql(node, json!({ "id": id }), Some(&collector)).await;
        assert_eq!(body["data"]["node"]["id"], Value::String(id.to_string()));
    }
});

db_test!(
    plan_and_invoice_type_codes_are_unique_per_organization,
    |app| {
        use gateway::entities::{invoice_type, plan};
        use sea_orm::{ActiveModelTrait, Set};
        let db = &app.app.state.db;
        let duplicate_plan = plan::ActiveModel {
            organization_id: Set(1),
            name: Set("Oro bis".into()),
            code: Set("oro".into()),
            discount_basis_points: Set(0),
            description: Set(String::new()),
            ..Default::default()
        }
        .insert(db)
        .await;
        assert!(
            duplicate_plan.is_err(),
            "a second plan coded oro was stored"
        );
        let duplicate_type = invoice_type::ActiveModel {
            organization_id: Set(1),
            name: Set("Otra".into()),
            code: Set("weekly".into()),
            ..Default::default()
        }
        .insert(db)
        .await;
        assert!(
            duplicate_type.is_err(),
            "a second invoice type with a taken code was stored"
        );
    }
);

const INVOICE_PAGE: &str = "query($hash: String!, $first: Int, $after: String, $last: Int, $before: String) { contract(hash: $hash) { invoices(first: $first, after: $after, last: $last, before: $before) {
    nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";

db_test!(invoice_pages_follow_their_cursors_both_ways, |app| {
    let token = app.login(DRIVER).await;
    let all = app
        .gql(
            INVOICES,
            json!({ "hash": DEMO_HASH, "first": 20 }),
            Some(&token),
        )
        .await;
    let everything: Vec<Value> = all["data"]["contract"]["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(everything.len(), 16, "{all}");

    // Forward by 5 (read without counting): 5, 5, 5, 1, each once and in order.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut flags = Vec::new();
    loop {
        let body = app
            .gql(
                INVOICE_PAGE,
                json!({ "hash": DEMO_HASH, "first": 5, "after": after }),
                Some(&token),
            )
            .await;
        let page = &body["data"]["contract"]["invoices"];
        let nodes = page["nodes"].as_array().unwrap_or_else(|| panic!("{body}"));
        seen.extend(nodes.iter().map(|n| n["id"].clone()));
        let info = &page["pageInfo"];
        flags.push((
            nodes.len(),
            info["hasPreviousPage"].as_bool().unwrap(),
            info["hasNextPage"].as_bool().unwrap(),
        ));
        if !info["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(
        flags,
        vec![
            (5, false, true),
            (5, true, true),
            (5, true, true),
            (1, true, false)
        ]
    );
    assert_eq!(seen, everything);

    // A page that ends exactly at the last invoice has no next page.
    let body = app
        .gql(
            INVOICE_PAGE,
            json!({ "hash": DEMO_HASH, "first": 16 }),
            Some(&token),
        )
        .await;
    assert_eq!(
        body["data"]["contract"]["invoices"]["pageInfo"]["hasNextPage"], false,
        "{body}"
    );

    // Backward (counted first): the last 4, then the 4 before them.
    let body = app
        .gql(
            INVOICE_PAGE,
            json!({ "hash": DEMO_HASH, "last": 4 }),
            Some(&token),
        )
        .await;
    let page = &body["data"]["contract"]["invoices"];
    let ids: Vec<Value> = page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(ids, everything[12..].to_vec(), "{body}");
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
    let before = page["pageInfo"]["startCursor"].clone();
    let body = app
        .gql(
            INVOICE_PAGE,
            json!({ "hash": DEMO_HASH, "last": 4, "before": before }),
            Some(&token),
        )
        .await;
    let ids: Vec<Value> = body["data"]["contract"]["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(ids, everything[8..12].to_vec(), "{body}");
});

const COUNTED_PAGE: &str = "query($hash: String!, $status: InvoiceStatus, $first: Int, $after: String) { contract(hash: $hash) { invoices(status: $status, first: $first, after: $after) {
    totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }";

// Paging forward, the count comes in the page's own statement: it must be the whole
// listing's, whether the page is the first, a middle one, filtered, or past the end.
db_test!(
    counted_invoice_pages_carry_the_whole_count_wherever_they_start,
    |app| {
        let token = app.login(DRIVER).await;
        let page = |status: Value, first: i64, after: Value| {
            let app = &app;
            let token = &token;
            async move {
                let body = app
                .gql(
                    COUNTED_PAGE,
                    json!({ "hash": DEMO_HASH, "status": status, "first": first, "after": after }),
                    Some(token),
                )
                .await;
                body["data"]["contract"]["invoices"].clone()
            }
        };
        let first = page(Value::Null, 2, Value::Null).await;
        assert_eq!(first["totalCount"], 16, "{first}");
        assert_eq!(first["nodes"].as_array().unwrap().len(), 2);
        let middle = page(Value::Null, 5, first["pageInfo"]["endCursor"].clone()).await;
        assert_eq!(middle["totalCount"], 16, "{middle}");
        assert_eq!(middle["nodes"].as_array().unwrap().len(), 5);
        let whole = page(Value::Null, 16, Value::Null).await;
        let past = page(Value::Null, 5, whole["pageInfo"]["endCursor"].clone()).await;
        assert_eq!(past["totalCount"], 16, "{past}");
        assert_eq!(past["nodes"], json!([]), "{past}");
        assert_eq!(past["pageInfo"]["hasNextPage"], false);
        let pending = page(json!("PENDING"), 4, Value::Null).await;
        assert_eq!(pending["totalCount"], 7, "{pending}");
        assert_eq!(pending["nodes"].as_array().unwrap().len(), 4);
        assert_eq!(pending["pageInfo"]["hasNextPage"], true);
        let frozen = page(json!("FROZEN"), 4, Value::Null).await;
        assert_eq!(frozen["totalCount"], 1, "{frozen}");
        assert_eq!(frozen["nodes"].as_array().unwrap().len(), 1);
    }
);

// `nodes` of invoices answers plain fields straight from the rows (`fast::plain`);
// adding a field that is not plain (`type`, removed before comparing) sends the same
// selection through the usual resolvers. Both must agree. (A directive would not do:
// async-graphql removes `@include` and `@skip` before execution.)
db_test!(plain_invoice_fields_read_as_their_resolvers_answer, |app| {
    let token = app.login(DRIVER).await;
    let fields = "id hash status priority dueDate paidDate total createdAt observations";
    let page = |selection: String| {
        let app = &app;
        let token = &token;
        async move {
            let query = format!(
                "query($hash: String!) {{ contract(hash: $hash) {{ invoices(first: 20) {{ nodes {{ {selection} }} }} }} }}"
            );
            let body = app
                .gql(&query, json!({ "hash": DEMO_HASH }), Some(token))
                .await;
            assert!(body["errors"].is_null(), "{body}");
            body["data"]["contract"]["invoices"]["nodes"].clone()
        }
    };
    let direct = page(format!("{fields} __typename alias: total")).await;
    let mut resolved = page(format!("{fields} __typename alias: total type {{ code }}")).await;
    for invoice in resolved.as_array_mut().unwrap() {
        let kind = invoice.as_object_mut().unwrap().remove("type");
        assert!(kind.is_some_and(|k| k["code"].is_string()), "{invoice}");
    }
    assert_eq!(direct.as_array().map(Vec::len), Some(16), "{direct}");
    assert_eq!(direct, resolved);
    // Paid invoices have a paid date, the others null; amounts keep two decimals.
    let paid = direct
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "PAID")
        .unwrap();
    assert!(paid["paidDate"].is_string(), "{paid}");
    assert_eq!(paid["__typename"], "Invoice");
    assert!(paid["total"].as_str().unwrap().contains('.'), "{paid}");
    assert_eq!(paid["alias"], paid["total"]);
});

db_test!(
    demo_dates_come_from_the_organizations_calendar,
    // 04:30 UTC on December 1st is still November 30th, 23:30, in Lima: the demo's
    // "today" is the 30th and its "this month" November, where a UTC date would say
    // December 1st.
    |config| {
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 12, 1, 4, 30, 0).unwrap());
    },
    |app| {
        let token = app.login(DRIVER).await;
        let body = app
            .gql(
                "{ me { ... on Client { contracts { hash invoices(first: 30) { nodes { dueDate observations status } } } } } }",
                json!({}),
                Some(&token),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let contracts = body["data"]["me"]["contracts"].as_array().unwrap();
        assert_eq!(contracts.len(), 2);
        let due = |contract: &Value, observations: &str| -> String {
            contract["invoices"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["observations"] == observations)
                .unwrap_or_else(|| panic!("no {observations} in {contract}"))["dueDate"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let first = contracts.iter().find(|c| c["hash"] == DEMO_HASH).unwrap();
        let second = contracts.iter().find(|c| c["hash"] != DEMO_HASH).unwrap();
        // Each contract's last week is due today in Lima, the penalty three days before,
        // the split's last part a week after.
        assert_eq!(due(first, "Cuota semanal 12"), "2026-11-30");
        assert_eq!(due(second, "Cuota semanal 6"), "2026-11-30");
        assert_eq!(due(first, "Penalidad por pago tardío"), "2026-11-27");
        assert_eq!(due(first, "Fracción 3 de 3: Cuota semanal 6"), "2026-12-07");

        // Due today is not overdue yet; the business documents are dated by the same day
        // and month.
        let collector = app.login(COLLECTOR).await;
        let body = app
            .gql(
                "{ overdueInvoices(first: 50) { nodes { invoice { dueDate } daysOverdue } }
                   salesInvoices(first: 10) { nodes { date dueDate paidOn } }
                   receipts(first: 10) { nodes { concept date dueDate } } }",
                json!({}),
                Some(&collector),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let overdue = body["data"]["overdueInvoices"]["nodes"].as_array().unwrap();
        assert!(!overdue.is_empty());
        assert!(
            overdue
                .iter()
                .all(|i| i["invoice"]["dueDate"].as_str().unwrap() < "2026-11-30"),
            "{overdue:?}"
        );
        // The newest invoice three days ago, due in 27 days; the first two paid before
        // this month (November) began.
        let invoices = body["data"]["salesInvoices"]["nodes"].as_array().unwrap();
        assert_eq!(
            (&invoices[0]["date"], &invoices[0]["dueDate"]),
            (&json!("2026-11-27"), &json!("2026-12-27"))
        );
        assert!(
            invoices
                .iter()
                .filter_map(|i| i["paidOn"].as_str())
                .all(|on| on < "2026-11-01"),
            "{invoices:?}"
        );
        let receipts = body["data"]["receipts"]["nodes"].as_array().unwrap();
        let office = receipts
            .iter()
            .find(|r| r["concept"] == "Alquiler de oficina")
            .unwrap();
        assert_eq!(
            (&office["date"], &office["dueDate"]),
            (&json!("2026-11-28"), &json!("2026-12-12"))
        );
    }
);
