//! Transactions of a book: create with defaults and with every field, change only the
//! fields sent, delete, look up by externalId, tags, the reconciliation lock, category
//! and account deletion with transactions, kinds and categories, who may read and write
//! which rows, amounts refused, and the API token a transaction was created through.

use chrono::{TimeZone, Utc};
use gateway::{
    domain::commons::Clock,
    entities::{book_tag, book_transaction, book_transaction_tag},
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, raw_id, refused},
    db_test,
};

/// Every field of a `Transaction`, for reading one back whole.
macro_rules! tx_fields {
    () => {
        "id kind amount signedAmount description date dueDate paid paidOn status category { code } account { name } tags { name } contactName notes barcode externalId bankData ofxId reconciledOn excluded private isTransfer transfer { id } createdBy { __typename } createdThrough createdAt"
    };
}

pub(crate) const CREATE: &str = concat!(
    "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { ",
    tx_fields!(),
    " } userErrors { field code message } } }"
);
pub(crate) const UPDATE: &str = concat!(
    "mutation($input: UpdateTransactionInput!) { updateTransaction(input: $input) { transaction { ",
    tx_fields!(),
    " } userErrors { field code message } } }"
);
pub(crate) const DELETE: &str = "mutation($input: DeleteTransactionInput!) { deleteTransaction(input: $input) { deletedIds userErrors { field code message } } }";
const TAG: &str = "mutation($input: TagTransactionInput!) { tagTransaction(input: $input) { transaction { id tags { name } } userErrors { field code } } }";
const UNTAG: &str = "mutation($input: TagTransactionInput!) { untagTransaction(input: $input) { transaction { id tags { name } } userErrors { field code } } }";
pub(crate) const NODE: &str = concat!(
    "query($id: ID!) { node(id: $id) { __typename ... on Transaction { ",
    tx_fields!(),
    " } } }"
);
const BY_EXTERNAL_ID: &str =
    "query($e: String!) { book { transactionByExternalId(externalId: $e) { id amount } } }";
const BOOK: &str = "{ book { accounts(includeArchived: true) { id name } categories(includeArchived: true) { id code } tags { id name } } }";
const CREATE_TAG: &str = "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name } userErrors { field code } } }";
const DELETE_TAG: &str = "mutation($input: DeleteTagInput!) { deleteTag(input: $input) { deletedId userErrors { field code } } }";
const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name } userErrors { field code } } }";
const DELETE_ACCOUNT: &str = "mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) { deletedId userErrors { field code } } }";
const DELETE_CATEGORY: &str = "mutation($input: DeleteCategoryInput!) { deleteCategory(input: $input) { deletedId replacement { code } userErrors { field code } } }";

/// 17:00 UTC is noon in Lima: "today" is 2026-11-24 there and in UTC alike.
pub(crate) fn noon_in_lima(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 17, 0, 0).unwrap());
}

/// The ids of a caller's book, by account name, category code and tag name.
pub(crate) struct BookIds(Value);

impl BookIds {
    pub(crate) async fn of(app: &TestApp, token: &str) -> BookIds {
        let body = app.gql(BOOK, json!({}), Some(token)).await;
        assert!(body["errors"].is_null(), "{body}");
        BookIds(body["data"]["book"].clone())
    }

    fn find(&self, list: &str, key: &str, value: &str) -> Value {
        self.0[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item[key] == value)
            .unwrap_or_else(|| panic!("no {key} = {value} in {}", self.0[list]))["id"]
            .clone()
    }

    pub(crate) fn account(&self, name: &str) -> Value {
        self.find("accounts", "name", name)
    }

    pub(crate) fn category(&self, code: &str) -> Value {
        self.find("categories", "code", code)
    }

    pub(crate) fn tags(&self) -> &Value {
        &self.0["tags"]
    }

    pub(crate) fn tag(&self, name: &str) -> Value {
        self.find("tags", "name", name)
    }
}

pub(crate) async fn count_transactions(app: &TestApp) -> u64 {
    book_transaction::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

pub(crate) async fn row(app: &TestApp, id: &Value) -> book_transaction::Model {
    book_transaction::Entity::find_by_id(raw_id(id))
        .one(&app.app.state.db)
        .await
        .unwrap()
        .expect("the row exists")
}

/// Creates a transaction that must be accepted; returns it.
pub(crate) async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    ok(app, token, CREATE, input).await["transaction"].clone()
}

async fn node(app: &TestApp, token: &str, id: &Value) -> Value {
    let body = app.gql(NODE, json!({ "id": id }), Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

db_test!(an_expense_needs_only_kind_and_amount, |app| {
    let token = app.login(DRIVER).await;
    let t = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "13.00", "tagNames": ["Uber"] }),
    )
    .await;
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
    assert_eq!(t["transfer"], Value::Null);
    assert_eq!(t["createdBy"]["__typename"], "Client");
    assert_eq!(t["createdThrough"], Value::Null);
});

