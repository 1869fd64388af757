//! Business books (issue 7, the Infinanza REST API): customers, sales invoices (numbering
//! under concurrency, tax rules, items, inline customers), receipts, paying into the
//! business book, who created what, and who may do anything at all.

use std::collections::BTreeSet;

use gateway::entities::{book_transaction, customer, sales_invoice, sales_invoice_item};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    book_transactions::noon_in_lima,
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, ok, raw_id, refused, run},
    db_test,
};

pub(crate) const INVOICE_FIELDS: &str = "id number date dueDate concept subtotal taxPercentage tax total paid paidOn status additionalInfo customer { id name nationalId } items { description quantity unitAmount amount } income { id kind amount date description paid } createdBy { __typename ... on StaffUser { document } ... on ApiToken { name } }";

pub(crate) fn create_invoice_mutation() -> String {
    format!(
        "mutation($input: CreateSalesInvoiceInput!) {{ createSalesInvoice(input: $input) {{ salesInvoice {{ {INVOICE_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_invoice_mutation() -> String {
    format!(
        "mutation($input: UpdateSalesInvoiceInput!) {{ updateSalesInvoice(input: $input) {{ salesInvoice {{ {INVOICE_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn mark_paid_mutation() -> String {
    format!(
        "mutation($input: MarkSalesInvoicePaidInput!) {{ markSalesInvoicePaid(input: $input) {{ salesInvoice {{ {INVOICE_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

const DELETE_INVOICE: &str = "mutation($input: DeleteSalesInvoiceInput!) { deleteSalesInvoice(input: $input) { deletedId userErrors { field code message } } }";
const CREATE_CUSTOMER: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id name nationalId address email phone createdAt updatedAt } userErrors { field code message } } }";
const UPDATE_CUSTOMER: &str = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id name nationalId address email phone } userErrors { field code message } } }";
const DELETE_CUSTOMER: &str = "mutation($input: DeleteCustomerInput!) { deleteCustomer(input: $input) { deletedId userErrors { field code message } } }";
const CUSTOMERS: &str = "query($filter: CustomerFilter, $first: Int, $after: String) { customers(filter: $filter, first: $first, after: $after) { totalCount nodes { id name nationalId } pageInfo { hasNextPage endCursor } } }";
const RECEIPT_FIELDS: &str = "id date dueDate concept amount paid paidOn status expense { id kind amount date description } createdBy { __typename ... on ApiToken { name } }";
const SETTINGS: &str = "{ invoicingSettings { defaultTaxPercentage nextInvoiceNumber } }";

fn create_receipt_mutation() -> String {
    format!(
        "mutation($input: CreateReceiptInput!) {{ createReceipt(input: $input) {{ receipt {{ {RECEIPT_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn update_receipt_mutation() -> String {
    format!(
        "mutation($input: UpdateReceiptInput!) {{ updateReceipt(input: $input) {{ receipt {{ {RECEIPT_FIELDS} }} userErrors {{ field code message }} }} }}"
    )
}

fn receipts_query() -> String {
    format!(
        "query($filter: ReceiptFilter) {{ receipts(filter: $filter, first: 100) {{ totalCount nodes {{ {RECEIPT_FIELDS} }} }} }}"
    )
}

/// A customer created by the admin; returns its global ID.
async fn new_customer(app: &TestApp, admin: &str, name: &str, national_id: &str) -> Value {
    let payload = ok(
        app,
        admin,
        CREATE_CUSTOMER,
        json!({ "name": name, "nationalId": national_id }),
    )
    .await;
    payload["customer"]["id"].clone()
}

/// An invoice created by the admin from `input`; returns it.
pub(crate) async fn new_invoice(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, &create_invoice_mutation(), input).await["salesInvoice"].clone()
}

fn one_item(amount: &str) -> Value {
    json!([{ "description": "Servicio", "unitAmount": amount }])
}

