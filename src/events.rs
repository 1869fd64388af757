//! The event bus that subscriptions listen to. Publishers send only after their
//! transaction committed, so a subscriber never hears of money that did not move.
//!
//! On SQLite (one process) events go straight to this process' subscribers. On
//! PostgreSQL several replicas may serve one database behind a load balancer, and a
//! driver's subscription may sit on another replica than the request that paid: every
//! event is then published with `NOTIFY` on [`CHANNEL`], and each replica (the publisher
//! included) `LISTEN`s and hands what it hears to its own subscribers, so each
//! subscriber receives each event once, wherever it is connected. Notifications are sent
//! in the order they were published, by one task per process.

use std::time::Duration;

use sea_orm::{
    DatabaseBackend, DatabaseConnection,
    sqlx::{
        self,
        postgres::{PgListener, PgPoolOptions},
    },
};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::domain::wallet::payments::{Payer, PaymentReceipt};

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

/// A user's access tokens issued up to `at` are void (a deactivation, a changed role):
/// every replica records it in its `auth::EndedAccess`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEnded {
    pub user_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// What travels between replicas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Event {
    WalletChanged(WalletChanged),
    InvoicePaid(InvoicePaid),
    TransactionRecorded(TransactionRecorded),
    AccessEnded(AccessEnded),
}

/// What the relay task is asked to do, in order.
enum Outgoing {
    Notify(String),
    /// Answer once everything queued before was sent.
    Flush(oneshot::Sender<()>),
}

/// Cheap to clone; every clone publishes to the same subscribers.
#[derive(Clone)]
pub struct Events {
    wallet: broadcast::Sender<WalletChanged>,
    invoices: broadcast::Sender<InvoicePaid>,
    transactions: broadcast::Sender<TransactionRecorded>,
    access: broadcast::Sender<AccessEnded>,
    /// Set on PostgreSQL: events go out as notifications, in order.
    relay: Option<mpsc::UnboundedSender<Outgoing>>,
}

/// Events a slow subscriber may fall behind by before it skips the oldest.
const CAPACITY: usize = 1024;

impl Default for Events {
    /// This process' subscribers only.
    fn default() -> Self {
        Self {
            wallet: broadcast::channel(CAPACITY).0,
            invoices: broadcast::channel(CAPACITY).0,
            transactions: broadcast::channel(CAPACITY).0,
            access: broadcast::channel(CAPACITY).0,
            relay: None,
        }
    }
}