db_test!(
    create_with_every_field_and_read_it_back,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let tag =
            ok(&app, &token, CREATE_TAG, json!({ "name": "Peajes" })).await["tag"]["id"].clone();
        let b = BookIds::of(&app, &token).await;
        let t = create(
            &app,
            &token,
            json!({
                "kind": "IN", "amount": "1234.56", "description": "  Viajes de la semana  ",
                "date": "2026-11-20", "dueDate": "2026-11-22", "paid": true, "paidOn": "2026-11-21",
                "categoryId": b.category("otros_ingresos"), "accountId": b.account("Cuenta BCP"),
                "contactName": "Uber", "notes": "Liquidación semanal", "barcode": "23790.50400",
                "externalId": "uber-2026-47", "bankData": "BCP 191-1234", "ofxId": "OFX-1",
                "reconciledOn": "2026-11-23", "excluded": true, "private": true,
                "tagIds": [tag], "tagNames": ["Semana 47"]
            }),
        )
        .await;
        let expected = json!({
            "id": t["id"], "kind": "IN", "amount": "1234.56", "signedAmount": "1234.56",
            "description": "Viajes de la semana", "date": "2026-11-20", "dueDate": "2026-11-22",
            "paid": true, "paidOn": "2026-11-21", "status": "PAID",
            "category": { "code": "otros_ingresos" }, "account": { "name": "Cuenta BCP" },
            "tags": [{ "name": "Peajes" }, { "name": "Semana 47" }],
            "contactName": "Uber", "notes": "Liquidación semanal", "barcode": "23790.50400",
            "externalId": "uber-2026-47", "bankData": "BCP 191-1234", "ofxId": "OFX-1",
            "reconciledOn": "2026-11-23", "excluded": true, "private": true, "isTransfer": false,
            "transfer": null, "createdBy": { "__typename": "Client" }, "createdThrough": null,
            "createdAt": "2026-11-24T17:00:00+00:00"
        });
        assert_eq!(t, expected);

        // Read back by node(id) and by its external id: the same transaction.
        let mut seen = node(&app, &token, &t["id"]).await;
        assert_eq!(seen["__typename"], "Transaction");
        seen.as_object_mut().unwrap().remove("__typename");
        assert_eq!(seen, expected);
        let by_external = app
            .gql(BY_EXTERNAL_ID, json!({ "e": "uber-2026-47" }), Some(&token))
            .await;
        assert_eq!(
            by_external["data"]["book"]["transactionByExternalId"],
            json!({ "id": t["id"], "amount": "1234.56" })
        );

        // Stored as minor units, with the name tag created in the book.
        let stored = row(&app, &t["id"]).await;
        assert_eq!(stored.amount_minor, 123_456);
        assert!(stored.created_by_user_id.is_some());
        assert_eq!(stored.created_by_token_id, None);
        // (The demo driver's book already has other tags: these two are found by name.)
        let tags = BookIds::of(&app, &token).await;
        tags.tag("Peajes");
        tags.tag("Semana 47");
    }
);

db_test!(
    update_changes_only_the_fields_sent,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let b = BookIds::of(&app, &token).await;
        let mut current = create(
            &app,
            &token,
            json!({
                "kind": "OUT", "amount": "80.00", "description": "Aceite", "date": "2026-11-20",
                "dueDate": "2026-11-22", "categoryId": b.category("mantenimiento"),
                "contactName": "Taller", "notes": "Cambio", "barcode": "123", "externalId": "t-1",
                "bankData": "x", "ofxId": "o", "excluded": true, "private": true, "tagNames": ["Auto"]
            }),
        )
        .await;
        assert_eq!(current["paidOn"], "2026-11-20", "paid on its past date");
        let id = current["id"].clone();

        // One field at a time: that field changes, every other stays as it was.
        for (field, value) in [
            ("description", json!("Aceite y filtro")),
            ("notes", json!("Cambio completo")),
            ("contactName", json!("Taller Lima")),
            ("barcode", json!("")),
            ("bankData", json!("BCP")),
            ("ofxId", json!("OFX-9")),
            ("excluded", json!(false)),
            ("private", json!(false)),
            ("dueDate", json!("2026-11-30")),
            ("externalId", json!("t-2")),
            ("date", json!("2026-11-19")),
        ] {
            let mut input = json!({ "id": id });
            input[field] = value.clone();
            let updated = ok(&app, &token, UPDATE, input).await["transaction"].clone();
            current[field] = value;
            assert_eq!(updated, current, "after changing {field}");
        }
        let updated =
            ok(&app, &token, UPDATE, json!({ "id": id, "amount": "85.50" })).await["transaction"]
                .clone();
        current["amount"] = json!("85.50");
        current["signedAmount"] = json!("-85.50");
        assert_eq!(updated, current);
        assert_eq!(row(&app, &id).await.amount_minor, 8550);
        // Changing the date kept the paid date: they are separate facts.
        assert_eq!(current["paidOn"], "2026-11-20");

        // null clears the due date, the external id and the paid date (then it is pending,
        // and with no due date left, OVERDUE since its date).
        let cleared = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": id, "dueDate": null, "externalId": null }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(cleared["dueDate"], Value::Null);
        assert_eq!(cleared["externalId"], Value::Null);
        assert_eq!(cleared["paid"], true);
        let pending =
            ok(&app, &token, UPDATE, json!({ "id": id, "paidOn": null })).await["transaction"]
                .clone();
        assert_eq!(
            (&pending["paid"], &pending["paidOn"], &pending["status"]),
            (&json!(false), &Value::Null, &json!("OVERDUE")),
            "pending since the 19th: overdue at noon on the 24th"
        );
        let stored = row(&app, &id).await;
        assert_eq!(
            (stored.due_date, stored.external_id, stored.paid_on),
            (None, None, None)
        );

        // The "Data de Pagamento" request: a paid date of its own, after the date.
        let paid = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": id, "paidOn": "2026-11-23" }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(
            (&paid["paid"], &paid["paidOn"], &paid["date"]),
            (&json!(true), &json!("2026-11-23"), &json!("2026-11-19"))
        );
        // paid: false clears the paid date; paid: true without one takes the date.
        let unpaid =
            ok(&app, &token, UPDATE, json!({ "id": id, "paid": false })).await["transaction"]
                .clone();
        assert_eq!(unpaid["paidOn"], Value::Null);
        let repaid =
            ok(&app, &token, UPDATE, json!({ "id": id, "paid": true })).await["transaction"]
                .clone();
        assert_eq!(repaid["paidOn"], "2026-11-19");
        // Pending with a paid date is a contradiction, refused on paidOn; nothing moves.
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": id, "paid": false, "paidOn": "2026-11-23" })
            )
            .await,
            ("paidOn".into(), "INVALID_FORMAT".into())
        );
        assert_eq!(
            row(&app, &id).await.paid_on.unwrap().to_string(),
            "2026-11-19"
        );

        // An empty tag list removes the tags; the tag itself stays in the book.
        let untagged =
            ok(&app, &token, UPDATE, json!({ "id": id, "tagIds": [] })).await["transaction"]
                .clone();
        assert_eq!(untagged["tags"], json!([]));
        assert_eq!(
            BookIds::of(&app, &token).await.tags()[0]["name"],
            json!("Auto")
        );

        // A paid date is settable when creating too.
        let created = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "10.00", "date": "2026-11-20", "paidOn": "2026-11-21" }),
        )
        .await;
        assert_eq!(
            (&created["paid"], &created["paidOn"]),
            (&json!(true), &json!("2026-11-21"))
        );
        // A future date without `paid` is pending.
        let planned = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "10.00", "date": "2026-12-05" }),
        )
        .await;
        assert_eq!(
            (&planned["paid"], &planned["status"]),
            (&json!(false), &json!("PENDING"))
        );
    }
);

