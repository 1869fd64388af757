//! A book: the accounts, categories and tags (later transactions and budgets) that a
//! driver keeps for themselves (a personal book) or that the organization keeps for its
//! business (the business book, without owner).

use sea_orm::entity::prelude::*;

/// `owner_key` of the organization's business book.
pub const BUSINESS_OWNER_KEY: i64 = 0;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "books")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// The driver (a user with role CLIENT) whose personal book it is; `None` for the
    /// organization's business book.
    pub owner_id: Option<i64>,
    /// `owner_id`, or [`BUSINESS_OWNER_KEY`] for the business book: unique per
    /// organization, so that each owner has one book.
    pub owner_key: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::OwnerId",
        to = "super::user::Column::Id"
    )]
    Owner,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
