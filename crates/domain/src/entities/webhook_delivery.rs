//! One event for one webhook endpoint: the change it tells of, its body, and how sending
//! it went (see `webhooks::deliveries`).

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// The endpoint answered 2xx.
    #[sea_orm(string_value = "SUCCEEDED")]
    Succeeded,
    /// Given up: no 2xx within the retry window.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub endpoint_id: i64,
    /// The event's UUID, the same on every attempt (receivers deduplicate by it).
    pub event_id: String,
    /// `transaction.created`, ...
    pub event_type: String,
    /// The change of the book's log it tells of: its number and its id.
    pub change_seq: i64,
    pub change_id: i64,
    /// The change's kind (`TRANSACTION`, ...) and the object's row id.
    pub object_kind: String,
    pub object_id: i64,
    /// The JSON body sent.
    #[serde(skip_serializing)]
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The HTTP status of the last attempt; none when it got no answer.
    pub last_response_code: Option<i32>,
    /// Why the last attempt failed; empty once delivered.
    pub last_error: String,
    pub next_attempt_at: DateTimeUtc,
    /// A failed attempt after it gives the delivery up: a day after it was made, or
    /// after it was redelivered.
    pub retry_until: DateTimeUtc,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
