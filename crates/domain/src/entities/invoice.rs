//! An amount a driver owes under a contract: mostly the weekly fee, also penalties and
//! fractions. Drivers pay them in priority then due-date order.

use sea_orm::entity::prelude::*;

/// Where an invoice is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum InvoiceStatus {
    /// Owed and not yet paid.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// A part of a split invoice, charged together with the next payment.
    #[sea_orm(string_value = "FRACTION")]
    Fraction,
    /// Suspended: not charged for now (e.g. the car is in the workshop).
    #[sea_orm(string_value = "FROZEN")]
    Frozen,
    /// Settled; `paid_date` says when.
    #[sea_orm(string_value = "PAID")]
    Paid,
    /// Split into fractions (the invoices whose `parent_id` it is), which are paid
    /// instead: no longer payable itself, and out of every total owed.
    #[sea_orm(string_value = "SPLIT")]
    Split,
    /// Cancelled by the leasing company: owed no more, out of every total owed.
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

impl InvoiceStatus {
    /// The statuses of what the driver still owes: what every total owed adds up.
    pub const OWED: [InvoiceStatus; 3] = [Self::Pending, Self::Fraction, Self::Frozen];

    /// Whether the driver still owes it (one of [`Self::OWED`]).
    pub fn is_owed(self) -> bool {
        Self::OWED.contains(&self)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: i64,
    /// Public UUID of the invoice.
    #[sea_orm(unique)]
    pub hash: String,
    pub status: InvoiceStatus,
    /// Lower is paid first (penalties 0, weekly fees 1).
    pub priority: i32,
    pub due_date: Date,
    pub paid_date: Option<Date>,
    /// Amount before discounts, in minor units.
    pub total_minor: i64,
    pub observations: String,
    pub type_id: i64,
    pub created_at: DateTimeUtc,
    /// The invoice this one is a fraction of, when it comes from `splitInvoice`.
    pub parent_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::contract::Entity",
        from = "Column::ContractId",
        to = "super::contract::Column::Id"
    )]
    Contract,
    #[sea_orm(
        belongs_to = "super::invoice_type::Entity",
        from = "Column::TypeId",
        to = "super::invoice_type::Column::Id"
    )]
    InvoiceType,
    #[sea_orm(has_many = "super::invoice_discount::Entity")]
    Discounts,
}

impl Related<super::contract::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contract.def()
    }
}

impl Related<super::invoice_type::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::InvoiceType.def()
    }
}

impl Related<super::invoice_discount::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Discounts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
