//! The business books' pages compiled on PostgreSQL (`fast::business`): `customers`,
//! `salesInvoices` (with each invoice's customer, items, emails and income) and
//! `receipts` (with each receipt's expense), as `nodes` or `edges`, cut every way, must
//! answer as the resolvers do (`common::compiled::both_ways`), on awkward rows: quotes,
//! accents, empty and null fields, fractional quantities, a tax rate or a fixed tax,
//! each status, a queued email. On SQLite both ways resolve; the statement counts say
//! which way PostgreSQL took.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, TestApp,
        compiled::{self, both_ways},
        mutation, ok,
    },
    db_test,
};

const CUSTOMER: &str =
    "__typename id name nationalId address email phone createdAt updatedAt alias: name";

/// Every field of a sales invoice the compiler knows, and of its customer, items,
/// emails and income (a business book transaction, with its category and account).
fn invoice_fields() -> String {
    format!(
        "__typename id number date dueDate concept subtotal taxPercentage tax total paid
         paidOn status additionalInfo pdfPath createdAt updatedAt due: dueDate
         customer {{ {CUSTOMER} }}
         items {{ __typename description quantity unitAmount amount }}
         emails {{ __typename recipient subject body attachmentName status attempts
           lastError nextAttemptAt sentAt createdAt }}
         income {{ __typename id kind amount date description paid paidOn status
           category {{ name }} account {{ name kind }} tags {{ name }} }}"
    )
}

const RECEIPT: &str = "__typename id date dueDate concept amount paid paidOn status
  createdAt updatedAt
  expense { __typename id kind amount date description paid status category { name } }";

/// The organization's customers, invoices and receipts (beside the demo's): four
/// customers (one named by an invoice), five invoices and three receipts, paid and not, due long ago, some day, or
/// never.
async fn a_business(app: &TestApp, admin: &str) {
    let customer = mutation("createCustomer", "customer { id }");
    let square = ok(
        app,
        admin,
        &customer,
        json!({ "name": "Square Inc", "nationalId": "20100000001",
                "address": "Av. Arequipa 123, Lima", "email": "pagos@square.pe",
                "phone": "+51 1 555 0101" }),
    )
    .await["customer"]["id"]
        .clone();
    let obrien = ok(
        app,
        admin,
        &customer,
        json!({ "name": "O'Brien & Cía \"Ñandú\"", "nationalId": "ab-12" }),
    )
    .await["customer"]["id"]
        .clone();
    ok(
        app,
        admin,
        &customer,
        json!({ "name": "Ábaco SAC", "nationalId": "20100000003", "email": "a@abaco.pe" }),
    )
    .await;
    let invoice = mutation("createSalesInvoice", "salesInvoice { id }");
    for input in [
        // Overdue since 2020, two items, one with a fractional quantity, 18 % tax.
        json!({ "customer": { "id": square }, "date": "2020-01-01", "dueDate": "2020-01-15",
                "taxPercentage": "18",
                "items": [{ "description": "Alquiler semanal", "quantity": "2.5", "unitAmount": "10.25" },
                          { "description": "Seguro", "unitAmount": "0.01" }] }),
        // Due in 2099, a fixed tax, free text with quotes.
        json!({ "customer": { "id": obrien }, "date": "2026-01-05", "dueDate": "2099-01-01",
                "tax": "3.50", "additionalInfo": "it's \"quoted\"",
                "items": [{ "description": "Mantenimiento", "unitAmount": "120" }] }),
        // Paid: its income is in the business book.
        json!({ "customer": { "id": square }, "date": "2026-02-01", "paid": true,
                "paidOn": "2026-02-03",
                "items": [{ "description": "Venta de repuestos", "quantity": "3", "unitAmount": "33.33" }] }),
        // A new customer named inline, emailed at once (no SMTP server: queued, with
        // the reason).
        json!({ "customer": { "name": "Correo SRL", "nationalId": "20100000004",
                              "email": "facturas@correo.pe" },
                "date": "2026-03-01", "dueDate": "2099-03-01", "sendByEmail": true,
                "items": [{ "description": "Servicio", "unitAmount": "100" }] }),
        // No due date, dated long ago: overdue by its date.
        json!({ "customer": { "id": obrien }, "date": "2021-06-30",
                "items": [{ "description": "Penalidad", "unitAmount": "0.99" }] }),
    ] {
        ok(app, admin, &invoice, input).await;
    }
    let receipt = mutation("createReceipt", "receipt { id }");
    for input in [
        json!({ "concept": "Agua (mayo 2020)", "amount": "132.40", "date": "2020-05-01", "dueDate": "2020-05-20" }),
        json!({ "concept": "Internet \"fibra\"", "amount": "99.90", "date": "2026-01-01",
                "dueDate": "2099-01-01" }),
        json!({ "concept": "Alquiler", "amount": "2500", "date": "2026-01-01", "paid": true,
                "paidOn": "2026-01-02" }),
    ] {
        ok(app, admin, &receipt, input).await;
    }
}

