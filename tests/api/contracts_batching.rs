//! The N+1 proof: a nested staff listing costs the same number of SQL statements for 5
//! clients as for 50, because every relation level loads in one batch.

use chrono::{Duration, Utc};
use gateway::entities::{car, invoice, invoice::InvoiceStatus, user::Role};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

use crate::{
    common::{ADMIN, TestApp, fixtures},
    db_test,
};

/// Adds `clients` drivers to the demo organization with 2 contracts, a car and
/// `invoices` invoices each. Returns nothing: the staff listing finds them.
async fn add_fleet(app: &TestApp, clients: usize, invoices: usize) {
    let db = &app.app.state.db;
    let now = Utc::now();
    for c in 0..clients {
        let user_id = app
            .add_user("leasy-demo", &format!("7{c:07}"), "fleet1234", Role::Client)
            .await;
        for k in 0..2 {
            let contract = fixtures::add_contract(db, user_id, false).await;
            car::ActiveModel {
                contract_id: Set(contract.id),
                brand: Set("Kia".into()),
                model: Set(format!("Rio {k}")),
                license_plate: Set(format!("F{c:03}-{k}")),
                year: Set(2022),
                photos: Set("[]".into()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
            let rows = (0..invoices).map(|i| {
                let status = if i % 2 == 0 {
                    InvoiceStatus::Pending
                } else {
                    InvoiceStatus::Paid
                };
                let due = now.date_naive() - Duration::weeks(i as i64);
                fixtures::new_invoice(contract.id, status, 50_000, due)
            });
            invoice::Entity::insert_many(rows).exec(db).await.unwrap();
        }
    }
}

const FLEET: &str = "query($n: Int!) { clients(first: $n) { totalCount nodes { id fullName coins plan { name }
    contracts { hash summary { totalInvoices } car { model documents { kind } }
      invoices(first: 20) { totalCount nodes { total totalWithDiscount dueDate type { code } discounts { amount } } } } } } }";

db_test!(
    nested_listing_costs_the_same_statements_for_5_and_50_clients,
    // Within the staff's default complexity budget: a real back-office listing.
    |app| {
        add_fleet(&app, 50, 20).await;
        let staff = app.login(ADMIN).await;
        let mut counts = Vec::new();
        for n in [5, 50] {
            let before = app.statements();
            let body = app.gql(FLEET, json!({ "n": n }), Some(&staff)).await;
            counts.push(app.statements() - before);
            assert!(body["errors"].is_null(), "{body}");
            let nodes = body["data"]["clients"]["nodes"].as_array().unwrap();
            assert_eq!(nodes.len(), n as usize);
            let fleet_client = nodes
                .iter()
                .find(|c| c["contracts"].as_array().unwrap().len() == 2)
                .unwrap();
            assert_eq!(
                fleet_client["contracts"][0]["invoices"]["nodes"]
                    .as_array()
                    .unwrap()
                    .len(),
                20
            );
        }
        assert_eq!(
            counts[0], counts[1],
            "SQL statements for 5 and 50 clients: {counts:?}"
        );
        assert!(
            counts[1] <= 15,
            "a nested page costs a handful of statements, got {}",
            counts[1]
        );
    }
);
