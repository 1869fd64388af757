//! Issue 19, invoice operations beyond freezing: ADMINs discount, penalise, split and
//! cancel invoices. What the driver owes and pays follows at once; a paid, cancelled or
//! split invoice is refused with a userError; against a payment of the same invoice at
//! the same moment, either the payment or the operation wins, never both.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp,
        audit::{operations, record_count, records_of},
        back_office::{balance, onboard, pay},
        error_code, mutation, ok, refused, the_review_day,
    },
    db_test,
};

const INVOICE: &str = "id status total totalWithDiscount paidDate dueDate priority observations type { code } parent { id } fractions { id status total dueDate } discounts { id amount type observations }";
const FAR: &str = "2030-01-07";

fn add_discount() -> String {
    mutation(
        "addInvoiceDiscount",
        "invoice { id status totalWithDiscount paidDate } discount { id amount type observations }",
    )
}
fn remove_discount() -> String {
    mutation(
        "removeInvoiceDiscount",
        "invoice { id status totalWithDiscount } discount { id }",
    )
}
fn add_penalty() -> String {
    mutation(
        "addPenalty",
        "invoice { id status total priority dueDate observations type { code } }",
    )
}
fn split() -> String {
    mutation(
        "splitInvoice",
        "invoice { id status fractions { id } } fractions { id status total dueDate priority parent { id } type { code } }",
    )
}
const CANCEL: &str = "mutation($input: InvoiceReasonInput!) { cancelInvoice(input: $input) { invoice { id status } userErrors { field code message } } }";

async fn invoice(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app
        .gql(
            &format!("query($id: ID!) {{ node(id: $id) {{ ... on Invoice {{ {INVOICE} }} }} }}"),
            json!({ "id": id }),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

/// The contract's summary counts, as the driver app reads them.
async fn summary(app: &TestApp, token: &str, contract: &str) -> Value {
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Contract { summary { totalInvoices totalInvoicesPaid totalInvoicesPending pendingPenalties } } } }",
            json!({ "id": contract }),
            Some(token),
        )
        .await;
    body["data"]["node"]["summary"].clone()
}

