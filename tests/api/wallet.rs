//! The wallet: pay summary, paying invoices, recharges, idempotency, and the ledger
//! invariant (balance = sum of movements), on SQLite and PostgreSQL, including under
//! concurrency.

use chrono::{Duration, TimeZone, Utc};
use futures_util::future::join_all;
use gateway::{
    domain::commons::Clock,
    entities::{invoice, invoice::InvoiceStatus, payment, payment_allocation, user::Role},
    graphql::commons::{GlobalId, NodeKind},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, Replica, TestApp,
        back_office::onboard,
        gateway_command, the_review_day,
        wallet::{
            PASSWORD, PAY, RECHARGE, Spec, allocations_of, assert_ledger, driver, driver_with, pay,
            recharge,
        },
        ws_next, ws_subscribe,
    },
    db_test,
};

const SUMMARY: &str = "query($ids: [ID!]!) { paySummary(invoiceIds: $ids) {
  summary { selectedInvoices { id } activeFractions { id } invoicesTotal fractionsTotal totalToPay totalToRecharge coins }
  userErrors { field code message } } }";

fn user_error_codes(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("no userErrors in {payload}"))
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

const PENDING: InvoiceStatus = InvoiceStatus::Pending;
const FRACTION: InvoiceStatus = InvoiceStatus::Fraction;

/// The REST API's example: two invoices of 499, fractions of 22 + 22, 1022 coins:
/// 998 + 44 = 1042 to pay, 20 to recharge.
const REST_API_EXAMPLE: [Spec; 4] = [
    (PENDING, 52_400, 2_500),
    (PENDING, 49_900, 0),
    (FRACTION, 2_200, 0),
    (FRACTION, 2_200, 0),
];

db_test!(the_pay_summary_adds_up_like_the_rest_api, |app| {
    let d = driver(&app, "70000001", &REST_API_EXAMPLE, "1022.00").await;
    let body = app
        .gql(
            SUMMARY,
            json!({ "ids": [d.invoices[0], d.invoices[1]] }),
            Some(&d.token),
        )
        .await;
    let summary = &body["data"]["paySummary"]["summary"];
    assert_eq!(summary["invoicesTotal"], "998.00", "{body}");
    assert_eq!(summary["fractionsTotal"], "44.00");
    assert_eq!(summary["totalToPay"], "1042.00");
    assert_eq!(summary["coins"], "1022.00");
    assert_eq!(summary["totalToRecharge"], "20.00");
    assert_eq!(
        summary["activeFractions"],
        json!([{ "id": d.invoices[2] }, { "id": d.invoices[3] }])
    );
    // With enough coins nothing is left to recharge.
    let body = app
        .gql(SUMMARY, json!({ "ids": [d.invoices[1]] }), Some(&d.token))
        .await;
    assert_eq!(
        body["data"]["paySummary"]["summary"]["totalToRecharge"],
        "0.00"
    );
});

db_test!(
    paying_settles_invoices_and_fractions_atomically,
    // 03:30 UTC on the 24th is the 23rd in Lima: that is the paid date.
    |config| {
        config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 3, 30, 0).unwrap());
    },
    |app| {
        let d = driver(&app, "70000002", &REST_API_EXAMPLE, "1100.00").await;
        let body = pay(
            &app,
            &d.token,
            &[&d.invoices[0], &d.invoices[1]],
            "pay-0001-abcd",
        )
        .await;
        let payload = &body["data"]["payInvoices"];
        assert_eq!(payload["userErrors"], json!([]), "{body}");
        assert_eq!(payload["balance"], "58.00");
        assert_eq!(payload["replayed"], false);
        // Each invoice named by its due date (these have no observations), never by its
        // row number: the two selected, then the fractions.
        let mut named = Vec::new();
        for id in &d.invoice_ids {
            let row = invoice::Entity::find_by_id(*id)
                .one(&app.app.state.db)
                .await
                .unwrap()
                .unwrap();
            named.push(format!(
                "la que vence el {}",
                row.due_date.format("%d/%m/%Y")
            ));
        }
        assert_eq!(
            payload["message"],
            format!(
                "Se pagan las facturas: {} . Por el monto de S/ 1042",
                named.join(", ")
            )
        );
        let payment = &payload["payment"];
        assert_eq!(payment["amount"], "1042.00");
        assert_eq!(payment["source"], "WALLET");
        let allocations = payment["allocations"].as_array().unwrap();
        assert_eq!(allocations.len(), 4);
        assert_eq!(allocations[0]["amount"], "499.00");
        for a in allocations {
            assert_eq!(a["invoice"]["status"], "PAID");
            assert_eq!(a["invoice"]["paidDate"], "2026-11-23");
        }
        // The rows behind it.
        let db = &app.app.state.db;
        assert_eq!(payments_of(&app, d.id).await, 1);
        let allocated: i64 = payment_allocation::Entity::find()
            .filter(payment_allocation::Column::InvoiceId.is_in(d.invoice_ids.clone()))
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|a| a.amount_minor)
            .sum();
        assert_eq!(allocated, 104_200);
        assert_eq!(assert_ledger(&app, d.id).await, 5_800);
        // The wallet shows the debit after the recharge, newest first.
        let body = app
            .gql(
                "{ me { ... on Client { wallet { balance movements(first: 5) { totalCount nodes { direction amount balanceAfter payment { amount } recharge { amount } } }
                   recharges(first: 5) { totalCount nodes { amount method type observation } } } } } }",
                json!({}),
                Some(&d.token),
            )
            .await;
        let wallet = &body["data"]["me"]["wallet"];
        assert_eq!(wallet["balance"], "58.00", "{body}");
        assert_eq!(
            wallet["movements"]["nodes"],
            json!([
                { "direction": "DEBIT", "amount": "1042.00", "balanceAfter": "58.00", "payment": { "amount": "1042.00" }, "recharge": null },
                { "direction": "CREDIT", "amount": "1100.00", "balanceAfter": "1100.00", "payment": null, "recharge": { "amount": "1100.00" } }
            ])
        );
        assert_eq!(
            wallet["recharges"]["nodes"],
            json!([{ "amount": "1100.00", "method": "Efectivo", "type": "CASH_IN", "observation": "test" }])
        );
    }
);

