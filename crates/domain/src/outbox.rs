//! The email outbox: an email is queued in the same transaction as the change that asked
//! for it, so that it is sent if and only if that change commits; the sender delivers
//! queued emails through SMTP, records SENT or FAILED with the reason, and retries
//! temporary failures with a growing delay. What an email says is its writer's (e.g.
//! `business::outbox` for invoices).
//!
//! Several replicas may run the sender at once: each email is claimed by a conditional
//! update before it is sent, so only one of them sends it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    DomainResult,
    auth::Viewer,
    entities::{email_outbox, email_outbox::OutboxStatus},
};

/// Attempts before an email is given up (FAILED).
pub const MAX_ATTEMPTS: i32 = 6;
/// The delay after the first failed attempt; it doubles after each.
const FIRST_RETRY: TimeDelta = TimeDelta::seconds(30);
/// The longest delay between two attempts.
const LONGEST_RETRY: TimeDelta = TimeDelta::hours(1);
/// How long a claimed email is left to its sender before another may try it.
const CLAIM: TimeDelta = TimeDelta::minutes(5);
/// Emails one run of the sender takes.
const BATCH: u64 = 20;
/// What the outbox says while no SMTP server is configured.
pub const NOT_CONFIGURED: &str = "SMTP_URL is not set: the email waits in the outbox and is sent once an SMTP server is configured";

/// An email to queue.
pub struct Email {
    /// The organization sending it.
    pub organization_id: i64,
    /// The sales invoice it carries, when it does.
    pub invoice_id: Option<i64>,
    pub recipient: String,
    /// Cut to 300 characters.
    pub subject: String,
    pub body: String,
    /// The attached PDF's file name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// Queues `email`, sent by `viewer`. `smtp_configured` says whether a sender will pick it
/// up; when not, the email says so.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    email: Email,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<email_outbox::Model> {
    queue_from(db, viewer.creator(), email, smtp_configured, now).await
}

/// [`queue`] for an email the gateway sends on its own (a password reset asked for
/// without a login): no user created it.
pub async fn queue_unattended<C: ConnectionTrait>(
    db: &C,
    email: Email,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<email_outbox::Model> {
    queue_from(db, (None, None), email, smtp_configured, now).await
}

async fn queue_from<C: ConnectionTrait>(
    db: &C,
    (created_by_user_id, created_by_token_id): (Option<i64>, Option<i64>),
    email: Email,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<email_outbox::Model> {
    let (attachment_name, attachment) = match email.attachment {
        Some((name, bytes)) => (name, Some(bytes)),
        None => (String::new(), None),
    };
    Ok(email_outbox::ActiveModel {
        organization_id: Set(email.organization_id),
        invoice_id: Set(email.invoice_id),
        recipient: Set(email.recipient),
        subject: Set(email.subject.chars().take(300).collect()),
        body: Set(email.body),
        attachment_name: Set(attachment_name),
        attachment: Set(attachment),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(if smtp_configured {
            String::new()
        } else {
            NOT_CONFIGURED.into()
        }),
        sent_at: Set(None),
        created_by_user_id: Set(created_by_user_id),
        created_by_token_id: Set(created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// An SMTP server to send through.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    /// From `SMTP_URL` (`smtp://user:password@host:port`, `smtps://...` for TLS, or
    /// `smtp://...?tls=required` for STARTTLS) and the sender's address.
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL is not valid: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("SMTP_FROM is not an email address: {e}"))?;
        Ok(Self { transport, from })
    }

    async fn send(&self, email: &email_outbox::Model) -> Result<(), SendError> {
        let to: Mailbox = email
            .recipient
            .parse()
            .map_err(|e| SendError::Permanent(format!("the recipient is not valid: {e}")))?;
        let text = SinglePart::plain(email.body.clone());
        let body = match &email.attachment {
            Some(bytes) => MultiPart::mixed().singlepart(text).singlepart(
                Attachment::new(email.attachment_name.clone()).body(
                    bytes.clone(),
                    ContentType::parse("application/pdf")
                        .map_err(|e| SendError::Permanent(format!("attachment type: {e}")))?,
                ),
            ),
            None => MultiPart::mixed().singlepart(text),
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .multipart(body)
            .map_err(|e| SendError::Permanent(format!("the email cannot be built: {e}")))?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                SendError::Permanent(e.to_string())
            } else {
                SendError::Temporary(e.to_string())
            }
        })
    }
}

enum SendError {
    /// The server refused it for good (5xx) or it cannot be sent at all.
    Permanent(String),
    /// Worth another try later (connection refused, timeout, 4xx).
    Temporary(String),
}

/// The delay before attempt `attempts + 1`: 30 s, 1 min, 2 min... at most an hour.
pub fn retry_delay(attempts: i32) -> TimeDelta {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    FIRST_RETRY
        .checked_mul(2i32.saturating_pow(doublings))
        .unwrap_or(LONGEST_RETRY)
        .min(LONGEST_RETRY)
}

/// What one run of the sender did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
}

/// Sends the queued emails whose time has come.
pub async fn deliver_due(
    db: &DatabaseConnection,
    smtp: &Smtp,
    now: DateTime<Utc>,
) -> DomainResult<DeliveryReport> {
    let due = email_outbox::Entity::find()
        .filter(email_outbox::Column::Status.eq(OutboxStatus::Queued))
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(email_outbox::Column::NextAttemptAt)
        .order_by_asc(email_outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut report = DeliveryReport::default();
    for email in due {
        // Claim it: only the sender whose update matches the row as read sends it.
        let claimed = email_outbox::Entity::update_many()
            .col_expr(
                email_outbox::Column::NextAttemptAt,
                sea_orm::sea_query::Expr::value(now + CLAIM),
            )
            .filter(email_outbox::Column::Id.eq(email.id))
            .filter(email_outbox::Column::Status.eq(OutboxStatus::Queued))
            .filter(email_outbox::Column::NextAttemptAt.eq(email.next_attempt_at))
            .exec(db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let result = smtp.send(&email).await;
        let attempts = email.attempts + 1;
        let mut active = email.into_active_model();
        active.attempts = Set(attempts);
        active.updated_at = Set(now);
        match result {
            Ok(()) => {
                active.status = Set(OutboxStatus::Sent);
                active.sent_at = Set(Some(now));
                active.last_error = Set(String::new());
                report.sent += 1;
            }
            Err(SendError::Temporary(reason)) if attempts < MAX_ATTEMPTS => {
                active.next_attempt_at = Set(now + retry_delay(attempts));
                active.last_error = Set(truncate(&reason));
                report.retried += 1;
            }
            Err(SendError::Temporary(reason) | SendError::Permanent(reason)) => {
                active.status = Set(OutboxStatus::Failed);
                active.last_error = Set(truncate(&reason));
                report.failed += 1;
            }
        }
        active.update(db).await?;
    }
    Ok(report)
}

fn truncate(reason: &str) -> String {
    reason.chars().take(1000).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(retry_delay(1), TimeDelta::seconds(30));
        assert_eq!(retry_delay(2), TimeDelta::seconds(60));
        assert_eq!(retry_delay(3), TimeDelta::seconds(120));
        assert_eq!(retry_delay(10), TimeDelta::hours(1));
        assert_eq!(retry_delay(i32::MAX), TimeDelta::hours(1));
    }
}