db_test!(
    a_discount_lowers_what_is_paid_and_never_below_zero,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "81818181", "100.00", 3).await;
        let (first, second) = (&d.invoices[0], &d.invoices[1]);

        let granted = ok(
            &app,
            &admin,
            &add_discount(),
            json!({ "invoiceId": first, "amount": "2.50", "reason": "Bono de puntualidad" }),
        )
        .await;
        assert_eq!(granted["invoice"]["totalWithDiscount"], "7.50");
        assert_eq!(granted["invoice"]["status"], "PENDING");
        assert_eq!(granted["discount"]["type"], "staff");
        assert_eq!(granted["discount"]["observations"], "Bono de puntualidad");
        // The driver sees it and pays the discounted amount.
        let seen = invoice(&app, &d.token, first).await;
        assert_eq!(seen["discounts"][0]["amount"], "2.50", "{seen}");
        let paid = pay(&app, &d.token, first).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "7.50",
            "{paid}"
        );
        assert_eq!(balance(&app, &d.token).await, "92.50");

        // More than is left is refused; exactly what is left settles the invoice.
        let before = record_count(&app).await;
        assert_eq!(
            refused(
                &app,
                &admin,
                &add_discount(),
                json!({ "invoiceId": second, "amount": "10.01", "reason": "x" })
            )
            .await,
            ("amount".into(), "INVALID_AMOUNT".into())
        );
        for bad in ["0", "-1.00"] {
            assert_eq!(
                refused(
                    &app,
                    &admin,
                    &add_discount(),
                    json!({ "invoiceId": second, "amount": bad, "reason": "x" })
                )
                .await,
                ("amount".into(), "INVALID_AMOUNT".into()),
                "{bad}"
            );
        }
        assert_eq!(
            refused(
                &app,
                &admin,
                &add_discount(),
                json!({ "invoiceId": first, "amount": "1.00", "reason": "tarde" })
            )
            .await,
            ("invoiceId".into(), "INVOICE_ALREADY_PAID".into())
        );
        assert_eq!(
            record_count(&app).await,
            before,
            "a refused discount was recorded"
        );
        let whole = ok(
            &app,
            &admin,
            &add_discount(),
            json!({ "invoiceId": second, "amount": "10.00", "reason": "Condonada" }),
        )
        .await;
        assert_eq!(whole["invoice"]["status"], "PAID", "{whole}");
        assert_eq!(whole["invoice"]["totalWithDiscount"], "0.00");
        assert!(whole["invoice"]["paidDate"].is_string());
        assert_eq!(
            balance(&app, &d.token).await,
            "92.50",
            "nothing was charged"
        );

        // A discount comes off again while the invoice is owed, and not once it is paid.
        let third = &d.invoices[2];
        let granted = ok(
            &app,
            &admin,
            &add_discount(),
            json!({ "invoiceId": third, "amount": "4.00", "reason": "Promo" }),
        )
        .await;
        let discount_id = granted["discount"]["id"].clone();
        let node = app
            .gql(
                "query($id: ID!) { node(id: $id) { ... on InvoiceDiscount { amount } } }",
                json!({ "id": discount_id }),
                Some(&d.token),
            )
            .await;
        assert_eq!(node["data"]["node"]["amount"], "4.00", "{node}");
        // Nobody else reaches it by its ID: another organization's ADMIN, another driver.
        app.add_user(
            "other-co",
            "30000002",
            "otro1234",
            gateway::entities::user::Role::Admin,
        )
        .await;
        let foreign_admin = app.login(("30000002", "otro1234")).await;
        let (colleague, _) = app.new_driver("30000003").await;
        for token in [&foreign_admin, &colleague] {
            let node = app
                .gql(
                    "query($id: ID!) { node(id: $id) { ... on InvoiceDiscount { amount } } }",
                    json!({ "id": discount_id }),
                    Some(token),
                )
                .await;
            assert!(node["data"]["node"].is_null(), "{node}");
        }
        let removed = ok(
            &app,
            &admin,
            &remove_discount(),
            json!({ "discountId": discount_id, "reason": "Error de digitación" }),
        )
        .await;
        assert_eq!(removed["invoice"]["totalWithDiscount"], "10.00");
        assert_eq!(
            refused(
                &app,
                &admin,
                &remove_discount(),
                json!({ "discountId": discount_id, "reason": "otra vez" })
            )
            .await,
            ("discountId".into(), "NOT_FOUND".into())
        );
        let paid_discount = invoice(&app, &admin, first).await["discounts"][0]["id"].clone();
        assert_eq!(
            refused(
                &app,
                &admin,
                &remove_discount(),
                json!({ "discountId": paid_discount, "reason": "x" })
            )
            .await,
            ("invoiceId".into(), "INVOICE_ALREADY_PAID".into())
        );

        let trail = records_of(&app, &admin, &json!(third)).await;
        assert_eq!(
            operations(&trail),
            ["addInvoiceDiscount", "removeInvoiceDiscount"]
        );
        let trail = records_of(&app, &admin, &json!(second)).await;
        assert_eq!(operations(&trail), ["addInvoiceDiscount"]);
        let changes = trail[0]["changes"].to_string();
        assert!(changes.contains("Condonada"), "{changes}");
        assert!(changes.contains("PAID"), "{changes}");
    }
);