async fn customer_rows(app: &TestApp) -> u64 {
    customer::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

async fn invoice_row(app: &TestApp, id: &Value) -> Option<sales_invoice::Model> {
    sales_invoice::Entity::find_by_id(raw_id(id))
        .one(&app.app.state.db)
        .await
        .unwrap()
}

/// The business book's transaction with this global ID, if it still exists.
async fn linked(app: &TestApp, id: &Value) -> Option<book_transaction::Model> {
    book_transaction::Entity::find_by_id(raw_id(id))
        .one(&app.app.state.db)
        .await
        .unwrap()
}

async fn next_number(app: &TestApp, admin: &str) -> i64 {
    let body = app.gql(SETTINGS, json!({}), Some(admin)).await;
    body["data"]["invoicingSettings"]["nextInvoiceNumber"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .parse()
        .unwrap()
}

db_test!(customers_are_created_found_changed_and_deleted, |app| {
    let admin = app.login(ADMIN).await;
    let created = ok(
        &app,
        &admin,
        CREATE_CUSTOMER,
        json!({ "name": " Nuevo Cliente ", "nationalId": "003334667", "address": "Av Boulevard 75 384782", "email": "Nuevo@Cliente.com", "phone": "1234567" }),
    )
    .await["customer"]
        .clone();
    assert_eq!(created["name"], "Nuevo Cliente");
    assert_eq!(created["nationalId"], "003334667");
    assert_eq!(created["email"], "nuevo@cliente.com");
    assert_eq!(created["phone"], "1234567");
    assert_eq!(created["createdAt"], created["updatedAt"]);

    // The national id is unique in the organization.
    assert_eq!(
        refused(
            &app,
            &admin,
            CREATE_CUSTOMER,
            json!({ "name": "Otro", "nationalId": "003334667" })
        )
        .await,
        ("nationalId".into(), "DUPLICATE".into())
    );
    // Every field is checked, and nothing is written.
    let before = customer_rows(&app).await;
    let payload = run(
        &app,
        &admin,
        CREATE_CUSTOMER,
        json!({ "name": " ", "nationalId": "1 2", "email": "nope" }),
    )
    .await;
    let fields: Vec<Value> = payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["field"], e["code"]]))
        .collect();
    assert_eq!(
        fields,
        vec![
            json!([["name"], "REQUIRED"]),
            json!([["nationalId"], "INVALID_FORMAT"]),
            json!([["email"], "INVALID_FORMAT"])
        ]
    );
    assert_eq!(customer_rows(&app).await, before);

    // Only the fields sent change.
    let updated = ok(
        &app,
        &admin,
        UPDATE_CUSTOMER,
        json!({ "id": created["id"], "address": "Calle Prado Largo 2344 Of 204", "phone": "" }),
    )
    .await["customer"]
        .clone();
    assert_eq!(updated["name"], "Nuevo Cliente");
    assert_eq!(updated["address"], "Calle Prado Largo 2344 Of 204");
    assert_eq!(updated["phone"], "");

    // Search by part of the name, accent- and case-insensitively, and by national id.
    new_customer(&app, &admin, "Transportes Perú SAC", "20100047218").await;
    let found = app
        .gql(
            CUSTOMERS,
            json!({ "filter": { "search": "PERU" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(found["data"]["customers"]["totalCount"], 1, "{found}");
    assert_eq!(
        found["data"]["customers"]["nodes"][0]["name"],
        "Transportes Perú SAC"
    );
    let found = app
        .gql(
            CUSTOMERS,
            json!({ "filter": { "search": "33346" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(found["data"]["customers"]["nodes"][0]["id"], created["id"]);
    // LIKE's wildcards and its escape are looked for literally.
    for text in ["%", "_", "!", "\\"] {
        let found = app
            .gql(
                CUSTOMERS,
                json!({ "filter": { "search": text } }),
                Some(&admin),
            )
            .await;
        assert_eq!(
            found["data"]["customers"]["totalCount"], 0,
            "{text}: {found}"
        );
    }

    // Paging: totalCount is the whole listing whatever the page.
    let all = app.gql(CUSTOMERS, json!({}), Some(&admin)).await;
    let total = all["data"]["customers"]["totalCount"].as_u64().unwrap();
    assert_eq!(total, customer_rows(&app).await);
    let first = app
        .gql(CUSTOMERS, json!({ "first": 1 }), Some(&admin))
        .await;
    assert_eq!(first["data"]["customers"]["totalCount"], total);
    assert_eq!(
        first["data"]["customers"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        first["data"]["customers"]["pageInfo"]["hasNextPage"],
        total > 1
    );

    // Deleting is refused while an invoice points at the customer.
    let invoice = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": created["id"] }, "items": one_item("100") }),
    )
    .await;
    assert_eq!(
        refused(
            &app,
            &admin,
            DELETE_CUSTOMER,
            json!({ "id": created["id"] })
        )
        .await,
        ("id".into(), "IN_USE".into())
    );
    ok(&app, &admin, DELETE_INVOICE, json!({ "id": invoice["id"] })).await;
    let deleted = ok(
        &app,
        &admin,
        DELETE_CUSTOMER,
        json!({ "id": created["id"] }),
    )
    .await;
    assert_eq!(deleted["deletedId"], created["id"]);
    assert!(
        customer::Entity::find_by_id(raw_id(&created["id"]))
            .one(&app.app.state.db)
            .await
            .unwrap()
            .is_none()
    );
});

db_test!(twenty_concurrent_invoices_take_consecutive_numbers, |app| {
    let admin = app.login(ADMIN).await;
    let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
    let first = next_number(&app, &admin).await;
    let creations = (0..20).map(|i| {
        let app = &app;
        let admin = admin.clone();
        let customer = customer.clone();
        async move {
            run(
                app,
                &admin,
                &create_invoice_mutation(),
                json!({ "customer": { "id": customer }, "items": one_item(&format!("{}.00", 100 + i)) }),
            )
            .await
        }
    });
    let payloads = futures_util::future::join_all(creations).await;
    let numbers: Vec<i64> = payloads
        .iter()
        .map(|p| {
            assert_eq!(p["userErrors"], json!([]), "{p}");
            p["salesInvoice"]["number"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    let distinct: BTreeSet<i64> = numbers.iter().copied().collect();
    // No duplicates, no gaps: exactly the next 20 numbers.
    assert_eq!(distinct.len(), 20, "{numbers:?}");
    assert_eq!(distinct, (first..first + 20).collect::<BTreeSet<i64>>());
    assert_eq!(next_number(&app, &admin).await, first + 20);
    // Each concept is "number - customer name".
    for p in &payloads {
        let invoice = &p["salesInvoice"];
        assert_eq!(
            invoice["concept"],
            format!("{} - Square Inc", invoice["number"].as_str().unwrap())
        );
    }

    // A number given by hand must be unique, and the counter skips it when it gets there.
    let given = (first + 20).to_string();
    new_invoice(
        &app,
        &admin,
        json!({ "number": given, "customer": { "id": customer }, "items": one_item("1") }),
    )
    .await;
    assert_eq!(
        refused(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({ "number": given, "customer": { "id": customer }, "items": one_item("1") })
        )
        .await,
        ("number".into(), "DUPLICATE".into())
    );
    let after = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "items": one_item("1") }),
    )
    .await;
    assert_eq!(after["number"], (first + 21).to_string());
});

db_test!(
    an_inline_customer_is_rolled_back_when_the_invoice_fails,
    |app| {
        let admin = app.login(ADMIN).await;
        let existing = new_customer(&app, &admin, "Cliente 1", "10406080201").await;
        let taken = new_invoice(
            &app,
            &admin,
            json!({ "number": "F-1", "customer": { "id": existing }, "items": one_item("10") }),
        )
        .await;
        let customers_before = customer_rows(&app).await;
        let invoices_before = sales_invoice::Entity::find()
            .count(&app.app.state.db)
            .await
            .unwrap();
        let inline = json!({ "name": "Nuevo Cliente", "nationalId": "73822922", "address": "Av Boulevard 23455" });

        // The customer is written, then the number is found taken: all of it rolls back.
        assert_eq!(
            refused(
                &app,
                &admin,
                &create_invoice_mutation(),
                json!({ "number": taken["number"], "customer": inline, "items": one_item("12000") })
            )
            .await,
            ("number".into(), "DUPLICATE".into())
        );
        assert_eq!(customer_rows(&app).await, customers_before);
        assert_eq!(
            sales_invoice::Entity::find()
                .count(&app.app.state.db)
                .await
                .unwrap(),
            invoices_before
        );
        // A bad inline customer is reported under `customer`.
        let payload = run(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({ "customer": { "name": "Sin documento" }, "items": one_item("10") }),
        )
        .await;
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["customer", "nationalId"])
        );
        assert_eq!(payload["userErrors"][0]["code"], "REQUIRED");
        assert_eq!(customer_rows(&app).await, customers_before);

        // With a free number, the same input creates both.
        let created = new_invoice(
            &app,
            &admin,
            json!({ "customer": inline, "items": one_item("12000"), "paid": false }),
        )
        .await;
        assert_eq!(created["customer"]["name"], "Nuevo Cliente");
        assert_eq!(created["customer"]["nationalId"], "73822922");
        assert_eq!(customer_rows(&app).await, customers_before + 1);
        // An existing customer by id, changed by the fields sent with it.
        let edited = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": existing, "name": "Cliente Uno" }, "items": one_item("5") }),
    )
    .await;
        assert_eq!(edited["customer"]["name"], "Cliente Uno");
        assert_eq!(
            edited["concept"],
            format!("{} - Cliente Uno", edited["number"].as_str().unwrap())
        );
        // A customer id of nothing is a user error on customer.id.
        let payload = run(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({ "customer": { "id": "Q3VzdG9tZXI6OTk5OTk5" }, "items": one_item("5") }),
        )
        .await;
        assert_eq!(payload["userErrors"][0]["field"], json!(["customer", "id"]));
        assert_eq!(payload["userErrors"][0]["code"], "NOT_FOUND");
    }
);

db_test!(tax_by_percentage_by_amount_and_by_default, |app| {
    let admin = app.login(ADMIN).await;
    let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
    let settings = app.gql(SETTINGS, json!({}), Some(&admin)).await;
    assert_eq!(
        settings["data"]["invoicingSettings"]["defaultTaxPercentage"],
        "18.00"
    );

    // The default rate: 18 % of 10.25 is 1.845, rounded half away from zero to 1.85.
    let by_default = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "items": one_item("10.25") }),
    )
    .await;
    assert_eq!(
        (
            &by_default["subtotal"],
            &by_default["taxPercentage"],
            &by_default["tax"],
            &by_default["total"]
        ),
        (
            &json!("10.25"),
            &json!("18.00"),
            &json!("1.85"),
            &json!("12.10")
        )
    );
    // A percentage: 12.5 % of 0.99 is 0.12375 -> 0.12; items of 1.5 x 0.33 = 0.495 ->
    // 0.50 and 3 x 0.01.
    let by_rate = new_invoice(
        &app,
        &admin,
        json!({
            "customer": { "id": customer },
            "taxPercentage": "12.5",
            "items": [
                { "description": "Horas", "quantity": "1.5", "unitAmount": "0.33" },
                { "description": "Tornillos", "quantity": "3", "unitAmount": "0.01" },
                { "description": "Ajuste", "unitAmount": "0.46" }
            ]
        }),
    )
    .await;
    assert_eq!(
        by_rate["items"],
        json!([
            { "description": "Horas", "quantity": "1.50", "unitAmount": "0.33", "amount": "0.50" },
            { "description": "Tornillos", "quantity": "3.00", "unitAmount": "0.01", "amount": "0.03" },
            { "description": "Ajuste", "quantity": "1.00", "unitAmount": "0.46", "amount": "0.46" }
        ])
    );
    assert_eq!(by_rate["subtotal"], "0.99");
    assert_eq!(by_rate["taxPercentage"], "12.50");
    assert_eq!(by_rate["tax"], "0.12");
    assert_eq!(by_rate["total"], "1.11");
    // Infinanza's own example: 10000 at 16 %.
    let rest_api_example = new_invoice(
        &app,
        &admin,
        json!({
            "customer": { "id": customer },
            "taxPercentage": "16",
            "items": [
                { "description": "Product 1", "unitAmount": "6000" },
                { "description": "Product 2", "unitAmount": "4000" }
            ]
        }),
    )
    .await;
    assert_eq!(
        (&rest_api_example["tax"], &rest_api_example["total"]),
        (&json!("1600.00"), &json!("11600.00"))
    );
    // A fixed amount: no rate.
    let fixed = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "tax": "0.99", "items": one_item("33.33") }),
    )
    .await;
    assert_eq!(fixed["taxPercentage"], Value::Null);
    assert_eq!(
        (&fixed["tax"], &fixed["total"]),
        (&json!("0.99"), &json!("34.32"))
    );
    // A 0 % rate.
    let exempt = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "taxPercentage": "0", "items": one_item("7.77") }),
    )
    .await;
    assert_eq!(
        (&exempt["tax"], &exempt["total"]),
        (&json!("0.00"), &json!("7.77"))
    );

    // A new default applies to new invoices only.
    let changed = ok(
        &app,
        &admin,
        "mutation($input: UpdateInvoicingSettingsInput!) { updateInvoicingSettings(input: $input) { settings { defaultTaxPercentage } userErrors { field code } } }",
        json!({ "defaultTaxPercentage": "7.25" }),
    )
    .await;
    assert_eq!(changed["settings"]["defaultTaxPercentage"], "7.25");
    let later = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "items": one_item("33.33") }),
    )
    .await;
    // 7.25 % of 33.33 = 2.416425 -> 2.42
    assert_eq!(
        (&later["tax"], &later["total"]),
        (&json!("2.42"), &json!("35.75"))
    );
    assert_eq!(
        invoice_row(&app, &by_default["id"])
            .await
            .unwrap()
            .tax_rate_bp,
        Some(1800)
    );

    // Refused, and nothing written: both rules, a rate past 100 %, a negative tax, no
    // items, a zero subtotal, a zero quantity.
    let count = || async {
        sales_invoice::Entity::find()
            .count(&app.app.state.db)
            .await
            .unwrap()
    };
    let before = count().await;
    for (input, field, code) in [
        (
            json!({ "taxPercentage": "18", "tax": "1", "items": one_item("1") }),
            json!(["tax"]),
            "INVALID_FORMAT",
        ),
        (
            json!({ "taxPercentage": "100.01", "items": one_item("1") }),
            json!(["taxPercentage"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "tax": "-1", "items": one_item("1") }),
            json!(["tax"]),
            "INVALID_AMOUNT",
        ),
        (json!({ "items": [] }), json!(["items"]), "REQUIRED"),
        (
            json!({ "items": one_item("0") }),
            json!(["items"]),
            "INVALID_AMOUNT",
        ),
        (
            json!({ "items": [{ "description": "x", "quantity": "0", "unitAmount": "1" }] }),
            json!(["items", "0", "quantity"]),
            "OUT_OF_RANGE",
        ),
        (
            json!({ "date": "2026-11-10", "dueDate": "2026-11-09", "items": one_item("1") }),
            json!(["dueDate"]),
            "INVALID_FORMAT",
        ),
    ] {
        let mut input = input;
        input["customer"] = json!({ "id": customer });
        let payload = run(&app, &admin, &create_invoice_mutation(), input.clone()).await;
        assert_eq!(payload["salesInvoice"], Value::Null, "{input}");
        assert_eq!(
            payload["userErrors"][0]["field"], field,
            "{input}: {payload}"
        );
        assert_eq!(payload["userErrors"][0]["code"], code, "{input}: {payload}");
    }
    assert_eq!(count().await, before);
    // A JSON number for a Decimal is refused by the schema itself.
    let body = app
        .gql(
            &create_invoice_mutation(),
            json!({ "input": { "customer": { "id": customer }, "items": [{ "description": "x", "unitAmount": 10.5 }] } }),
            Some(&admin),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
});

