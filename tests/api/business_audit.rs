//! The audit trail of the business: every write to customers, sales invoices (sending and
//! marking paid included), receipts (marking paid included) and the invoicing settings
//! leaves exactly one record, in the transaction of the change, that the organization's
//! ADMIN reads through `auditLog`; a refused input or caller leaves none.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, TestApp, api_token_secret,
        audit::{assert_record, change, last_record, record_count, records_of, shown},
        error_code, mutation, ok, refused,
    },
    db_test,
};

/// Runs a mutation that must succeed as the ADMIN, and checks that it added exactly one
/// record to the trail; returns its payload.
async fn one_record(
    app: &TestApp,
    admin: &str,
    name: &str,
    selection: &str,
    input: Value,
) -> Value {
    let before = record_count(app).await;
    let payload = ok(app, admin, &mutation(name, selection), input).await;
    assert_eq!(
        record_count(app).await,
        before + 1,
        "{name} did not add exactly one record"
    );
    payload
}

/// The last record of the object `id`, after checking it has `count` records.
async fn latest(app: &TestApp, admin: &str, id: &Value, count: usize) -> Value {
    let records = records_of(app, admin, id).await;
    assert_eq!(records.len(), count, "{records:?}");
    records.last().unwrap().clone()
}

db_test!(customer_writes_leave_one_record_each, |app| {
    let admin = app.login(ADMIN).await;
    let created = one_record(
        &app,
        &admin,
        "createCustomer",
        "customer { id }",
        json!({ "name": "Square Inc", "nationalId": "20601234567" }),
    )
    .await;
    let id = created["customer"]["id"].clone();
    let record = latest(&app, &admin, &id, 1).await;
    assert_record(&record, "createCustomer", "Customer", &id, ADMIN.0);
    assert_eq!(
        change(&record, "national_id"),
        (Value::Null, shown(json!("20601234567")))
    );
    assert!(
        record["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["field"] != "search_text"),
        "a derived column was recorded: {record}"
    );

    one_record(
        &app,
        &admin,
        "updateCustomer",
        "customer { id }",
        json!({ "id": id, "email": "Pagos@Square.pe" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 2).await;
    assert_record(&record, "updateCustomer", "Customer", &id, ADMIN.0);
    assert_eq!(record["changes"].as_array().unwrap().len(), 1, "{record}");
    assert_eq!(
        change(&record, "email"),
        (shown(json!("")), shown(json!("pagos@square.pe")))
    );

    one_record(
        &app,
        &admin,
        "deleteCustomer",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    let record = latest(&app, &admin, &id, 3).await;
    assert_record(&record, "deleteCustomer", "Customer", &id, ADMIN.0);
    assert_eq!(
        change(&record, "name"),
        (shown(json!("Square Inc")), Value::Null)
    );
});

db_test!(sales_invoice_writes_leave_one_record_each, |app| {
    let admin = app.login(ADMIN).await;
    // Created with a new customer and emailed at once: one record, the invoice's, with
    // the email's recipient.
    let created = one_record(
        &app,
        &admin,
        "createSalesInvoice",
        "salesInvoice { id customer { id } }",
        json!({
            "customer": { "name": "Cliente Correo", "nationalId": "40506070", "email": "pagos@cliente.pe" },
            "items": [{ "description": "Servicio", "unitAmount": "100" }],
            "sendByEmail": true,
        }),
    )
    .await;
    let id = created["salesInvoice"]["id"].clone();
    let record = latest(&app, &admin, &id, 1).await;
    assert_record(&record, "createSalesInvoice", "SalesInvoice", &id, ADMIN.0);
    assert_eq!(
        change(&record, "total_minor"),
        (Value::Null, shown(json!(11800)))
    );
    assert_eq!(
        change(&record, "email_recipient"),
        (Value::Null, shown(json!("pagos@cliente.pe")))
    );

    one_record(
        &app,
        &admin,
        "updateSalesInvoice",
        "salesInvoice { id }",
        json!({ "id": id, "additionalInfo": "Orden 77" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 2).await;
    assert_record(&record, "updateSalesInvoice", "SalesInvoice", &id, ADMIN.0);
    assert_eq!(
        change(&record, "additional_info"),
        (shown(json!("")), shown(json!("Orden 77")))
    );

    one_record(
        &app,
        &admin,
        "markSalesInvoicePaid",
        "salesInvoice { id }",
        json!({ "id": id, "paidOn": "2026-11-20" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 3).await;
    assert_record(
        &record,
        "markSalesInvoicePaid",
        "SalesInvoice",
        &id,
        ADMIN.0,
    );
    assert_eq!(
        change(&record, "paid"),
        (shown(json!(false)), shown(json!(true)))
    );
    assert_eq!(
        change(&record, "paid_on"),
        (shown(Value::Null), shown(json!("2026-11-20")))
    );

    one_record(
        &app,
        &admin,
        "sendInvoice",
        "email { recipient }",
        json!({ "invoiceId": id, "to": "contabilidad@cliente.pe" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 4).await;
    assert_record(&record, "sendInvoice", "SalesInvoice", &id, ADMIN.0);
    assert_eq!(
        change(&record, "email_recipient"),
        (Value::Null, shown(json!("contabilidad@cliente.pe")))
    );

    one_record(
        &app,
        &admin,
        "deleteSalesInvoice",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    let record = latest(&app, &admin, &id, 5).await;
    assert_record(&record, "deleteSalesInvoice", "SalesInvoice", &id, ADMIN.0);
    assert_eq!(change(&record, "paid"), (shown(json!(true)), Value::Null));
});

db_test!(receipt_writes_leave_one_record_each, |app| {
    let admin = app.login(ADMIN).await;
    let created = one_record(
        &app,
        &admin,
        "createReceipt",
        "receipt { id }",
        json!({ "concept": "Agua", "amount": "132", "date": "2026-11-02" }),
    )
    .await;
    let id = created["receipt"]["id"].clone();
    let record = latest(&app, &admin, &id, 1).await;
    assert_record(&record, "createReceipt", "Receipt", &id, ADMIN.0);
    assert_eq!(
        change(&record, "amount_minor"),
        (Value::Null, shown(json!(13200)))
    );

    one_record(
        &app,
        &admin,
        "updateReceipt",
        "receipt { id }",
        json!({ "id": id, "concept": "Agua y desagüe" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 2).await;
    assert_record(&record, "updateReceipt", "Receipt", &id, ADMIN.0);
    assert_eq!(
        change(&record, "concept"),
        (shown(json!("Agua")), shown(json!("Agua y desagüe")))
    );

    one_record(
        &app,
        &admin,
        "markReceiptPaid",
        "receipt { id }",
        json!({ "id": id, "paidOn": "2026-11-05" }),
    )
    .await;
    let record = latest(&app, &admin, &id, 3).await;
    assert_record(&record, "markReceiptPaid", "Receipt", &id, ADMIN.0);
    assert_eq!(
        change(&record, "paid"),
        (shown(json!(false)), shown(json!(true)))
    );

    one_record(
        &app,
        &admin,
        "deleteReceipt",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    let record = latest(&app, &admin, &id, 4).await;
    assert_record(&record, "deleteReceipt", "Receipt", &id, ADMIN.0);
    assert_eq!(
        change(&record, "concept"),
        (shown(json!("Agua y desagüe")), Value::Null)
    );
});

db_test!(invoicing_settings_changes_are_recorded, |app| {
    let admin = app.login(ADMIN).await;
    one_record(
        &app,
        &admin,
        "updateInvoicingSettings",
        "settings { defaultTaxPercentage }",
        json!({ "defaultTaxPercentage": "16" }),
    )
    .await;
    // The settings are no node: the record has a type and no ID.
    let record = last_record(&app, &admin).await;
    assert_record(
        &record,
        "updateInvoicingSettings",
        "InvoicingSettings",
        &Value::Null,
        ADMIN.0,
    );
    assert_eq!(
        change(&record, "default_tax_rate_bp"),
        (shown(json!(1800)), shown(json!(1600)))
    );
});

db_test!(
    a_business_write_through_an_api_token_names_the_token,
    |app| {
        let admin = app.login(ADMIN).await;
        let secret = api_token_secret(&app, &admin, "ERP de ventas").await;
        let reply = app
            .post_json(
                json!({
                    "query": mutation("createCustomer", "customer { id }"),
                    "variables": { "input": { "name": "Square Inc", "nationalId": "20601234567" } },
                }),
                Some(&format!("Token token={secret}")),
            )
            .await;
        let id = reply.body["data"]["createCustomer"]["customer"]["id"].clone();
        assert!(id.is_string(), "{}", reply.text);
        let record = latest(&app, &admin, &id, 1).await;
        assert_eq!(record["operation"], "createCustomer");
        assert_eq!(record["author"]["__typename"], "ApiToken", "{record}");
        assert_eq!(record["author"]["name"], "ERP de ventas", "{record}");
    }
);

db_test!(refused_business_writes_leave_no_record, |app| {
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let customer = ok(
        &app,
        &admin,
        &mutation("createCustomer", "customer { id }"),
        json!({ "name": "Sin Correo", "nationalId": "10203040" }),
    )
    .await["customer"]["id"]
        .clone();
    let created = ok(
        &app,
        &admin,
        &mutation("createSalesInvoice", "salesInvoice { id number }"),
        json!({ "customer": { "id": customer }, "items": [{ "description": "Servicio", "unitAmount": "10" }] }),
    )
    .await;
    let invoice = created["salesInvoice"]["id"].clone();
    let number = created["salesInvoice"]["number"].clone();
    let before = record_count(&app).await;

    // Input the ADMIN can fix: nothing is written, record included, not even the new
    // customer written before the number was found taken.
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("createSalesInvoice", "salesInvoice { id }"),
            json!({
                "customer": { "name": "Nuevo", "nationalId": "50607080" },
                "items": [{ "description": "Servicio", "unitAmount": "10" }],
                "number": number,
            }),
        )
        .await,
        ("number".into(), "DUPLICATE".into())
    );
    let customers = app
        .gql(
            "{ customers(filter: { search: \"50607080\" }) { totalCount } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        customers["data"]["customers"]["totalCount"], 0,
        "{customers}"
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("sendInvoice", "email { recipient }"),
            json!({ "invoiceId": invoice }),
        )
        .await,
        ("to".into(), "REQUIRED".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation(
                "updateInvoicingSettings",
                "settings { defaultTaxPercentage }"
            ),
            json!({ "defaultTaxPercentage": "150" }),
        )
        .await,
        ("defaultTaxPercentage".into(), "OUT_OF_RANGE".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("deleteCustomer", "deletedId"),
            json!({ "id": customer }),
        )
        .await,
        ("id".into(), "IN_USE".into())
    );
    // A COLLECTOR reads the business but may not change it.
    for (name, selection, input) in [
        (
            "createCustomer",
            "customer { id }",
            json!({ "name": "Otro", "nationalId": "11223344" }),
        ),
        (
            "markSalesInvoicePaid",
            "salesInvoice { id }",
            json!({ "id": invoice }),
        ),
        (
            "createReceipt",
            "receipt { id }",
            json!({ "concept": "Luz", "amount": "10" }),
        ),
        (
            "updateInvoicingSettings",
            "settings { defaultTaxPercentage }",
            json!({ "defaultTaxPercentage": "150" }),
        ),
    ] {
        assert_eq!(
            error_code(&app, &collector, &mutation(name, selection), input).await,
            "FORBIDDEN",
            "{name}"
        );
    }
    assert_eq!(
        record_count(&app).await,
        before,
        "a refused write was recorded"
    );
    assert_eq!(records_of(&app, &admin, &invoice).await.len(), 1);
});
