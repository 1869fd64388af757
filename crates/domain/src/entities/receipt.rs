//! A receipt (Infinanza's "recibos"): a bill the organization has to pay.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub date: Date,
    pub due_date: Option<Date>,
    pub concept: String,
    pub amount_minor: i64,
    pub paid: bool,
    pub paid_on: Option<Date>,
    /// The expense recorded in the business book while the receipt is paid.
    pub expense_transaction_id: Option<i64>,
    pub created_by_user_id: Option<i64>,
    /// The API token it was created through, when it was.
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