db_test!(items_are_replaced_as_a_whole, |app| {
    let admin = app.login(ADMIN).await;
    let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
    let invoice = new_invoice(
        &app,
        &admin,
        json!({
            "customer": { "id": customer },
            "additionalInfo": "Información adicional",
            "items": [
                { "description": "Product 1", "unitAmount": "6000" },
                { "description": "Product 2", "unitAmount": "4000" }
            ]
        }),
    )
    .await;
    assert_eq!(invoice["total"], "11800.00");
    let old_items: Vec<i64> = sales_invoice_item::Entity::find()
        .filter(sales_invoice_item::Column::InvoiceId.eq(raw_id(&invoice["id"])))
        .all(&app.app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(old_items.len(), 2);

    // New items replace the old ones; the stored 18 % applies to them; the rest stays.
    let updated = ok(
        &app,
        &admin,
        &update_invoice_mutation(),
        json!({ "id": invoice["id"], "items": [{ "description": "Product 3", "quantity": "2", "unitAmount": "0.05" }] }),
    )
    .await["salesInvoice"]
        .clone();
    assert_eq!(
        updated["items"],
        json!([{ "description": "Product 3", "quantity": "2.00", "unitAmount": "0.05", "amount": "0.10" }])
    );
    // 18 % of 0.10 = 0.018 -> 0.02
    assert_eq!(
        (&updated["subtotal"], &updated["tax"], &updated["total"]),
        (&json!("0.10"), &json!("0.02"), &json!("0.12"))
    );
    assert_eq!(updated["number"], invoice["number"]);
    assert_eq!(updated["additionalInfo"], "Información adicional");
    assert_eq!(updated["customer"]["id"], customer);
    let rows = sales_invoice_item::Entity::find()
        .filter(sales_invoice_item::Column::InvoiceId.eq(raw_id(&invoice["id"])))
        .all(&app.app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows.iter().all(|r| !old_items.contains(&r.id)));

    // One bad item refuses the whole change: the stored items and totals stay.
    let payload = run(
        &app,
        &admin,
        &update_invoice_mutation(),
        json!({ "id": invoice["id"], "additionalInfo": "otra", "items": [
            { "description": "Bien", "unitAmount": "5" },
            { "description": "", "unitAmount": "5" }
        ] }),
    )
    .await;
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["items", "1", "description"])
    );
    let stored = invoice_row(&app, &invoice["id"]).await.unwrap();
    assert_eq!(
        (stored.total_minor, stored.additional_info.as_str()),
        (12, "Información adicional")
    );
    assert_eq!(
        sales_invoice_item::Entity::find()
            .filter(sales_invoice_item::Column::InvoiceId.eq(raw_id(&invoice["id"])))
            .count(&app.app.state.db)
            .await
            .unwrap(),
        1
    );

    // A fixed tax stays when only the items change; a rate sent replaces it.
    let fixed = ok(
        &app,
        &admin,
        &update_invoice_mutation(),
        json!({ "id": invoice["id"], "tax": "3.00" }),
    )
    .await["salesInvoice"]
        .clone();
    assert_eq!(
        (&fixed["tax"], &fixed["total"]),
        (&json!("3.00"), &json!("3.10"))
    );
    let more = ok(
        &app,
        &admin,
        &update_invoice_mutation(),
        json!({ "id": invoice["id"], "items": one_item("20") }),
    )
    .await["salesInvoice"]
        .clone();
    assert_eq!(
        (&more["tax"], &more["total"]),
        (&json!("3.00"), &json!("23.00"))
    );
    let rated = ok(
        &app,
        &admin,
        &update_invoice_mutation(),
        json!({ "id": invoice["id"], "taxPercentage": "10", "dueDate": null, "number": "F001-9" }),
    )
    .await["salesInvoice"]
        .clone();
    assert_eq!(
        (&rated["tax"], &rated["total"]),
        (&json!("2.00"), &json!("22.00"))
    );
    assert_eq!(rated["concept"], "F001-9 - Square Inc");
});

