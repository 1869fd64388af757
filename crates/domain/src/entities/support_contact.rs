//! One of the organization's support lines: mechanical support and emergencies (the
//! REST API's `mechanical-contacts`) and ride-hailing affiliation (the REST API's
//! `uber-contacts`). At most one per kind in an organization.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Which support line a contact is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SupportKind {
    /// Mechanical support for the car (the REST API's `mechanical`).
    #[sea_orm(string_value = "MECHANICAL")]
    Mechanical,
    /// The emergency line (the REST API's `emergency`).
    #[sea_orm(string_value = "EMERGENCY")]
    Emergency,
    /// Where to ask for affiliation to the ride-hailing platform (the REST API's
    /// "Afiliaciones UBER").
    #[sea_orm(string_value = "RIDE_HAILING_AFFILIATION")]
    RideHailingAffiliation,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "support_contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub kind: SupportKind,
    pub contact_name: String,
    pub phone_number: String,
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
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
