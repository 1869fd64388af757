//! A tag on a transaction (both of one book).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "book_transaction_tags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub transaction_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::book_tag::Entity",
        from = "Column::TagId",
        to = "super::book_tag::Column::Id"
    )]
    Tag,
}

impl ActiveModelBehavior for ActiveModel {}