db_test!(deleting_a_transaction_removes_it, |app| {
    let token = app.login(DRIVER).await;
    let t = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "5.00", "tagNames": ["x"] }),
    )
    .await;
    let before = count_transactions(&app).await;
    let deleted = ok(&app, &token, DELETE, json!({ "id": t["id"] })).await;
    assert_eq!(deleted["deletedIds"], json!([t["id"]]));
    assert_eq!(count_transactions(&app).await, before - 1);
    assert_eq!(node(&app, &token, &t["id"]).await, Value::Null);
    let links = book_transaction_tag::Entity::find()
        .filter(book_transaction_tag::Column::TransactionId.eq(raw_id(&t["id"])))
        .count(&app.app.state.db)
        .await
        .unwrap();
    assert_eq!(links, 0, "its tag links go with it");
    // A second delete finds nothing.
    assert_eq!(
        error_code(&app, &token, DELETE, json!({ "id": t["id"] })).await,
        "NOT_FOUND"
    );
    // An ID of another type is the caller's mistake.
    assert_eq!(
        error_code(&app, &token, DELETE, json!({ "id": "bm9wZQ" })).await,
        "BAD_USER_INPUT"
    );
});

async fn with_external_id(app: &TestApp, external_id: &str) -> u64 {
    book_transaction::Entity::find()
        .filter(book_transaction::Column::ExternalId.eq(external_id))
        .count(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(an_external_id_is_unique_within_a_book, |app| {
    let token = app.login(DRIVER).await;
    let first = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "20.00", "externalId": "erp-1" }),
    )
    .await;
    let before = count_transactions(&app).await;

    // The same id again, even padded with spaces: DUPLICATE, and no second row.
    for again in ["erp-1", "  erp-1 "] {
        assert_eq!(
            refused(
                &app,
                &token,
                CREATE,
                json!({ "kind": "OUT", "amount": "20.00", "externalId": again })
            )
            .await,
            ("externalId".into(), "DUPLICATE".into())
        );
    }
    assert_eq!(count_transactions(&app).await, before);
    assert_eq!(with_external_id(&app, "erp-1").await, 1);

    // Taking it over with an update: DUPLICATE too, the other row keeps its own.
    let second = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "30.00", "externalId": "erp-2" }),
    )
    .await;
    assert_eq!(
        refused(
            &app,
            &token,
            UPDATE,
            json!({ "id": second["id"], "externalId": "erp-1" })
        )
        .await,
        ("externalId".into(), "DUPLICATE".into())
    );
    assert_eq!(with_external_id(&app, "erp-1").await, 1);
    assert_eq!(
        row(&app, &second["id"]).await.external_id.as_deref(),
        Some("erp-2")
    );
    // Keeping its own id is no duplicate.
    ok(
        &app,
        &token,
        UPDATE,
        json!({ "id": first["id"], "externalId": "erp-1", "amount": "21.00" }),
    )
    .await;

    // Looked up by it (trimmed); an unknown one is null.
    let found = app
        .gql(BY_EXTERNAL_ID, json!({ "e": " erp-1 " }), Some(&token))
        .await;
    assert_eq!(
        found["data"]["book"]["transactionByExternalId"],
        json!({ "id": first["id"], "amount": "21.00" })
    );
    let missing = app
        .gql(BY_EXTERNAL_ID, json!({ "e": "erp-9" }), Some(&token))
        .await;
    assert_eq!(
        missing["data"]["book"]["transactionByExternalId"],
        Value::Null
    );

    // Another book has its own ids: the same one is free there, and each owner finds
    // only their own.
    let other = app.new_driver("70000101").await.0;
    let theirs = create(
        &app,
        &other,
        json!({ "kind": "IN", "amount": "1.00", "externalId": "erp-1" }),
    )
    .await;
    assert_eq!(with_external_id(&app, "erp-1").await, 2);
    let seen = app
        .gql(BY_EXTERNAL_ID, json!({ "e": "erp-1" }), Some(&other))
        .await;
    assert_eq!(
        seen["data"]["book"]["transactionByExternalId"]["id"],
        theirs["id"]
    );
});

