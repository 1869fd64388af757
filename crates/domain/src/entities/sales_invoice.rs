//! A sales invoice of the organization (Infinanza's invoices): made out to a customer,
//! with items, a subtotal, tax and a total. Not the weekly instalments of a leasing
//! contract, which are `invoice`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "sales_invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// Unique within the organization; the next automatic number when none was given.
    pub number: String,
    pub date: Date,
    pub due_date: Option<Date>,
    pub customer_id: i64,
    /// "number - customer name", written whenever either changes.
    pub concept: String,
    /// The sum of the items, before tax.
    pub subtotal_minor: i64,
    /// The rate the tax was computed with, in hundredths of a percent; `None` when a fixed
    /// tax amount was given instead.
    pub tax_rate_bp: Option<i32>,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub paid: bool,
    pub paid_on: Option<Date>,
    pub additional_info: String,
    /// The income recorded in the business book while the invoice is paid.
    pub income_transaction_id: Option<i64>,
    pub created_by_user_id: Option<i64>,
    /// The API token it was created through, when it was.
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