db_test!(
    a_penalty_is_an_invoice_paid_first,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "82828282", "100.00", 2).await;
        let charged = ok(
        &app,
        &admin,
        &add_penalty(),
        json!({ "contractId": d.contract_id, "amount": "35.00", "dueDate": FAR, "reason": "Papeleta por exceso de velocidad" }),
    )
    .await;
        let penalty = &charged["invoice"];
        assert_eq!(penalty["status"], "PENDING");
        assert_eq!(penalty["total"], "35.00");
        assert_eq!(penalty["priority"], 0);
        assert_eq!(penalty["dueDate"], FAR);
        assert_eq!(penalty["type"]["code"], "penalty");
        assert_eq!(penalty["observations"], "Papeleta por exceso de velocidad");
        let counts = summary(&app, &d.token, &d.contract_id).await;
        assert_eq!(
            counts,
            json!({ "totalInvoices": 3, "totalInvoicesPaid": 0, "totalInvoicesPending": 3, "pendingPenalties": 1 })
        );
        // The driver's contract lists it first (priority 0).
        let listed = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Contract { invoices(first: 1) { nodes { id } } } } }",
            json!({ "id": d.contract_id }),
            Some(&d.token),
        )
        .await;
        assert_eq!(
            listed["data"]["node"]["invoices"]["nodes"][0]["id"],
            penalty["id"]
        );
        let before = record_count(&app).await;
        assert_eq!(
        refused(
            &app,
            &admin,
            &add_penalty(),
            json!({ "contractId": d.contract_id, "amount": "35.00", "dueDate": "2020-01-01", "reason": "x" })
        )
        .await,
        ("dueDate".into(), "OUT_OF_RANGE".into())
    );
        assert_eq!(
        refused(
            &app,
            &admin,
            &add_penalty(),
            json!({ "contractId": d.contract_id, "amount": "0.00", "dueDate": FAR, "reason": "x" })
        )
        .await,
        ("amount".into(), "INVALID_AMOUNT".into())
    );
        assert_eq!(
        refused(
            &app,
            &admin,
            &add_penalty(),
            json!({ "contractId": d.contract_id, "amount": "1.00", "dueDate": FAR, "reason": "" })
        )
        .await,
        ("reason".into(), "REQUIRED".into())
    );
        assert_eq!(record_count(&app).await, before);
        let trail = records_of(&app, &admin, &penalty["id"]).await;
        assert_eq!(operations(&trail), ["addPenalty"]);
    }
);

db_test!(
    a_split_invoice_is_paid_through_its_fractions,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "83838383", "100.00", 3).await;
        let first = &d.invoices[0];
        ok(
            &app,
            &admin,
            &add_discount(),
            json!({ "invoiceId": first, "amount": "1.00", "reason": "Promo" }),
        )
        .await;
        let parts = |amounts: [&str; 3]| -> Value {
            json!([
                { "amount": amounts[0], "dueDate": "2029-01-01" },
                { "amount": amounts[1], "dueDate": "2029-01-08" },
                { "amount": amounts[2], "dueDate": "2029-01-15" },
            ])
        };
        // The parts must add up to what is left: 10.00 - 1.00.
        assert_eq!(
            refused(
                &app,
                &admin,
                &split(),
                json!({ "invoiceId": first, "parts": parts(["3.00", "3.00", "3.01"]) })
            )
            .await,
            ("parts".into(), "AMOUNT_MISMATCH".into())
        );
        assert_eq!(
            refused(
                &app,
                &admin,
                &split(),
                json!({ "invoiceId": first, "parts": [{ "amount": "9.00", "dueDate": FAR }] })
            )
            .await,
            ("parts".into(), "OUT_OF_RANGE".into())
        );
        assert_eq!(
            refused(
                &app,
                &admin,
                &split(),
                json!({ "invoiceId": first, "parts": [
                { "amount": "4.50", "dueDate": FAR },
                { "amount": "4.50", "dueDate": "2020-01-01" },
            ] })
            )
            .await,
            ("parts.1.dueDate".into(), "OUT_OF_RANGE".into())
        );
        let done = ok(
        &app,
        &admin,
        &split(),
        json!({ "invoiceId": first, "parts": parts(["3.00", "3.00", "3.00"]), "reason": "Acuerdo de pago" }),
    )
    .await;
        assert_eq!(done["invoice"]["status"], "SPLIT");
        let fractions = done["fractions"].as_array().unwrap();
        assert_eq!(fractions.len(), 3);
        for (f, due) in fractions
            .iter()
            .zip(["2029-01-01", "2029-01-08", "2029-01-15"])
        {
            assert_eq!(f["status"], "FRACTION");
            assert_eq!(f["total"], "3.00");
            assert_eq!(f["dueDate"], due);
            assert_eq!(f["parent"]["id"], *first);
            assert_eq!(f["type"]["code"], "fraction");
        }
        let ids: Vec<Value> = fractions.iter().map(|f| f["id"].clone()).collect();
        let parent = invoice(&app, &d.token, first).await;
        let listed: Vec<Value> = parent["fractions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].clone())
            .collect();
        assert_eq!(listed, ids, "{parent}");

        // The parent is no longer payable; nor split or frozen again.
        let refused_payment = pay(&app, &d.token, first).await;
        assert_eq!(
            refused_payment["data"]["payInvoices"]["userErrors"][0]["code"], "INVOICE_SPLIT",
            "{refused_payment}"
        );
        assert_eq!(
            refused(
                &app,
                &admin,
                &split(),
                json!({ "invoiceId": first, "parts": parts(["3.00", "3.00", "3.00"]) })
            )
            .await,
            ("invoiceId".into(), "INVOICE_SPLIT".into())
        );
        assert_eq!(
            refused(
                &app,
                &admin,
                &split(),
                json!({ "invoiceId": ids[0], "parts": [
                { "amount": "1.00", "dueDate": FAR }, { "amount": "2.00", "dueDate": FAR },
            ] })
            )
            .await,
            ("invoiceId".into(), "INVOICE_SPLIT".into())
        );
        // Fractions not yet due wait for their day: paying the next weekly invoice does not
        // charge them; one paid on purpose is paid alone.
        let paid = pay(&app, &d.token, &d.invoices[1]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "10.00",
            "{paid}"
        );
        let paid = pay(&app, &d.token, ids[0].as_str().unwrap()).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "3.00",
            "{paid}"
        );
        assert_eq!(balance(&app, &d.token).await, "87.00");
        let counts = summary(&app, &d.token, &d.contract_id).await;
        assert_eq!(
            counts,
            json!({ "totalInvoices": 6, "totalInvoicesPaid": 2, "totalInvoicesPending": 3, "pendingPenalties": 0 }),
            "two fractions and the third week are owed; the split invoice is not"
        );
        let trail = records_of(&app, &admin, &json!(first)).await;
        assert_eq!(operations(&trail), ["addInvoiceDiscount", "splitInvoice"]);
        assert!(trail[1]["changes"].to_string().contains("Acuerdo de pago"));
    }
);

