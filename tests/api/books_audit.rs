//! The audit trail of the books (issue 19 §7): every write a staff member makes to the
//! company's business book (accounts, categories, tags, transactions, transfers, credit
//! cards and their statement payments, budgets, quick entries) leaves exactly one record,
//! in the transaction of the change, that the organization's ADMIN reads through
//! `auditLog`. A driver's writes to their own book are theirs and leave none; neither
//! does a refused write, nor a replayed idempotency key. Today is 2026-11-24 in Lima.

use gateway::entities::user::Role;
use serde_json::{Value, json};

use crate::{
    book_transactions::{BookIds, noon_in_lima},
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp, api_token_secret,
        audit::{assert_record, change, last_record, record_count, records_of, shown},
        error_code, mutation, ok, raw_id, refused,
    },
    db_test,
};

/// The mutation `name`, for [`ok`]: `untagTransaction` takes the input of
/// `tagTransaction`, the others their own.
fn operation(name: &str, selection: &str) -> String {
    match name {
        "untagTransaction" => mutation("tagTransaction", selection).replacen(
            "tagTransaction(",
            "untagTransaction(",
            1,
        ),
        _ => mutation(name, selection),
    }
}

/// Runs a mutation that must succeed as `token`, and checks that it added exactly one
/// record to the trail; returns its payload.
async fn one_record(
    app: &TestApp,
    token: &str,
    name: &str,
    selection: &str,
    input: Value,
) -> Value {
    let before = record_count(app).await;
    let payload = ok(app, token, &operation(name, selection), input).await;
    assert_eq!(
        record_count(app).await,
        before + 1,
        "{name} did not add exactly one record"
    );
    payload
}

/// Runs a mutation that must succeed as `token` and leave the trail as it was.
async fn no_record(app: &TestApp, token: &str, name: &str, selection: &str, input: Value) -> Value {
    let before = record_count(app).await;
    let payload = ok(app, token, &operation(name, selection), input).await;
    assert_eq!(record_count(app).await, before, "{name} was recorded");
    payload
}

/// The last record of the object `id`, after checking it has `count` records.
async fn latest(app: &TestApp, admin: &str, id: &Value, count: usize) -> Value {
    let records = records_of(app, admin, id).await;
    assert_eq!(records.len(), count, "{records:?}");
    records.last().unwrap().clone()
}

/// The row id inside a global ID, as a record's values name other rows.
fn raw(id: &Value) -> Value {
    json!(raw_id(id))
}

db_test!(
    account_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let cash = BookIds::of(&app, &admin).await.account("Efectivo");
        let created = one_record(
            &app,
            &admin,
            "createAccount",
            "account { id }",
            json!({ "kind": "CHECKING", "name": "BCP" }),
        )
        .await;
        let id = created["account"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "createAccount", "Account", &id, ADMIN.0);
        assert_eq!(change(&record, "name"), (Value::Null, shown(json!("BCP"))));
        assert_eq!(
            change(&record, "kind"),
            (Value::Null, shown(json!("CHECKING")))
        );

        one_record(
            &app,
            &admin,
            "updateAccount",
            "account { id }",
            json!({ "id": id, "name": "BCP soles" }),
        )
        .await;
        let record = latest(&app, &admin, &id, 2).await;
        assert_record(&record, "updateAccount", "Account", &id, ADMIN.0);
        let fields: Vec<&str> = record["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name"], "{record}");
        assert_eq!(
            change(&record, "name"),
            (shown(json!("BCP")), shown(json!("BCP soles")))
        );

        one_record(
            &app,
            &admin,
            "setDefaultAccount",
            "account { id }",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 3).await;
        assert_record(&record, "setDefaultAccount", "Account", &id, ADMIN.0);
        assert_eq!(
            change(&record, "is_default"),
            (shown(json!(false)), shown(json!(true)))
        );

        // Back to cash, so that the new account can go: the record is cash's.
        one_record(
            &app,
            &admin,
            "setDefaultAccount",
            "account { id }",
            json!({ "id": cash }),
        )
        .await;
        let record = latest(&app, &admin, &cash, 1).await;
        assert_record(&record, "setDefaultAccount", "Account", &cash, ADMIN.0);

        one_record(
            &app,
            &admin,
            "deleteAccount",
            "deletedId",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 4).await;
        assert_record(&record, "deleteAccount", "Account", &id, ADMIN.0);
        assert_eq!(
            change(&record, "name"),
            (shown(json!("BCP soles")), Value::Null)
        );
    }
);

