//! Failed logins of one key: a document (`document:<document>`) or a client address
//! (`address:<ip>`, an IPv6 client by its /64). Every attempt is charged here before its
//! password is hashed, and a successful one gives its charge back; past the free failures
//! each charge blocks the key for a doubling delay. Kept in the database so that every
//! replica counts the same attempts.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Attempts charged and not given back since the count was last forgotten.
    pub failures: i32,
    /// When the last attempt was charged; the count is forgotten an hour after it.
    pub last_failure_at: DateTimeUtc,
    /// No attempt of this key is heard before this instant.
    pub blocked_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