async fn links_of(app: &TestApp, id: &Value) -> u64 {
    book_transaction_tag::Entity::find()
        .filter(book_transaction_tag::Column::TransactionId.eq(raw_id(id)))
        .count(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(tags_by_id_and_by_name, |app| {
    let token = app.login(DRIVER).await;
    let db = &app.app.state.db;
    let tags_in_book = async || book_tag::Entity::find().count(db).await.unwrap();
    let airport =
        ok(&app, &token, CREATE_TAG, json!({ "name": "Aeropuerto" })).await["tag"]["id"].clone();
    let before = tags_in_book().await;

    // By name: a missing tag is created once; any letter case reuses it (and the one
    // created by id); repeats collapse.
    let t = create(
        &app,
        &token,
        json!({ "kind": "IN", "amount": "30.00", "tagIds": [airport],
                "tagNames": ["Noche", "NOCHE", "aeropuerto", " noche "] }),
    )
    .await;
    assert_eq!(
        t["tags"],
        json!([{ "name": "Aeropuerto" }, { "name": "Noche" }])
    );
    assert_eq!(tags_in_book().await, before + 1);
    let again = create(
        &app,
        &token,
        json!({ "kind": "IN", "amount": "31.00", "tagNames": ["nOcHe"] }),
    )
    .await;
    assert_eq!(again["tags"], json!([{ "name": "Noche" }]));
    assert_eq!(tags_in_book().await, before + 1);
    assert_eq!(links_of(&app, &t["id"]).await, 2);

    // A tag of another book: NOT_FOUND on tagIds, nothing written.
    let other = app.new_driver("70000102").await.0;
    let foreign =
        ok(&app, &other, CREATE_TAG, json!({ "name": "Ajeno" })).await["tag"]["id"].clone();
    let rows = count_transactions(&app).await;
    assert_eq!(
        refused(
            &app,
            &token,
            CREATE,
            json!({ "kind": "IN", "amount": "1.00", "tagIds": [foreign] })
        )
        .await,
        ("tagIds".into(), "NOT_FOUND".into())
    );
    assert_eq!(count_transactions(&app).await, rows);

    // Bad names (the Organizze users' "Inclusão de tags" got a 500): userErrors on
    // tagNames, and neither the transaction nor any tag is written.
    let tags = tags_in_book().await;
    let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
    for (names, code) in [
        (json!(["x".repeat(51)]), "TOO_LONG"),
        (json!(["  "]), "REQUIRED"),
        (json!(many), "LIMIT_REACHED"),
    ] {
        assert_eq!(
            refused(
                &app,
                &token,
                CREATE,
                json!({ "kind": "IN", "amount": "1.00", "tagNames": names }),
            )
            .await,
            ("tagNames".into(), code.into())
        );
    }
    assert_eq!(count_transactions(&app).await, rows);
    assert_eq!(tags_in_book().await, tags);

    // tagTransaction and untagTransaction are idempotent.
    let new_tag =
        ok(&app, &token, CREATE_TAG, json!({ "name": "Lluvia" })).await["tag"]["id"].clone();
    for _ in 0..2 {
        let tagged = ok(
            &app,
            &token,
            TAG,
            json!({ "transactionId": t["id"], "tagId": new_tag }),
        )
        .await;
        assert_eq!(
            tagged["transaction"]["tags"],
            json!([{ "name": "Aeropuerto" }, { "name": "Lluvia" }, { "name": "Noche" }])
        );
        assert_eq!(links_of(&app, &t["id"]).await, 3);
    }
    for _ in 0..2 {
        let untagged = ok(
            &app,
            &token,
            UNTAG,
            json!({ "transactionId": t["id"], "tagId": airport }),
        )
        .await;
        assert_eq!(
            untagged["transaction"]["tags"],
            json!([{ "name": "Lluvia" }, { "name": "Noche" }])
        );
        assert_eq!(links_of(&app, &t["id"]).await, 2);
    }
    assert_eq!(
        refused(
            &app,
            &token,
            TAG,
            json!({ "transactionId": t["id"], "tagId": foreign })
        )
        .await,
        ("tagId".into(), "NOT_FOUND".into())
    );

    // Deleting a tag keeps its transactions, without the tag.
    ok(&app, &token, DELETE_TAG, json!({ "id": new_tag })).await;
    let kept = node(&app, &token, &t["id"]).await;
    assert_eq!(kept["tags"], json!([{ "name": "Noche" }]));
    assert_eq!(links_of(&app, &t["id"]).await, 1);
    let noche = BookIds::of(&app, &token).await.tag("Noche");
    ok(&app, &token, DELETE_TAG, json!({ "id": noche })).await;
    assert_eq!(node(&app, &token, &again["id"]).await["tags"], json!([]));
    assert_eq!(row(&app, &again["id"]).await.amount_minor, 3100);
});

db_test!(
    a_reconciled_transaction_is_locked,
    |config| { noon_in_lima(config) },
    |app| {
        let token = app.login(DRIVER).await;
        let b = BookIds::of(&app, &token).await;
        let t = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "40.00", "date": "2026-11-20",
                    "reconciledOn": "2026-11-22" }),
        )
        .await;
        let id = t["id"].clone();
        let stored = row(&app, &id).await;

        // Amount, date and account: LOCKED, and nothing changes.
        for (field, value, error_field) in [
            ("amount", json!("41.00"), "amount"),
            ("date", json!("2026-11-21"), "date"),
            ("accountId", b.account("Cuenta BCP"), "accountId"),
        ] {
            let mut input = json!({ "id": id, "description": "tried" });
            input[field] = value;
            assert_eq!(
                refused(&app, &token, UPDATE, input).await,
                (error_field.into(), "LOCKED".into())
            );
            assert_eq!(row(&app, &id).await, stored, "after trying {field}");
        }
        // Clearing the reconciliation in the same request does not unlock it.
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE,
                json!({ "id": id, "reconciledOn": null, "amount": "41.00" })
            )
            .await,
            ("amount".into(), "LOCKED".into())
        );
        assert_eq!(
            refused(&app, &token, DELETE, json!({ "id": id })).await,
            ("id".into(), "LOCKED".into())
        );
        assert_eq!(row(&app, &id).await, stored);

        // Other fields, and the same amount and date sent again, are accepted.
        let edited = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": id, "amount": "40.00", "date": "2026-11-20", "description": "Peaje",
                    "notes": "ok", "categoryId": b.category("combustible"), "paidOn": "2026-11-21" }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(
            (
                &edited["description"],
                &edited["category"]["code"],
                &edited["paidOn"]
            ),
            (&json!("Peaje"), &json!("combustible"), &json!("2026-11-21"))
        );

        // Unreconciled, it unlocks.
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": id, "reconciledOn": null }),
        )
        .await;
        let moved = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": id, "amount": "41.00", "date": "2026-11-21",
                    "accountId": b.account("Cuenta BCP") }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(
            (&moved["amount"], &moved["date"], &moved["account"]["name"]),
            (&json!("41.00"), &json!("2026-11-21"), &json!("Cuenta BCP"))
        );
        ok(&app, &token, DELETE, json!({ "id": id })).await;
        assert_eq!(node(&app, &token, &id).await, Value::Null);
    }
);