db_test!(
    category_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let others = BookIds::of(&app, &admin).await.category("otros");
        let created = one_record(
            &app,
            &admin,
            "createCategory",
            "category { id }",
            json!({ "kind": "EXPENSE", "name": "Peajes" }),
        )
        .await;
        let id = created["category"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "createCategory", "Category", &id, ADMIN.0);
        assert_eq!(
            change(&record, "code"),
            (Value::Null, shown(json!("peajes")))
        );

        one_record(
            &app,
            &admin,
            "updateCategory",
            "category { id }",
            json!({ "id": id, "colour": "1e88e5" }),
        )
        .await;
        let record = latest(&app, &admin, &id, 2).await;
        assert_record(&record, "updateCategory", "Category", &id, ADMIN.0);
        assert_eq!(
            change(&record, "colour"),
            (shown(json!("#9E9E9E")), shown(json!("#1E88E5")))
        );

        one_record(
            &app,
            &admin,
            "setDefaultCategory",
            "category { id }",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 3).await;
        assert_record(&record, "setDefaultCategory", "Category", &id, ADMIN.0);
        assert_eq!(
            change(&record, "is_default"),
            (shown(json!(false)), shown(json!(true)))
        );
        one_record(
            &app,
            &admin,
            "setDefaultCategory",
            "category { id }",
            json!({ "id": others }),
        )
        .await;

        one_record(
            &app,
            &admin,
            "deleteCategory",
            "deletedId",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 4).await;
        assert_record(&record, "deleteCategory", "Category", &id, ADMIN.0);
        assert_eq!(
            change(&record, "name"),
            (shown(json!("Peajes")), Value::Null)
        );
    }
);

db_test!(
    tag_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let created = one_record(
            &app,
            &admin,
            "createTag",
            "tag { id }",
            json!({ "name": "Uber" }),
        )
        .await;
        let id = created["tag"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "createTag", "Tag", &id, ADMIN.0);
        assert_eq!(change(&record, "name"), (Value::Null, shown(json!("Uber"))));

        one_record(
            &app,
            &admin,
            "updateTag",
            "tag { id }",
            json!({ "id": id, "name": "Cabify" }),
        )
        .await;
        let record = latest(&app, &admin, &id, 2).await;
        assert_record(&record, "updateTag", "Tag", &id, ADMIN.0);
        assert_eq!(
            change(&record, "name"),
            (shown(json!("Uber")), shown(json!("Cabify")))
        );

        one_record(&app, &admin, "deleteTag", "deletedId", json!({ "id": id })).await;
        let record = latest(&app, &admin, &id, 3).await;
        assert_record(&record, "deleteTag", "Tag", &id, ADMIN.0);
        assert_eq!(
            change(&record, "name"),
            (shown(json!("Cabify")), Value::Null)
        );
    }
);