const PAGING: &str = "$first: Int, $after: String, $last: Int, $before: String";
const PAGE: &str = "first: $first, after: $after, last: $last, before: $before";
const PAGE_INFO: &str = "pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }";

/// Each page of the three, as `nodes` and as `edges`, cut every way, answers as the
/// resolvers do, in fewer statements.
async fn every_page_answers_as_the_resolvers_do(app: &TestApp) {
    let admin = app.login(ADMIN).await;
    a_business(app, &admin).await;
    let fields = invoice_fields();
    // Beside the demo's three customers, four sales invoices and three receipts. The
    // last column: whether resolving the page costs more statements than compiling it
    // (a customer has no relation to read, an unpaid receipt no expense).
    let pages = [
        ("customers", "", CUSTOMER, 7, false),
        ("salesInvoices", "", fields.as_str(), 9, true),
        ("receipts", "", RECEIPT, 6, true),
        (
            "customers",
            "filter: { search: \"nandu\" }, ",
            CUSTOMER,
            1,
            false,
        ),
        (
            "salesInvoices",
            "filter: { overdue: true }, ",
            fields.as_str(),
            3,
            true,
        ),
        ("receipts", "filter: { paid: false }, ", RECEIPT, 4, false),
    ];
    for (root, filter, node, total, costlier) in pages {
        for list in [
            "nodes { NODE }",
            "edges { __typename cursor node { NODE } at: cursor }",
        ] {
            let query = format!(
                "query({PAGING}) {{ {root}({filter}{PAGE}) {{ __typename MARK totalCount
                   {PAGE_INFO} {} }} }}",
                list.replace("NODE", node)
            );
            // Never more statements than resolving.
            let mut fewer = false;
            for variables in compiled::cuts() {
                let (answer, statements, resolved) =
                    both_ways(app, &admin, &query, variables.clone()).await;
                assert_eq!(answer["data"][root]["totalCount"], total, "{answer}");
                assert!(
                    statements <= resolved,
                    "{root} {filter} {variables}: {statements} against {resolved}"
                );
                fewer |= statements < resolved;
            }
            if app.backend == "postgres" {
                assert_eq!(fewer, costlier, "{root} {filter}");
            }
            // Whatever the page's width, the same statements: the forward page with its
            // count in one, after the organization's timezone where the listing or its
            // nodes follow today (an invoice's or a receipt's status).
            let mut counts = Vec::new();
            for first in [1, 2, 3] {
                let (_, statements, _) =
                    both_ways(app, &admin, &query, json!({ "first": first })).await;
                counts.push(statements);
            }
            if app.backend == "postgres" {
                let today = u64::from(root != "customers");
                assert_eq!(counts, [1 + today; 3], "{root}");
            }
        }
    }
}

db_test!(
    the_business_pages_compiled_answer_as_the_resolvers_do,
    |app| {
        every_page_answers_as_the_resolvers_do(&app).await;
    }
);