db_test!(
    every_rest_api_error_is_a_user_error_and_changes_nothing,
    |app| {
        let specs = [
            (PENDING, 49_900, 0),
            (InvoiceStatus::Paid, 49_900, 0),
            (InvoiceStatus::Frozen, 49_900, 0),
            (PENDING, 10_000, 10_000),
        ];
        let d = driver(&app, "70000003", &specs, "100.00").await;
        let other = driver(&app, "70000004", &[(PENDING, 1_000, 0)], "0.00").await;
        let cases: Vec<(Vec<&String>, &str, &str)> = vec![
            (vec![], "REQUIRED", "missing parameters"),
            (vec![&other.invoices[0]], "NOT_FOUND", "not yours"),
            (vec![&d.invoices[1]], "INVOICE_ALREADY_PAID", "already paid"),
            (vec![&d.invoices[2]], "INVOICE_FROZEN", "frozen"),
            (
                vec![&d.invoices[3]],
                "INVALID_AMOUNT",
                "The amount to pay is invalid '0'",
            ),
            (
                vec![&d.invoices[0]],
                "INSUFFICIENT_FUNDS",
                "You do not have enough coins: 100.00",
            ),
        ];
        let before = assert_ledger(&app, d.id).await;
        for (i, (ids, code, message)) in cases.into_iter().enumerate() {
            let body = pay(&app, &d.token, &ids, &format!("error-case-{i:04}")).await;
            let payload = &body["data"]["payInvoices"];
            assert_eq!(user_error_codes(payload), vec![code], "{body}");
            assert!(
                payload["userErrors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(message),
                "{body}"
            );
            assert!(payload["payment"].is_null());
        }
        // In Spanish, the REST API's own words.
        for (i, (invoice, message)) in [
            (&d.invoices[3], "El monto a pagar es inválido '0'"),
            (&d.invoices[0], "No tienes suficientes coins: 100.00"),
        ]
        .into_iter()
        .enumerate()
        {
            let key = format!("error-case-es-{i:04}");
            let variables = json!({ "ids": [invoice], "key": key });
            let body = app.gql_in(PAY, variables, Some(&d.token), Some("es")).await;
            let payload = &body["data"]["payInvoices"];
            assert_eq!(payload["userErrors"][0]["message"], message, "{body}");
        }
        // The REST API's "client not found": a driver without a wallet.
        app.add_user("leasy-demo", "70000013", PASSWORD, Role::Client)
            .await;
        let no_profile = app.login(("70000013", PASSWORD)).await;
        let body = pay(&app, &no_profile, &[&d.invoices[0]], "error-case-profile").await;
        let payload = &body["data"]["payInvoices"];
        assert_eq!(user_error_codes(payload), vec!["NOT_FOUND"], "{body}");
        assert_eq!(
            payload["userErrors"][0]["message"],
            "Client profile not found"
        );
        let variables = json!({ "ids": [&d.invoices[0]], "key": "error-case-profile-es" });
        let body = app
            .gql_in(PAY, variables, Some(&no_profile), Some("es"))
            .await;
        assert_eq!(
            body["data"]["payInvoices"]["userErrors"][0]["message"],
            "Perfil de cliente no encontrado",
            "{body}"
        );
        let body = pay(
            &app,
            &d.token,
            &[&"bm90LWFuLWlk".to_string()],
            "error-case-bad-id",
        )
        .await;
        assert_eq!(
            user_error_codes(&body["data"]["payInvoices"]),
            vec!["INVALID_FORMAT"]
        );
        let body = pay(&app, &d.token, &[&d.invoices[0]], "short").await;
        assert_eq!(
            user_error_codes(&body["data"]["payInvoices"]),
            vec!["INVALID_FORMAT"]
        );
        // Nothing moved, nothing was paid.
        assert_eq!(assert_ledger(&app, d.id).await, before);
        let db = &app.app.state.db;
        assert_eq!(payments_of(&app, d.id).await, 0);
        let pending = invoice::Entity::find()
            .filter(invoice::Column::Id.eq(d.invoice_ids[0]))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pending.status, PENDING);
        // Another driver's invoices cannot even be summarised.
        let body = app
            .gql(
                SUMMARY,
                json!({ "ids": [other.invoices[0]] }),
                Some(&d.token),
            )
            .await;
        assert_eq!(
            user_error_codes(&body["data"]["paySummary"]),
            vec!["NOT_FOUND"]
        );
    }
);

