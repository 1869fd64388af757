//! An organization's invoicing settings (Infinanza's account settings): its default tax
//! rate and the last number given automatically to a sales invoice. One row per
//! organization, written on first use.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "business_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i64,
    /// The tax rate of invoices that name none, in hundredths of a percent (1800 = 18 %).
    pub default_tax_rate_bp: i32,
    /// The last number given automatically; the next invoice without one gets the next
    /// free number after it.
    pub last_invoice_number: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
