//! The driver's ride-hailing plan (Leasy's "uber plan": Azul, Oro, Platino, Diamante),
//! per organization; its discount is applied to the weekly fee of drivers on it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// Stable code, unique within the organization (`azul`, `oro`, ...).
    pub code: String,
    /// Discount in hundredths of a percent: 500 is 5%.
    pub discount_basis_points: i32,
    pub description: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
    #[sea_orm(has_many = "super::client_profile::Entity")]
    ClientProfiles,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::client_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ClientProfiles.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