async fn category_of(app: &TestApp, id: &Value) -> Option<i64> {
    row(app, id).await.category_id
}

db_test!(deleting_a_category_moves_its_transactions, |app| {
    let token = app.login(DRIVER).await;
    let b = BookIds::of(&app, &token).await;
    let fuel = b.category("combustible");
    let upkeep = b.category("mantenimiento");
    let personal = b.category("gastos_personales");
    let fuel_txs = [
        create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "10.00", "categoryId": fuel }),
        )
        .await,
        create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "11.00", "categoryId": fuel }),
        )
        .await,
    ];
    let personal_tx = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "12.00", "categoryId": personal }),
    )
    .await;
    let income_tx = create(
        &app,
        &token,
        json!({ "kind": "IN", "amount": "13.00", "categoryId": b.category("otros_ingresos") }),
    )
    .await;

    // A replacement of the other kind is refused and moves nothing.
    assert_eq!(
        refused(
            &app,
            &token,
            DELETE_CATEGORY,
            json!({ "id": fuel, "replacementId": b.category("viajes") })
        )
        .await,
        ("replacementId".into(), "KIND_MISMATCH".into())
    );
    assert_eq!(
        category_of(&app, &fuel_txs[0]["id"]).await,
        Some(raw_id(&fuel))
    );

    // With a replacement: the transactions move to it.
    let deleted = ok(
        &app,
        &token,
        DELETE_CATEGORY,
        json!({ "id": fuel, "replacementId": upkeep }),
    )
    .await;
    assert_eq!(deleted["replacement"]["code"], "mantenimiento");
    for t in &fuel_txs {
        assert_eq!(category_of(&app, &t["id"]).await, Some(raw_id(&upkeep)));
        assert_eq!(
            node(&app, &token, &t["id"]).await["category"]["code"],
            "mantenimiento"
        );
    }

    // Without one (the Organizze users' error 500): to the default of the kind.
    let deleted = ok(&app, &token, DELETE_CATEGORY, json!({ "id": personal })).await;
    assert_eq!(deleted["replacement"]["code"], "otros");
    assert_eq!(
        category_of(&app, &personal_tx["id"]).await,
        Some(raw_id(&b.category("otros")))
    );
    let deleted = ok(
        &app,
        &token,
        DELETE_CATEGORY,
        json!({ "id": b.category("otros_ingresos") }),
    )
    .await;
    assert_eq!(deleted["replacement"]["code"], "viajes");
    assert_eq!(
        category_of(&app, &income_tx["id"]).await,
        Some(raw_id(&b.category("viajes")))
    );
    // Nothing was left behind on a deleted category.
    let orphans = book_transaction::Entity::find()
        .filter(book_transaction::Column::CategoryId.is_in([
            raw_id(&fuel),
            raw_id(&personal),
            raw_id(&b.category("otros_ingresos")),
        ]))
        .count(&app.app.state.db)
        .await
        .unwrap();
    assert_eq!(orphans, 0);
});

