//! Issue 19, invoice operations: ADMINs freeze and unfreeze invoices; a frozen invoice
//! cannot be paid, a paid one cannot be frozen, and against a payment of the same invoice
//! at the same moment exactly one of the two wins.

use serde_json::json;

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER,
        back_office::{balance, driver_with_invoices, pay},
        error_code, ok, refused,
    },
    db_test,
};

const FREEZE: &str = "mutation($input: InvoiceReasonInput!) { freezeInvoice(input: $input) { invoice { id status } userErrors { field code message } } }";
const UNFREEZE: &str = "mutation($input: InvoiceReasonInput!) { unfreezeInvoice(input: $input) { invoice { id status } userErrors { field code message } } }";

db_test!(a_frozen_invoice_cannot_be_paid_until_unfrozen, |app| {
    let admin = app.login(ADMIN).await;
    let (driver, invoices) = driver_with_invoices(&app, &admin, "91919191", "100.00", 3).await;
    let first = &invoices[0];
    let frozen = ok(
        &app,
        &admin,
        FREEZE,
        json!({ "invoiceId": first, "reason": "Auto en taller" }),
    )
    .await;
    assert_eq!(frozen["invoice"]["status"], "FROZEN");
    let refused_payment = pay(&app, &driver, first).await;
    assert_eq!(
        refused_payment["data"]["payInvoices"]["userErrors"][0]["code"], "INVOICE_FROZEN",
        "{refused_payment}"
    );
    assert_eq!(balance(&app, &driver).await, "100.00");
    // Twice is harmless.
    ok(
        &app,
        &admin,
        FREEZE,
        json!({ "invoiceId": first, "reason": "Auto en taller" }),
    )
    .await;

    let thawed = ok(
        &app,
        &admin,
        UNFREEZE,
        json!({ "invoiceId": first, "reason": "Auto reparado" }),
    )
    .await;
    assert_eq!(thawed["invoice"]["status"], "PENDING");
    let paid = pay(&app, &driver, first).await;
    assert_eq!(
        paid["data"]["payInvoices"]["userErrors"],
        json!([]),
        "{paid}"
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            FREEZE,
            json!({ "invoiceId": first, "reason": "tarde" })
        )
        .await,
        ("invoiceId".into(), "INVOICE_ALREADY_PAID".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            FREEZE,
            json!({ "invoiceId": invoices[1], "reason": " " })
        )
        .await,
        ("reason".into(), "REQUIRED".into())
    );

    let trail = app
        .gql(
            "query($id: ID!) { auditLog(filter: { objectId: $id }) { nodes { operation changes { field before after } } } }",
            json!({ "id": first }),
            Some(&admin),
        )
        .await;
    let nodes = trail["data"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let operations: Vec<&str> = nodes
        .iter()
        .map(|n| n["operation"].as_str().unwrap())
        .collect();
    assert_eq!(operations, ["freezeInvoice", "unfreezeInvoice"], "{trail}");
    assert!(
        nodes[0]["changes"].as_array().unwrap().contains(
            &json!({ "field": "status", "before": "\"PENDING\"", "after": "\"FROZEN\"" })
        )
    );
});

db_test!(
    a_payment_and_a_freeze_of_the_same_invoice_never_both_win,
    |app| {
        let admin = app.login(ADMIN).await;
        let (driver, invoices) = driver_with_invoices(&app, &admin, "92929292", "500.00", 20).await;
        let attempts = invoices.iter().map(|id| {
            let (app, admin, driver) = (&app, &admin, &driver);
            async move {
                let freeze = app.gql(
                    FREEZE,
                    json!({ "input": { "invoiceId": id, "reason": "Auto en taller" } }),
                    Some(admin),
                );
                let payment = pay(app, driver, id);
                futures_util::join!(freeze, payment)
            }
        });
        let outcomes = futures_util::future::join_all(attempts).await;
        let mut paid = 0;
        for (id, (freeze, payment)) in invoices.iter().zip(&outcomes) {
            let froze = freeze["data"]["freezeInvoice"]["invoice"]["status"] == "FROZEN";
            let payment_payload = &payment["data"]["payInvoices"];
            let did_pay = payment_payload["payment"].is_object();
            assert!(
                froze != did_pay,
                "{id}: freeze {freeze} and payment {payment}"
            );
            if did_pay {
                paid += 1;
                assert_eq!(
                    freeze["data"]["freezeInvoice"]["userErrors"][0]["code"],
                    "INVOICE_ALREADY_PAID",
                    "{freeze}"
                );
            } else {
                let code = payment_payload["userErrors"][0]["code"]
                    .as_str()
                    .or(payment["errors"][0]["extensions"]["code"].as_str());
                assert!(
                    matches!(code, Some("INVOICE_FROZEN" | "CONFLICT")),
                    "{payment}"
                );
            }
            let state = app
                .gql(
                    "query($id: ID!) { node(id: $id) { ... on Invoice { status } } }",
                    json!({ "id": id }),
                    Some(&admin),
                )
                .await;
            let expected = if did_pay { "PAID" } else { "FROZEN" };
            assert_eq!(state["data"]["node"]["status"], expected, "{state}");
        }
        let expected_balance = rust_decimal::Decimal::new(50_000 - 1_000 * paid, 2);
        assert_eq!(balance(&app, &driver).await, expected_balance.to_string());
    }
);

db_test!(only_the_organizations_admins_freeze_invoices, |app| {
    let admin = app.login(ADMIN).await;
    let (driver, invoices) = driver_with_invoices(&app, &admin, "93939393", "10.00", 1).await;
    let input = json!({ "invoiceId": invoices[0], "reason": "x" });
    for token in [app.login(COLLECTOR).await, app.login(DRIVER).await, driver] {
        assert_eq!(
            error_code(&app, &token, FREEZE, input.clone()).await,
            "FORBIDDEN"
        );
        assert_eq!(
            error_code(&app, &token, UNFREEZE, input.clone()).await,
            "FORBIDDEN"
        );
    }
    app.add_user(
        "otra-empresa",
        "90909090",
        "clave1234",
        gateway::entities::user::Role::Admin,
    )
    .await;
    let stranger = app.login(("90909090", "clave1234")).await;
    assert_eq!(
        refused(&app, &stranger, FREEZE, input.clone()).await,
        ("invoiceId".into(), "NOT_FOUND".into())
    );
    let anonymous = app.gql(FREEZE, json!({ "input": input }), None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let state = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Invoice { status } } }",
            json!({ "id": invoices[0] }),
            Some(&admin),
        )
        .await;
    assert_eq!(state["data"]["node"]["status"], "PENDING");
});
