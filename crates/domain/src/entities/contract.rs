//! A driver's leasing contract for one car: the weekly fee, and whether it is charged
//! automatically. Invoices are issued against it every week.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// The driver: a CLIENT user.
    pub client_id: i64,
    /// Public UUID of the contract, as the driver's app knows it.
    #[sea_orm(unique)]
    pub hash: String,
    /// Lifecycle code as the REST API names it: `contract_active`, or
    /// `contract_terminated` once `terminated_on` is set (see `contracts::lifecycle`).
    pub status: String,
    pub weekly_amount_minor: i64,
    /// Whether the weekly fee is charged to the driver's saved card without asking.
    pub auto_charge: bool,
    /// Public key of the card processor for this contract (Leasy's "kushki_keys.pk").
    pub processor_public_key: String,
    pub created_at: DateTimeUtc,
    /// The day the leasing company ended the contract early, when it did.
    pub terminated_on: Option<Date>,
    /// Why it was ended ("" while it runs).
    pub termination_reason: String,
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
        from = "Column::ClientId",
        to = "super::user::Column::Id"
    )]
    Client,
    #[sea_orm(has_one = "super::car::Entity")]
    Car,
    #[sea_orm(has_many = "super::invoice::Entity")]
    Invoices,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Client.def()
    }
}

impl Related<super::car::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Car.def()
    }
}

impl Related<super::invoice::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invoices.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