db_test!(
    transaction_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let tag = ok(
            &app,
            &admin,
            &mutation("createTag", "tag { id }"),
            json!({ "name": "Peaje" }),
        )
        .await["tag"]["id"]
            .clone();
        let created = one_record(
            &app,
            &admin,
            "createTransaction",
            "transaction { id }",
            json!({ "kind": "OUT", "amount": "12.40", "description": "Peaje Evitamiento" }),
        )
        .await;
        let id = created["transaction"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "createTransaction", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(1240)))
        );
        assert_eq!(change(&record, "kind"), (Value::Null, shown(json!("OUT"))));
        assert_eq!(change(&record, "tag_ids"), (Value::Null, shown(json!([]))));

        one_record(
            &app,
            &admin,
            "updateTransaction",
            "transaction { id }",
            json!({ "id": id, "amount": "15.00" }),
        )
        .await;
        let record = latest(&app, &admin, &id, 2).await;
        assert_record(&record, "updateTransaction", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (shown(json!(1240)), shown(json!(1500)))
        );

        let link = json!({ "transactionId": id, "tagId": tag });
        one_record(
            &app,
            &admin,
            "tagTransaction",
            "transaction { id }",
            link.clone(),
        )
        .await;
        let record = latest(&app, &admin, &id, 3).await;
        assert_record(&record, "tagTransaction", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "tag_ids"),
            (shown(json!([])), shown(json!([raw_id(&tag)])))
        );
        assert_eq!(record["changes"].as_array().unwrap().len(), 1, "{record}");

        one_record(&app, &admin, "untagTransaction", "transaction { id }", link).await;
        let record = latest(&app, &admin, &id, 4).await;
        assert_record(&record, "untagTransaction", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "tag_ids"),
            (shown(json!([raw_id(&tag)])), shown(json!([])))
        );

        one_record(
            &app,
            &admin,
            "deleteTransaction",
            "deletedIds",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 5).await;
        assert_record(&record, "deleteTransaction", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (shown(json!(1500)), Value::Null)
        );

        // A purchase in installments is one write: one record, of its first installment.
        let created = one_record(
            &app,
            &admin,
            "createTransaction",
            "transaction { id } affectedCount",
            json!({ "kind": "OUT", "amount": "300.00", "installments": { "total": 3 } }),
        )
        .await;
        assert_eq!(created["affectedCount"], 3);
        let first = created["transaction"]["id"].clone();
        let record = latest(&app, &admin, &first, 1).await;
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(10000)))
        );
    }
);

db_test!(
    transfer_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let cash = BookIds::of(&app, &admin).await.account("Efectivo");
        let bank = ok(
            &app,
            &admin,
            &mutation("createAccount", "account { id }"),
            json!({ "kind": "CHECKING", "name": "BCP" }),
        )
        .await["account"]["id"]
            .clone();
        let created = one_record(
            &app,
            &admin,
            "createTransfer",
            "transfer { id outgoing { id } incoming { id } }",
            json!({ "fromAccountId": bank, "toAccountId": cash, "amount": "50.00", "description": "Retiro" }),
        )
        .await;
        let id = created["transfer"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "createTransfer", "Transfer", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(5000)))
        );
        assert_eq!(
            change(&record, "from_account_id"),
            (Value::Null, shown(raw(&bank)))
        );
        assert_eq!(
            change(&record, "to_account_id"),
            (Value::Null, shown(raw(&cash)))
        );
        assert_eq!(
            change(&record, "outgoing_id"),
            (
                Value::Null,
                shown(raw(&created["transfer"]["outgoing"]["id"]))
            )
        );

        one_record(
            &app,
            &admin,
            "deleteTransfer",
            "deletedId",
            json!({ "id": id }),
        )
        .await;
        let record = latest(&app, &admin, &id, 2).await;
        assert_record(&record, "deleteTransfer", "Transfer", &id, ADMIN.0);
        assert_eq!(
            change(&record, "description"),
            (shown(json!("Retiro")), Value::Null)
        );
    }
);

