//! Transfers between two accounts of a book (the Organizze users' "Cadastro de
//! transferência"): a linked pair written at once, edited and deleted together, refused
//! between one account and itself or with another book's account, private to the book,
//! and loaded in batches.

use gateway::entities::{book_transaction, book_transfer};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    book_transactions::{BookIds, DELETE, UPDATE, count_transactions, noon_in_lima, row},
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, raw_id, refused},
    db_test,
};

const SIDE: &str = "id kind amount description date paid paidOn notes category { code } account { name } isTransfer transfer { id }";

fn transfer_fields() -> String {
    format!(
        "id amount date description paid createdAt from {{ name }} to {{ name }} outgoing {{ {SIDE} }} incoming {{ {SIDE} }}"
    )
}

fn create_transfer() -> String {
    format!(
        "mutation($input: CreateTransferInput!) {{ createTransfer(input: $input) {{ transfer {{ {} }} userErrors {{ field code message }} }} }}",
        transfer_fields()
    )
}

fn transfer_node() -> String {
    format!(
        "query($id: ID!) {{ node(id: $id) {{ __typename ... on Transfer {{ {} }} }} }}",
        transfer_fields()
    )
}

const DELETE_TRANSFER: &str = "mutation($input: DeleteTransferInput!) { deleteTransfer(input: $input) { deletedId deletedTransactionIds userErrors { field code message } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name } userErrors { field code } } }";
const TX_NODE: &str = "query($id: ID!) { node(id: $id) { ... on Transaction { id amount transfer { id amount from { name } to { name } outgoing { id } incoming { id } } } } }";

async fn transfer(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, &create_transfer(), input).await["transfer"].clone()
}

async fn transfer_node_of(app: &TestApp, token: &str, id: &Value) -> Value {
    let body = app
        .gql(&transfer_node(), json!({ "id": id }), Some(token))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

async fn count_transfers(app: &TestApp) -> u64 {
    book_transfer::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

async fn sides_of(app: &TestApp, transfer_id: &Value) -> Vec<book_transaction::Model> {
    book_transaction::Entity::find()
        .filter(book_transaction::Column::TransferId.eq(raw_id(transfer_id)))
        .all(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(
    a_transfer_writes_a_linked_pair,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let b = BookIds::of(&app, &token).await;
        let (transfers, rows) = (count_transfers(&app).await, count_transactions(&app).await);
        let t = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Efectivo"), "toAccountId": b.account("Cuenta BCP"),
                    "amount": "150.00", "date": "2026-11-20", "description": "Depósito" }),
        )
        .await;
        let side = |kind: &str, account: &str, id: &Value| {
            json!({
                "id": id, "kind": kind, "amount": "150.00", "description": "Depósito",
                "date": "2026-11-20", "paid": true, "paidOn": "2026-11-20", "notes": "",
                "category": null, "account": { "name": account }, "isTransfer": true,
                "transfer": { "id": t["id"] }
            })
        };
        let expected = json!({
            "id": t["id"], "amount": "150.00", "date": "2026-11-20", "description": "Depósito",
            "paid": true, "createdAt": "2026-11-24T17:00:00+00:00",
            "from": { "name": "Efectivo" }, "to": { "name": "Cuenta BCP" },
            "outgoing": side("OUT", "Efectivo", &t["outgoing"]["id"]),
            "incoming": side("IN", "Cuenta BCP", &t["incoming"]["id"]),
        });
        assert_eq!(t, expected);

        // One transfer row and two transactions, linked, with no category.
        assert_eq!(count_transfers(&app).await, transfers + 1);
        assert_eq!(count_transactions(&app).await, rows + 2);
        let sides = sides_of(&app, &t["id"]).await;
        assert_eq!(sides.len(), 2);
        assert!(sides.iter().all(|s| s.category_id.is_none()
            && s.amount_minor == 15_000
            && s.created_by_user_id.is_some()));

        // node(id) of the transfer, and Transaction.transfer from either side.
        let mut seen = transfer_node_of(&app, &token, &t["id"]).await;
        assert_eq!(seen["__typename"], "Transfer");
        seen.as_object_mut().unwrap().remove("__typename");
        assert_eq!(seen, expected);
        for side in ["outgoing", "incoming"] {
            let body = app
                .gql(TX_NODE, json!({ "id": t[side]["id"] }), Some(&token))
                .await;
            assert_eq!(
                body["data"]["node"]["transfer"],
                json!({ "id": t["id"], "amount": "150.00", "from": { "name": "Efectivo" },
                        "to": { "name": "Cuenta BCP" }, "outgoing": { "id": t["outgoing"]["id"] },
                        "incoming": { "id": t["incoming"]["id"] } }),
                "{side}"
            );
        }

        // Defaults: today in the organization's timezone, done; a future one is pending.
        let today = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Cuenta BCP"), "toAccountId": b.account("Efectivo"),
                    "amount": "20.00" }),
        )
        .await;
        assert_eq!(
            (&today["date"], &today["paid"], &today["description"]),
            (&json!("2026-11-24"), &json!(true), &json!(""))
        );
        let planned = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Cuenta BCP"), "toAccountId": b.account("Efectivo"),
                    "amount": "20.00", "date": "2026-12-01" }),
        )
        .await;
        assert_eq!(planned["paid"], false);
        assert_eq!(planned["incoming"]["paidOn"], Value::Null);
        let unpaid = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Cuenta BCP"), "toAccountId": b.account("Efectivo"),
                    "amount": "20.00", "paid": false }),
        )
        .await;
        assert_eq!(unpaid["outgoing"]["paid"], false);
    }
);

