//! A category of a book's transactions (Organizze's categories; the Leasy REST API's
//! expense category codes): income or expense, with one level of subcategories.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Whether a category files incomes or expenses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CategoryKind {
    #[sea_orm(string_value = "INCOME")]
    Income,
    #[sea_orm(string_value = "EXPENSE")]
    Expense,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "book_categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    pub kind: CategoryKind,
    pub name: String,
    /// Stable code, unique within the book (e.g. `combustible`, the code the Leasy
    /// REST API's `recordExpense` takes).
    pub code: String,
    /// `#RRGGBB`, upper case.
    pub colour: String,
    /// Icon name or URL; empty when none.
    pub icon: String,
    /// The top-level category this one is a subcategory of.
    pub parent_id: Option<i64>,
    pub archived: bool,
    /// The category used when none is given (and where a deleted category's transactions
    /// go); exactly one per kind per book.
    pub is_default: bool,
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
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
}

impl Related<super::book::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Book.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