db_test!(
    a_cancelled_invoice_is_owed_no_more,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "84848484", "100.00", 3).await;
        let (first, second) = (&d.invoices[0], &d.invoices[1]);
        let frozen = ok(
        &app,
        &admin,
        "mutation($input: InvoiceReasonInput!) { freezeInvoice(input: $input) { invoice { id status } userErrors { field code message } } }",
        json!({ "invoiceId": second, "reason": "Taller" }),
    )
    .await;
        assert_eq!(frozen["invoice"]["status"], "FROZEN");
        for id in [first, second] {
            let cancelled = ok(
                &app,
                &admin,
                CANCEL,
                json!({ "invoiceId": id, "reason": "Auto siniestrado" }),
            )
            .await;
            assert_eq!(cancelled["invoice"]["status"], "CANCELLED");
        }
        let refused_payment = pay(&app, &d.token, first).await;
        assert_eq!(
            refused_payment["data"]["payInvoices"]["userErrors"][0]["code"], "INVOICE_CANCELLED",
            "{refused_payment}"
        );
        assert_eq!(balance(&app, &d.token).await, "100.00");
        for (input, code) in [
            (
                json!({ "invoiceId": first, "reason": "otra vez" }),
                "INVOICE_CANCELLED",
            ),
            (
                json!({ "invoiceId": first, "reason": "otra vez" }),
                "INVOICE_CANCELLED",
            ),
        ] {
            assert_eq!(
                refused(&app, &admin, CANCEL, input).await,
                ("invoiceId".into(), code.into())
            );
        }
        for (m, input) in [
            (
                add_discount(),
                json!({ "invoiceId": first, "amount": "1.00", "reason": "x" }),
            ),
            (
                split(),
                json!({ "invoiceId": first, "parts": [
                { "amount": "5.00", "dueDate": FAR }, { "amount": "5.00", "dueDate": FAR },
            ] }),
            ),
        ] {
            assert_eq!(
                refused(&app, &admin, &m, input).await,
                ("invoiceId".into(), "INVOICE_CANCELLED".into())
            );
        }
        let paid = pay(&app, &d.token, &d.invoices[2]).await;
        assert_eq!(paid["data"]["payInvoices"]["payment"]["amount"], "10.00");
        assert_eq!(
            refused(
                &app,
                &admin,
                CANCEL,
                json!({ "invoiceId": d.invoices[2], "reason": "tarde" })
            )
            .await,
            ("invoiceId".into(), "INVOICE_ALREADY_PAID".into())
        );
        let counts = summary(&app, &d.token, &d.contract_id).await;
        assert_eq!(counts["totalInvoicesPending"], 0, "{counts}");
        let listed = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Contract { invoices(status: CANCELLED, first: 10) { totalCount } } } }",
            json!({ "id": d.contract_id }),
            Some(&d.token),
        )
        .await;
        assert_eq!(
            listed["data"]["node"]["invoices"]["totalCount"], 2,
            "{listed}"
        );
        let trail = records_of(&app, &admin, &json!(second)).await;
        assert_eq!(operations(&trail), ["freezeInvoice", "cancelInvoice"]);
    }
);