db_test!(a_transfer_needs_two_accounts_of_the_book, |app| {
    let token = app.login(DRIVER).await;
    let b = BookIds::of(&app, &token).await;
    let other = app.new_driver("70000301").await.0;
    let theirs = BookIds::of(&app, &other).await.account("Efectivo");
    let mine = b.account("Efectivo");
    let (transfers, rows) = (count_transfers(&app).await, count_transactions(&app).await);
    for (input, expected) in [
        (
            json!({ "fromAccountId": mine, "toAccountId": mine, "amount": "1.00" }),
            ("toAccountId", "SAME_RECORD"),
        ),
        (
            json!({ "fromAccountId": theirs, "toAccountId": mine, "amount": "1.00" }),
            ("fromAccountId", "NOT_FOUND"),
        ),
        (
            json!({ "fromAccountId": mine, "toAccountId": theirs, "amount": "1.00" }),
            ("toAccountId", "NOT_FOUND"),
        ),
        (
            json!({ "fromAccountId": mine, "toAccountId": b.account("Cuenta BCP"), "amount": "0.00" }),
            ("amount", "INVALID_AMOUNT"),
        ),
        (
            json!({ "fromAccountId": mine, "toAccountId": b.account("Cuenta BCP"), "amount": "-5.00" }),
            ("amount", "INVALID_AMOUNT"),
        ),
    ] {
        assert_eq!(
            refused(&app, &token, &create_transfer(), input.clone()).await,
            (expected.0.into(), expected.1.into()),
            "{input}"
        );
    }
    for amount in [json!("0.001"), json!(5)] {
        assert_eq!(
            error_code(
                &app,
                &token,
                &create_transfer(),
                json!({ "fromAccountId": mine, "toAccountId": b.account("Cuenta BCP"), "amount": amount })
            )
            .await,
            "BAD_USER_INPUT"
        );
    }
    assert_eq!(
        error_code(
            &app,
            &token,
            &create_transfer(),
            json!({ "fromAccountId": b.category("otros"), "toAccountId": mine, "amount": "1.00" })
        )
        .await,
        "BAD_USER_INPUT",
        "a category's ID is no account ID"
    );
    assert_eq!(count_transfers(&app).await, transfers);
    assert_eq!(count_transactions(&app).await, rows);
});