db_test!(
    credit_card_writes_and_statement_payments_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let created = one_record(
            &app,
            &admin,
            "createCreditCard",
            "creditCard { id }",
            json!({ "name": "Visa BCP", "closingDay": 30, "dueDay": 10, "limit": "1000.00" }),
        )
        .await;
        let card = created["creditCard"]["id"].clone();
        let record = latest(&app, &admin, &card, 1).await;
        assert_record(&record, "createCreditCard", "CreditCard", &card, ADMIN.0);
        assert_eq!(
            change(&record, "limit_minor"),
            (Value::Null, shown(json!(100000)))
        );

        one_record(
            &app,
            &admin,
            "updateCreditCard",
            "creditCard { id }",
            json!({ "id": card, "limit": "1500.00" }),
        )
        .await;
        let record = latest(&app, &admin, &card, 2).await;
        assert_record(&record, "updateCreditCard", "CreditCard", &card, ADMIN.0);
        assert_eq!(
            change(&record, "limit_minor"),
            (shown(json!(100000)), shown(json!(150000)))
        );

        let purchase = one_record(
            &app,
            &admin,
            "createTransaction",
            "transaction { statement { id year month } }",
            json!({ "kind": "OUT", "amount": "80.00", "creditCardId": card }),
        )
        .await;
        let statement = purchase["transaction"]["statement"].clone();
        let payment = json!({
            "statementId": statement["id"], "amount": "30.00", "idempotencyKey": "pago-visa-0001",
        });
        let paid = one_record(
            &app,
            &admin,
            "payStatement",
            "transfer { id incoming { id } }",
            payment.clone(),
        )
        .await;
        let transfer = paid["transfer"]["id"].clone();
        let record = latest(&app, &admin, &transfer, 1).await;
        assert_record(&record, "payStatement", "Transfer", &transfer, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(3000)))
        );
        assert_eq!(
            change(&record, "credit_card_id"),
            (Value::Null, shown(raw(&card)))
        );
        let month = format!(
            "{}-{:02}",
            statement["year"],
            statement["month"].as_i64().unwrap()
        );
        assert_eq!(
            change(&record, "statement"),
            (Value::Null, shown(json!(month)))
        );

        // The same key again pays nothing and records nothing.
        let replayed = no_record(&app, &admin, "payStatement", "transfer { id }", payment).await;
        assert_eq!(replayed["transfer"]["id"], transfer);
        latest(&app, &admin, &transfer, 1).await;

        // A card with transactions is kept; one without goes.
        let spare = ok(
            &app,
            &admin,
            &mutation("createCreditCard", "creditCard { id }"),
            json!({ "name": "Mastercard", "closingDay": 15, "dueDay": 25 }),
        )
        .await["creditCard"]["id"]
            .clone();
        one_record(
            &app,
            &admin,
            "deleteCreditCard",
            "deletedId",
            json!({ "id": spare }),
        )
        .await;
        let record = latest(&app, &admin, &spare, 2).await;
        assert_record(&record, "deleteCreditCard", "CreditCard", &spare, ADMIN.0);
        assert_eq!(
            change(&record, "name"),
            (shown(json!("Mastercard")), Value::Null)
        );
    }
);

db_test!(
    budget_writes_leave_one_record_each,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let others = BookIds::of(&app, &admin).await.category("otros");
        let set = |amount: &str| json!({ "categoryId": others, "year": 2026, "month": 11, "amount": amount });

        // A budget is a node: its records name it by its ID.
        let budget = one_record(
            &app,
            &admin,
            "setBudget",
            "budget { id amount }",
            set("300.00"),
        )
        .await["budget"]["id"]
            .clone();
        let record = last_record(&app, &admin).await;
        assert_record(&record, "setBudget", "Budget", &budget, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(30000)))
        );
        assert_eq!(
            change(&record, "month"),
            (Value::Null, shown(json!("2026-11-01")))
        );
        assert_eq!(
            change(&record, "category_id"),
            (Value::Null, shown(raw(&others)))
        );

        one_record(
            &app,
            &admin,
            "setBudget",
            "budget { amount }",
            set("250.00"),
        )
        .await;
        let record = last_record(&app, &admin).await;
        assert_record(&record, "setBudget", "Budget", &budget, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (shown(json!(30000)), shown(json!(25000)))
        );

        one_record(&app, &admin, "setBudget", "budget { amount }", set("0")).await;
        let record = last_record(&app, &admin).await;
        assert_record(&record, "setBudget", "Budget", &budget, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (shown(json!(25000)), Value::Null)
        );

        // Removing a budget the month does not have changes nothing.
        no_record(&app, &admin, "setBudget", "budget { amount }", set("0")).await;
    }
);

