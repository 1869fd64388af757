//! The tenant: the leasing company (Fipli's "unit", Infinanza's account).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    /// IANA zone in which "today" and "this month" are computed.
    pub timezone: String,
    /// ISO 4217 code of every amount in this organization.
    pub currency: String,
    /// BCP 47 primary tag (`en`, `es`, `pt`) of the language its people are answered in
    /// when a request does not say (`Accept-Language`).
    pub language: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user::Entity")]
    Users,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Users.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
