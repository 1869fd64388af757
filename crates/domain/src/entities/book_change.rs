//! A change to a book: one row of the book's tables (or of the driver's invoices and
//! wallet, or of the business documents) created, updated or deleted. Written by the
//! database's triggers in the change's own transaction, numbered per book in commit order
//! (`seq`); see `books::changes`.

use sea_orm::entity::prelude::*;

/// What kind of object changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ChangeKind {
    #[sea_orm(string_value = "TRANSACTION")]
    Transaction,
    #[sea_orm(string_value = "TRANSFER")]
    Transfer,
    #[sea_orm(string_value = "ACCOUNT")]
    Account,
    #[sea_orm(string_value = "CREDIT_CARD")]
    CreditCard,
    #[sea_orm(string_value = "CATEGORY")]
    Category,
    #[sea_orm(string_value = "TAG")]
    Tag,
    #[sea_orm(string_value = "BUDGET")]
    Budget,
    #[sea_orm(string_value = "CUSTOMER")]
    Customer,
    #[sea_orm(string_value = "SALES_INVOICE")]
    SalesInvoice,
    #[sea_orm(string_value = "RECEIPT")]
    Receipt,
    #[sea_orm(string_value = "INVOICE")]
    Invoice,
    #[sea_orm(string_value = "WALLET_MOVEMENT")]
    WalletMovement,
}

/// What happened to it. A row that is part of an object (a transaction's tag, an
/// invoice's discount) changes that object: UPDATED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum ChangeOperation {
    #[sea_orm(string_value = "CREATED")]
    Created,
    #[sea_orm(string_value = "UPDATED")]
    Updated,
    #[sea_orm(string_value = "DELETED")]
    Deleted,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "book_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub book_id: i64,
    /// The change's number in its book: 1, 2, 3... in the order the changes committed.
    pub seq: i64,
    pub kind: ChangeKind,
    /// The object's own id in its table.
    pub object_id: i64,
    pub operation: ChangeOperation,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::book::Entity",
        from = "Column::BookId",
        to = "super::book::Column::Id"
    )]
    Book,
}

impl Related<super::book::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Book.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