db_test!(
    quick_entries_leave_one_record_each_and_none_when_replayed,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let income = json!({ "amount": "80.00", "idempotencyKey": "ingreso-0001" });
        let recorded = one_record(
            &app,
            &admin,
            "recordIncome",
            "transaction { id }",
            income.clone(),
        )
        .await;
        let id = recorded["transaction"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "recordIncome", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(8000)))
        );
        assert_eq!(change(&record, "kind"), (Value::Null, shown(json!("IN"))));
        let replayed = no_record(&app, &admin, "recordIncome", "transaction { id }", income).await;
        assert_eq!(replayed["transaction"]["id"], id);

        let expense =
            json!({ "amount": "25.50", "category": "otros", "idempotencyKey": "gasto-0001" });
        let recorded = one_record(
            &app,
            &admin,
            "recordExpense",
            "transaction { id }",
            expense.clone(),
        )
        .await;
        let id = recorded["transaction"]["id"].clone();
        let record = latest(&app, &admin, &id, 1).await;
        assert_record(&record, "recordExpense", "Transaction", &id, ADMIN.0);
        assert_eq!(
            change(&record, "amount_minor"),
            (Value::Null, shown(json!(2550)))
        );
        no_record(&app, &admin, "recordExpense", "transaction { id }", expense).await;
        latest(&app, &admin, &id, 1).await;
    }
);