db_test!(
    editing_one_side_edits_the_other,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let b = BookIds::of(&app, &token).await;
        let t = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Efectivo"), "toAccountId": b.account("Cuenta BCP"),
                    "amount": "150.00", "date": "2026-11-20" }),
        )
        .await;
        let (out_id, in_id) = (t["outgoing"]["id"].clone(), t["incoming"]["id"].clone());

        // Amount, date, description, notes and payment: the other side follows.
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": out_id, "amount": "175.50", "date": "2026-11-21",
                    "description": "Depósito BCP", "notes": "ventanilla", "paid": false }),
        )
        .await;
        let (out, inn) = (row(&app, &out_id).await, row(&app, &in_id).await);
        for side in [&out, &inn] {
            assert_eq!(side.amount_minor, 17_550);
            assert_eq!(side.date.to_string(), "2026-11-21");
            assert_eq!(side.description, "Depósito BCP");
            assert_eq!(side.notes, "ventanilla");
            assert_eq!((side.paid, side.paid_on), (false, None));
        }
        // From the incoming side, with a paid date of its own.
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": in_id, "paidOn": "2026-11-22", "private": true }),
        )
        .await;
        let out = row(&app, &out_id).await;
        assert_eq!(
            (out.paid, out.paid_on.map(|d| d.to_string()), out.private),
            (true, Some("2026-11-22".into()), true)
        );
        let seen = transfer_node_of(&app, &token, &t["id"]).await;
        assert_eq!(
            (&seen["amount"], &seen["date"], &seen["paid"]),
            (&json!("175.50"), &json!("2026-11-21"), &json!(true))
        );

        // One account on both sides: SAME_RECORD, nothing changes.
        let before = (row(&app, &out_id).await, row(&app, &in_id).await);
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": in_id, "accountId": b.account("Efectivo"), "amount": "1.00" })
            )
            .await,
            ("accountId".into(), "SAME_RECORD".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": out_id, "accountId": b.account("Cuenta BCP") })
            )
            .await,
            ("accountId".into(), "SAME_RECORD".into())
        );
        // A transfer keeps its direction and has no category.
        assert_eq!(
            refused(&app, &token, UPDATE, json!({ "id": out_id, "kind": "IN" })).await,
            ("kind".into(), "INVALID_FORMAT".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": out_id, "categoryId": b.category("otros") })
            )
            .await,
            ("categoryId".into(), "INVALID_FORMAT".into())
        );
        assert_eq!((row(&app, &out_id).await, row(&app, &in_id).await), before);

        // Another account on one side is fine: the transfer now goes there.
        let savings = ok(
            &app,
            &token,
            CREATE_ACCOUNT,
            json!({ "kind": "SAVINGS", "name": "Ahorros" }),
        )
        .await["account"]["id"]
            .clone();
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": in_id, "accountId": savings }),
        )
        .await;
        let seen = transfer_node_of(&app, &token, &t["id"]).await;
        assert_eq!(
            (&seen["from"]["name"], &seen["to"]["name"]),
            (&json!("Efectivo"), &json!("Ahorros"))
        );

        // A reconciled side locks the amount of the other side too.
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": in_id, "reconciledOn": "2026-11-23" }),
        )
        .await;
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": out_id, "amount": "1.00" })
            )
            .await,
            ("amount".into(), "LOCKED".into())
        );
        assert_eq!(row(&app, &out_id).await.amount_minor, 17_550);
    }
);

db_test!(deleting_either_side_or_the_transfer_deletes_both, |app| {
    let token = app.login(DRIVER).await;
    let b = BookIds::of(&app, &token).await;
    let input = json!({ "fromAccountId": b.account("Efectivo"),
                        "toAccountId": b.account("Cuenta BCP"), "amount": "10.00" });
    let (transfers, rows) = (count_transfers(&app).await, count_transactions(&app).await);

    // deleteTransaction on either side.
    for side in ["outgoing", "incoming"] {
        let t = transfer(&app, &token, input.clone()).await;
        let deleted = ok(&app, &token, DELETE, json!({ "id": t[side]["id"] })).await;
        let mut ids: Vec<Value> = deleted["deletedIds"].as_array().unwrap().clone();
        ids.sort_by_key(|v| v.to_string());
        let mut expected = vec![t["outgoing"]["id"].clone(), t["incoming"]["id"].clone()];
        expected.sort_by_key(|v| v.to_string());
        assert_eq!(ids, expected, "{side}");
        assert!(sides_of(&app, &t["id"]).await.is_empty());
        assert_eq!(transfer_node_of(&app, &token, &t["id"]).await, Value::Null);
    }
    assert_eq!(count_transfers(&app).await, transfers);
    assert_eq!(count_transactions(&app).await, rows);

    // deleteTransfer.
    let t = transfer(&app, &token, input.clone()).await;
    let deleted = ok(&app, &token, DELETE_TRANSFER, json!({ "id": t["id"] })).await;
    assert_eq!(deleted["deletedId"], t["id"]);
    assert_eq!(
        deleted["deletedTransactionIds"],
        json!([t["outgoing"]["id"], t["incoming"]["id"]])
    );
    assert_eq!(count_transfers(&app).await, transfers);
    assert_eq!(count_transactions(&app).await, rows);
    assert_eq!(
        error_code(&app, &token, DELETE_TRANSFER, json!({ "id": t["id"] })).await,
        "NOT_FOUND"
    );
    assert_eq!(
        error_code(
            &app,
            &token,
            DELETE_TRANSFER,
            json!({ "id": t["outgoing"]["id"] })
        )
        .await,
        "BAD_USER_INPUT",
        "a transaction's ID is no transfer ID"
    );

    // A reconciled side: LOCKED for both ways of deleting, both sides kept.
    let t = transfer(&app, &token, input).await;
    ok(
        &app,
        &token,
        UPDATE,
        json!({ "id": t["incoming"]["id"], "reconciledOn": "2026-11-02" }),
    )
    .await;
    assert_eq!(
        refused(&app, &token, DELETE_TRANSFER, json!({ "id": t["id"] })).await,
        ("id".into(), "LOCKED".into())
    );
    assert_eq!(
        refused(&app, &token, DELETE, json!({ "id": t["outgoing"]["id"] })).await,
        ("id".into(), "LOCKED".into())
    );
    assert_eq!(sides_of(&app, &t["id"]).await.len(), 2);
});

