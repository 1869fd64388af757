//! Drivers with a wallet and invoices, for the wallet's tests and the replicas' proof.

use chrono::{Duration, Utc};
use gateway::{
    entities::{
        client_profile, invoice::InvoiceStatus, invoice_discount, payment_allocation, user::Role,
        wallet_movement,
    },
    graphql::commons::{GlobalId, NodeKind},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use super::{ADMIN, TestApp, fixtures};

pub const PASSWORD: &str = "driver1234";

/// A driver of the demo organization with one contract and the given invoices.
pub struct Driver {
    pub id: i64,
    pub gid: String,
    pub token: String,
    /// Invoice global IDs, in the order of the specs.
    pub invoices: Vec<String>,
    pub invoice_ids: Vec<i64>,
}

/// (status, total, discount), in minor units.
pub type Spec = (InvoiceStatus, i64, i64);

pub async fn driver(app: &TestApp, document: &str, specs: &[Spec], coins: &str) -> Driver {
    driver_with(app, document, specs, coins, false).await
}

/// [`driver`], with the contract's auto-charge flag.
pub async fn driver_with(
    app: &TestApp,
    document: &str,
    specs: &[Spec],
    coins: &str,
    auto_charge: bool,
) -> Driver {
    let db = &app.app.state.db;
    let id = app
        .add_user("leasy-demo", document, PASSWORD, Role::Client)
        .await;
    fixtures::add_profile(db, id).await;
    let contract = fixtures::add_contract(db, id, auto_charge).await;
    let today = Utc::now().date_naive();
    let mut invoice_ids = Vec::new();
    for (i, (status, total, discount)) in specs.iter().enumerate() {
        let due = today - Duration::weeks(10 - i as i64);
        let row = fixtures::new_invoice(contract.id, *status, *total, due)
            .insert(db)
            .await
            .unwrap();
        if *discount > 0 {
            invoice_discount::ActiveModel {
                invoice_id: Set(row.id),
                amount_minor: Set(*discount),
                observations: Set("Descuento".into()),
                kind: Set("plan".into()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
        invoice_ids.push(row.id);
    }
    let gid = GlobalId::new(NodeKind::Client, id).to_id().0;
    if coins != "0.00" {
        let admin = app.login(ADMIN).await;
        let body = recharge(app, &admin, &gid, coins, &uuid::Uuid::new_v4().to_string()).await;
        assert!(
            body["data"]["recordRecharge"]["userErrors"]
                .as_array()
                .is_some_and(|e| e.is_empty()),
            "{body}"
        );
    }
    Driver {
        id,
        gid,
        token: app.login((document, PASSWORD)).await,
        invoices: invoice_ids
            .iter()
            .map(|i| GlobalId::new(NodeKind::Invoice, *i).to_id().0)
            .collect(),
        invoice_ids,
    }
}

pub const RECHARGE: &str = "mutation($client: ID!, $amount: Decimal!, $key: String!, $method: String!) {
  recordRecharge(input: {clientId: $client, amount: $amount, method: $method, observation: \"test\", idempotencyKey: $key}) {
    recharge { amount method type observation } balance replayed userErrors { field code message } } }";

pub async fn recharge(app: &TestApp, staff: &str, client: &str, amount: &str, key: &str) -> Value {
    app.gql(
        RECHARGE,
        json!({ "client": client, "amount": amount, "key": key, "method": "Efectivo" }),
        Some(staff),
    )
    .await
}

pub const PAY: &str = "mutation($ids: [ID!]!, $key: String!) { payInvoices(input: {invoiceIds: $ids, idempotencyKey: $key}) {
  payment { id amount source message allocations { amount invoice { id status paidDate } } }
  balance message replayed userErrors { field code message } } }";

pub async fn pay(app: &TestApp, token: &str, ids: &[&String], key: &str) -> Value {
    app.gql(PAY, json!({ "ids": ids, "key": key }), Some(token))
        .await
}

/// The balance equals the sum of the movements, each movement's running balance is what
/// the sum was at that point, and none is negative.
pub async fn assert_ledger(app: &TestApp, client_id: i64) -> i64 {
    let db = &app.app.state.db;
    let coins = client_profile::Entity::find_by_id(client_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .coins_minor;
    let mut movements = wallet_movement::Entity::find()
        .filter(wallet_movement::Column::ClientId.eq(client_id))
        .all(db)
        .await
        .unwrap();
    movements.sort_by_key(|m| m.id);
    let mut running = 0;
    for m in &movements {
        running += m.amount_minor;
        assert_eq!(m.balance_after_minor, running, "running balance of {m:?}");
        assert!(running >= 0, "the balance went negative at {m:?}");
    }
    assert_eq!(
        coins, running,
        "balance {coins} != sum of movements {running}"
    );
    coins
}

/// How many payment allocations the invoices have: one per invoice paid once.
pub async fn allocations_of(app: &TestApp, invoices: &[i64]) -> u64 {
    payment_allocation::Entity::find()
        .filter(payment_allocation::Column::InvoiceId.is_in(invoices.to_vec()))
        .count(&app.app.state.db)
        .await
        .unwrap()
}
