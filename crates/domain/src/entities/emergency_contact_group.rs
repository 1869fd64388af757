//! A group of emergency contacts for one case (the REST API's `emergency_contacts` keys:
//! `accidents`, `block`, `steal`), with the name and description the app shows (the
//! REST API's `info`). At most one group per case in an organization.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// When a driver needs the group's contacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EmergencyCase {
    /// A traffic accident (the REST API's `accidents`).
    #[sea_orm(string_value = "ACCIDENT")]
    Accident,
    /// The car was blocked remotely for lack of payment (the REST API's `block`).
    #[sea_orm(string_value = "BLOCK")]
    Block,
    /// The car was stolen (the REST API's `steal`).
    #[sea_orm(string_value = "THEFT")]
    Theft,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "emergency_contact_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub emergency_case: EmergencyCase,
    pub name: String,
    pub description: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(has_many = "super::emergency_contact::Entity")]
    Contacts,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::emergency_contact::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Contacts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
