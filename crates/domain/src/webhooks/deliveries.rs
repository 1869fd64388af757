//! Deliveries: the events made for each endpoint from the business book's change log,
//! and how sending them goes.
//!
//! - **Fan-out** ([`endpoints_behind`], [`fan_out`]): the changes after an endpoint's
//!   cursor become one delivery each (for the kinds it asked for), with the object as the
//!   API shows it then (rendered by the caller), and the cursor moves past them in the
//!   same transaction. The cursor moves only from the value read, and a change makes one
//!   delivery per endpoint (a unique key), so two workers fanning out at once make each
//!   delivery once.
//! - **Sending** ([`claim_due`], [`record`]): a delivery is due when PENDING and its time
//!   has come, and no earlier delivery of the same object to the same endpoint is still
//!   PENDING, so that an object's events arrive in order. A worker claims it by a
//!   conditional update (as the email outbox does) before sending it, so only one sends
//!   it; a worker that dies mid-send leaves it to be sent again once the claim lapses:
//!   at least once.
//! - **Retries** ([`RetryPolicy`]): anything but a 2xx answer within the timeout is
//!   tried again after 10 s, 30 s, 1.5 min... (times 3, at most 3 hours), until a day
//!   after the event was made; then it is FAILED. `redeliverWebhook` ([`redeliver`])
//!   makes it PENDING again, at once, for another day.

use chrono::{DateTime, SecondsFormat, SubsecRound, TimeDelta, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Alias, Expr, ExprTrait, OnConflict, Query},
};
use serde_json::{Value, json};

use super::{events, events::EventKind, own_endpoint, require_admin, text::Text};
use crate::{
    DomainError, DomainResult,
    audit::{Actor, Change, ObjectKind},
    auth::Viewer,
    books::changes,
    business::in_business,
    commons::{WebhookDeliveryId, begin_write},
    entities::{book_change, webhook_delivery, webhook_delivery::DeliveryStatus, webhook_endpoint},
    reads::Listing,
};

/// When failed attempts are tried again, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failed attempt; each next one is 3 times longer.
    pub first: TimeDelta,
    /// The longest delay between two attempts.
    pub longest: TimeDelta,
    /// How long after it is made (or redelivered) a delivery is tried.
    pub window: TimeDelta,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first: TimeDelta::seconds(10),
            longest: TimeDelta::hours(3),
            window: TimeDelta::days(1),
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `attempts + 1`: 10 s, 30 s, 1.5 min, 4.5 min... at most
    /// [`RetryPolicy::longest`].
    pub fn delay(&self, attempts: i32) -> TimeDelta {
        let triplings = attempts.saturating_sub(1).clamp(0, 20) as u32;
        self.first
            .checked_mul(3i32.saturating_pow(triplings))
            .unwrap_or(self.longest)
            .min(self.longest)
    }
}

/// A change of the log an endpoint asked for, to be made a delivery.
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventKind,
    pub change: book_change::Model,
}

/// Enabled endpoints whose book has changes after their cursor: the fan-out's work.
pub async fn endpoints_behind<C: ConnectionTrait>(
    db: &C,
) -> DomainResult<Vec<webhook_endpoint::Model>> {
    let newer = Query::select()
        .expr(Expr::val(1))
        .from(book_change::Entity)
        .and_where(
            Expr::col((book_change::Entity, book_change::Column::BookId))
                .equals((webhook_endpoint::Entity, webhook_endpoint::Column::BookId)),
        )
        .and_where(
            Expr::tuple([
                Expr::col((book_change::Entity, book_change::Column::Seq)),
                Expr::col((book_change::Entity, book_change::Column::Id)),
            ])
            .gt(Expr::tuple([
                Expr::col((webhook_endpoint::Entity, webhook_endpoint::Column::Cursor)),
                Expr::col((webhook_endpoint::Entity, webhook_endpoint::Column::CursorId)),
            ])),
        )
        .to_owned();
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .filter(Expr::exists(newer))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?)
}

/// The body of a delivery: its event's id, type and time, and the object.
pub fn body(event_id: &str, event: &Event, object: Value) -> String {
    json!({
        "id": event_id,
        "type": event.kind.type_name(),
        "createdAt": event.change.at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        "data": { "object": object },
    })
    .to_string()
}