impl Events {
    /// The bus for `db`: relayed through `LISTEN/NOTIFY` on PostgreSQL, in-process
    /// otherwise. Fails when PostgreSQL refuses the listening connection.
    pub async fn for_database(db: &DatabaseConnection) -> Result<Self, sqlx::Error> {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(Self::default());
        }
        let pool = db.get_postgres_connection_pool().clone();
        // The listener holds its connection for good: it gets its own, outside the pool,
        // so that it neither takes a request's connection nor keeps the pool from closing.
        let own = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with((*pool.connect_options()).clone())
            .await?;
        let mut listener = PgListener::connect_with(&own).await?;
        listener.listen(CHANNEL).await?;
        let (sender, mut outbox) = mpsc::unbounded_channel::<Outgoing>();
        let events = Self {
            relay: Some(sender),
            ..Self::default()
        };
        let sending = pool.clone();
        tokio::spawn(async move {
            while let Some(outgoing) = outbox.recv().await {
                let payload = match outgoing {
                    Outgoing::Notify(payload) => payload,
                    Outgoing::Flush(done) => {
                        let _ = done.send(());
                        continue;
                    }
                };
                let sent = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(&payload)
                    .execute(&sending)
                    .await;
                if let Err(error) = sent {
                    tracing::error!(%error, "an event could not be relayed to other replicas");
                }
            }
        });
        let local = events.clone();
        tokio::spawn(async move {
            loop {
                // `recv` reconnects by itself after a lost connection; what was notified
                // meanwhile is lost, and the next event carries the current state.
                match listener.recv().await {
                    Ok(notification) => match serde_json::from_str(notification.payload()) {
                        Ok(event) => local.deliver(event),
                        Err(error) => tracing::warn!(%error, "an unreadable event was ignored"),
                    },
                    Err(error) => {
                        tracing::warn!(%error, "listening for events failed; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        Ok(events)
    }

    fn publish(&self, event: Event) {
        let Some(relay) = &self.relay else {
            self.deliver(event);
            return;
        };
        match serde_json::to_string(&event) {
            Ok(payload) => {
                if relay.send(Outgoing::Notify(payload)).is_err() {
                    tracing::error!("the event relay stopped; delivering locally");
                    self.deliver(event);
                }
            }
            Err(error) => tracing::error!(%error, "an event could not be serialized"),
        }
    }

    /// Hands an event to this process' subscribers. No subscriber is not an error: the
    /// event simply has no audience here.
    fn deliver(&self, event: Event) {
        match event {
            Event::WalletChanged(event) => {
                let _ = self.wallet.send(event);
            }
            Event::InvoicePaid(event) => {
                let _ = self.invoices.send(event);
            }
            Event::TransactionRecorded(event) => {
                let _ = self.transactions.send(event);
            }
            Event::AccessEnded(event) => {
                let _ = self.access.send(event);
            }
        }
    }

    /// Waits until every event published so far has left this process (a command that
    /// exits right after publishing, such as `auto-charge`, calls it last).
    pub async fn flush(&self) {
        let Some(relay) = &self.relay else {
            return;
        };
        let (done, sent) = oneshot::channel();
        if relay.send(Outgoing::Flush(done)).is_ok() {
            let _ = sent.await;
        }
    }

    pub fn wallet_changed(&self, event: WalletChanged) {
        self.publish(Event::WalletChanged(event));
    }

    pub fn subscribe_wallet(&self) -> broadcast::Receiver<WalletChanged> {
        self.wallet.subscribe()
    }

    /// Announces a committed payment: the payer's new wallet balance and each invoice it
    /// settled. A replayed payment (same idempotency key) announces nothing.
    pub fn payment_made(&self, payer: &Payer, receipt: &PaymentReceipt) {
        if receipt.replayed {
            return;
        }
        self.wallet_changed(WalletChanged {
            organization_id: payer.organization_id.get(),
            client_id: payer.client_id.get(),
            balance_minor: receipt.balance_after.minor(),
            reason: WalletChangeReason::Payment(receipt.payment_id.get()),
        });
        for invoice_id in &receipt.invoice_ids {
            self.publish(Event::InvoicePaid(InvoicePaid {
                organization_id: payer.organization_id.get(),
                client_id: payer.client_id.get(),
                invoice_id: invoice_id.get(),
                payment_id: receipt.payment_id.get(),
            }));
        }
    }

    pub fn subscribe_invoices(&self) -> broadcast::Receiver<InvoicePaid> {
        self.invoices.subscribe()
    }

    /// Announces committed transactions of a book.
    pub fn transactions_recorded(
        &self,
        organization_id: i64,
        book_id: i64,
        ids: impl IntoIterator<Item = i64>,
    ) {
        for transaction_id in ids {
            self.publish(Event::TransactionRecorded(TransactionRecorded {
                organization_id,
                book_id,
                transaction_id,
            }));
        }
    }

    pub fn subscribe_transactions(&self) -> broadcast::Receiver<TransactionRecorded> {
        self.transactions.subscribe()
    }

    /// Announces that a user's access ended, to every replica (this one included).
    pub fn access_ended(&self, event: AccessEnded) {
        self.publish(Event::AccessEnded(event));
    }

    pub fn subscribe_access_ended(&self) -> broadcast::Receiver<AccessEnded> {
        self.access.subscribe()
    }
}
