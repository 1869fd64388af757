//! An account of a book (Organizze's "bank account"; the Leasy driver's cash): where money
//! of the book's transactions is kept.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// What kind of account it is (Organizze's `type`: checking, savings, other; plus cash).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountKind {
    #[sea_orm(string_value = "CHECKING")]
    Checking,
    #[sea_orm(string_value = "SAVINGS")]
    Savings,
    #[sea_orm(string_value = "CASH")]
    Cash,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "book_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    pub kind: AccountKind,
    pub name: String,
    /// Empty when none.
    pub description: String,
    /// Hidden from pickers; its past stays.
    pub archived: bool,
    /// The account used when none is given; exactly one per book.
    pub is_default: bool,
    /// The account behind a credit card (its purchases and payments); never listed nor
    /// accepted where the book's accounts are.
    pub for_credit_card: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