/// Makes the deliveries of at most `batch` changes after `endpoint`'s cursor, and moves
/// the cursor past them, in one transaction. `render` gives the object of each event (in
/// the order given) as the API shows it, or its tombstone. Returns how many deliveries
/// it made; none when another worker moved the cursor first.
pub async fn fan_out<R>(
    db: &DatabaseConnection,
    endpoint: &webhook_endpoint::Model,
    batch: u64,
    render: R,
    policy: &RetryPolicy,
    now: DateTime<Utc>,
) -> DomainResult<usize>
where
    R: AsyncFnOnce(&[Event]) -> DomainResult<Vec<Value>>,
{
    let from = changes::Position {
        seq: endpoint.cursor,
        id: endpoint.cursor_id,
    };
    let read = changes::changes_after(db, endpoint.book_id, from, batch).await?;
    let Some(through) = read.last().map(changes::Position::of) else {
        return Ok(0);
    };
    let wanted = events::stored(&endpoint.events);
    let events: Vec<Event> = read
        .into_iter()
        .filter_map(|change| {
            EventKind::of(change.kind, change.operation)
                .filter(|kind| wanted.contains(kind))
                .map(|kind| Event { kind, change })
        })
        .collect();
    let objects = if events.is_empty() {
        Vec::new()
    } else {
        render(&events).await?
    };
    if objects.len() != events.len() {
        return Err(DomainError::Internal(format!(
            "{} objects rendered for {} events",
            objects.len(),
            events.len()
        )));
    }
    let txn = begin_write(db).await?;
    let moved = webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::Cursor, Expr::value(through.seq))
        .col_expr(webhook_endpoint::Column::CursorId, Expr::value(through.id))
        .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
        .filter(webhook_endpoint::Column::Cursor.eq(endpoint.cursor))
        .filter(webhook_endpoint::Column::CursorId.eq(endpoint.cursor_id))
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(0);
    }
    let made = events.len();
    if made > 0 {
        let rows = events.iter().zip(objects).map(|(event, object)| {
            let event_id = uuid::Uuid::new_v4().to_string();
            webhook_delivery::ActiveModel {
                endpoint_id: Set(endpoint.id),
                payload: Set(body(&event_id, event, object)),
                event_id: Set(event_id),
                event_type: Set(event.kind.type_name()),
                change_seq: Set(event.change.seq),
                change_id: Set(event.change.id),
                object_kind: Set(event.kind.change_kind().to_value()),
                object_id: Set(event.change.object_id),
                status: Set(DeliveryStatus::Pending),
                attempts: Set(0),
                last_response_code: Set(None),
                last_error: Set(String::new()),
                next_attempt_at: Set(now),
                retry_until: Set(now + policy.window),
                last_attempt_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        webhook_delivery::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    webhook_delivery::Column::EndpointId,
                    webhook_delivery::Column::ChangeId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(made)
}

/// A delivery claimed for sending, with where and how to send it.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery: webhook_delivery::Model,
    pub url: String,
    pub secret: String,
    /// The claim: the delivery's `next_attempt_at` while this worker holds it. A
    /// redelivery asked for meanwhile moves it, and so tells [`record`] to leave the
    /// delivery PENDING for the send it asked for.
    pub claimed_until: DateTime<Utc>,
}

/// Claims at most `limit` deliveries whose time has come (see the module's doc), for
/// `hold`: until then no other worker sends them. Oldest first.
pub async fn claim_due(
    db: &DatabaseConnection,
    limit: u64,
    hold: TimeDelta,
    now: DateTime<Utc>,
) -> DomainResult<Vec<Due>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let earlier = Alias::new("earlier");
    let waits = Query::select()
        .expr(Expr::val(1))
        .from_as(webhook_delivery::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), webhook_delivery::Column::EndpointId)).equals((
                webhook_delivery::Entity,
                webhook_delivery::Column::EndpointId,
            )),
        )
        .and_where(
            Expr::col((earlier.clone(), webhook_delivery::Column::ObjectKind)).equals((
                webhook_delivery::Entity,
                webhook_delivery::Column::ObjectKind,
            )),
        )
        .and_where(
            Expr::col((earlier.clone(), webhook_delivery::Column::ObjectId))
                .equals((webhook_delivery::Entity, webhook_delivery::Column::ObjectId)),
        )
        .and_where(
            Expr::col((earlier.clone(), webhook_delivery::Column::Status))
                .eq(DeliveryStatus::Pending.to_value()),
        )
        .and_where(
            Expr::col((earlier, webhook_delivery::Column::Id)).lt(Expr::col((
                webhook_delivery::Entity,
                webhook_delivery::Column::Id,
            ))),
        )
        .to_owned();
    let enabled = Query::select()
        .column(webhook_endpoint::Column::Id)
        .from(webhook_endpoint::Entity)
        .and_where(Expr::col(webhook_endpoint::Column::Enabled).eq(true))
        .to_owned();
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .filter(webhook_delivery::Column::EndpointId.in_subquery(enabled))
        .filter(Expr::exists(waits).not())
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let mut endpoint_ids: Vec<i64> = due.iter().map(|d| d.endpoint_id).collect();
    endpoint_ids.sort_unstable();
    endpoint_ids.dedup();
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(endpoint_ids))
        .all(db)
        .await?;
    // Whole microseconds, as PostgreSQL stores them, so that `record` finds the claim.
    let claimed_until = (now + hold).trunc_subsecs(6);
    let mut claimed = Vec::new();
    for delivery in due {
        let Some(endpoint) = endpoints.iter().find(|e| e.id == delivery.endpoint_id) else {
            continue;
        };
        let taken = webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(claimed_until),
            )
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
            .filter(webhook_delivery::Column::NextAttemptAt.eq(delivery.next_attempt_at))
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(Due {
                delivery,
                url: endpoint.url.clone(),
                secret: endpoint.secret.clone(),
                claimed_until,
            });
        }
    }
    Ok(claimed)
}

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The endpoint answered this status: delivered when 2xx.
    Answered(u16),
    /// No answer: the connection failed or timed out; why.
    NoAnswer(String),
}

