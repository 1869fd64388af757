//! The back office's shared setup: a driver onboarded, credited and under contract
//! through the API, as staff would do it.

use serde_json::{Value, json};

use super::{COLLECTOR, TestApp, ok};

const PAY: &str = "mutation($ids: [ID!]!, $key: String!) { payInvoices(input: {invoiceIds: $ids, idempotencyKey: $key}) { payment { id amount } balance userErrors { field code } } }";

/// A driver onboarded through the API.
pub struct Onboarded {
    /// The driver's access token.
    pub token: String,
    pub client_id: Value,
    pub contract_id: String,
    /// The contract's invoice IDs, by due date.
    pub invoices: Vec<String>,
}

/// A new driver with `coins` in their wallet and a contract of `weeks` invoices of 10.00:
/// the driver's token and the invoice IDs, by due date.
pub async fn driver_with_invoices(
    app: &TestApp,
    admin: &str,
    document: &str,
    coins: &str,
    weeks: u32,
) -> (String, Vec<String>) {
    let d = onboard(app, admin, document, coins, weeks).await;
    (d.token, d.invoices)
}

/// A new driver with `coins` in their wallet and a contract of `weeks` invoices of 10.00,
/// the first due on 2026-11-02.
pub async fn onboard(
    app: &TestApp,
    admin: &str,
    document: &str,
    coins: &str,
    weeks: u32,
) -> Onboarded {
    let created = ok(
        app,
        admin,
        "mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } invitation { token } userErrors { code } } }",
        json!({ "document": document, "firstName": "Luz", "lastName": "Mora", "phones": ["987654321"] }),
    )
    .await;
    let client_id = created["client"]["id"].clone();
    let accepted = app
        .gql(
            "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken } } }",
            json!({ "input": { "token": created["invitation"]["token"], "password": "maneja2027", "confirmation": "maneja2027" } }),
            None,
        )
        .await;
    let token = accepted["data"]["acceptInvitation"]["session"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    if coins != "0.00" {
        let collector = app.login(COLLECTOR).await;
        ok(
            app,
            &collector,
            "mutation($input: RecordRechargeInput!) { recordRecharge(input: $input) { balance userErrors { code } } }",
            json!({ "clientId": client_id, "amount": coins, "method": "Efectivo", "idempotencyKey": uuid::Uuid::new_v4().to_string() }),
        )
        .await;
    }
    let signed = ok(
        app,
        admin,
        "mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id invoices(first: 100) { nodes { id dueDate } } } userErrors { code } } }",
        json!({
            "clientId": client_id, "weeklyAmount": "10.00", "firstDueDate": "2026-11-02",
            "weeks": weeks, "car": { "brand": "Kia", "model": "Rio", "licensePlate": "C3X-456", "year": 2025 },
        }),
    )
    .await;
    let mut invoices: Vec<(String, String)> = signed["contract"]["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["dueDate"].as_str().unwrap().to_string(),
                i["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    invoices.sort();
    Onboarded {
        token,
        client_id,
        contract_id: signed["contract"]["id"].as_str().unwrap().to_string(),
        invoices: invoices.into_iter().map(|(_, id)| id).collect(),
    }
}

pub async fn pay(app: &TestApp, token: &str, id: &str) -> Value {
    let key = uuid::Uuid::new_v4().to_string();
    app.gql(PAY, json!({ "ids": [id], "key": key }), Some(token))
        .await
}

pub async fn balance(app: &TestApp, token: &str) -> String {
    let body = app
        .gql(
            "{ me { ... on Client { wallet { balance } } } }",
            json!({}),
            Some(token),
        )
        .await;
    body["data"]["me"]["wallet"]["balance"]
        .as_str()
        .unwrap()
        .to_string()
}
