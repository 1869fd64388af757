//! A credit card of a book (Organizze's `credit_cards`). Its purchases are transactions of
//! an account of its own (`account_id`, an account with `for_credit_card`, never listed
//! among the book's accounts), so that they count as expenses of their own date, and
//! paying a statement is a transfer into that account.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "book_credit_cards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    /// The card's own account, which holds its purchases and payments.
    pub account_id: i64,
    pub name: String,
    /// Empty when none.
    pub description: String,
    /// The card network ("visa", "mastercard"...); empty when not given.
    pub network: String,
    /// The day of the month its statement closes (from the current cycle on; earlier
    /// statements keep theirs, see `book_credit_card_cycle`).
    pub closing_day: i16,
    /// The day of the month its statement is due.
    pub due_day: i16,
    /// The credit limit; 0 when it has none.
    pub limit_minor: i64,
    pub archived: bool,
    /// The card used when a purchase names none; at most one per book.
    pub is_default: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::book_credit_card_cycle::Entity")]
    Cycles,
}

impl Related<super::book_credit_card_cycle::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Cycles.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