db_test!(an_account_with_transactions_cannot_be_deleted, |app| {
    let token = app.login(DRIVER).await;
    let account = ok(
        &app,
        &token,
        CREATE_ACCOUNT,
        json!({ "kind": "SAVINGS", "name": "Ahorros" }),
    )
    .await["account"]["id"]
        .clone();
    let t = create(
        &app,
        &token,
        json!({ "kind": "IN", "amount": "100.00", "accountId": account }),
    )
    .await;
    assert_eq!(
        refused(&app, &token, DELETE_ACCOUNT, json!({ "id": account })).await,
        ("id".into(), "IN_USE".into())
    );
    assert_eq!(row(&app, &t["id"]).await.account_id, raw_id(&account));
    ok(&app, &token, DELETE, json!({ "id": t["id"] })).await;
    let deleted = ok(&app, &token, DELETE_ACCOUNT, json!({ "id": account })).await;
    assert_eq!(deleted["deletedId"], account);
});

db_test!(kinds_and_categories_go_together, |app| {
    let token = app.login(DRIVER).await;
    let b = BookIds::of(&app, &token).await;
    let rows = count_transactions(&app).await;
    // A category of the other kind: KIND_MISMATCH, nothing written.
    assert_eq!(
        refused(
            &app,
            &token,
            CREATE,
            json!({ "kind": "OUT", "amount": "1.00", "categoryId": b.category("viajes") })
        )
        .await,
        ("categoryId".into(), "KIND_MISMATCH".into())
    );
    assert_eq!(count_transactions(&app).await, rows);

    let t = create(
        &app,
        &token,
        json!({ "kind": "OUT", "amount": "9.00", "categoryId": b.category("combustible") }),
    )
    .await;
    assert_eq!(
        refused(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "categoryId": b.category("otros_ingresos") })
        )
        .await,
        ("categoryId".into(), "KIND_MISMATCH".into())
    );
    // A new kind alone moves it to the default category of that kind.
    let income =
        ok(&app, &token, UPDATE, json!({ "id": t["id"], "kind": "IN" })).await["transaction"]
            .clone();
    assert_eq!(
        (
            &income["kind"],
            &income["category"]["code"],
            &income["signedAmount"]
        ),
        (&json!("IN"), &json!("viajes"), &json!("9.00"))
    );
    // With a category, it must be of the new kind.
    assert_eq!(
        refused(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "kind": "OUT", "categoryId": b.category("viajes") })
        )
        .await,
        ("categoryId".into(), "KIND_MISMATCH".into())
    );
    let back = ok(
        &app,
        &token,
        UPDATE,
        json!({ "id": t["id"], "kind": "OUT", "categoryId": b.category("mantenimiento") }),
    )
    .await["transaction"]
        .clone();
    assert_eq!(back["category"]["code"], "mantenimiento");
    // A category of another book is not found.
    let other = app.new_driver("70000103").await.0;
    let theirs = BookIds::of(&app, &other).await.category("combustible");
    assert_eq!(
        refused(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "categoryId": theirs })
        )
        .await,
        ("categoryId".into(), "NOT_FOUND".into())
    );
});

db_test!(collectors_read_the_business_book_and_write_nothing, |app| {
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let t = create(
        &app,
        &admin,
        json!({ "kind": "IN", "amount": "500.00", "description": "Cobro semanal" }),
    )
    .await;
    assert_eq!(t["createdBy"]["__typename"], "StaffUser");
    let seen = node(&app, &collector, &t["id"]).await;
    assert_eq!(seen["description"], "Cobro semanal");
    let stored = row(&app, &t["id"]).await;
    let rows = count_transactions(&app).await;

    for (mutation, input) in [
        (CREATE, json!({ "kind": "OUT", "amount": "1.00" })),
        (UPDATE, json!({ "id": t["id"], "amount": "1.00" })),
        (DELETE, json!({ "id": t["id"] })),
        (TAG, json!({ "transactionId": t["id"], "tagId": "VGFnOjE" })),
    ] {
        assert_eq!(
            error_code(&app, &collector, mutation, input).await,
            "FORBIDDEN"
        );
    }
    assert_eq!(row(&app, &t["id"]).await, stored);
    assert_eq!(count_transactions(&app).await, rows);
});