// The awkward rows really were compared: each status, a fractional quantity, a tax rate
// and a fixed one, the queued email, the income and the expense, the customer's quotes.
db_test!(the_compared_pages_hold_the_awkward_rows, |app| {
    let admin = app.login(ADMIN).await;
    a_business(&app, &admin).await;
    let query = format!(
        "query {{ salesInvoices(first: 20) {{ __typename MARK nodes {{ {} }} }}
                 receipts(first: 20) {{ __typename MARK nodes {{ {RECEIPT} }} }} }}",
        invoice_fields()
    );
    let (answer, _, _) = both_ways(&app, &admin, &query, json!({})).await;
    let invoices = answer["data"]["salesInvoices"]["nodes"].as_array().unwrap();
    let by_date = |date: &str| {
        invoices
            .iter()
            .find(|i| i["date"] == date)
            .unwrap_or_else(|| panic!("{date}: {answer}"))
    };
    let overdue = by_date("2020-01-01");
    assert_eq!(overdue["status"], "OVERDUE");
    assert_eq!(overdue["taxPercentage"], "18.00");
    assert_eq!(overdue["items"][0]["quantity"], "2.50");
    assert_eq!(overdue["items"][0]["amount"], "25.63");
    assert_eq!(overdue["items"][1]["description"], "Seguro");
    assert_eq!(overdue["customer"]["phone"], "+51 1 555 0101");
    assert_eq!(overdue["income"], Value::Null);
    let pending = by_date("2026-01-05");
    assert_eq!(pending["status"], "PENDING");
    assert_eq!(pending["taxPercentage"], Value::Null);
    assert_eq!(pending["tax"], "3.50");
    assert_eq!(pending["customer"]["nationalId"], "AB-12");
    assert_eq!(pending["customer"]["name"], "O'Brien & Cía \"Ñandú\"");
    assert_eq!(pending["additionalInfo"], "it's \"quoted\"");
    let paid = by_date("2026-02-01");
    assert_eq!(paid["status"], "PAID");
    assert_eq!(paid["income"]["amount"], paid["total"]);
    assert_eq!(paid["subtotal"], "99.99");
    assert_eq!(paid["income"]["kind"], "IN");
    let emailed = by_date("2026-03-01");
    assert_eq!(emailed["emails"][0]["status"], "QUEUED");
    assert_eq!(emailed["emails"][0]["recipient"], "facturas@correo.pe");
    assert!(
        emailed["emails"][0]["nextAttemptAt"].is_string(),
        "{emailed}"
    );
    assert_eq!(by_date("2021-06-30")["status"], "OVERDUE");
    let receipts = answer["data"]["receipts"]["nodes"].as_array().unwrap();
    let by_concept = |concept: &str| {
        receipts
            .iter()
            .find(|r| r["concept"] == concept)
            .unwrap_or_else(|| panic!("{concept}: {answer}"))
    };
    assert_eq!(by_concept("Agua (mayo 2020)")["status"], "OVERDUE");
    assert_eq!(by_concept("Internet \"fibra\"")["status"], "PENDING");
    let rent = by_concept("Alquiler");
    assert_eq!(rent["status"], "PAID");
    assert_eq!(rent["expense"]["amount"], "2500.00");
    assert_eq!(rent["expense"]["kind"], "OUT");
});

// A page whose selection the compiler does not know (`createdBy`) resolves, with the
// same answer; refused arguments stay refused alike.
db_test!(
    an_unknown_field_or_a_bad_argument_leaves_the_page_to_the_resolvers,
    |app| {
        let admin = app.login(ADMIN).await;
        a_business(&app, &admin).await;
        let query = "query($first: Int, $after: String) { receipts(first: $first, after: $after) {
        __typename MARK totalCount nodes { concept createdBy { __typename ... on StaffUser { document } } } } }";
        let (answer, statements, resolved) = both_ways(&app, &admin, query, json!({})).await;
        assert_eq!(
            answer["data"]["receipts"]["nodes"][0]["createdBy"]["__typename"],
            "StaffUser"
        );
        assert_eq!(statements, resolved);
        for variables in [
            json!({ "first": -1 }),
            json!({ "first": 101 }),
            json!({ "after": "nope" }),
        ] {
            let body = app
                .gql(
                    query.replace("MARK", "").as_str(),
                    variables.clone(),
                    Some(&admin),
                )
                .await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{variables} {body}"
            );
        }
    }
);