db_test!(
    paying_records_incomes_and_expenses_in_the_business_book,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
        let invoice = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "date": "2026-11-02", "items": one_item("100") }),
    )
    .await;
        assert_eq!(invoice["paid"], false);
        assert_eq!(invoice["income"], Value::Null);

        let paid = ok(
            &app,
            &admin,
            &mark_paid_mutation(),
            json!({ "id": invoice["id"], "paidOn": "2026-11-20" }),
        )
        .await["salesInvoice"]
            .clone();
        assert_eq!(
            (
                paid["paid"].clone(),
                paid["paidOn"].clone(),
                paid["status"].clone()
            ),
            (json!(true), json!("2026-11-20"), json!("PAID"))
        );
        let income = &paid["income"];
        assert_eq!(income["kind"], "IN");
        assert_eq!(income["amount"], "118.00");
        assert_eq!(income["date"], "2026-11-20");
        assert_eq!(income["paid"], true);
        assert_eq!(income["description"], paid["concept"]);
        // It is an income of the business book, listed with the others.
        let book = app
        .gql(
            "{ book { isBusiness incomes(first: 100) { totalCount nodes { id amount creator { __typename } } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
        assert_eq!(book["data"]["book"]["isBusiness"], true);
        assert!(
            book["data"]["book"]["incomes"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == income["id"] && n["creator"]["__typename"] == "StaffUser"),
            "{book}"
        );
        // Marking it paid again records nothing more.
        let again = ok(
            &app,
            &admin,
            &mark_paid_mutation(),
            json!({ "id": invoice["id"] }),
        )
        .await;
        assert_eq!(again["salesInvoice"]["income"]["id"], income["id"]);
        assert_eq!(again["salesInvoice"]["paidOn"], "2026-11-20");
        // A change of items moves the income's amount with the total.
        ok(
            &app,
            &admin,
            &update_invoice_mutation(),
            json!({ "id": invoice["id"], "items": one_item("200") }),
        )
        .await;
        assert_eq!(
            linked(&app, &income["id"]).await.unwrap().amount_minor,
            23_600
        );
        // Unpaid again: the income is gone.
        let unpaid = ok(
            &app,
            &admin,
            &update_invoice_mutation(),
            json!({ "id": invoice["id"], "paid": false }),
        )
        .await["salesInvoice"]
            .clone();
        assert_eq!(
            (
                unpaid["paid"].clone(),
                unpaid["paidOn"].clone(),
                unpaid["income"].clone()
            ),
            (json!(false), Value::Null, Value::Null)
        );
        assert!(linked(&app, &income["id"]).await.is_none());
        // Created paid, then deleted: the income goes with it.
        let paid_at_once = new_invoice(
            &app,
            &admin,
            json!({ "customer": { "id": customer }, "items": one_item("50"), "paid": true }),
        )
        .await;
        assert_eq!(paid_at_once["paidOn"], "2026-11-24");
        let income_id = paid_at_once["income"]["id"].clone();
        assert!(linked(&app, &income_id).await.is_some());
        ok(
            &app,
            &admin,
            DELETE_INVOICE,
            json!({ "id": paid_at_once["id"] }),
        )
        .await;
        assert!(linked(&app, &income_id).await.is_none());
        assert!(invoice_row(&app, &paid_at_once["id"]).await.is_none());

        // A receipt paid: an expense of its amount, on its paid date, named by its concept.
        let receipt = ok(
        &app,
        &admin,
        &create_receipt_mutation(),
        json!({ "date": "2026-11-01", "dueDate": "2026-11-30", "concept": "Internet", "amount": "2200" }),
    )
    .await["receipt"]
        .clone();
        assert_eq!(receipt["expense"], Value::Null);
        let paid = ok(
        &app,
        &admin,
        "mutation($input: MarkReceiptPaidInput!) { markReceiptPaid(input: $input) { receipt { id paid paidOn expense { id kind amount date description } } userErrors { field code } } }",
        json!({ "id": receipt["id"] }),
    )
    .await["receipt"]
        .clone();
        assert_eq!(paid["paidOn"], "2026-11-24");
        assert_eq!(
            paid["expense"].as_object().map(|e| (
                e["kind"].clone(),
                e["amount"].clone(),
                e["date"].clone(),
                e["description"].clone()
            )),
            Some((
                json!("OUT"),
                json!("2200.00"),
                json!("2026-11-24"),
                json!("Internet")
            ))
        );
        let expense_id = paid["expense"]["id"].clone();
        ok(
        &app,
        &admin,
        "mutation($input: DeleteReceiptInput!) { deleteReceipt(input: $input) { deletedId userErrors { field code } } }",
        json!({ "id": receipt["id"] }),
    )
    .await;
        assert!(linked(&app, &expense_id).await.is_none());
    }
);