db_test!(staff_do_not_pay_and_drivers_do_not_recharge, |app| {
    let d = driver(&app, "70000005", &[(PENDING, 1_000, 0)], "0.00").await;
    let admin = app.login(ADMIN).await;
    let body = pay(&app, &admin, &[&d.invoices[0]], "staff-pays-0001").await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    let body = recharge(&app, &d.token, &d.gid, "10.00", "self-recharge-1").await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    let body = app
        .gql(
            PAY,
            json!({ "ids": [d.invoices[0]], "key": "anonymous-0001" }),
            None,
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(assert_ledger(&app, d.id).await, 0);
});

db_test!(recharges_are_validated_scoped_and_credited, |app| {
    let d = driver(&app, "70000006", &[], "0.00").await;
    let collector = app.login(COLLECTOR).await;
    let body = recharge(&app, &collector, &d.gid, "25.50", "recharge-0001").await;
    let payload = &body["data"]["recordRecharge"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["balance"], "25.50");
    assert_eq!(payload["recharge"]["type"], "CASH_IN");
    for (amount, code) in [
        ("0.00", "INVALID_AMOUNT"),
        ("-5.00", "INVALID_AMOUNT"),
        ("100000.01", "INVALID_AMOUNT"),
    ] {
        let body = recharge(
            &app,
            &collector,
            &d.gid,
            amount,
            &format!("recharge-bad-{amount}"),
        )
        .await;
        assert_eq!(
            user_error_codes(&body["data"]["recordRecharge"]),
            vec![code],
            "{amount}: {body}"
        );
    }
    let body = app
        .gql(
            RECHARGE,
            json!({ "client": d.gid, "amount": "1.00", "key": "recharge-blank-method", "method": "  " }),
            Some(&collector),
        )
        .await;
    assert_eq!(
        user_error_codes(&body["data"]["recordRecharge"]),
        vec!["REQUIRED"]
    );
    // A staff member cannot recharge another organization's driver, nor a staff user.
    let outsider = app
        .add_user("other-org", "70000099", PASSWORD, Role::Client)
        .await;
    let outsider = GlobalId::new(NodeKind::Client, outsider).to_id().0;
    let body = recharge(&app, &collector, &outsider, "5.00", "recharge-outsider").await;
    assert_eq!(
        user_error_codes(&body["data"]["recordRecharge"]),
        vec!["NOT_FOUND"]
    );
    assert_eq!(assert_ledger(&app, d.id).await, 2_550);
});

db_test!(one_idempotency_key_moves_money_once, |app| {
    let d = driver(
        &app,
        "70000007",
        &[(PENDING, 1_000, 0), (PENDING, 2_000, 0)],
        "50.00",
    )
    .await;
    let first = pay(&app, &d.token, &[&d.invoices[0]], "same-key-0001").await;
    let again = pay(&app, &d.token, &[&d.invoices[0]], "same-key-0001").await;
    let (first, again) = (&first["data"]["payInvoices"], &again["data"]["payInvoices"]);
    assert_eq!(first["replayed"], false, "{first}");
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(first["payment"]["id"], again["payment"]["id"]);
    assert_eq!(first["balance"], again["balance"]);
    assert_eq!(first["message"], again["message"]);
    // The same key for another request is a conflict, and moves nothing.
    let body = pay(&app, &d.token, &[&d.invoices[1]], "same-key-0001").await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "CONFLICT",
        "{body}"
    );
    assert_eq!(assert_ledger(&app, d.id).await, 4_000);
    // Recharges too.
    let admin = app.login(ADMIN).await;
    let a = recharge(&app, &admin, &d.gid, "5.00", "recharge-key-0001").await;
    let b = recharge(&app, &admin, &d.gid, "5.00", "recharge-key-0001").await;
    assert_eq!(b["data"]["recordRecharge"]["replayed"], true, "{b}");
    assert_eq!(
        a["data"]["recordRecharge"]["balance"],
        b["data"]["recordRecharge"]["balance"]
    );
    let c = recharge(&app, &admin, &d.gid, "6.00", "recharge-key-0001").await;
    assert_eq!(c["errors"][0]["extensions"]["code"], "CONFLICT", "{c}");
    assert_eq!(assert_ledger(&app, d.id).await, 4_500);
});

