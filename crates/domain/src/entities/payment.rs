//! Money taken from a driver's wallet to settle invoices (the REST API's "pay-pool"). Its
//! allocations say which invoices it paid and with how much.

use sea_orm::entity::prelude::*;

/// What started a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PaymentSource {
    /// The driver paid from the app.
    #[sea_orm(string_value = "WALLET")]
    Wallet,
    /// The auto-charge job paid a due invoice of an auto-charge contract.
    #[sea_orm(string_value = "AUTO_CHARGE")]
    AutoCharge,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub client_id: i64,
    pub amount_minor: i64,
    pub source: PaymentSource,
    /// The REST API's confirmation text, naming the invoices paid by what they are for and
    /// their due dates, e.g. "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026) . Por
    /// el monto de S/ 499".
    pub message: String,
    pub idempotency_key: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::payment_allocation::Entity")]
    Allocations,
}

impl Related<super::payment_allocation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Allocations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
