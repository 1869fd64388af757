//! A paper the car (or its driver) must keep valid: ownership card, SOAT, insurance,
//! driver's license, technical inspection. Due dates drive the expiry reminders.

use sea_orm::entity::prelude::*;

/// Which paper a car document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DocumentKind {
    /// Tarjeta de propiedad: the vehicle's registration card.
    #[sea_orm(string_value = "OWNERSHIP_CARD")]
    OwnershipCard,
    /// SOAT: Peru's mandatory traffic-accident insurance.
    #[sea_orm(string_value = "SOAT")]
    Soat,
    /// Seguro: the vehicle's voluntary insurance policy.
    #[sea_orm(string_value = "INSURANCE")]
    Insurance,
    /// Licencia de conducir: the driver's license.
    #[sea_orm(string_value = "DRIVER_LICENSE")]
    DriverLicense,
    /// Revisión técnica: the periodic technical inspection certificate.
    #[sea_orm(string_value = "TECHNICAL_INSPECTION")]
    TechnicalInspection,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "car_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub car_id: i64,
    pub kind: DocumentKind,
    /// Display name, in Spanish ("Tarjeta de propiedad", "SOAT", ...).
    pub label: String,
    pub number: Option<String>,
    pub owner: Option<String>,
    pub due_date: Option<Date>,
    pub file_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::car::Entity",
        from = "Column::CarId",
        to = "super::car::Column::Id"
    )]
    Car,
}

impl Related<super::car::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Car.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
