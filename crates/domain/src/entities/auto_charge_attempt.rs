//! One try of the auto-charge job to pay a due invoice of an auto-charge contract, and how
//! it went; staff read these to see why a driver's invoice is still unpaid.

use sea_orm::entity::prelude::*;

/// How an attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum AttemptOutcome {
    /// The invoice was paid from the wallet.
    #[sea_orm(string_value = "PAID")]
    Paid,
    /// The wallet did not hold enough coins; nothing moved.
    #[sea_orm(string_value = "INSUFFICIENT_COINS")]
    InsufficientCoins,
    /// Something else stopped it; `detail` says what.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auto_charge_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub contract_id: i64,
    pub invoice_id: i64,
    pub outcome: AttemptOutcome,
    pub detail: String,
    pub payment_id: Option<i64>,
    /// The run that made the attempt (a UUID).
    pub run_id: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