db_test!(
    receipts_crud_and_the_overdue_view,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let mut ids = Vec::new();
        // Today is 2026-11-24 in Lima.
        for (date, due, concept, amount, paid) in [
            (
                "2026-10-01",
                Some("2026-10-15"),
                "Agua octubre",
                "80.50",
                false,
            ),
            (
                "2026-11-01",
                Some("2026-11-23"),
                "Luz noviembre",
                "120",
                false,
            ),
            (
                "2026-11-01",
                Some("2026-11-24"),
                "Internet noviembre",
                "99.90",
                false,
            ),
            ("2026-11-20", None, "Alquiler", "1500", false),
            ("2026-11-24", None, "Limpieza", "60", false),
            (
                "2026-10-05",
                Some("2026-10-20"),
                "Agua setiembre",
                "75",
                true,
            ),
        ] {
            let mut input =
                json!({ "date": date, "concept": concept, "amount": amount, "paid": paid });
            if let Some(due) = due {
                input["dueDate"] = json!(due);
            }
            let created = ok(&app, &admin, &create_receipt_mutation(), input).await;
            ids.push(created["receipt"]["id"].clone());
        }
        let list = |filter: Value| {
            let admin = admin.clone();
            let app = &app;
            async move {
                let body = app
                    .gql(&receipts_query(), json!({ "filter": filter }), Some(&admin))
                    .await;
                assert!(body["errors"].is_null(), "{body}");
                body["data"]["receipts"].clone()
            }
        };
        let concepts = |page: &Value| -> Vec<String> {
            page["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| ids.contains(&n["id"]))
                .map(|n| n["concept"].as_str().unwrap().to_string())
                .collect()
        };
        // Overdue: unpaid and past the due date, or past the date without one; newest first.
        let overdue = list(json!({ "overdue": true })).await;
        assert_eq!(
            concepts(&overdue),
            vec!["Alquiler", "Luz noviembre", "Agua octubre"]
        );
        assert!(
            overdue["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["status"] == "OVERDUE")
        );
        let not_overdue = list(json!({ "overdue": false, "from": "2026-10-01" })).await;
        assert_eq!(
            concepts(&not_overdue),
            vec!["Limpieza", "Internet noviembre", "Agua setiembre"]
        );
        let paid = list(json!({ "paid": true, "from": "2026-10-01", "to": "2026-10-31" })).await;
        assert_eq!(concepts(&paid), vec!["Agua setiembre"]);
        let november = list(json!({ "from": "2026-11-01", "to": "2026-11-30" })).await;
        assert_eq!(
            november["totalCount"].as_u64().unwrap() as usize,
            november["nodes"].as_array().unwrap().len()
        );
        assert_eq!(concepts(&november).len(), 4);
        // Reversed dates are the caller's mistake.
        let body = app
            .gql(
                &receipts_query(),
                json!({ "filter": { "from": "2026-11-02", "to": "2026-11-01" } }),
                Some(&admin),
            )
            .await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

        // Update only what is sent; paying moves it out of the overdue view.
        let updated = ok(
            &app,
            &admin,
            &update_receipt_mutation(),
            json!({ "id": ids[1], "amount": "121.30", "paidOn": "2026-11-24" }),
        )
        .await["receipt"]
            .clone();
        assert_eq!(
            (
                updated["concept"].clone(),
                updated["amount"].clone(),
                updated["status"].clone()
            ),
            (json!("Luz noviembre"), json!("121.30"), json!("PAID"))
        );
        assert_eq!(updated["expense"]["amount"], "121.30");
        assert_eq!(
            concepts(&list(json!({ "overdue": true })).await),
            vec!["Alquiler", "Agua octubre"]
        );
        // Bad input changes nothing.
        let payload = run(
            &app,
            &admin,
            &update_receipt_mutation(),
            json!({ "id": ids[0], "concept": " ", "amount": "0", "dueDate": "2026-09-01" }),
        )
        .await;
        let codes: Vec<Value> = payload["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| json!([e["field"], e["code"]]))
            .collect();
        assert_eq!(
            codes,
            vec![
                json!([["dueDate"], "INVALID_FORMAT"]),
                json!([["concept"], "REQUIRED"]),
                json!([["amount"], "INVALID_AMOUNT"])
            ]
        );
        let node = app
            .gql(
                "query($id: ID!) { node(id: $id) { ... on Receipt { concept amount dueDate } } }",
                json!({ "id": ids[0] }),
                Some(&admin),
            )
            .await;
        assert_eq!(
            node["data"]["node"],
            json!({ "concept": "Agua octubre", "amount": "80.50", "dueDate": "2026-10-15" })
        );
        // Overdue invoices the same way.
        let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
        let late = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "date": "2026-10-01", "dueDate": "2026-11-01", "items": one_item("10") }),
    )
    .await;
        let on_time = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "date": "2026-10-01", "dueDate": "2026-12-01", "items": one_item("10") }),
    )
    .await;
        assert_eq!(
            (late["status"].clone(), on_time["status"].clone()),
            (json!("OVERDUE"), json!("PENDING"))
        );
        let body = app
        .gql(
            "query($c: ID!) { salesInvoices(filter: { overdue: true, customerId: $c }) { totalCount nodes { id } } }",
            json!({ "c": customer }),
            Some(&admin),
        )
        .await;
        assert_eq!(
            body["data"]["salesInvoices"],
            json!({ "totalCount": 1, "nodes": [{ "id": late["id"] }] })
        );
    }
);

