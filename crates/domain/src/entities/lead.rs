//! A lead (the Leasy REST API's "Nuevo lead"): someone who asked, without an account, to
//! lease a car. Staff read them to call back; nobody else does.

use sea_orm::entity::prelude::*;

/// How long the person has driven for a ride-hailing app (the REST API's `time_working`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum TimeWorking {
    /// "Menos de 4 meses".
    #[sea_orm(string_value = "LESS_THAN_4_MONTHS")]
    LessThan4Months,
    /// "Más de 4 meses".
    #[sea_orm(string_value = "MORE_THAN_4_MONTHS")]
    MoreThan4Months,
    /// "Más de 8 meses".
    #[sea_orm(string_value = "MORE_THAN_8_MONTHS")]
    MoreThan8Months,
    /// "Más de 12 meses".
    #[sea_orm(string_value = "MORE_THAN_12_MONTHS")]
    MoreThan12Months,
    /// "Más de 18 meses".
    #[sea_orm(string_value = "MORE_THAN_18_MONTHS")]
    MoreThan18Months,
    /// "No trabajo con aplicativo".
    #[sea_orm(string_value = "NOT_WORKING_WITH_AN_APP")]
    NotWorkingWithAnApp,
}

/// Which car the lead wants (the REST API's `car_of_interest`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CarOfInterest {
    /// "Nuevo".
    #[sea_orm(string_value = "NEW")]
    New,
    /// "Semi nuevo".
    #[sea_orm(string_value = "SEMI_NEW")]
    SemiNew,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// Digits only, as validated.
    pub document: String,
    /// Nine digits, without the +51 country prefix.
    pub phone_number: String,
    /// Lower-cased.
    pub email: String,
    pub time_working: Option<TimeWorking>,
    /// Campaign source, e.g. `APP`.
    pub utm_source: Option<String>,
    /// Campaign medium, e.g. `iOs` or `Android`.
    pub utm_medium: Option<String>,
    pub car_of_interest: CarOfInterest,
    /// Names, document, email and phone folded to lower case without accents, so that a
    /// search is case- and accent-insensitive on SQLite (whose `lower()` is ASCII-only) as
    /// on PostgreSQL.
    pub search_text: String,
    pub created_at: DateTimeUtc,
    /// The driver this lead became (`convertLead`); null until then. A lead converts once.
    pub client_id: Option<i64>,
    pub converted_at: Option<DateTimeUtc>,
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
