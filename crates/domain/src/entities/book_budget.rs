//! A category's budget for one month (Organizze's "metas"): how much the book means to
//! spend (or earn) in it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "book_budgets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    pub category_id: i64,
    /// The first day of the month.
    pub month: Date,
    /// Always positive: a budget of zero is no budget.
    pub amount_minor: i64,
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
