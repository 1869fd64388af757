//! A transaction of a book: money coming in (IN, an income) or going out (OUT, an
//! expense) of one account. The union of the REST APIs' fields: Leasy's quick incomes and
//! expenses, Organizze's transactions, Fipli's and Infinanza's business movements.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Whether money comes in or goes out (Fipli's `type`: "in" / "out").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(3))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransactionKind {
    /// An income.
    #[sea_orm(string_value = "IN")]
    In,
    /// An expense.
    #[sea_orm(string_value = "OUT")]
    Out,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "book_transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    pub kind: TransactionKind,
    /// Always positive; `kind` says the direction.
    pub amount_minor: i64,
    pub description: String,
    /// The day it happened (or is due to happen), in the organization's timezone.
    pub date: Date,
    pub due_date: Option<Date>,
    pub paid: bool,
    /// When it was actually paid or received; may differ from `date` (an Organizze
    /// user's request: boletos are reported paid a day late).
    pub paid_on: Option<Date>,
    /// `None` only for the sides of a transfer.
    pub category_id: Option<i64>,
    pub account_id: i64,
    pub contact_name: String,
    pub notes: String,
    pub barcode: String,
    /// An integration's own id, unique within the book.
    pub external_id: Option<String>,
    /// Free bank details (Fipli's `data_bank`).
    pub bank_data: String,
    /// The id of the OFX statement line it was imported from.
    pub ofx_id: String,
    /// When it was reconciled with the bank; a reconciled transaction's amount, date and
    /// account no longer change.
    pub reconciled_on: Option<Date>,
    /// Left out of summaries, budgets and balances-by-category.
    pub excluded: bool,
    pub private: bool,
    /// Set on the two sides of a transfer.
    pub transfer_id: Option<i64>,
    /// The series it is an occurrence of (recurring or installments).
    pub series_id: Option<i64>,
    /// Its place in the series, 0 for the first (installment `occurrence + 1`).
    pub occurrence: Option<i32>,
    /// On a credit card's account: the statement it belongs to, as a month index
    /// (`year * 12 + month - 1` of the statement's closing date).
    pub statement_month: Option<i32>,
    pub created_by_user_id: Option<i64>,
    /// The API token it was created through, when it was (Fipli's collector).
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::book_category::Entity",
        from = "Column::CategoryId",
        to = "super::book_category::Column::Id"
    )]
    Category,
}

impl Related<super::book_category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