db_test!(fifty_payments_of_one_invoice_pay_it_once, |app| {
    let d = driver(&app, "70000008", &[(PENDING, 10_000, 0)], "100.00").await;
    let keys: Vec<String> = (0..50)
        .map(|i| format!("race-one-invoice-{i:03}"))
        .collect();
    let (app_ref, d_ref) = (&app, &d);
    let results = join_all(
        keys.iter()
            .map(|k| async move { pay(app_ref, &d_ref.token, &[&d_ref.invoices[0]], k).await }),
    )
    .await;
    let paid = results
        .iter()
        .filter(|b| b["data"]["payInvoices"]["payment"].is_object())
        .count();
    assert_eq!(paid, 1, "exactly one payment succeeds");
    for body in &results {
        let payload = &body["data"]["payInvoices"];
        if payload["payment"].is_null() {
            let codes = user_error_codes(payload);
            assert!(
                codes == ["INVOICE_ALREADY_PAID"] || codes == ["INSUFFICIENT_FUNDS"],
                "{body}"
            );
        }
    }
    assert_eq!(assert_ledger(&app, d.id).await, 0);
    assert_eq!(allocations_of(&app, &d.invoice_ids).await, 1);
});

db_test!(
    fifty_payments_beyond_the_balance_pay_exactly_what_fits,
    |app| {
        let specs: Vec<Spec> = (0..50).map(|_| (PENDING, 700, 0)).collect();
        // 100.00 pays 14 invoices of 7.00 (98.00), not 15.
        let d = driver(&app, "70000009", &specs, "100.00").await;
        let results = join_all(d.invoices.iter().enumerate().map(|(i, id)| {
            let (app, token) = (&app, &d.token);
            async move { pay(app, token, &[id], &format!("race-many-{i:03}")).await }
        }))
        .await;
        let paid = results
            .iter()
            .filter(|b| b["data"]["payInvoices"]["payment"].is_object())
            .count();
        assert_eq!(paid, 14);
        for body in &results {
            let payload = &body["data"]["payInvoices"];
            if payload["payment"].is_null() {
                assert_eq!(
                    user_error_codes(payload),
                    vec!["INSUFFICIENT_FUNDS"],
                    "{body}"
                );
            }
        }
        assert_eq!(assert_ledger(&app, d.id).await, 200);
        let db = &app.app.state.db;
        let paid_rows = invoice::Entity::find()
            .filter(invoice::Column::Status.eq(InvoiceStatus::Paid))
            .filter(invoice::Column::Id.is_in(d.invoice_ids.clone()))
            .count(db)
            .await
            .unwrap();
        assert_eq!(paid_rows, 14);
    }
);