/// For each of 20 invoices, the operation `attempt` builds and a payment of the invoice
/// race; `check` gets the operation's payload, the payment's, and the invoice as it ended.
async fn race<F, C>(app: &TestApp, document: &str, name: &str, attempt: F, check: C)
where
    F: Fn(&str) -> (String, Value),
    C: Fn(&Value, &Value, &Value),
{
    let admin = app.login(ADMIN).await;
    let d = onboard(app, &admin, document, "500.00", 20).await;
    let runs = d.invoices.iter().map(|id| {
        let (query, input) = attempt(id);
        let (admin, token) = (&admin, &d.token);
        async move {
            let operation = app.gql(&query, json!({ "input": input }), Some(admin));
            let payment = pay(app, token, id);
            let (operation, payment) = futures_util::join!(operation, payment);
            (operation, payment)
        }
    });
    let outcomes = futures_util::future::join_all(runs).await;
    let mut charged = rust_decimal::Decimal::ZERO;
    for (id, (operation, payment)) in d.invoices.iter().zip(&outcomes) {
        assert!(
            operation["errors"].is_null()
                || operation["errors"][0]["extensions"]["code"] == "CONFLICT",
            "{operation}"
        );
        let ended = invoice(app, &admin, id).await;
        check(
            &operation["data"][name],
            &payment["data"]["payInvoices"],
            &ended,
        );
        if let Some(amount) = payment["data"]["payInvoices"]["payment"]["amount"].as_str() {
            charged += amount.parse::<rust_decimal::Decimal>().unwrap();
        }
    }
    let left = rust_decimal::Decimal::new(50_000, 2) - charged;
    assert_eq!(balance(app, &d.token).await, left.to_string());
}

fn won(payload: &Value, field: &str) -> bool {
    payload[field].is_object() && payload["userErrors"] == json!([])
}

db_test!(
    a_payment_and_a_cancellation_never_both_win,
    |config| { the_review_day(config) },
    |app| {
        race(
            &app,
            "85858585",
            "cancelInvoice",
            |id| {
                (
                    CANCEL.to_string(),
                    json!({ "invoiceId": id, "reason": "Baja" }),
                )
            },
            |cancel, payment, ended| {
                let (cancelled, paid) = (won(cancel, "invoice"), won(payment, "payment"));
                assert!(cancelled != paid, "{cancel} {payment}");
                assert_eq!(ended["status"], if paid { "PAID" } else { "CANCELLED" });
            },
        )
        .await;
    }
);

