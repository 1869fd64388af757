//! A driver's saved card (the Leasy REST API's "tarjetas guardadas"): the payment
//! processor's token (Kushki) and what is needed to show the card. A full card number or
//! a CVV is never stored.

use sea_orm::entity::prelude::*;

/// The card network, normalised from whatever the processor or the app calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CardBrand {
    #[sea_orm(string_value = "VISA")]
    Visa,
    #[sea_orm(string_value = "MASTERCARD")]
    Mastercard,
    #[sea_orm(string_value = "AMEX")]
    Amex,
    #[sea_orm(string_value = "DINERS")]
    Diners,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cards")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// The driver (a user with role CLIENT) who saved the card.
    pub client_id: i64,
    pub brand: CardBrand,
    /// The brand as it was given, e.g. "visa" or "MASTERCARD".
    pub brand_name: String,
    /// The first six digits (issuer identification), when known.
    pub bin: Option<String>,
    pub last4: String,
    /// 1 to 12.
    pub expiration_month: Option<i32>,
    /// Four digits, e.g. 2027.
    pub expiration_year: Option<i32>,
    /// The processor's tokenised card, to charge it. Write-only: never leaves the server.
    pub processor_token: Option<String>,
    /// The processor's subscription for recurring charges (the REST API's
    /// `kushki_subscription_id`).
    pub processor_subscription_id: Option<String>,
    /// Saved through the processor (the REST API's `is_kushki_card`).
    pub is_processor_card: bool,
    /// The card charged when the driver does not pick one; at most one per driver.
    pub is_default: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ClientId",
        to = "super::user::Column::Id"
    )]
    Client,
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id"
    )]
    Organization,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Client.def()
    }
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
