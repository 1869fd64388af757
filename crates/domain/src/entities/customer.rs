//! A customer of the organization: who its sales invoices are made out to (Infinanza's
//! customers).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    /// National identity or tax number (DNI, RUC); unique within the organization.
    pub national_id: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    /// Name, national id and email folded to lower case without accents, for search;
    /// derived from them, so the audit trail leaves it out.
    #[serde(skip_serializing)]
    pub search_text: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
