//! The closing and due days a credit card's statements follow from a month on. A card
//! gets one when it is created and one more each time its days change, so that changing
//! the closing day re-cycles statements from a date on and leaves earlier ones as they
//! were (Organizze's `update_invoices_since`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "book_credit_card_cycles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub credit_card_id: i64,
    /// The first statement it applies to, as a month index (`year * 12 + month - 1` of
    /// the statement's closing date).
    pub from_month: i32,
    pub closing_day: i16,
    pub due_day: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::book_credit_card::Entity",
        from = "Column::CreditCardId",
        to = "super::book_credit_card::Column::Id"
    )]
    CreditCard,
}

impl Related<super::book_credit_card::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreditCard.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
