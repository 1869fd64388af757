//! A property test: random sequences of recharges and payments (with repeated idempotency
//! keys) against a simple in-memory model of the wallet. After every step the database's
//! balance, the sum of its movements and the set of paid invoices agree with the model.

use std::{
    collections::HashMap,
    sync::atomic::{AtomicUsize, Ordering},
};

use chrono::{TimeZone, Utc};
use gateway::{
    auth::{Credential, Viewer},
    domain::{
        DomainError, UserErrorCode,
        audit::Actor,
        commons::{Id, InvoiceId, Money},
        idempotency::IdempotencyKey,
        wallet::{
            payments::{self, PayOptions, Payer},
            recharges::{self, NewRecharge},
        },
    },
    entities::{invoice, invoice::InvoiceStatus, payment::PaymentSource, user, user::Role},
};
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{
    common::{TestApp, fixtures, wallet::assert_ledger},
    db_test,
};

#[derive(Debug, Clone)]
enum Op {
    Recharge(i64),
    /// Indices into the driver's invoices, and which of four keys to use.
    Pay(Vec<usize>, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1i64..=5_000).prop_map(Op::Recharge),
        (prop::collection::vec(0usize..8, 1..4), 0u8..4)
            .prop_map(|(picks, key)| Op::Pay(picks, key)),
    ]
}

static DRIVERS: AtomicUsize = AtomicUsize::new(0);

/// A driver with one contract and invoices of the given amounts (0 allowed).
async fn driver(app: &TestApp, amounts: &[i64]) -> (i64, Vec<i64>) {
    let db = &app.app.state.db;
    let now = Utc::now();
    let n = DRIVERS.fetch_add(1, Ordering::SeqCst);
    let user = user::ActiveModel {
        organization_id: Set(1),
        role: Set(Role::Client),
        document: Set(format!("8{n:07}")),
        password_hash: Set("not-a-login".into()),
        first_name: Set("Modelo".into()),
        last_name: Set("Prueba".into()),
        email: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    fixtures::add_profile(db, user.id).await;
    let contract = fixtures::add_contract(db, user.id, false).await;
    let mut ids = Vec::new();
    for amount in amounts {
        let row = fixtures::new_invoice(
            contract.id,
            InvoiceStatus::Pending,
            *amount,
            now.date_naive(),
        )
        .insert(db)
        .await
        .unwrap();
        ids.push(row.id);
    }
    (user.id, ids)
}

/// The codes of an `Invalid` error, or None for any other outcome.
fn codes(result: &Result<impl std::fmt::Debug, DomainError>) -> Option<Vec<UserErrorCode>> {
    match result {
        Err(DomainError::Invalid(errors)) => Some(errors.iter().map(|e| e.code).collect()),
        _ => None,
    }
}

async fn run_case(app: &TestApp, amounts: Vec<i64>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let db = &app.app.state.db;
    let staff = user::Entity::find()
        .filter(user::Column::Document.eq("00000001"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // The demo ADMIN, as a request of theirs would carry them.
    let viewer = Viewer {
        user_id: Id::new(staff.id),
        organization_id: Id::new(staff.organization_id),
        role: staff.role,
        credential: Credential::AccessToken {
            session: "wallet-model".into(),
        },
    };
    let actor = Actor {
        viewer: &viewer,
        request_id: "wallet-model",
    };
    let (client_id, invoice_ids) = driver(app, &amounts).await;
    let payer = Payer {
        client_id: Id::new(client_id),
        organization_id: Id::new(1),
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 15, 0, 0).unwrap();
    // The model.
    let mut balance = 0i64;
    let mut paid = vec![false; amounts.len()];
    let mut keys: HashMap<String, Vec<InvoiceId>> = HashMap::new();
    for (step, op) in ops.into_iter().enumerate() {
        match op {
            Op::Recharge(amount) => {
                let key = IdempotencyKey::internal(format!("model-recharge-{step}"));
                let input = NewRecharge {
                    client_id: Id::new(client_id),
                    amount: Money::from_minor(amount),
                    method: "Efectivo".into(),
                    observation: String::new(),
                };
                let receipt = recharges::record(db, actor, &input, &key, now)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("recharge failed: {e:?}")))?;
                balance += amount;
                prop_assert_eq!(receipt.balance_after.minor(), balance);
            }
            Op::Pay(picks, key) => {
                let mut selected: Vec<usize> = Vec::new();
                for p in picks {
                    let i = p % amounts.len();
                    if !selected.contains(&i) {
                        selected.push(i);
                    }
                }
                let ids: Vec<_> = selected.iter().map(|i| Id::new(invoice_ids[*i])).collect();
                let mut sorted = ids.clone();
                sorted.sort_unstable();
                let key_text = format!("model-pay-key-{key}");
                let key = IdempotencyKey::internal(key_text.clone());
                let options = PayOptions {
                    key: &key,
                    source: PaymentSource::Wallet,
                    with_fractions: true,
                    currency: "PEN",
                    now,
                    today: now.date_naive(),
                };
                let result = payments::pay(db, payer, &ids, options).await;
                let total: i64 = selected.iter().map(|i| amounts[*i]).sum();
                match keys.get(&key_text) {
                    Some(first) if *first == sorted => {
                        let receipt = result
                            .map_err(|e| TestCaseError::fail(format!("replay failed: {e:?}")))?;
                        prop_assert!(receipt.replayed, "step {}: a replay must say so", step);
                    }
                    Some(_) => prop_assert!(
                        matches!(result, Err(DomainError::Conflict(_))),
                        "step {}: a reused key with other invoices must conflict: {:?}",
                        step,
                        result
                    ),
                    None if selected.iter().any(|i| paid[*i]) => prop_assert_eq!(
                        codes(&result),
                        Some(vec![UserErrorCode::InvoiceAlreadyPaid])
                    ),
                    None if total == 0 => {
                        prop_assert_eq!(codes(&result), Some(vec![UserErrorCode::InvalidAmount]))
                    }
                    None if total > balance => prop_assert_eq!(
                        codes(&result),
                        Some(vec![UserErrorCode::InsufficientFunds])
                    ),
                    None => {
                        let receipt = result.map_err(|e| {
                            TestCaseError::fail(format!("step {step}: payment failed: {e:?}"))
                        })?;
                        balance -= total;
                        prop_assert_eq!(receipt.amount.minor(), total);
                        prop_assert_eq!(receipt.balance_after.minor(), balance);
                        for i in &selected {
                            paid[*i] = true;
                        }
                        keys.insert(key_text, sorted);
                    }
                }
            }
        }
        // The database agrees with the model after every step.
        prop_assert_eq!(assert_ledger(app, client_id).await, balance);
        let rows = invoice::Entity::find()
            .filter(invoice::Column::Id.is_in(invoice_ids.clone()))
            .all(db)
            .await
            .unwrap();
        for row in rows {
            let i = invoice_ids.iter().position(|id| *id == row.id).unwrap();
            prop_assert_eq!(row.status == InvoiceStatus::Paid, paid[i], "invoice {}", i);
        }
    }
    Ok(())
}

db_test!(random_recharges_and_payments_agree_with_a_model, |app| {
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec(prop_oneof![Just(0i64), 1i64..=3_000], 1..8),
        prop::collection::vec(op(), 1..25),
    );
    let handle = tokio::runtime::Handle::current();
    let app = &app;
    let outcome = tokio::task::block_in_place(|| {
        runner.run(&strategy, |(amounts, ops)| {
            handle.block_on(run_case(app, amounts, ops))
        })
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
});