/// Records an attempt of a claimed delivery: SUCCEEDED on a 2xx, else PENDING again after
/// the policy's delay, or FAILED past its retry window. The status it is left in.
///
/// When the claim is no longer held (a redelivery was asked for while it was being sent,
/// or the claim lapsed and another worker took it), only the attempt is recorded: the
/// delivery stays PENDING for the send asked for since.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    due: &Due,
    outcome: &Outcome,
    policy: &RetryPolicy,
    now: DateTime<Utc>,
) -> DomainResult<DeliveryStatus> {
    let delivery = &due.delivery;
    let attempts = delivery.attempts + 1;
    let (code, error) = match outcome {
        Outcome::Answered(code) if (200..300).contains(code) => (Some(i32::from(*code)), None),
        Outcome::Answered(code) => (
            Some(i32::from(*code)),
            Some(format!("the endpoint answered HTTP {code}")),
        ),
        Outcome::NoAnswer(reason) => (None, Some(reason.chars().take(1000).collect())),
    };
    let next = now + policy.delay(attempts);
    let (status, next_attempt_at) = match &error {
        None => (DeliveryStatus::Succeeded, now),
        Some(_) if next > delivery.retry_until => (DeliveryStatus::Failed, now),
        Some(_) => (DeliveryStatus::Pending, next),
    };
    let attempt = || {
        webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::Attempts,
                Expr::col(webhook_delivery::Column::Attempts).add(1),
            )
            .col_expr(
                webhook_delivery::Column::LastResponseCode,
                Expr::value(code),
            )
            .col_expr(
                webhook_delivery::Column::LastError,
                Expr::value(error.clone().unwrap_or_default()),
            )
            .col_expr(webhook_delivery::Column::LastAttemptAt, Expr::value(now))
            .col_expr(webhook_delivery::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
    };
    let held = attempt()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status))
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(next_attempt_at),
        )
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_delivery::Column::NextAttemptAt.eq(due.claimed_until))
        .exec(db)
        .await?;
    if held.rows_affected == 1 {
        return Ok(status);
    }
    attempt().exec(db).await?;
    Ok(DeliveryStatus::Pending)
}

/// The deliveries of an endpoint of the caller's organization, newest first; ADMINs
/// only.
pub fn deliveries(
    viewer: &Viewer,
    endpoint: &webhook_endpoint::Model,
) -> DomainResult<Listing<webhook_delivery::Entity>> {
    require_admin(viewer)?;
    if endpoint.organization_id != viewer.organization_id.get() {
        return Err(DomainError::NotFound(Text::EndpointNotFound.into()));
    }
    Ok(Listing::new(
        webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id)),
        [(webhook_delivery::Column::Id, Order::Desc)],
    ))
}

/// One delivery to an endpoint of the caller's organization, ADMINs only; any other is
/// NOT_FOUND.
pub async fn own_delivery<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: WebhookDeliveryId,
) -> DomainResult<webhook_delivery::Model> {
    require_admin(viewer)?;
    let not_found = || DomainError::NotFound(Text::DeliveryNotFound.into());
    let delivery = webhook_delivery::Entity::find_by_id(id.get())
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    own_endpoint(db, viewer, crate::commons::Id::new(delivery.endpoint_id))
        .await
        .map_err(|_| not_found())?;
    Ok(delivery)
}

/// Sends a delivery again (`redeliverWebhook`): PENDING at once, tried for another
/// retry window, whatever it was (a delivered event is sent once more, with its id).
pub async fn redeliver(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: WebhookDeliveryId,
    policy: &RetryPolicy,
    now: DateTime<Utc>,
) -> DomainResult<webhook_delivery::Model> {
    require_admin(actor.viewer)?;
    in_business(db, actor, now, async |txn, _| {
        let before = own_delivery(txn, actor.viewer, id).await?;
        let mut active = before.clone().into_active_model();
        active.status = Set(DeliveryStatus::Pending);
        active.next_attempt_at = Set(now);
        active.retry_until = Set(now + policy.window);
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        let change = Change::of(
            ObjectKind::WebhookDelivery,
            after.id,
            "redeliverWebhook",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Deliveries of `endpoint_id`, oldest first: for the worker's tests and benchmarks.
pub async fn of_endpoint<C: ConnectionTrait>(
    db: &C,
    endpoint_id: i64,
) -> DomainResult<Vec<webhook_delivery::Model>> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .order_by_asc(webhook_delivery::Column::Id)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_three_times_longer_up_to_three_hours() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1), TimeDelta::seconds(10));
        assert_eq!(policy.delay(2), TimeDelta::seconds(30));
        assert_eq!(policy.delay(3), TimeDelta::seconds(90));
        assert_eq!(policy.delay(9), TimeDelta::hours(3));
        assert_eq!(policy.delay(i32::MAX), TimeDelta::hours(3));
    }
}
