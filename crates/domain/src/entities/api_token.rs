//! Per-application API tokens (Infinanza's "API Tokens"): named, shown once, stored as a
//! SHA-256 hash, revocable. A token acts for the user who created it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Serialised for the audit trail, which never sees the secret: neither its hash nor its
/// shown prefix is serialised.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters of the secret, so that people can tell their tokens apart.
    #[serde(skip_serializing)]
    pub token_prefix: String,
    #[sea_orm(unique)]
    #[serde(skip_serializing)]
    pub token_hash: String,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