db_test!(drivers_do_not_reach_each_others_transactions, |app| {
    let driver = app.login(DRIVER).await;
    let other = app.new_driver("70000104").await.0;
    let admin = app.login(ADMIN).await;
    let t = create(
        &app,
        &driver,
        json!({ "kind": "OUT", "amount": "15.00", "externalId": "mine" }),
    )
    .await;
    let stored = row(&app, &t["id"]).await;
    let tag = ok(&app, &other, CREATE_TAG, json!({ "name": "suyo" })).await["tag"]["id"].clone();

    for stranger in [&other, &admin] {
        assert_eq!(node(&app, stranger, &t["id"]).await, Value::Null);
        let by_external = app
            .gql(BY_EXTERNAL_ID, json!({ "e": "mine" }), Some(stranger))
            .await;
        assert_eq!(
            by_external["data"]["book"]["transactionByExternalId"],
            Value::Null
        );
        assert_eq!(
            error_code(
                &app,
                stranger,
                UPDATE,
                json!({ "id": t["id"], "amount": "1.00" })
            )
            .await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(&app, stranger, DELETE, json!({ "id": t["id"] })).await,
            "NOT_FOUND"
        );
    }
    assert_eq!(
        error_code(
            &app,
            &other,
            TAG,
            json!({ "transactionId": t["id"], "tagId": tag })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(row(&app, &t["id"]).await, stored);
    assert_eq!(links_of(&app, &t["id"]).await, 0);
});

db_test!(
    private_rows_of_the_business_book_are_hidden_from_collectors,
    |app| {
        let admin = app.login(ADMIN).await;
        let collector = app.login(COLLECTOR).await;
        let secret = create(
            &app,
            &admin,
            json!({ "kind": "OUT", "amount": "70.00", "private": true, "externalId": "p-1" }),
        )
        .await;
        let open = create(&app, &admin, json!({ "kind": "OUT", "amount": "71.00" })).await;

        assert_eq!(node(&app, &admin, &secret["id"]).await["private"], true);
        assert_eq!(node(&app, &collector, &secret["id"]).await, Value::Null);
        assert_eq!(node(&app, &collector, &open["id"]).await["amount"], "71.00");
        let by_external = app
            .gql(BY_EXTERNAL_ID, json!({ "e": "p-1" }), Some(&collector))
            .await;
        assert_eq!(
            by_external["data"]["book"]["transactionByExternalId"],
            Value::Null
        );
        // Made public, the collector sees it.
        ok(
            &app,
            &admin,
            UPDATE,
            json!({ "id": secret["id"], "private": false }),
        )
        .await;
        assert_eq!(
            node(&app, &collector, &secret["id"]).await["amount"],
            "70.00"
        );
    }
);

db_test!(bad_amounts_are_refused_and_write_nothing, |app| {
    let token = app.login(DRIVER).await;
    let t = create(&app, &token, json!({ "kind": "OUT", "amount": "5.00" })).await;
    let stored = row(&app, &t["id"]).await;
    let rows = count_transactions(&app).await;

    // Amounts the scalar takes but the book does not: INVALID_AMOUNT on `amount`.
    for amount in ["0.00", "0", "-1.00", "1000000000.01"] {
        for (mutation, input) in [
            (CREATE, json!({ "kind": "OUT", "amount": amount })),
            (UPDATE, json!({ "id": t["id"], "amount": amount })),
        ] {
            assert_eq!(
                refused(&app, &token, mutation, input).await,
                ("amount".into(), "INVALID_AMOUNT".into()),
                "{amount}"
            );
        }
    }
    // The largest amount is accepted.
    let largest = create(
        &app,
        &token,
        json!({ "kind": "IN", "amount": "1000000000.00" }),
    )
    .await;
    assert_eq!(largest["amount"], "1000000000.00");
    ok(&app, &token, DELETE, json!({ "id": largest["id"] })).await;

    // What the scalar refuses (fractions of a cent, JSON numbers, words): BAD_USER_INPUT.
    for amount in [
        json!("0.001"),
        json!(12.5),
        json!(13),
        json!("doce"),
        json!("1e3"),
    ] {
        for (mutation, input) in [
            (CREATE, json!({ "kind": "OUT", "amount": amount })),
            (UPDATE, json!({ "id": t["id"], "amount": amount })),
        ] {
            assert_eq!(
                error_code(&app, &token, mutation, input).await,
                "BAD_USER_INPUT",
                "{amount}"
            );
        }
    }
    assert_eq!(count_transactions(&app).await, rows);
    assert_eq!(row(&app, &t["id"]).await, stored);
});

db_test!(a_transaction_created_through_an_api_token_says_so, |app| {
    let admin = app.login(ADMIN).await;
    let created = app
        .gql(
            "mutation { createApiToken(input: { name: \"App de cobranza\" }) { secret } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_string();
    let through_token = app
        .post_json(
            json!({ "query": CREATE, "variables": { "input": { "kind": "IN", "amount": "25.00" } } }),
            Some(&format!("Token token={secret}")),
        )
        .await;
    let t = through_token.body["data"]["createTransaction"]["transaction"].clone();
    assert_eq!(
        t["createdThrough"], "App de cobranza",
        "{}",
        through_token.text
    );
    assert_eq!(t["createdBy"]["__typename"], "StaffUser");
    assert!(row(&app, &t["id"]).await.created_by_token_id.is_some());
    // Read back by a logged-in user: still says so.
    assert_eq!(
        node(&app, &admin, &t["id"]).await["createdThrough"],
        "App de cobranza"
    );
    // Created after logging in: through no token.
    let direct = create(&app, &admin, json!({ "kind": "IN", "amount": "26.00" })).await;
    assert_eq!(direct["createdThrough"], Value::Null);
});

/// The transactions of the caller's book from `from` to `to` whose text has `search`,
/// oldest first, as (date, tag names in byte order).
async fn dated_tags(
    app: &TestApp,
    token: &str,
    from: &str,
    to: &str,
    search: &str,
) -> Vec<(String, Vec<String>)> {
    let body = app
        .gql(
            "query($f: TransactionFilter) { book { transactions(filter: $f, orderBy: DATE_ASC, first: 100) { nodes { date tags { name } } } } }",
            json!({ "f": { "period": { "from": from, "to": to }, "search": search } }),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["book"]["transactions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let mut tags: Vec<String> = n["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["name"].as_str().unwrap().to_string())
                .collect();
            tags.sort();
            (n["date"].as_str().unwrap().to_string(), tags)
        })
        .collect()
}

db_test!(
    updates_set_tags_by_name_as_creates_do,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000020").await;
        let db = &app.app.state.db;
        let tags_in_book = async || book_tag::Entity::find().count(db).await.unwrap();
        let t = create(
            &app,
            &token,
            json!({ "kind": "IN", "amount": "30.00", "tagNames": ["Noche"] }),
        )
        .await;
        let airport =
            ok(&app, &token, CREATE_TAG, json!({ "name": "Aeropuerto" })).await["tag"]["id"]
                .clone();
        let before = tags_in_book().await;

        // tagNames alone is the new set: a missing tag is created once, any letter case
        // reuses one, repeats collapse.
        let changed = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "tagNames": ["aeropuerto", "Lluvia", " LLUVIA "] }),
        )
        .await["transaction"]
            .clone();
        assert_eq!(
            changed["tags"],
            json!([{ "name": "Aeropuerto" }, { "name": "Lluvia" }])
        );
        assert_eq!(tags_in_book().await, before + 1);
        // Not sent, the tags stay; with tagIds, the set is the tags both name.
        let kept = ok(&app, &token, UPDATE, json!({ "id": t["id"], "notes": "x" })).await;
        assert_eq!(kept["transaction"]["tags"], changed["tags"]);
        let both = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "tagIds": [airport], "tagNames": ["noche"] }),
        )
        .await;
        assert_eq!(
            both["transaction"]["tags"],
            json!([{ "name": "Aeropuerto" }, { "name": "Noche" }])
        );
        assert_eq!(links_of(&app, &t["id"]).await, 2);

        // A bad name is refused on tagNames, as on create: nothing changes, no tag is
        // written.
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        for (names, code) in [
            (json!(["  "]), "REQUIRED"),
            (json!(["x".repeat(51)]), "TOO_LONG"),
            (json!(many), "LIMIT_REACHED"),
        ] {
            assert_eq!(
                refused(
                    &app,
                    &token,
                    UPDATE,
                    json!({ "id": t["id"], "amount": "99.00", "tagNames": names }),
                )
                .await,
                ("tagNames".into(), code.into())
            );
        }
        assert_eq!(row(&app, &t["id"]).await.amount_minor, 3_000);
        assert_eq!(links_of(&app, &t["id"]).await, 2);
        assert_eq!(tags_in_book().await, before + 1);

        // [] takes every tag off.
        let bare = ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": t["id"], "tagNames": [] }),
        )
        .await;
        assert_eq!(bare["transaction"]["tags"], json!([]));
    }
);