db_test!(created_by_a_user_or_through_an_api_token, |app| {
    let admin = app.login(ADMIN).await;
    let created = app
        .gql(
            "mutation { createApiToken(input: { name: \"ERP de ventas\" }) { secret } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    let infinanza = format!("Token token={secret}");
    let through_token = app
        .post_json(
            json!({ "query": create_invoice_mutation(), "variables": { "input": {
                "customer": { "name": "Square Inc", "nationalId": "20601234567" },
                "items": one_item("100"), "paid": true
            } } }),
            Some(&infinanza),
        )
        .await;
    let invoice = through_token.body["data"]["createSalesInvoice"]["salesInvoice"].clone();
    assert_eq!(
        invoice["createdBy"],
        json!({ "__typename": "ApiToken", "name": "ERP de ventas" }),
        "{}",
        through_token.text
    );
    let row = invoice_row(&app, &invoice["id"]).await.unwrap();
    assert!(row.created_by_token_id.is_some());
    // Its income in the business book says the same.
    let income = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Transaction { creator { __typename ... on ApiToken { name } } createdThrough } } }",
            json!({ "id": invoice["income"]["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        income["data"]["node"],
        json!({ "creator": { "__typename": "ApiToken", "name": "ERP de ventas" }, "createdThrough": "ERP de ventas" })
    );
    // Receipts too, and through a logged-in session: the user.
    let receipt = app
        .post_json(
            json!({ "query": create_receipt_mutation(), "variables": { "input": { "concept": "Agua", "amount": "13200" } } }),
            Some(&infinanza),
        )
        .await;
    assert_eq!(
        receipt.body["data"]["createReceipt"]["receipt"]["createdBy"],
        json!({ "__typename": "ApiToken", "name": "ERP de ventas" })
    );
    let direct = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": invoice["customer"]["id"] }, "items": one_item("1") }),
    )
    .await;
    assert_eq!(
        direct["createdBy"],
        json!({ "__typename": "StaffUser", "document": ADMIN.0 })
    );
    let row = invoice_row(&app, &direct["id"]).await.unwrap();
    assert_eq!(row.created_by_token_id, None);
});

