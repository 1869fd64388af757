//! A webhook endpoint: a URL of the organization's integrator that is sent, signed, the
//! changes of the business book it asked for (see `webhooks`).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// The business book whose change log it follows.
    pub book_id: i64,
    pub url: String,
    pub description: String,
    /// The event kinds it receives, comma-separated (`TRANSACTION_CREATED,...`).
    pub events: String,
    pub enabled: bool,
    /// The signing secret (`whsec_...`). Stored as given, since it signs; shown once, and
    /// never serialised (so never in the audit trail).
    #[serde(skip_serializing)]
    pub secret: String,
    /// The position in the book's log (`seq`, then `id`) of the last change fanned out to
    /// it; bookkeeping of the sender, left out of the audit trail.
    #[serde(skip_serializing)]
    pub cursor: i64,
    #[serde(skip_serializing)]
    pub cursor_id: i64,
    pub created_by_user_id: Option<i64>,
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
