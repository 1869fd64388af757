//! A driving tip in a category. It is public from its publication date on; "today's
//! tips" are those published today in the organization's timezone, and popular ones are
//! flagged by staff.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "tips")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub category_id: i64,
    /// Optional heading (the REST API's examples have none).
    pub title: Option<String>,
    /// The tip's paragraphs (the REST API's `content`), a JSON array of strings.
    pub paragraphs: String,
    /// Shown among the popular tips (the REST API's `is_popular`).
    pub is_popular: bool,
    /// The day, in the organization's timezone, from which the tip is shown.
    pub published_on: Date,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::tip_category::Entity",
        from = "Column::CategoryId",
        to = "super::tip_category::Column::Id"
    )]
    Category,
}

impl Related<super::tip_category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