db_test!(
    drivers_are_denied_everything_and_collectors_only_read,
    |app| {
        let admin = app.login(ADMIN).await;
        let driver = app.login(DRIVER).await;
        let collector = app.login(COLLECTOR).await;
        let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
        let invoice = new_invoice(
            &app,
            &admin,
            json!({ "customer": { "id": customer }, "items": one_item("10") }),
        )
        .await;
        let receipt = ok(
            &app,
            &admin,
            &create_receipt_mutation(),
            json!({ "concept": "Agua", "amount": "10" }),
        )
        .await["receipt"]
            .clone();
        let customers_before = customer_rows(&app).await;

        let reads = [
            "{ customers { totalCount } }".to_string(),
            "{ salesInvoices { totalCount } }".to_string(),
            "{ receipts { totalCount } }".to_string(),
            SETTINGS.to_string(),
        ];
        let writes: Vec<(String, Value)> = vec![
        (CREATE_CUSTOMER.into(), json!({ "name": "X", "nationalId": "12345678" })),
        (UPDATE_CUSTOMER.into(), json!({ "id": customer, "name": "X" })),
        (DELETE_CUSTOMER.into(), json!({ "id": customer })),
        (
            create_invoice_mutation(),
            json!({ "customer": { "name": "X", "nationalId": "12345678" }, "items": one_item("1") }),
        ),
        (update_invoice_mutation(), json!({ "id": invoice["id"], "number": "X" })),
        (mark_paid_mutation(), json!({ "id": invoice["id"] })),
        (DELETE_INVOICE.into(), json!({ "id": invoice["id"] })),
        (create_receipt_mutation(), json!({ "concept": "X", "amount": "1" })),
        (update_receipt_mutation(), json!({ "id": receipt["id"], "concept": "X" })),
        (
            "mutation($input: MarkReceiptPaidInput!) { markReceiptPaid(input: $input) { receipt { id } } }".into(),
            json!({ "id": receipt["id"] }),
        ),
        (
            "mutation($input: DeleteReceiptInput!) { deleteReceipt(input: $input) { deletedId } }".into(),
            json!({ "id": receipt["id"] }),
        ),
        (
            "mutation($input: UpdateInvoicingSettingsInput!) { updateInvoicingSettings(input: $input) { settings { defaultTaxPercentage } } }".into(),
            json!({ "defaultTaxPercentage": "1" }),
        ),
    ];
        for query in &reads {
            let body = app.gql(query, json!({}), Some(&driver)).await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{query}: {body}"
            );
            assert!(body["data"].is_null(), "{query}: {body}");
            let body = app.gql(query, json!({}), Some(&collector)).await;
            assert!(body["errors"].is_null(), "{query}: {body}");
            let body = app.gql(query, json!({}), None).await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "{query}"
            );
        }
        for (mutation, input) in &writes {
            for token in [&driver, &collector] {
                let body = app
                    .gql(mutation, json!({ "input": input }), Some(token))
                    .await;
                assert_eq!(
                    body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                    "{mutation}: {body}"
                );
            }
        }
        // Nothing changed.
        assert_eq!(customer_rows(&app).await, customers_before);
        let stored = invoice_row(&app, &invoice["id"]).await.unwrap();
        assert!(!stored.paid);
        assert_ne!(stored.number, "X");
        // No node of the business reaches a driver; the collector sees them.
        for id in [&customer, &invoice["id"], &receipt["id"]] {
            let query = "query($id: ID!) { node(id: $id) { id } }";
            let body = app.gql(query, json!({ "id": id }), Some(&driver)).await;
            assert_eq!(body["data"]["node"], Value::Null, "{body}");
            let body = app.gql(query, json!({ "id": id }), Some(&collector)).await;
            assert_eq!(body["data"]["node"]["id"], *id, "{body}");
        }
        // Nor does another organization's admin.
        app.add_user(
            "otra-empresa",
            "99999999",
            "clave1234",
            gateway::entities::user::Role::Admin,
        )
        .await;
        let other = app.login(("99999999", "clave1234")).await;
        let body = app
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": invoice["id"] }),
                Some(&other),
            )
            .await;
        assert_eq!(body["data"]["node"], Value::Null);
        let body = app
            .gql("{ salesInvoices { totalCount } }", json!({}), Some(&other))
            .await;
        assert_eq!(body["data"]["salesInvoices"]["totalCount"], 0);
        let body = app
            .gql(
                &update_invoice_mutation(),
                json!({ "input": { "id": invoice["id"], "number": "Y" } }),
                Some(&other),
            )
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{body}"
        );
    }
);