db_test!(twenty_retries_with_one_key_make_one_payment, |app| {
    let d = driver(&app, "70000010", &[(PENDING, 1_000, 0)], "100.00").await;
    let (app_ref, d_ref) = (&app, &d);
    let results = join_all((0..20).map(|_| async move {
        pay(
            app_ref,
            &d_ref.token,
            &[&d_ref.invoices[0]],
            "retry-key-0001",
        )
        .await
    }))
    .await;
    let ids: std::collections::BTreeSet<String> = results
        .iter()
        .map(|b| {
            assert_eq!(b["data"]["payInvoices"]["userErrors"], json!([]), "{b}");
            b["data"]["payInvoices"]["payment"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1, "every retry returns the one payment");
    let replayed = results
        .iter()
        .filter(|b| b["data"]["payInvoices"]["replayed"] == true)
        .count();
    assert_eq!(replayed, 19);
    assert_eq!(payments_of(&app, d.id).await, 1);
    assert_eq!(assert_ledger(&app, d.id).await, 9_000);
});

db_test!(the_demo_wallet_adds_up, |app| {
    let token = app.login(DRIVER).await;
    let body = app
        .gql(
            "{ me { id ... on Client { coins wallet { balance recharges(first: 10) { totalCount } movements(first: 10) { totalCount } } } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let me = &body["data"]["me"];
    assert_eq!(me["coins"], "116.00", "{body}");
    assert_eq!(me["wallet"]["balance"], "116.00");
    // Seven deposits of exactly what each paid week asked, then 100.00 and 16.00; each
    // recharge and each of the seven payments is one movement.
    assert_eq!(me["wallet"]["recharges"]["totalCount"], 9);
    assert_eq!(me["wallet"]["movements"]["totalCount"], 16);
    let id = GlobalId::parse(me["id"].as_str().unwrap()).unwrap().id;
    assert_eq!(assert_ledger(&app, id).await, 11_600);
});

#[tokio::test]
async fn the_driver_hears_wallet_changes_after_they_commit() {
    use futures_util::StreamExt;

    let app = TestApp::sqlite(|_| {}).await;
    let d = driver(&app, "70000011", &[(PENDING, 1_000, 0)], "0.00").await;
    let other = driver(&app, "70000012", &[], "0.00").await;
    let addr = app.serve().await;
    let query =
        "subscription { walletChanged { balance kind recharge { amount } payment { amount } } }";
    let mut mine = ws_subscribe(addr, &d.token, query).await;
    let mut theirs = ws_subscribe(addr, &other.token, query).await;
    let admin = app.login(ADMIN).await;
    // Let both subscriptions reach the bus before anything happens.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    recharge(&app, &admin, &d.gid, "30.00", "ws-recharge-0001").await;
    pay(&app, &d.token, &[&d.invoices[0]], "ws-payment-0001").await;
    // A replay moves nothing and says nothing.
    pay(&app, &d.token, &[&d.invoices[0]], "ws-payment-0001").await;
    recharge(&app, &admin, &other.gid, "1.00", "ws-recharge-0002").await;

    let first = ws_next(&mut mine).await;
    assert_eq!(
        first["payload"]["data"]["walletChanged"],
        json!({ "balance": "30.00", "kind": "RECHARGE", "recharge": { "amount": "30.00" }, "payment": null }),
        "{first}"
    );
    let second = ws_next(&mut mine).await;
    assert_eq!(
        second["payload"]["data"]["walletChanged"],
        json!({ "balance": "20.00", "kind": "PAYMENT", "recharge": null, "payment": { "amount": "10.00" } })
    );
    // The other driver hears only of their own wallet.
    let theirs_first = ws_next(&mut theirs).await;
    assert_eq!(
        theirs_first["payload"]["data"]["walletChanged"]["balance"],
        "1.00"
    );
    // And nothing more arrives on mine (the replay was silent).
    assert!(
        tokio::time::timeout(
            std::time::Duration::from_millis(300),
            StreamExt::next(&mut mine)
        )
        .await
        .is_err()
    );
}

/// Two server processes on one PostgreSQL database, as behind a load balancer: the
/// driver subscribes on the first, staff recharge their wallet through the second, and
/// the event crosses over through `LISTEN/NOTIFY`, exactly once.
#[tokio::test]
async fn a_wallet_change_on_one_replica_reaches_a_subscriber_on_another() {
    use futures_util::StreamExt;

    let Some(app) = TestApp::postgres(|_| {}).await else {
        eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
        return;
    };
    let d = driver(&app, "70000013", &[(PENDING, 1_000, 0)], "0.00").await;
    let url = app.app.state.config.database_url.clone();
    let (first, second) = tokio::join!(Replica::start(&url), Replica::start(&url));
    let query = "subscription { walletChanged { balance kind recharge { amount } } }";
    let mut socket = ws_subscribe(first.addr, &d.token, query).await;
    let admin = app.login(ADMIN).await;
    let mut staff = ws_subscribe(first.addr, &admin, INVOICE_PAID).await;
    // Let the subscription reach the bus before anything happens.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let body = second
        .gql(
            RECHARGE,
            json!({ "client": d.gid, "amount": "12.50", "key": "replica-recharge-1", "method": "Efectivo" }),
            Some(&admin),
        )
        .await;
    assert_eq!(body["data"]["recordRecharge"]["balance"], "12.50", "{body}");

    let event = ws_next(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["walletChanged"],
        json!({ "balance": "12.50", "kind": "RECHARGE", "recharge": { "amount": "12.50" } }),
        "{event}"
    );
    // Once: the publishing replica hears its own notification, not a second copy.
    assert!(
        tokio::time::timeout(
            std::time::Duration::from_millis(500),
            StreamExt::next(&mut socket)
        )
        .await
        .is_err()
    );

    // The driver pays through the second replica; staff connected to the first hear it.
    let body = second
        .gql(
            PAY,
            json!({ "ids": [&d.invoices[0]], "key": "replica-payment-1" }),
            Some(&d.token),
        )
        .await;
    assert_eq!(body["data"]["payInvoices"]["balance"], "2.50", "{body}");
    let paid = ws_next(&mut staff).await;
    assert_eq!(
        paid["payload"]["data"]["invoicePaid"],
        json!({ "invoice": { "id": d.invoices[0], "status": "PAID" }, "payment": { "amount": "10.00", "source": "WALLET" } }),
        "{paid}"
    );
}

const INVOICE_PAID: &str =
    "subscription { invoicePaid { invoice { id status } payment { amount source } } }";

// Issue 24: `gateway auto-charge`, run by a scheduler, pays from a process no driver is
// connected to; a driver subscribed on a replica hears each payment all the same.
#[tokio::test]
async fn a_driver_on_a_replica_hears_the_auto_charge_commands_payment() {
    let Some(app) = TestApp::postgres(|_| {}).await else {
        crate::common::skip_or_fail("TEST_DATABASE_URL is not set");
        return;
    };
    let d = driver_with(&app, "70000041", &[(PENDING, 1_000, 0)], "15.00", true).await;
    let url = app.app.state.config.database_url.clone();
    let replica = Replica::start(&url).await;
    let query = "subscription { walletChanged { balance kind payment { amount source } } }";
    let mut socket = ws_subscribe(replica.addr, &d.token, query).await;
    let admin = app.login(ADMIN).await;
    let mut staff = ws_subscribe(replica.addr, &admin, INVOICE_PAID).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let out = gateway_command(&["auto-charge"], &url).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "CLI: {} {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let event = ws_next(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["walletChanged"],
        json!({ "balance": "5.00", "kind": "PAYMENT", "payment": { "amount": "10.00", "source": "AUTO_CHARGE" } }),
        "{event}"
    );
    let paid = ws_next(&mut staff).await;
    assert_eq!(
        paid["payload"]["data"]["invoicePaid"]["invoice"],
        json!({ "id": d.invoices[0], "status": "PAID" }),
        "{paid}"
    );

    // A change committed through the domain by a process with no event bus at all is
    // heard too: the event travels with the transaction.
    use gateway::{
        auth::{Credential, Viewer},
        domain::{
            audit::Actor,
            commons::{Id, Money},
            idempotency::IdempotencyKey,
            wallet::recharges::{self, NewRecharge},
        },
    };
    let collector = Viewer {
        user_id: Id::new(app.user_id(COLLECTOR.0).await),
        organization_id: Id::new(1),
        role: Role::Collector,
        credential: Credential::AccessToken {
            session: "test".into(),
        },
    };
    recharges::record(
        &app.app.state.db,
        Actor {
            viewer: &collector,
            request_id: "test",
        },
        &NewRecharge {
            client_id: Id::new(d.id),
            amount: Money::from_minor(250),
            method: "Efectivo".into(),
            observation: "Vuelto".into(),
        },
        &IdempotencyKey::parse("key", "no-bus-recharge-1").unwrap(),
        Utc::now(),
    )
    .await
    .unwrap();
    let event = ws_next(&mut socket).await;
    assert_eq!(
        event["payload"]["data"]["walletChanged"]["balance"], "7.50",
        "{event}"
    );
}

#[tokio::test]
async fn invoice_paid_reaches_its_driver_and_staff_only() {
    use futures_util::StreamExt;

    let app = TestApp::sqlite(|_| {}).await;
    let d = driver(
        &app,
        "70000014",
        &[(PENDING, 1_000, 0), (PENDING, 2_000, 0)],
        "0.00",
    )
    .await;
    let other = driver(&app, "70000015", &[], "0.00").await;
    let addr = app.serve().await;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let mut mine = ws_subscribe(addr, &d.token, INVOICE_PAID).await;
    let mut theirs = ws_subscribe(addr, &other.token, INVOICE_PAID).await;
    let mut staff = ws_subscribe(addr, &collector, INVOICE_PAID).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    recharge(&app, &admin, &d.gid, "40.00", "paid-recharge-0001").await;
    let body = pay(
        &app,
        &d.token,
        &[&d.invoices[0], &d.invoices[1]],
        "paid-payment-0001",
    )
    .await;
    assert_eq!(body["data"]["payInvoices"]["balance"], "10.00", "{body}");
    // A replay settles nothing again and says nothing.
    pay(
        &app,
        &d.token,
        &[&d.invoices[0], &d.invoices[1]],
        "paid-payment-0001",
    )
    .await;

    for socket in [&mut mine, &mut staff] {
        let mut heard = Vec::new();
        for _ in 0..2 {
            let event = ws_next(socket).await;
            let paid = &event["payload"]["data"]["invoicePaid"];
            assert_eq!(paid["invoice"]["status"], "PAID", "{event}");
            assert_eq!(paid["payment"]["amount"], "30.00", "{event}");
            heard.push(paid["invoice"]["id"].as_str().unwrap().to_string());
        }
        heard.sort();
        let mut expected = d.invoices.clone();
        expected.sort();
        assert_eq!(heard, expected);
    }
    // Another driver hears nothing, and nothing more came (the replay was silent).
    for socket in [&mut theirs, &mut mine, &mut staff] {
        assert!(
            tokio::time::timeout(
                std::time::Duration::from_millis(300),
                StreamExt::next(socket)
            )
            .await
            .is_err()
        );
    }
}

const ATTEMPTS: &str = "{ autoChargeAttempts(first: 10) { totalCount nodes { outcome detail invoice { id status } payment { amount source } } } }";

db_test!(
    auto_charge_pays_due_invoices_oldest_first_while_coins_last,
    |app| {
        let specs = [
            (PENDING, 1_000, 0),
            (PENDING, 2_000, 0),
            (PENDING, 3_000, 0),
            (PENDING, 500, 0),
        ];
        let d = driver_with(&app, "70000020", &specs, "35.00", true).await;
        // The last invoice is due next week: not yet charged.
        let db = &app.app.state.db;
        let mut future: invoice::ActiveModel = invoice::Entity::find_by_id(d.invoice_ids[3])
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .into();
        future.due_date = Set(Utc::now().date_naive() + Duration::days(7));
        future.update(db).await.unwrap();
        // A driver without auto-charge is left alone.
        let manual = driver(&app, "70000021", &[(PENDING, 1_000, 0)], "50.00").await;

        let report = gateway::jobs::auto_charge_once(&app.app.state)
            .await
            .unwrap();
        assert!(report.ran);
        // The demo driver's auto-charge contract is tried too (and lacks coins).
        assert_eq!((report.paid, report.failed), (2, 0));
        let status = |id: i64| async move {
            invoice::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .status
        };
        assert_eq!(status(d.invoice_ids[0]).await, InvoiceStatus::Paid);
        assert_eq!(status(d.invoice_ids[1]).await, InvoiceStatus::Paid);
        assert_eq!(status(d.invoice_ids[2]).await, PENDING);
        assert_eq!(status(d.invoice_ids[3]).await, PENDING);
        assert_eq!(status(manual.invoice_ids[0]).await, PENDING);
        assert_eq!(assert_ledger(&app, d.id).await, 500);
        assert_eq!(assert_ledger(&app, manual.id).await, 5_000);

        let admin = app.login(ADMIN).await;
        let body = app.gql(ATTEMPTS, json!({}), Some(&admin)).await;
        let mine: Vec<&Value> = body["data"]["autoChargeAttempts"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .filter(|n| d.invoices.iter().any(|i| n["invoice"]["id"] == *i))
            .collect();
        let outcomes: Vec<&str> = mine
            .iter()
            .map(|n| n["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(outcomes, ["INSUFFICIENT_COINS", "PAID", "PAID"], "{body}");
        assert_eq!(
            mine[1]["payment"],
            json!({ "amount": "20.00", "source": "AUTO_CHARGE" })
        );
        assert!(
            mine[0]["detail"]
                .as_str()
                .unwrap()
                .contains("You do not have enough coins: 5.00")
        );
        let body = app.gql(ATTEMPTS, json!({}), Some(&d.token)).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");

        // A second run pays nothing more and moves nothing.
        let again = gateway::jobs::auto_charge_once(&app.app.state)
            .await
            .unwrap();
        assert_eq!(again.paid, 0);
        assert_eq!(assert_ledger(&app, d.id).await, 500);
        assert_eq!(payments_of(&app, d.id).await, 2);
    }
);

// Issue 24: a run killed between an auto-charge payment and its attempt left payments
// with no PAID attempt. Now both are one transaction: when the attempt cannot be written
// (here its table is gone), the payment is not made either.
db_test!(
    an_auto_charge_payment_is_never_made_without_its_attempt,
    |app| {
        let d = driver_with(&app, "70000040", &[(PENDING, 1_000, 0)], "50.00", true).await;
        let db = &app.app.state.db;
        use sea_orm::ConnectionTrait;
        // Only this driver is charged: the demo driver's auto-charge waits.
        db.execute_unprepared(&format!(
            "UPDATE contracts SET auto_charge = false WHERE client_id <> {}",
            d.id
        ))
        .await
        .unwrap();
        db.execute_unprepared("DROP TABLE auto_charge_attempts")
            .await
            .unwrap();
        let run = gateway::jobs::auto_charge_once(&app.app.state).await;
        assert!(run.is_err(), "the attempt could not be written: {run:?}");
        assert_eq!(
            payments_of(&app, d.id).await,
            0,
            "a payment without its attempt"
        );
        assert_eq!(assert_ledger(&app, d.id).await, 5_000);
        let unpaid = invoice::Entity::find_by_id(d.invoice_ids[0])
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unpaid.status, PENDING);
    }
);

// Issue 24: the job's lease is short and renewed by the run that holds it, so a dead
// holder is replaced within about a minute and a live one keeps it.
db_test!(
    the_job_lease_is_kept_by_renewing_and_lost_by_expiring,
    |app| {
        use chrono::TimeDelta;
        use gateway::domain::commons::lease;
        let db = &app.app.state.db;
        let now = Utc::now();
        let minute = TimeDelta::minutes(1);
        assert!(
            lease::claim(db, "test-job", "a", now, minute)
                .await
                .unwrap()
        );
        assert!(
            !lease::claim(db, "test-job", "b", now, minute)
                .await
                .unwrap()
        );
        assert!(
            lease::renew(db, "test-job", "a", now + minute * 2)
                .await
                .unwrap()
        );
        assert!(
            !lease::claim(db, "test-job", "b", now + TimeDelta::seconds(90), minute)
                .await
                .unwrap(),
            "a renewed lease holds past its first minute"
        );
        assert!(
            lease::claim(db, "test-job", "b", now + minute * 3, minute)
                .await
                .unwrap(),
            "an expired lease goes to another process"
        );
        assert!(
            !lease::renew(db, "test-job", "a", now + minute * 4)
                .await
                .unwrap(),
            "the old holder learns it lost the lease"
        );
    }
);

// Issue 24: a pooled session left idle inside a transaction is ended by PostgreSQL, so
// it cannot hold its locks (a wallet's, a job's) for good.
#[tokio::test]
async fn postgres_ends_a_session_idle_in_a_transaction() {
    let Some(app) = TestApp::postgres(|_| {}).await else {
        crate::common::skip_or_fail("TEST_DATABASE_URL is not set");
        return;
    };
    use sea_orm::{ConnectionTrait, Statement};
    let db = &app.app.state.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SHOW idle_in_transaction_session_timeout",
        ))
        .await
        .unwrap()
        .unwrap();
    let value: String = row.try_get_by_index(0).unwrap();
    assert_eq!(value, "1min");
}

db_test!(
    two_auto_charge_processes_at_once_pay_each_invoice_once,
    |app| {
        let specs: Vec<Spec> = (0..8).map(|_| (PENDING, 1_000, 0)).collect();
        let mut drivers = Vec::new();
        for i in 0..3 {
            drivers.push(driver_with(&app, &format!("7000003{i}"), &specs, "50.00", true).await);
        }
        let url = app.app.state.config.database_url.clone();
        let (a, b) = tokio::join!(
            gateway_command(&["auto-charge"], &url),
            gateway_command(&["auto-charge"], &url)
        );
        for out in [a, b] {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let db = &app.app.state.db;
        // Each driver's 50.00 pays five invoices of 10.00, once each, whichever process ran.
        for d in &drivers {
            assert_eq!(assert_ledger(&app, d.id).await, 0);
            let paid = invoice::Entity::find()
                .filter(invoice::Column::Id.is_in(d.invoice_ids.clone()))
                .filter(invoice::Column::Status.eq(InvoiceStatus::Paid))
                .count(db)
                .await
                .unwrap();
            assert_eq!(paid, 5);
        }
        let invoices: Vec<i64> = drivers.iter().flat_map(|d| d.invoice_ids.clone()).collect();
        assert_eq!(allocations_of(&app, &invoices).await, 15);
        let paid_attempts = gateway::entities::auto_charge_attempt::Entity::find()
            .filter(
                gateway::entities::auto_charge_attempt::Column::Outcome
                    .eq(gateway::entities::auto_charge_attempt::AttemptOutcome::Paid),
            )
            .count(db)
            .await
            .unwrap();
        assert_eq!(paid_attempts, 15, "one PAID attempt per paid invoice");
    }
);

db_test!(idempotency_keys_are_kept_a_week_then_forgotten, |app| {
    use gateway::entities::idempotency_key;
    let d = driver(&app, "70000040", &[(PENDING, 1_000, 0)], "20.00").await;
    pay(&app, &d.token, &[&d.invoices[0]], "kept-key-0001").await;
    let db = &app.app.state.db;
    let mut old: idempotency_key::ActiveModel = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Key.eq("kept-key-0001"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    // A day old: kept.
    old.created_at = Set(Utc::now() - Duration::days(1));
    let old = old.update(db).await.unwrap();
    gateway::jobs::auto_charge_once(&app.app.state)
        .await
        .unwrap();
    assert_eq!(idempotency_key::Entity::find().count(db).await.unwrap(), 2);
    // Eight days old: forgotten.
    let mut old: idempotency_key::ActiveModel = old.into();
    old.created_at = Set(Utc::now() - Duration::days(8));
    old.update(db).await.unwrap();
    gateway::jobs::auto_charge_once(&app.app.state)
        .await
        .unwrap();
    let left: Vec<String> = idempotency_key::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.key)
        .collect();
    assert!(!left.contains(&"kept-key-0001".to_string()), "{left:?}");
});

/// The payments of `client` (the demo driver's own are not the test's).
async fn payments_of(app: &TestApp, client: i64) -> u64 {
    payment::Entity::find()
        .filter(payment::Column::ClientId.eq(client))
        .count(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(
    payment_messages_name_invoices_as_the_driver_knows_them,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        // Weekly invoices of 10.00 due on 2026-11-02, 11-09 and 11-16.
        let d = onboard(&app, &admin, "70000031", "100.00", 3).await;
        let other = onboard(&app, &admin, "70000032", "0.00", 1).await;
        let (first, second, third) = (&d.invoices[0], &d.invoices[1], &d.invoices[2]);
        let body = pay(&app, &d.token, &[second, first], "names-0001-paid").await;
        let payload = &body["data"]["payInvoices"];
        assert_eq!(payload["userErrors"], json!([]), "{body}");
        assert_eq!(
            payload["message"],
            "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026), Cuota semanal 2 (vence 09/11/2026) . Por el monto de S/ 20"
        );
        assert_eq!(payload["payment"]["message"], payload["message"]);

        // Refusals name the driver's own invoices the same way, and one that is not
        // theirs by its place in the list sent: never a row number.
        let ids = [third, &other.invoices[0], first];
        let expected = json!([
            { "field": ["invoiceIds"], "code": "NOT_FOUND",
              "message": "These invoices do not exist or are not yours: number 2 of those sent" },
            { "field": ["invoiceIds"], "code": "INVOICE_ALREADY_PAID",
              "message": "These invoices are already paid: \"Cuota semanal 1\" due 2026-11-02" },
        ]);
        let body = pay(&app, &d.token, &ids, "names-0002-refused").await;
        assert_eq!(
            body["data"]["payInvoices"]["userErrors"], expected,
            "{body}"
        );
        let body = app
            .gql(SUMMARY, json!({ "ids": ids }), Some(&d.token))
            .await;
        assert_eq!(body["data"]["paySummary"]["userErrors"], expected, "{body}");
    }
);
