//! An email waiting to go out, delivered, or given up on: a sales invoice sent to its
//! customer with the PDF attached. The background sender delivers it through SMTP.

use sea_orm::entity::prelude::*;

/// Where an email stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum OutboxStatus {
    /// Waiting for its (next) attempt.
    #[sea_orm(string_value = "QUEUED")]
    Queued,
    /// Accepted by the SMTP server.
    #[sea_orm(string_value = "SENT")]
    Sent,
    /// Given up after its last attempt, or refused for good.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub invoice_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
    pub attachment: Option<Vec<u8>>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// Why the last attempt failed (or why nothing was attempted); empty when sent.
    pub last_error: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_by_user_id: Option<i64>,
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
