//! The first result of a money-moving mutation (or of a driver's quick book entry), kept under the key its caller chose, so
//! that a retry returns it instead of moving money again. Stored in the same transaction
//! as the movement itself: the key exists if and only if the money moved.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The user the key belongs to: the driver whose wallet the operation moved, or who
    /// recorded a quick book entry (`recordIncome`, `recordExpense`).
    pub client_id: i64,
    pub key: String,
    /// Which mutation used the key, e.g. `payInvoices`.
    pub operation: String,
    /// SHA-256 of the operation and its normalised input: the same key with another input
    /// is a conflict, not a replay.
    pub request_hash: String,
    /// The first result, as JSON.
    pub response: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