db_test!(transfers_stay_in_their_book, |app| {
    let driver = app.login(DRIVER).await;
    let other = app.new_driver("70000302").await.0;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let b = BookIds::of(&app, &driver).await;
    let t = transfer(
        &app,
        &driver,
        json!({ "fromAccountId": b.account("Efectivo"), "toAccountId": b.account("Cuenta BCP"),
                "amount": "10.00" }),
    )
    .await;
    for stranger in [&other, &admin, &collector] {
        assert_eq!(
            transfer_node_of(&app, stranger, &t["id"]).await,
            Value::Null
        );
    }
    for stranger in [&other, &admin] {
        assert_eq!(
            error_code(&app, stranger, DELETE_TRANSFER, json!({ "id": t["id"] })).await,
            "NOT_FOUND"
        );
    }
    assert_eq!(sides_of(&app, &t["id"]).await.len(), 2);

    // The business book: ADMINs move money, COLLECTORs read it and write nothing.
    let cash = BookIds::of(&app, &admin).await.account("Efectivo");
    let bank = ok(
        &app,
        &admin,
        CREATE_ACCOUNT,
        json!({ "kind": "CHECKING", "name": "Banco" }),
    )
    .await["account"]["id"]
        .clone();
    let business = transfer(
        &app,
        &admin,
        json!({ "fromAccountId": cash, "toAccountId": bank, "amount": "900.00" }),
    )
    .await;
    assert_eq!(
        transfer_node_of(&app, &collector, &business["id"]).await["amount"],
        "900.00"
    );
    assert_eq!(
        transfer_node_of(&app, &driver, &business["id"]).await,
        Value::Null
    );
    let transfers = count_transfers(&app).await;
    assert_eq!(
        error_code(
            &app,
            &collector,
            &create_transfer(),
            json!({ "fromAccountId": cash, "toAccountId": bank, "amount": "1.00" })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            DELETE_TRANSFER,
            json!({ "id": business["id"] })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(count_transfers(&app).await, transfers);

    // A private transfer of the business book is hidden from the collector, both sides.
    ok(
        &app,
        &admin,
        UPDATE,
        json!({ "id": business["outgoing"]["id"], "private": true }),
    )
    .await;
    assert_eq!(
        transfer_node_of(&app, &collector, &business["id"]).await,
        Value::Null
    );
    let incoming = app
        .gql(
            TX_NODE,
            json!({ "id": business["incoming"]["id"] }),
            Some(&collector),
        )
        .await;
    assert_eq!(incoming["data"]["node"], Value::Null, "{incoming}");
});

/// The statements of a query reading every transfer's accounts and sides through its
/// outgoing transactions.
async fn statements_for(app: &TestApp, token: &str, ids: &[Value]) -> u64 {
    let before = app.statements();
    let body = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Transaction { transfer { amount from { name } to { name } outgoing { id } incoming { account { name } transfer { id } } } } } }",
            json!({ "ids": ids }),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let nodes = body["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), ids.len());
    assert!(
        nodes
            .iter()
            .all(|n| n["transfer"]["to"]["name"] == "Cuenta BCP")
    );
    app.statements() - before
}

db_test!(transfers_load_in_batches, |app| {
    let token = app.login(DRIVER).await;
    let b = BookIds::of(&app, &token).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        let t = transfer(
            &app,
            &token,
            json!({ "fromAccountId": b.account("Efectivo"), "toAccountId": b.account("Cuenta BCP"),
                    "amount": format!("{i}.50") }),
        )
        .await;
        ids.push(t["outgoing"]["id"].clone());
    }
    let few = statements_for(&app, &token, &ids[..2]).await;
    let many = statements_for(&app, &token, &ids).await;
    assert_eq!(few, many, "statements grow with the number of transfers");
});
