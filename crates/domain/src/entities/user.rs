//! Everyone who logs in: staff (ADMIN, COLLECTOR) and clients (drivers).

use sea_orm::entity::prelude::*;

/// What a user may do; clients are the drivers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Role {
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    #[sea_orm(string_value = "COLLECTOR")]
    Collector,
    #[sea_orm(string_value = "CLIENT")]
    Client,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub role: Role,
    /// National identity document, the login name.
    pub document: String,
    /// Argon2id PHC string; never leaves the server. Empty until an invited person sets
    /// their first password (no password matches it).
    pub password_hash: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When staff deactivated the account: it cannot log in, and its sessions and API
    /// tokens ended then. Null while active.
    pub deactivated_at: Option<DateTimeUtc>,
    /// Access tokens issued up to this instant are void (a deactivation, a changed role):
    /// see `crate::auth::EndedAccess`.
    pub access_ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

/// A driver's profile; staff have none.
impl Related<super::client_profile::Entity> for Entity {
    fn to() -> RelationDef {
        super::client_profile::Relation::User.def().rev()
    }
}

impl ActiveModelBehavior for ActiveModel {}
