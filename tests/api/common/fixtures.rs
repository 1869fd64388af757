//! Rows for scenarios the demo data does not have: drivers' wallets, contracts and
//! invoices, written straight through the entities (all in the demo organization, id 1).

use chrono::{NaiveDate, Utc};
use gateway::entities::{client_profile, contract, invoice, invoice::InvoiceStatus};
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

/// An empty wallet and profile for a driver user.
pub async fn add_profile(db: &DatabaseConnection, client_id: i64) {
    client_profile::ActiveModel {
        user_id: Set(client_id),
        address: Set("Av. Test 123".into()),
        phone_number: Set("987654321".into()),
        plan_id: Set(None),
        coins_minor: Set(0),
        firebase_token: Set(None),
    }
    .insert(db)
    .await
    .unwrap();
}

/// An active contract of the driver.
pub async fn add_contract(
    db: &DatabaseConnection,
    client_id: i64,
    auto_charge: bool,
) -> contract::Model {
    contract::ActiveModel {
        organization_id: Set(1),
        client_id: Set(client_id),
        hash: Set(uuid::Uuid::new_v4().to_string()),
        status: Set("contract_active".into()),
        weekly_amount_minor: Set(50_000),
        auto_charge: Set(auto_charge),
        processor_public_key: Set(String::new()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

/// An invoice of the contract (weekly type, priority 1), not yet stored.
pub fn new_invoice(
    contract_id: i64,
    status: InvoiceStatus,
    total_minor: i64,
    due_date: NaiveDate,
) -> invoice::ActiveModel {
    invoice::ActiveModel {
        contract_id: Set(contract_id),
        hash: Set(uuid::Uuid::new_v4().to_string()),
        status: Set(status),
        priority: Set(1),
        due_date: Set(due_date),
        paid_date: Set(None),
        total_minor: Set(total_minor),
        observations: Set(String::new()),
        type_id: Set(1),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}
