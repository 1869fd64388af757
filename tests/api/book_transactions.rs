//! Transactions of a book: create with defaults and with every field, change only the
//! fields sent, delete, look up by externalId, tags, the reconciliation lock, and
//! category and account deletion with transactions.

use serde_json::json;

use crate::{
    common::{DRIVER, ok},
    db_test,
};

const CREATE: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id kind amount signedAmount description date paid paidOn status category { code } account { name } tags { name } externalId isTransfer createdBy { __typename } } userErrors { field code message } } }";

db_test!(an_expense_needs_only_kind_and_amount, |app| {
    let token = app.login(DRIVER).await;
    let payload = ok(
        &app,
        &token,
        CREATE,
        json!({ "kind": "OUT", "amount": "13.00", "tagNames": ["Uber"] }),
    )
    .await;
    let t = &payload["transaction"];
    assert_eq!(t["kind"], "OUT");
    assert_eq!(t["amount"], "13.00");
    assert_eq!(t["signedAmount"], "-13.00");
    assert_eq!(t["paid"], true);
    assert_eq!(t["status"], "PAID");
    assert_eq!(t["paidOn"], t["date"]);
    assert_eq!(t["category"]["code"], "otros");
    assert_eq!(t["account"]["name"], "Efectivo");
    assert_eq!(t["tags"], json!([{ "name": "Uber" }]));
    assert_eq!(t["isTransfer"], false);
    assert_eq!(t["createdBy"]["__typename"], "Client");
});
