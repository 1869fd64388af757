//! A document's payment changes only through its document (issue 20, section 2): a sales
//! invoice's income and a receipt's expense are refused by `updateTransaction` (what the
//! document says of them) and `deleteTransaction` with LINKED, in every scope, naming the
//! document and changing nothing; the book's own fields still change, and the documents
//! keep their payments in step.

use gateway::entities::{book_transaction, book_transaction::TransactionKind, receipt};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{
    book_transactions::{DELETE, UPDATE, noon_in_lima, row},
    business::new_invoice,
    common::{ADMIN, TestApp, ok, raw_id, refusal},
    db_test,
};

const SCOPES: [&str; 3] = ["THIS", "THIS_AND_FUTURE", "ALL"];

/// Every change of what the document says of its payment, and every deletion, is
/// refused with LINKED naming `document`, and leaves the row as it was.
async fn refuses_direct_changes(app: &TestApp, admin: &str, id: &Value, document: &str) {
    let before = row(app, id).await;
    let other_kind = match before.kind {
        TransactionKind::In => "OUT",
        TransactionKind::Out => "IN",
    };
    let changes = [
        ("kind", json!({ "kind": other_kind })),
        ("amount", json!({ "amount": "1.00" })),
        ("date", json!({ "date": "2026-11-01" })),
        ("paid", json!({ "paid": false })),
        ("paidOn", json!({ "paidOn": null })),
        ("description", json!({ "description": "otra cosa" })),
        ("contactName", json!({ "contactName": "Otro" })),
    ];
    for scope in SCOPES {
        for (field, change) in &changes {
            let mut input = change.clone();
            input["id"] = id.clone();
            input["scope"] = json!(scope);
            // Sent with a field the book may change: the whole change is refused.
            input["notes"] = json!("a la vez");
            let (at, code, message) = refusal(app, admin, UPDATE, input).await;
            assert_eq!((at.as_str(), code.as_str()), (*field, "LINKED"), "{scope}");
            assert!(message.contains(document), "{message}");
        }
        let (at, code, message) =
            refusal(app, admin, DELETE, json!({ "id": id, "scope": scope })).await;
        assert_eq!((at.as_str(), code.as_str()), ("id", "LINKED"), "{scope}");
        assert!(message.contains(document), "{message}");
    }
    assert_eq!(row(app, id).await, before, "nothing changed");
}

db_test!(
    a_sales_invoices_income_changes_only_through_the_invoice,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let invoice = new_invoice(
            &app,
            &admin,
            json!({ "customer": { "name": "Square Inc", "nationalId": "20601234567" },
                    "items": [{ "description": "Servicio", "unitAmount": "100" }],
                    "paid": true }),
        )
        .await;
        assert_eq!(invoice["total"], "118.00");
        let income = invoice["income"]["id"].clone();
        let number = invoice["number"].as_str().unwrap();
        refuses_direct_changes(&app, &admin, &income, &format!("sales invoice {number}")).await;
        assert!(
            book_transaction::Entity::find_by_id(raw_id(&income))
                .one(&app.app.state.db)
                .await
                .unwrap()
                .is_some_and(|t| t.kind == TransactionKind::In && t.amount_minor == 11_800)
        );

        // What the invoice does not say is the book's: notes, tags, reconciliation, and
        // the values it already holds, sent again.
        let changed = ok(
            &app,
            &admin,
            UPDATE,
            json!({ "id": income, "notes": "depositado", "tagNames": ["clientes"],
                    "amount": "118.00", "kind": "IN", "paid": true,
                    "reconciledOn": "2026-11-24" }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(changed["notes"], "depositado");
        assert_eq!(changed["reconciledOn"], "2026-11-24");
        ok(
            &app,
            &admin,
            UPDATE,
            json!({ "id": income, "reconciledOn": null }),
        )
        .await;

        // The invoice keeps it in step, and takes it away once unpaid.
        let update = "mutation($input: UpdateSalesInvoiceInput!) { updateSalesInvoice(input: $input) { salesInvoice { total paid income { id amount } } userErrors { field code message } } }";
        let bigger = ok(
            &app,
            &admin,
            update,
            json!({ "id": invoice["id"], "items": [{ "description": "Servicio", "unitAmount": "200" }] }),
        )
        .await["salesInvoice"]
            .clone();
        assert_eq!(
            bigger["income"],
            json!({ "id": income, "amount": "236.00" })
        );
        let unpaid = ok(
            &app,
            &admin,
            update,
            json!({ "id": invoice["id"], "paid": false }),
        )
        .await["salesInvoice"]
            .clone();
        assert_eq!(unpaid["income"], Value::Null);
        assert!(
            book_transaction::Entity::find_by_id(raw_id(&income))
                .one(&app.app.state.db)
                .await
                .unwrap()
                .is_none()
        );
    }
);

db_test!(
    a_receipts_expense_changes_only_through_the_receipt,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let created = ok(
            &app,
            &admin,
            "mutation($input: CreateReceiptInput!) { createReceipt(input: $input) { receipt { id expense { id amount } } userErrors { field code message } } }",
            json!({ "date": "2026-11-20", "concept": "Luz del Sur", "amount": "80.00", "paid": true }),
        )
        .await["receipt"]
            .clone();
        let expense = created["expense"]["id"].clone();
        refuses_direct_changes(
            &app,
            &admin,
            &expense,
            "receipt \"Luz del Sur\" of 2026-11-20",
        )
        .await;

        // The receipt keeps it in step; deleting the receipt takes it away.
        let changed = ok(
            &app,
            &admin,
            "mutation($input: UpdateReceiptInput!) { updateReceipt(input: $input) { receipt { expense { id amount } } userErrors { field code message } } }",
            json!({ "id": created["id"], "amount": "95.50" }),
        )
        .await;
        assert_eq!(
            changed["receipt"]["expense"],
            json!({ "id": expense, "amount": "95.50" })
        );
        ok(
            &app,
            &admin,
            "mutation($input: DeleteReceiptInput!) { deleteReceipt(input: $input) { deletedId userErrors { field code message } } }",
            json!({ "id": created["id"] }),
        )
        .await;
        let db = &app.app.state.db;
        assert!(
            receipt::Entity::find_by_id(raw_id(&created["id"]))
                .one(db)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            book_transaction::Entity::find_by_id(raw_id(&expense))
                .one(db)
                .await
                .unwrap()
                .is_none()
        );
    }
);
