//! Money put into a driver's wallet (the REST API's "recargas", type `cash_in`), recorded
//! by staff when the driver pays in cash, by transfer or at an agent.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "recharges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub client_id: i64,
    pub amount_minor: i64,
    /// How the money came in, as staff wrote it (e.g. "Depósito BCP", "Efectivo").
    pub method: String,
    pub observation: String,
    /// Always `CASH_IN` for now: the REST API's only recharge type.
    pub kind: String,
    /// The staff member who recorded it.
    pub recorded_by: Option<i64>,
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
