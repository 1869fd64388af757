//! What subscribers hear of a change, announced in the transaction that makes it.
//!
//! On PostgreSQL [`announce`] sends `NOTIFY` on [`CHANNEL`] inside that transaction: the
//! database delivers it when, and only when, the transaction commits, to every replica
//! listening, whichever process made the change (a replica, the `auto-charge` command).
//! An event can therefore neither go out for a change that rolled back nor be lost by a
//! process that stops right after its commit. On SQLite (one process) it does nothing:
//! the process hands the event to its own subscribers after the commit.

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde::{Deserialize, Serialize};

use crate::DomainResult;

/// The PostgreSQL channel events travel on between replicas.
pub const CHANNEL: &str = "gateway_events";

/// Why a wallet's balance changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WalletChangeReason {
    Payment(i64),
    Recharge(i64),
}

/// A driver's wallet balance changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletChanged {
    pub organization_id: i64,
    pub client_id: i64,
    pub balance_minor: i64,
    pub reason: WalletChangeReason,
}

/// A contract invoice was settled by a payment (from the wallet or by auto-charge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoicePaid {
    pub organization_id: i64,
    /// The driver whose contract the invoice is of.
    pub client_id: i64,
    pub invoice_id: i64,
    pub payment_id: i64,
}

/// A transaction was recorded in a book by a person or an integration (not the
/// occurrences a recurring series writes when a period is read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionRecorded {
    pub organization_id: i64,
    pub book_id: i64,
    pub transaction_id: i64,
}

/// Something of a book changed: its change log (`books::changes`) says what. Announced by
/// the database's own triggers on PostgreSQL (once per book and transaction), so that
/// every change is told of, whatever code made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookChanged {
    pub book_id: i64,
}

/// A user's access tokens issued up to `at` are void (a deactivation, a changed role):
/// every replica records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEnded {
    pub user_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl TransactionRecorded {
    /// The announcement of `row`, just recorded.
    pub fn of(row: &crate::entities::book_transaction::Model) -> Self {
        Self {
            organization_id: row.organization_id,
            book_id: row.book_id,
            transaction_id: row.id,
        }
    }
}

impl AccessEnded {
    /// The end of `user`'s access, when it ended.
    pub fn of(user: &crate::entities::user::Model) -> Option<Self> {
        user.access_ended_at.map(|at| Self {
            user_id: user.id,
            at,
        })
    }
}

/// What travels between replicas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    WalletChanged(WalletChanged),
    InvoicePaid(InvoicePaid),
    TransactionRecorded(TransactionRecorded),
    AccessEnded(AccessEnded),
    BookChanged(BookChanged),
}

/// Announces `event` on `txn`, the transaction that makes the change it tells of (see the
/// module's documentation).
pub async fn announce<C: ConnectionTrait>(txn: &C, event: Event) -> DomainResult<()> {
    if txn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let payload = serde_json::to_string(&event)
        .map_err(|e| crate::DomainError::Internal(format!("an event as JSON: {e}")))?;
    txn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(())
}
