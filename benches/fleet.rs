//! How long a staff back-office listing takes, and how many SQL statements it sends, as the
//! number of clients grows: 50 clients x 2 contracts x (car + 20 invoices), the same
//! nested query as the N+1 test, through the real HTTP router.
//!
//! `cargo bench --bench fleet` (SQLite in a temporary file); with `BENCH_DATABASE_URL`
//! set to a PostgreSQL database URL it measures there instead (the database must be empty).
//! Figures go to `docs/benchmarks.md`.

use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use gateway::{
    app::App,
    entities::{car, client_profile, contract, invoice, invoice::InvoiceStatus, user, user::Role},
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;

mod common;
use common::{ADMIN, Bench};

const FLEET: &str = "query($n: Int!) { clients(first: $n) { totalCount nodes { id fullName coins plan { name }
    contracts { hash summary { totalInvoices } car { model documents { kind } }
      invoices(first: 20) { totalCount nodes { total totalWithDiscount dueDate type { code } discounts { amount } } } } } } }";

async fn add_fleet(app: &App, clients: usize) {
    let db = &app.state.db;
    let now = Utc::now();
    for c in 0..clients {
        let driver = user::ActiveModel {
            organization_id: Set(1),
            role: Set(Role::Client),
            document: Set(format!("9{c:07}")),
            password_hash: Set("bench".into()),
            first_name: Set(format!("Bench {c}")),
            last_name: Set("Driver".into()),
            email: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("driver");
        client_profile::ActiveModel {
            user_id: Set(driver.id),
            address: Set(String::new()),
            phone_number: Set(String::new()),
            plan_id: Set(None),
            coins_minor: Set(0),
            firebase_token: Set(None),
        }
        .insert(db)
        .await
        .expect("profile");
        for k in 0..2 {
            let contract = contract::ActiveModel {
                organization_id: Set(1),
                client_id: Set(driver.id),
                hash: Set(uuid::Uuid::new_v4().to_string()),
                status: Set("contract_active".into()),
                weekly_amount_minor: Set(50_000),
                auto_charge: Set(false),
                processor_public_key: Set(String::new()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("contract");
            car::ActiveModel {
                contract_id: Set(contract.id),
                brand: Set("Kia".into()),
                model: Set(format!("Rio {k}")),
                license_plate: Set(format!("B{c:03}-{k}")),
                year: Set(2022),
                photos: Set("[]".into()),
                ..Default::default()
            }
            .insert(db)
            .await
            .expect("car");
            let rows = (0..20).map(|i| invoice::ActiveModel {
                contract_id: Set(contract.id),
                hash: Set(uuid::Uuid::new_v4().to_string()),
                status: Set(if i % 2 == 0 {
                    InvoiceStatus::Pending
                } else {
                    InvoiceStatus::Paid
                }),
                priority: Set(1),
                due_date: Set(now.date_naive() - Days::weeks(i)),
                paid_date: Set(None),
                total_minor: Set(50_000),
                observations: Set(String::new()),
                type_id: Set(1),
                created_at: Set(now),
                ..Default::default()
            });
            invoice::Entity::insert_many(rows)
                .exec(db)
                .await
                .expect("invoices");
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let bench = Bench::start(|_| {}).await;
    let (app, backend) = (&bench.app, bench.backend);
    add_fleet(app, 50).await;
    let token = bench.login(ADMIN).await;
    println!("backend: {backend}");
    println!("| clients | invoices in the response | SQL statements | p50 | p95 |");
    println!("|---|---|---|---|---|");
    for n in [5, 50] {
        let body = json!({ "query": FLEET, "variables": { "n": n } });
        // Warm up caches and the connection pool.
        for _ in 0..3 {
            bench.post(body.clone(), Some(&token)).await;
        }
        let before = app.state.statements.get();
        let reply = bench.post(body.clone(), Some(&token)).await;
        let statements = app.state.statements.get() - before;
        assert!(reply["errors"].is_null(), "{reply}");
        let invoices: usize = reply["data"]["clients"]["nodes"]
            .as_array()
            .map(|clients| {
                clients
                    .iter()
                    .flat_map(|c| c["contracts"].as_array().cloned().unwrap_or_default())
                    .map(|k| k["invoices"]["nodes"].as_array().map_or(0, Vec::len))
                    .sum()
            })
            .unwrap_or(0);
        let mut times = Vec::new();
        for _ in 0..30 {
            let start = Instant::now();
            bench.post(body.clone(), Some(&token)).await;
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "| {n} | {invoices} | {statements} | {:.1} ms | {:.1} ms |",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }
}