db_test!(
    a_drivers_writes_to_their_own_book_leave_no_record,
    |config| { noon_in_lima(config) },
    |app| {
        let driver = app.login(DRIVER).await;
        let ids = BookIds::of(&app, &driver).await;
        let cash = ids.account("Efectivo");
        let others = ids.category("otros");
        let tag = no_record(
            &app,
            &driver,
            "createTag",
            "tag { id }",
            json!({ "name": "mío" }),
        )
        .await["tag"]["id"]
            .clone();
        no_record(
            &app,
            &driver,
            "updateTag",
            "tag { id }",
            json!({ "id": tag, "name": "propio" }),
        )
        .await;
        let bank = no_record(
            &app,
            &driver,
            "createAccount",
            "account { id }",
            json!({ "kind": "SAVINGS", "name": "Ahorros" }),
        )
        .await["account"]["id"]
            .clone();
        no_record(
            &app,
            &driver,
            "setDefaultAccount",
            "account { id }",
            json!({ "id": bank }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "createCategory",
            "category { id }",
            json!({ "kind": "EXPENSE", "name": "Lavado" }),
        )
        .await;
        let spent = no_record(
            &app,
            &driver,
            "createTransaction",
            "transaction { id }",
            json!({ "kind": "OUT", "amount": "12.00", "tagIds": [tag] }),
        )
        .await["transaction"]["id"]
            .clone();
        no_record(
            &app,
            &driver,
            "untagTransaction",
            "transaction { id }",
            json!({ "transactionId": spent, "tagId": tag }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "createTransfer",
            "transfer { id }",
            json!({ "fromAccountId": bank, "toAccountId": cash, "amount": "5.00" }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "setBudget",
            "budget { amount }",
            json!({ "categoryId": others, "year": 2026, "month": 11, "amount": "100.00" }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "recordIncome",
            "transaction { id }",
            json!({ "amount": "90.00" }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "recordExpense",
            "transaction { id }",
            json!({ "amount": "20.00", "category": "otros" }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "createCreditCard",
            "creditCard { id }",
            json!({ "name": "Visa", "closingDay": 30, "dueDay": 10 }),
        )
        .await;
        no_record(
            &app,
            &driver,
            "deleteTransaction",
            "deletedIds",
            json!({ "id": spent }),
        )
        .await;
    }
);

db_test!(
    refused_books_writes_leave_no_record,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let collector = app.login(COLLECTOR).await;
        let ids = BookIds::of(&app, &admin).await;
        let cash = ids.account("Efectivo");
        let tag = ok(
            &app,
            &admin,
            &mutation("createTag", "tag { id }"),
            json!({ "name": "Uber" }),
        )
        .await["tag"]["id"]
            .clone();
        let card = ok(
            &app,
            &admin,
            &mutation("createCreditCard", "creditCard { id }"),
            json!({ "name": "Visa", "closingDay": 30, "dueDay": 10 }),
        )
        .await["creditCard"]["id"]
            .clone();
        ok(
            &app,
            &admin,
            &mutation("createTransaction", "transaction { id }"),
            json!({ "kind": "OUT", "amount": "10.00", "creditCardId": card }),
        )
        .await;
        app.add_user("otra-empresa", "40000001", "clave1234", Role::Admin)
            .await;
        let stranger = app.login(("40000001", "clave1234")).await;
        let before = record_count(&app).await;

        // Input the ADMIN can fix.
        for (name, selection, input, expected) in [
            (
                "createTag",
                "tag { id }",
                json!({ "name": "uber" }),
                ("name", "DUPLICATE"),
            ),
            (
                "createTransaction",
                "transaction { id }",
                json!({ "kind": "OUT", "amount": "0" }),
                ("amount", "INVALID_AMOUNT"),
            ),
            (
                "deleteAccount",
                "deletedId",
                json!({ "id": cash }),
                ("id", "LAST_RECORD"),
            ),
            (
                "deleteCreditCard",
                "deletedId",
                json!({ "id": card }),
                ("id", "IN_USE"),
            ),
            (
                "recordExpense",
                "transaction { id }",
                json!({ "amount": "5.00", "category": "no-existe" }),
                ("category", "NOT_FOUND"),
            ),
            (
                "setBudget",
                "budget { amount }",
                json!({ "categoryId": ids.category("otros"), "year": 2026, "month": 13, "amount": "1" }),
                ("month", "OUT_OF_RANGE"),
            ),
        ] {
            assert_eq!(
                refused(&app, &admin, &mutation(name, selection), input).await,
                (expected.0.to_string(), expected.1.to_string()),
                "{name}"
            );
        }

        // A COLLECTOR reads the business book but may not change it, whatever they send.
        for (name, selection, input) in [
            ("createTag", "tag { id }", json!({ "name": "Cabify" })),
            ("deleteTag", "deletedId", json!({ "id": tag })),
            (
                "recordIncome",
                "transaction { id }",
                json!({ "amount": "1.00", "idempotencyKey": " " }),
            ),
            (
                "createTransfer",
                "transfer { id }",
                json!({ "fromAccountId": cash, "toAccountId": cash, "amount": "1.00" }),
            ),
        ] {
            assert_eq!(
                error_code(&app, &collector, &mutation(name, selection), input).await,
                "FORBIDDEN",
                "{name}"
            );
        }

        // Another organization's ADMIN reaches their own business book only.
        for (name, selection, input) in [
            (
                "updateTag",
                "tag { id }",
                json!({ "id": tag, "name": "Mío" }),
            ),
            ("deleteCreditCard", "deletedId", json!({ "id": card })),
            ("setDefaultAccount", "account { id }", json!({ "id": cash })),
        ] {
            assert_eq!(
                error_code(&app, &stranger, &mutation(name, selection), input).await,
                "NOT_FOUND",
                "{name}"
            );
        }

        assert_eq!(
            record_count(&app).await,
            before,
            "a refused write was recorded"
        );
    }
);

db_test!(
    a_books_write_through_an_api_token_names_the_token,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let secret = api_token_secret(&app, &admin, "Fipli").await;
        let reply = app
            .post_json(
                json!({
                    "query": mutation("createTransaction", "transaction { id }"),
                    "variables": { "input": { "kind": "IN", "amount": "40.00" } },
                }),
                Some(&format!("Token token={secret}")),
            )
            .await;
        let id = reply.body["data"]["createTransaction"]["transaction"]["id"].clone();
        assert!(id.is_string(), "{}", reply.text);
        let record = latest(&app, &admin, &id, 1).await;
        assert_eq!(record["operation"], "createTransaction");
        assert_eq!(record["author"]["__typename"], "ApiToken", "{record}");
        assert_eq!(record["author"]["name"], "Fipli", "{record}");
    }
);
