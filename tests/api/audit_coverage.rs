//! Issue 19 §7: every staff write leaves an audit record. This test walks the schema's
//! mutation list: each mutation is either run here by staff (and must append a record
//! naming it, in the database), or named in the list below with the reason it leaves
//! none. A new mutation that is in neither fails the test until it is audited and
//! run here, or listed.

use std::collections::{BTreeSet, HashMap};

use gateway::entities::{audit_record, user::Role};
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, TestApp, audit::record_count},
    content_audit::kinds,
    db_test,
};

/// Writes of one's own account or session, of a driver's own wallet and cards, or
/// anonymous: no staff write, no record.
const NOT_STAFF_WRITES: [&str; 13] = [
    "login",
    "refreshToken",
    "logout",
    "changePassword",
    "acceptInvitation",
    "requestPasswordReset",
    "resetPassword",
    "createLead",
    "payInvoices",
    "saveCardToken",
    "removeCard",
    "setDefaultCard",
    "updateDeviceToken",
];

/// Runs staff mutations and checks each left its record.
struct Walk<'a> {
    app: &'a TestApp,
    /// Each mutation's input type, from the schema.
    inputs: HashMap<String, String>,
    /// The mutations run and recorded.
    audited: BTreeSet<String>,
}

impl<'a> Walk<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let body = app
            .gql(
                "{ __schema { mutationType { fields { name args { name type { ofType { name } } } } } } }",
                json!({}),
                None,
            )
            .await;
        let fields = body["data"]["__schema"]["mutationType"]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"));
        let inputs = fields
            .iter()
            .map(|f| {
                let input = f["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|a| a["name"] == "input")
                    .unwrap_or_else(|| panic!("a mutation without `input`: {f}"));
                (
                    f["name"].as_str().unwrap().to_string(),
                    input["type"]["ofType"]["name"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect();
        Self {
            app,
            inputs,
            audited: BTreeSet::new(),
        }
    }

    /// Runs `name` as `token`'s staff member; it must succeed and append a record of
    /// `name`. Returns its payload.
    async fn run(&mut self, token: &str, name: &str, selection: &str, input: Value) -> Value {
        let input_type = &self.inputs[name];
        let query = format!(
            "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
        );
        let before = record_count(self.app).await;
        let body = self
            .app
            .gql(&query, json!({ "input": input }), Some(token))
            .await;
        let payload = &body["data"][name];
        assert!(
            body["errors"].is_null() && payload["userErrors"] == json!([]),
            "{name}: {body}"
        );
        let added = record_count(self.app).await - before;
        assert!(added >= 1, "{name} left no audit record");
        let newest: Vec<String> = audit_record::Entity::find()
            .order_by_desc(audit_record::Column::Id)
            .limit(added)
            .all(&self.app.app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.operation)
            .collect();
        assert!(
            newest.iter().any(|op| op == name),
            "{name} left records of {newest:?} only"
        );
        self.audited.insert(name.to_string());
        payload.clone()
    }
}

fn id(payload: &Value, path: &[&str]) -> Value {
    path.iter().fold(payload, |v, key| &v[*key]).clone()
}

db_test!(every_staff_mutation_of_the_schema_leaves_a_record, |app| {
    let mut walk = Walk::new(&app).await;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;

    // Staff.
    let staff = walk
        .run(
            &admin,
            "createStaffUser",
            "staffUser { id }",
            json!({ "role": "COLLECTOR", "document": "55550001", "firstName": "Rosa", "lastName": "Paz" }),
        )
        .await;
    let member = id(&staff, &["staffUser", "id"]);
    walk.run(
        &admin,
        "updateStaffUser",
        "staffUser { id }",
        json!({ "id": member, "lastName": "Paz Soldán" }),
    )
    .await;
    walk.run(&admin, "inviteUser", "__typename", json!({ "id": member }))
        .await;
    walk.run(
        &admin,
        "deactivateUser",
        "__typename",
        json!({ "id": member }),
    )
    .await;
    walk.run(
        &admin,
        "reactivateUser",
        "__typename",
        json!({ "id": member }),
    )
    .await;

    // Drivers.
    let created = walk
        .run(
            &admin,
            "createClient",
            "client { id }",
            json!({ "document": "55550002", "firstName": "Iván", "lastName": "Soto", "phones": ["987654321"] }),
        )
        .await;
    let client = id(&created, &["client", "id"]);
    walk.run(
        &admin,
        "updateClient",
        "client { id }",
        json!({ "id": client, "address": "Av. Arequipa 123" }),
    )
    .await;
    walk.run(
        &admin,
        "inviteClient",
        "__typename",
        json!({ "id": client }),
    )
    .await;
    walk.run(
        &admin,
        "deactivateClient",
        "__typename",
        json!({ "id": client }),
    )
    .await;
    walk.run(
        &admin,
        "reactivateClient",
        "__typename",
        json!({ "id": client }),
    )
    .await;
    let lead = app
        .gql(
            "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }",
            json!({ "input": {
                "firstName": "Carla", "lastName": "Díaz", "document": "55550003",
                "phoneNumber": "+51 955 444 333", "email": "carla@correo.pe", "carOfInterest": "NEW",
            } }),
            None,
        )
        .await;
    walk.run(
        &admin,
        "convertLead",
        "client { id }",
        json!({ "leadId": lead["data"]["createLead"]["lead"]["id"] }),
    )
    .await;
    walk.run(
        &collector,
        "recordRecharge",
        "balance",
        json!({ "clientId": client, "amount": "100.00", "method": "Efectivo", "idempotencyKey": "walk-recharge-0001" }),
    )
    .await;

    // Contracts, cars and invoices.
    let signed = walk
        .run(
            &admin,
            "createContract",
            "contract { id car { id } invoices(first: 10) { nodes { id } } }",
            json!({
                "clientId": client, "weeklyAmount": "10.00", "firstDueDate": "2026-11-02", "weeks": 8,
                "car": { "brand": "Kia", "model": "Rio", "licensePlate": "W4L-123", "year": 2025 },
            }),
        )
        .await;
    let contract = id(&signed, &["contract", "id"]);
    let car = id(&signed, &["contract", "car", "id"]);
    let invoices: Vec<Value> = signed["contract"]["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    walk.run(
        &admin,
        "updateContract",
        "__typename",
        json!({ "id": contract, "autoCharge": true }),
    )
    .await;
    walk.run(
        &admin,
        "updateCar",
        "__typename",
        json!({ "carId": car, "model": "Soluto" }),
    )
    .await;
    walk.run(
        &admin,
        "setCarDocument",
        "__typename",
        json!({ "carId": car, "kind": "SOAT", "dueDate": "2027-05-01" }),
    )
    .await;
    walk.run(
        &admin,
        "removeCarDocument",
        "__typename",
        json!({ "carId": car, "kind": "SOAT" }),
    )
    .await;
    let reason = |invoice: &Value| json!({ "invoiceId": invoice, "reason": "Prueba" });
    walk.run(&admin, "freezeInvoice", "__typename", reason(&invoices[0]))
        .await;
    walk.run(
        &admin,
        "unfreezeInvoice",
        "__typename",
        reason(&invoices[0]),
    )
    .await;
    let discounted = walk
        .run(
            &admin,
            "addInvoiceDiscount",
            "discount { id }",
            json!({ "invoiceId": invoices[1], "amount": "1.00", "reason": "Bono" }),
        )
        .await;
    walk.run(
        &admin,
        "removeInvoiceDiscount",
        "__typename",
        json!({ "discountId": discounted["discount"]["id"], "reason": "Error" }),
    )
    .await;
    walk.run(
        &admin,
        "addPenalty",
        "__typename",
        json!({ "contractId": contract, "amount": "20.00", "dueDate": "2030-01-07", "reason": "Multa" }),
    )
    .await;
    walk.run(
        &admin,
        "splitInvoice",
        "__typename",
        json!({ "invoiceId": invoices[2], "parts": [
            { "amount": "5.00", "dueDate": "2030-01-07" }, { "amount": "5.00", "dueDate": "2030-01-14" },
        ] }),
    )
    .await;
    walk.run(&admin, "cancelInvoice", "__typename", reason(&invoices[3]))
        .await;
    walk.run(
        &admin,
        "terminateContract",
        "__typename",
        json!({ "id": contract, "date": "2026-12-14", "reason": "Fin" }),
    )
    .await;

    // API tokens of staff.
    let token = walk
        .run(
            &admin,
            "createApiToken",
            "apiToken { id }",
            json!({ "name": "ERP" }),
        )
        .await;
    walk.run(
        &admin,
        "revokeApiToken",
        "__typename",
        json!({ "id": token["apiToken"]["id"] }),
    )
    .await;

    // The business book.
    let customer = walk
        .run(
            &admin,
            "createCustomer",
            "customer { id }",
            json!({ "name": "Square Inc", "nationalId": "20601234567" }),
        )
        .await;
    let customer = id(&customer, &["customer", "id"]);
    walk.run(
        &admin,
        "updateCustomer",
        "__typename",
        json!({ "id": customer, "phone": "+51987928878" }),
    )
    .await;
    let invoice = walk
        .run(
            &admin,
            "createSalesInvoice",
            "salesInvoice { id }",
            json!({ "customer": { "id": customer }, "items": [{ "description": "Servicio", "unitAmount": "100" }] }),
        )
        .await;
    let invoice = id(&invoice, &["salesInvoice", "id"]);
    walk.run(
        &admin,
        "updateSalesInvoice",
        "__typename",
        json!({ "id": invoice, "additionalInfo": "Orden 77" }),
    )
    .await;
    walk.run(
        &admin,
        "sendInvoice",
        "__typename",
        json!({ "invoiceId": invoice, "to": "pagos@square.pe" }),
    )
    .await;
    walk.run(
        &admin,
        "markSalesInvoicePaid",
        "__typename",
        json!({ "id": invoice, "paidOn": "2026-11-20" }),
    )
    .await;
    walk.run(
        &admin,
        "deleteSalesInvoice",
        "__typename",
        json!({ "id": invoice }),
    )
    .await;
    walk.run(
        &admin,
        "deleteCustomer",
        "__typename",
        json!({ "id": customer }),
    )
    .await;
    let receipt = walk
        .run(
            &admin,
            "createReceipt",
            "receipt { id }",
            json!({ "concept": "Agua", "amount": "132", "date": "2026-11-02" }),
        )
        .await;
    let receipt = id(&receipt, &["receipt", "id"]);
    walk.run(
        &admin,
        "updateReceipt",
        "__typename",
        json!({ "id": receipt, "concept": "Agua potable" }),
    )
    .await;
    walk.run(
        &admin,
        "markReceiptPaid",
        "__typename",
        json!({ "id": receipt, "paidOn": "2026-11-20" }),
    )
    .await;
    walk.run(
        &admin,
        "deleteReceipt",
        "__typename",
        json!({ "id": receipt }),
    )
    .await;
    walk.run(
        &admin,
        "updateInvoicingSettings",
        "__typename",
        json!({ "defaultTaxPercentage": "10" }),
    )
    .await;

    // The business book: its accounts, categories, tags, transactions, transfers, credit
    // cards, budgets and quick entries, each run before what needs it.
    let account = |payload: &Value| id(payload, &["account", "id"]);
    let bank = walk
        .run(
            &admin,
            "createAccount",
            "account { id }",
            json!({ "kind": "CHECKING", "name": "BCP" }),
        )
        .await;
    let bank = account(&bank);
    let savings = account(
        &walk
            .run(
                &admin,
                "createAccount",
                "account { id }",
                json!({ "kind": "SAVINGS", "name": "Ahorros" }),
            )
            .await,
    );
    walk.run(
        &admin,
        "updateAccount",
        "__typename",
        json!({ "id": bank, "name": "BCP soles" }),
    )
    .await;
    walk.run(
        &admin,
        "setDefaultAccount",
        "__typename",
        json!({ "id": bank }),
    )
    .await;
    let category = |payload: &Value| id(payload, &["category", "id"]);
    let tolls = category(
        &walk
            .run(
                &admin,
                "createCategory",
                "category { id }",
                json!({ "kind": "EXPENSE", "name": "Peajes" }),
            )
            .await,
    );
    let washes = category(
        &walk
            .run(
                &admin,
                "createCategory",
                "category { id }",
                json!({ "kind": "EXPENSE", "name": "Lavado" }),
            )
            .await,
    );
    walk.run(
        &admin,
        "updateCategory",
        "__typename",
        json!({ "id": tolls, "colour": "#1E88E5" }),
    )
    .await;
    walk.run(
        &admin,
        "setDefaultCategory",
        "__typename",
        json!({ "id": tolls }),
    )
    .await;
    walk.run(
        &admin,
        "deleteCategory",
        "__typename",
        json!({ "id": washes }),
    )
    .await;
    let tag = walk
        .run(&admin, "createTag", "tag { id }", json!({ "name": "Uber" }))
        .await;
    let tag = id(&tag, &["tag", "id"]);
    walk.run(
        &admin,
        "updateTag",
        "__typename",
        json!({ "id": tag, "name": "Cabify" }),
    )
    .await;
    let spent = walk
        .run(
            &admin,
            "createTransaction",
            "transaction { id }",
            json!({ "kind": "OUT", "amount": "12.40", "categoryId": tolls }),
        )
        .await;
    let spent = id(&spent, &["transaction", "id"]);
    walk.run(
        &admin,
        "updateTransaction",
        "__typename",
        json!({ "id": spent, "amount": "15.00" }),
    )
    .await;
    let link = json!({ "transactionId": spent, "tagId": tag });
    walk.run(&admin, "tagTransaction", "__typename", link.clone())
        .await;
    walk.run(&admin, "untagTransaction", "__typename", link)
        .await;
    walk.run(&admin, "deleteTag", "__typename", json!({ "id": tag }))
        .await;
    walk.run(
        &admin,
        "deleteTransaction",
        "__typename",
        json!({ "id": spent }),
    )
    .await;
    walk.run(
        &admin,
        "importStatement",
        "createdCount",
        json!({
            "accountId": bank,
            "format": "CSV",
            "content": "date,amount,description\n2026-11-02,-8.50,Peaje\n",
            "mapping": { "dateColumn": "date", "amountColumn": "amount", "descriptionColumn": "description" },
        }),
    )
    .await;
    let moved = walk
        .run(
            &admin,
            "createTransfer",
            "transfer { id }",
            json!({ "fromAccountId": bank, "toAccountId": savings, "amount": "50.00" }),
        )
        .await;
    walk.run(
        &admin,
        "deleteTransfer",
        "__typename",
        json!({ "id": id(&moved, &["transfer", "id"]) }),
    )
    .await;
    walk.run(
        &admin,
        "deleteAccount",
        "__typename",
        json!({ "id": savings }),
    )
    .await;
    let card = walk
        .run(
            &admin,
            "createCreditCard",
            "creditCard { id currentStatement { id } }",
            json!({ "name": "Visa", "closingDay": 30, "dueDay": 10 }),
        )
        .await;
    walk.run(
        &admin,
        "updateCreditCard",
        "__typename",
        json!({ "id": id(&card, &["creditCard", "id"]), "limit": "1500.00" }),
    )
    .await;
    walk.run(
        &admin,
        "payStatement",
        "__typename",
        json!({ "statementId": id(&card, &["creditCard", "currentStatement", "id"]), "amount": "20.00" }),
    )
    .await;
    let spare = walk
        .run(
            &admin,
            "createCreditCard",
            "creditCard { id }",
            json!({ "name": "Mastercard", "closingDay": 15, "dueDay": 25 }),
        )
        .await;
    walk.run(
        &admin,
        "deleteCreditCard",
        "__typename",
        json!({ "id": id(&spare, &["creditCard", "id"]) }),
    )
    .await;
    walk.run(
        &admin,
        "setBudget",
        "__typename",
        json!({ "categoryId": tolls, "year": 2026, "month": 11, "amount": "300.00" }),
    )
    .await;
    // A webhook endpoint of the business book, sent the quick entries' transactions.
    let hook = walk
        .run(
            &admin,
            "createWebhookEndpoint",
            "webhookEndpoint { id }",
            json!({ "url": "http://127.0.0.1:9/hooks", "events": ["TRANSACTION_CREATED"] }),
        )
        .await;
    let hook = id(&hook, &["webhookEndpoint", "id"]);
    walk.run(
        &admin,
        "updateWebhookEndpoint",
        "__typename",
        json!({ "id": hook, "description": "ERP" }),
    )
    .await;
    walk.run(
        &admin,
        "rotateWebhookSecret",
        "__typename",
        json!({ "id": hook }),
    )
    .await;
    walk.run(
        &admin,
        "recordIncome",
        "__typename",
        json!({ "amount": "80.00" }),
    )
    .await;
    walk.run(
        &admin,
        "recordExpense",
        "__typename",
        json!({ "amount": "25.00", "category": "peajes" }),
    )
    .await;
    gateway::webhooks::Worker::new(app.app.state.clone())
        .await
        .unwrap()
        .run_once()
        .await
        .unwrap();
    let sent = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 1) { nodes { id } } } } }",
            json!({ "id": hook }),
            Some(&admin),
        )
        .await;
    walk.run(
        &admin,
        "redeliverWebhook",
        "__typename",
        json!({ "deliveryId": sent["data"]["node"]["deliveries"]["nodes"][0]["id"] }),
    )
    .await;
    walk.run(
        &admin,
        "deleteWebhookEndpoint",
        "__typename",
        json!({ "id": hook }),
    )
    .await;

    // Content, in an organization of its own (the demo's has an emergency group per case).
    app.add_user("contenidos-walk", "55550009", "clave1234", Role::Admin)
        .await;
    let content_admin = app.login(("55550009", "clave1234")).await;
    let mut ids = Vec::new();
    let mut tip_category = None;
    for index in 0..kinds(None).len() {
        let kind = kinds(tip_category.as_ref()).remove(index);
        let created = walk
            .run(
                &content_admin,
                kind.create,
                &format!("{} {{ id }}", kind.payload),
                kind.create_input.clone(),
            )
            .await;
        let object = created[kind.payload]["id"].clone();
        if kind.object_type == "TipCategory" {
            tip_category = Some(object.clone());
        }
        ids.push(object);
    }
    for (kind, object) in kinds(tip_category.as_ref()).iter().zip(&ids) {
        let mut update = kind.update_input.clone();
        update["id"] = object.clone();
        walk.run(&content_admin, kind.update, "__typename", update)
            .await;
    }
    for (kind, object) in kinds(tip_category.as_ref()).iter().zip(&ids).rev() {
        walk.run(
            &content_admin,
            kind.delete,
            "__typename",
            json!({ "id": object }),
        )
        .await;
    }

    // Every mutation of the schema is run above or listed, and the list holds no mutation
    // that is not in the schema.
    let schema: BTreeSet<String> = walk.inputs.keys().cloned().collect();
    let listed: BTreeSet<String> = NOT_STAFF_WRITES.iter().map(|s| s.to_string()).collect();
    let unaccounted: Vec<&String> = schema
        .iter()
        .filter(|m| !walk.audited.contains(*m) && !listed.contains(*m))
        .collect();
    assert!(
        unaccounted.is_empty(),
        "mutations neither run by this walk nor listed: {unaccounted:?}"
    );
    let unknown: Vec<&String> = listed.iter().filter(|m| !schema.contains(*m)).collect();
    assert!(
        unknown.is_empty(),
        "listed but not in the schema: {unknown:?}"
    );
    let both: Vec<&String> = walk.audited.intersection(&listed).collect();
    assert!(both.is_empty(), "run and listed: {both:?}");
});
