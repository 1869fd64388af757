//! A line of a sales invoice: a description, a quantity and a unit amount.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales_invoice_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub invoice_id: i64,
    /// 0 for the first line.
    pub position: i32,
    pub description: String,
    /// In hundredths: 150 is a quantity of 1.5.
    pub quantity_centi: i64,
    pub unit_amount_minor: i64,
    /// Quantity times unit amount, rounded half away from zero to the cent.
    pub amount_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
