//! One change of a driver's wallet balance: a credit (recharge) or a debit (payment), with
//! the balance after it. The balance in `client_profiles.coins_minor` always equals the sum
//! of a driver's movements; the movements are the audit trail that proves it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wallet_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub client_id: i64,
    /// Signed: positive credits, negative debits.
    pub amount_minor: i64,
    pub balance_after_minor: i64,
    pub recharge_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