db_test!(
    a_payment_and_a_split_never_both_win,
    |config| { the_review_day(config) },
    |app| {
        race(
            &app,
            "86868686",
            "splitInvoice",
            |id| {
                (
                    split(),
                    json!({ "invoiceId": id, "parts": [
                    { "amount": "4.00", "dueDate": FAR }, { "amount": "6.00", "dueDate": FAR },
                ] }),
                )
            },
            |split, payment, ended| {
                let (was_split, paid) = (won(split, "invoice"), won(payment, "payment"));
                assert!(was_split != paid, "{split} {payment}");
                assert_eq!(ended["status"], if paid { "PAID" } else { "SPLIT" });
                let fractions = ended["fractions"].as_array().unwrap().len();
                assert_eq!(fractions, if paid { 0 } else { 2 });
                if paid {
                    assert_eq!(payment["payment"]["amount"], "10.00");
                }
            },
        )
        .await;
    }
);

db_test!(
    a_payment_and_a_discount_settle_exactly_the_invoice,
    |config| { the_review_day(config) },
    |app| {
        race(
            &app,
            "87878787",
            "addInvoiceDiscount",
            |id| {
                (
                    add_discount(),
                    json!({ "invoiceId": id, "amount": "3.00", "reason": "Bono" }),
                )
            },
            |discount, payment, ended| {
                // Both may succeed, in either order, but the invoice is paid once and for
                // exactly what it cost then: 10.00, or 7.00 after the discount.
                assert!(won(payment, "payment"), "{payment}");
                assert_eq!(ended["status"], "PAID");
                let amount = payment["payment"]["amount"].as_str().unwrap();
                if won(discount, "invoice") {
                    assert_eq!(amount, "7.00", "{discount} {payment}");
                } else {
                    assert_eq!(amount, "10.00");
                    assert_eq!(discount["userErrors"][0]["code"], "INVOICE_ALREADY_PAID");
                    assert_eq!(ended["discounts"], json!([]));
                }
            },
        )
        .await;
    }
);

db_test!(
    only_the_organizations_admins_adjust_invoices,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "88888888", "10.00", 2).await;
        let first = &d.invoices[0];
        let granted = ok(
            &app,
            &admin,
            &add_discount(),
            json!({ "invoiceId": d.invoices[1], "amount": "1.00", "reason": "Promo" }),
        )
        .await;
        let discount_id = granted["discount"]["id"].clone();
        let attempts: Vec<(String, Value)> = vec![
            (
                add_discount(),
                json!({ "invoiceId": first, "amount": "1.00", "reason": "x" }),
            ),
            (
                remove_discount(),
                json!({ "discountId": discount_id, "reason": "x" }),
            ),
            (
                add_penalty(),
                json!({ "contractId": d.contract_id, "amount": "1.00", "dueDate": FAR, "reason": "x" }),
            ),
            (
                split(),
                json!({ "invoiceId": first, "parts": [
                { "amount": "5.00", "dueDate": FAR }, { "amount": "5.00", "dueDate": FAR },
            ] }),
            ),
            (
                CANCEL.to_string(),
                json!({ "invoiceId": first, "reason": "x" }),
            ),
        ];
        app.add_user(
            "otra-empresa",
            "80808080",
            "clave1234",
            gateway::entities::user::Role::Admin,
        )
        .await;
        let stranger = app.login(("80808080", "clave1234")).await;
        let before = record_count(&app).await;
        for (m, input) in &attempts {
            for token in [
                app.login(COLLECTOR).await,
                app.login(DRIVER).await,
                d.token.clone(),
            ] {
                assert_eq!(
                    error_code(&app, &token, m, input.clone()).await,
                    "FORBIDDEN",
                    "{m}"
                );
            }
            let (field, code) = refused(&app, &stranger, m, input.clone()).await;
            assert_eq!(code, "NOT_FOUND", "{m}");
            assert!(field.ends_with("Id"), "{field}");
            let anonymous = app.gql(m, json!({ "input": input }), None).await;
            assert_eq!(
                anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "{m}"
            );
        }
        assert_eq!(
            record_count(&app).await,
            before,
            "a refused write was recorded"
        );
        let first = invoice(&app, &admin, first).await;
        assert_eq!(first["status"], "PENDING");
        assert_eq!(first["discounts"], json!([]));
        let second = invoice(&app, &admin, &d.invoices[1]).await;
        assert_eq!(second["totalWithDiscount"], "9.00");
        assert_eq!(
            summary(&app, &admin, &d.contract_id).await["totalInvoices"],
            2
        );
    }
);
