//! SeaORM models, one file a table. Money columns are `i64` minor units.

pub mod api_token;
pub mod auto_charge_attempt;
pub mod car;
pub mod car_document;
pub mod card;
pub mod client_phone;
pub mod client_profile;
pub mod contract;
pub mod idempotency_key;
pub mod invoice;
pub mod invoice_discount;
pub mod invoice_type;
pub mod job_lease;
pub mod lead;
pub mod lead_document_lock;
pub mod organization;
pub mod payment;
pub mod payment_allocation;
pub mod plan;
pub mod recharge;
pub mod refresh_token;
pub mod user;
pub mod wallet_movement;