db_test!(
    scoped_edits_put_tags_named_on_every_occurrence_in_scope,
    |config| { noon_in_lima(config) },
    |app| {
        let (token, _) = app.new_driver("71000021").await;
        // Installments: THIS_AND_FUTURE from the second retags the second and the third.
        let first = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "300.00", "description": "Televisor",
                    "date": "2026-12-10", "tagNames": ["compras"],
                    "installments": { "total": 3 } }),
        )
        .await;
        let listed = dated_tags(&app, &token, "2026-12-01", "2027-02-28", "Televisor").await;
        assert_eq!(listed.len(), 3, "{listed:?}");
        let body = app
            .gql(
                "query($f: TransactionFilter) { book { transactions(filter: $f, orderBy: DATE_ASC) { nodes { id } } } }",
                json!({ "f": { "period": { "from": "2027-01-01", "to": "2027-01-31" }, "search": "Televisor" } }),
                Some(&token),
            )
            .await;
        let second = body["data"]["book"]["transactions"]["nodes"][0]["id"].clone();
        let changed = ok(
            &app,
            &token,
            "mutation($input: UpdateTransactionInput!) { updateTransaction(input: $input) { affectedCount userErrors { field code message } } }",
            json!({ "id": second, "tagNames": ["Hogar"], "scope": "THIS_AND_FUTURE" }),
        )
        .await;
        assert_eq!(changed["affectedCount"], 2);
        let tags = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            dated_tags(&app, &token, "2026-12-01", "2027-02-28", "Televisor").await,
            vec![
                ("2026-12-10".to_string(), tags(&["compras"])),
                ("2027-01-10".to_string(), tags(&["Hogar"])),
                ("2027-02-10".to_string(), tags(&["Hogar"])),
            ]
        );
        assert_eq!(row(&app, &first["id"]).await.amount_minor, 10_000);

        // A recurring series: ALL retags the occurrences read before and those read
        // after, the far ones included.
        let netflix = create(
            &app,
            &token,
            json!({ "kind": "OUT", "amount": "39.90", "description": "Netflix",
                    "date": "2026-12-05", "tagNames": ["Ocio"],
                    "recurrence": { "periodicity": "MONTHLY" } }),
        )
        .await;
        let before = dated_tags(&app, &token, "2026-12-01", "2027-01-31", "Netflix").await;
        assert_eq!(before.len(), 2, "{before:?}");
        ok(
            &app,
            &token,
            UPDATE,
            json!({ "id": netflix["id"], "tagNames": ["Suscripciones", "ocio"], "scope": "ALL" }),
        )
        .await;
        for (_, names) in dated_tags(&app, &token, "2026-12-01", "2027-06-30", "Netflix").await {
            assert_eq!(names, tags(&["Ocio", "Suscripciones"]));
        }
    }
);