db_test!(
    the_demo_organization_bills_customers_and_pays_receipts,
    |config| { noon_in_lima(config) },
    |app| {
        let collector = app.login(COLLECTOR).await;
        let body = app
            .gql(
                "{ customers { totalCount nodes { name nationalId email } }
                   salesInvoices(first: 100) { totalCount nodes { number concept status paid total tax taxPercentage income { amount date } items { description } createdBy { __typename } } }
                   receipts(first: 100) { totalCount nodes { concept status amount expense { amount kind } } }
                   invoicingSettings { defaultTaxPercentage nextInvoiceNumber } }",
                json!({}),
                Some(&collector),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let data = &body["data"];
        assert_eq!(data["customers"]["totalCount"], 3);
        assert!(
            data["customers"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "Square Inc" && c["nationalId"] == "100003876464")
        );
        let invoices = data["salesInvoices"]["nodes"].as_array().unwrap();
        assert_eq!(invoices.len(), 4);
        let statuses: BTreeSet<&str> = invoices
            .iter()
            .map(|i| i["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            BTreeSet::from(["PAID", "PENDING", "OVERDUE"]),
            "{invoices:?}"
        );
        for invoice in invoices {
            // Every demo invoice is taxed at the default 18 %, and a paid one's income
            // is its total.
            assert_eq!(invoice["taxPercentage"], "18.00");
            assert_eq!(
                invoice["concept"].as_str().unwrap().split(" - ").next(),
                invoice["number"].as_str()
            );
            assert_eq!(invoice["createdBy"]["__typename"], "StaffUser");
            match invoice["paid"].as_bool().unwrap() {
                true => assert_eq!(invoice["income"]["amount"], invoice["total"]),
                false => assert_eq!(invoice["income"], Value::Null),
            }
        }
        // Infinanza's example invoice: 10000 plus 18 %.
        assert!(
            invoices
                .iter()
                .any(|i| i["total"] == "11800.00" && i["tax"] == "1800.00"),
            "{invoices:?}"
        );
        let receipts = data["receipts"]["nodes"].as_array().unwrap();
        let statuses: BTreeSet<&str> = receipts
            .iter()
            .map(|r| r["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, BTreeSet::from(["PAID", "PENDING", "OVERDUE"]));
        assert!(
            receipts
                .iter()
                .filter(|r| r["status"] == "PAID")
                .all(|r| r["expense"]["kind"] == "OUT" && r["expense"]["amount"] == r["amount"])
        );
        assert_eq!(
            data["invoicingSettings"],
            json!({ "defaultTaxPercentage": "18.00", "nextInvoiceNumber": "5" })
        );
        // The paid ones were paid before this month: this month's business book is
        // untouched by them.
        let admin = app.login(ADMIN).await;
        let month = app
            .gql(
                "{ book { transactions { totalCount } } }",
                json!({}),
                Some(&admin),
            )
            .await;
        assert_eq!(
            month["data"]["book"]["transactions"]["totalCount"], 0,
            "{month}"
        );
    }
);

db_test!(a_reconciled_income_keeps_its_invoice_paid, |app| {
    let admin = app.login(ADMIN).await;
    let customer = new_customer(&app, &admin, "Square Inc", "20601234567").await;
    let invoice = new_invoice(
        &app,
        &admin,
        json!({ "customer": { "id": customer }, "items": one_item("100"), "paidOn": "2026-11-02" }),
    )
    .await;
    let income = invoice["income"]["id"].clone();
    ok(
        &app,
        &admin,
        "mutation($input: UpdateTransactionInput!) { updateTransaction(input: $input) { transaction { id } userErrors { field code } } }",
        json!({ "id": income, "reconciledOn": "2026-11-03" }),
    )
    .await;
    // Unpaying would delete a reconciled income: refused, and the invoice stays as it was.
    assert_eq!(
        refused(
            &app,
            &admin,
            &update_invoice_mutation(),
            json!({ "id": invoice["id"], "paid": false, "additionalInfo": "cambiada" })
        )
        .await,
        ("paid".into(), "LOCKED".into())
    );
    let stored = invoice_row(&app, &invoice["id"]).await.unwrap();
    assert!(stored.paid);
    assert_eq!(stored.additional_info, "");
    assert_eq!(stored.income_transaction_id, Some(raw_id(&income)));
    // So would a new total, or deleting it.
    assert_eq!(
        refused(
            &app,
            &admin,
            &update_invoice_mutation(),
            json!({ "id": invoice["id"], "items": one_item("200") })
        )
        .await,
        ("paid".into(), "LOCKED".into())
    );
    assert_eq!(
        invoice_row(&app, &invoice["id"]).await.unwrap().total_minor,
        11_800
    );
    assert_eq!(
        refused(&app, &admin, DELETE_INVOICE, json!({ "id": invoice["id"] })).await,
        ("id".into(), "LOCKED".into())
    );
    assert!(invoice_row(&app, &invoice["id"]).await.is_some());
    assert!(linked(&app, &income).await.is_some());
});

db_test!(
    an_inline_customer_with_a_known_national_id_is_that_customer_unchanged,
    |app| {
        let admin = app.login(ADMIN).await;
        let stored = ok(
            &app,
            &admin,
            CREATE_CUSTOMER,
            json!({ "name": "Pérez Hermanos SAC", "nationalId": "20601234567",
                    "address": "Av. Larco 101", "email": "ventas@perez.pe" }),
        )
        .await["customer"]
            .clone();
        let customers = customer_rows(&app).await;

        // A second invoice to the customer given inline by the same national id (refused
        // as DUPLICATE before), its fields written otherwise only in letter case, accents
        // or spacing, or left out: made out to that customer, which is not changed.
        for inline in [
            json!({ "name": "Pérez Hermanos SAC", "nationalId": "20601234567" }),
            json!({ "name": " perez  HERMANOS sac ", "nationalId": " 20601234567 ",
                    "email": "Ventas@Perez.pe", "address": "", "phone": "" }),
        ] {
            let invoice = new_invoice(
                &app,
                &admin,
                json!({ "customer": inline, "items": one_item("100") }),
            )
            .await;
            assert_eq!(invoice["customer"]["id"], stored["id"]);
            assert_eq!(invoice["customer"]["name"], "Pérez Hermanos SAC");
            assert_eq!(
                invoice["concept"],
                format!(
                    "{} - Pérez Hermanos SAC",
                    invoice["number"].as_str().unwrap()
                )
            );
        }
        assert_eq!(customer_rows(&app).await, customers);

        // A field that says something else is refused on that field, naming what is
        // stored: nothing is written and the customer keeps its fields.
        let invoices = sales_invoice::Entity::find()
            .count(&app.app.state.db)
            .await
            .unwrap();
        let payload = run(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({ "customer": { "name": "Pérez Hnos", "nationalId": "20601234567",
                                  "email": "compras@perez.pe", "phone": "+51987928878" },
                    "items": one_item("100") }),
        )
        .await;
        let errors: Vec<(Value, &str)> = payload["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].clone(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            errors,
            vec![
                (json!(["customer", "name"]), "CUSTOMER_MISMATCH"),
                (json!(["customer", "email"]), "CUSTOMER_MISMATCH"),
                (json!(["customer", "phone"]), "CUSTOMER_MISMATCH"),
            ],
            "{payload}"
        );
        let message = payload["userErrors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("20601234567") && message.contains("\"Pérez Hermanos SAC\""),
            "{message}"
        );
        assert!(
            payload["userErrors"][1]["message"]
                .as_str()
                .unwrap()
                .contains("\"ventas@perez.pe\"")
        );
        assert_eq!(payload["salesInvoice"], Value::Null);
        assert_eq!(
            sales_invoice::Entity::find()
                .count(&app.app.state.db)
                .await
                .unwrap(),
            invoices
        );
        let row = customer::Entity::find_by_id(raw_id(&stored["id"]))
            .one(&app.app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                row.name.as_str(),
                row.address.as_str(),
                row.email.as_str(),
                row.phone.as_str()
            ),
            ("Pérez Hermanos SAC", "Av. Larco 101", "ventas@perez.pe", "")
        );

        // The same rule when an invoice is made out to another customer given inline;
        // a national id the organization lacks is still a new customer.
        let other = new_invoice(
            &app,
            &admin,
            json!({ "customer": { "name": "Transportes Rímac SAC", "nationalId": "20100047218" },
                    "items": one_item("10") }),
        )
        .await;
        assert_eq!(customer_rows(&app).await, customers + 1);
        let moved = ok(
            &app,
            &admin,
            &update_invoice_mutation(),
            json!({ "id": other["id"],
                    "customer": { "name": "PEREZ HERMANOS SAC", "nationalId": "20601234567" } }),
        )
        .await["salesInvoice"]
            .clone();
        assert_eq!(moved["customer"]["id"], stored["id"]);
        assert_eq!(
            refused(
                &app,
                &admin,
                &update_invoice_mutation(),
                json!({ "id": other["id"],
                        "customer": { "name": "Transportes Rímac SAC", "nationalId": "20601234567" } }),
            )
            .await,
            ("customer.name".into(), "CUSTOMER_MISMATCH".into())
        );
        assert_eq!(customer_rows(&app).await, customers + 1);
    }
);
