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
    onboard_driver(
        app,
        admin,
        &NewDriver {
            document,
            coins,
            weeks,
            ..NewDriver::default()
        },
    )
    .await
}

/// A driver to onboard with [`onboard_driver`]: who, their coins, their contract.
#[derive(Debug, Clone, Copy)]
pub struct NewDriver<'a> {
    pub document: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    /// Recharged by a COLLECTOR before the contract is signed; "0.00" records nothing.
    pub coins: &'a str,
    pub weeks: u32,
    pub weekly_amount: &'a str,
    pub first_due_date: &'a str,
    pub auto_charge: bool,
}

impl Default for NewDriver<'_> {
    fn default() -> Self {
        Self {
            document: "80808080",
            first_name: "Luz",
            last_name: "Mora",
            coins: "100.00",
            weeks: 3,
            weekly_amount: "10.00",
            first_due_date: "2026-11-02",
            auto_charge: false,
        }
    }
}

/// A new driver, with their coins and their contract of weekly invoices, as staff
/// onboard one through the API.
pub async fn onboard_driver(app: &TestApp, admin: &str, new: &NewDriver<'_>) -> Onboarded {
    let created = ok(
        app,
        admin,
        "mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } invitation { token } userErrors { code } } }",
        json!({ "document": new.document, "firstName": new.first_name, "lastName": new.last_name, "phones": ["987654321"] }),
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
    if new.coins != "0.00" {
        let collector = app.login(COLLECTOR).await;
        recharge(app, &collector, &client_id, new.coins).await;
    }
    let signed = ok(
        app,
        admin,
        "mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id invoices(first: 100) { nodes { id dueDate } } } userErrors { code } } }",
        json!({
            "clientId": client_id, "weeklyAmount": new.weekly_amount, "firstDueDate": new.first_due_date,
            "weeks": new.weeks, "autoCharge": new.auto_charge,
            "car": { "brand": "Kia", "model": "Rio", "licensePlate": "C3X-456", "year": 2025 },
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

/// Records a recharge of `amount` into the wallet of the driver `client_id`, as the staff
/// member whose token is `staff`; returns the balance after it.
pub async fn recharge(app: &TestApp, staff: &str, client_id: &Value, amount: &str) -> String {
    let recorded = ok(
        app,
        staff,
        "mutation($input: RecordRechargeInput!) { recordRecharge(input: $input) { balance userErrors { code } } }",
        json!({ "clientId": client_id, "amount": amount, "method": "Efectivo", "idempotencyKey": uuid::Uuid::new_v4().to_string() }),
    )
    .await;
    recorded["balance"].as_str().unwrap().to_string()
}

/// What is left to pay on the owed invoices (PENDING, FRACTION, FROZEN) of the contract
/// `contract_id`, added up from each invoice's `totalWithDiscount` as `token` reads it.
pub async fn owed(app: &TestApp, token: &str, contract_id: &str) -> rust_decimal::Decimal {
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Contract { invoices(first: 100) { totalCount nodes { status totalWithDiscount } } } } }",
            json!({ "id": contract_id }),
            Some(token),
        )
        .await;
    let invoices = &body["data"]["node"]["invoices"];
    assert!(
        invoices["totalCount"].as_u64().unwrap() <= 100,
        "more invoices than one page: {body}"
    );
    invoices["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter(|i| ["PENDING", "FRACTION", "FROZEN"].contains(&i["status"].as_str().unwrap()))
        .map(|i| {
            i["totalWithDiscount"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum()
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
