//! The event bus that subscriptions listen to: this process' subscribers, and on
//! PostgreSQL every replica's.
//!
//! On PostgreSQL the domain announces each event with `NOTIFY` inside the transaction
//! that makes the change (`domain::events`), so the database delivers it at commit to
//! every replica, whichever process committed (the `auto-charge` command included), and a
//! process that stops right after a commit cannot lose it. Each replica `LISTEN`s on a
//! connection of its own and hands what it hears to its own subscribers: each subscriber
//! receives each event once, wherever it is connected, and [`Events::publish`] has
//! nothing left to do. On SQLite (one process) the API layer publishes after the commit
//! and the event goes straight to this process' subscribers.

use std::time::Duration;

use sea_orm::{
    DatabaseBackend, DatabaseConnection,
    sqlx::{
        self,
        postgres::{PgListener, PgPoolOptions},
    },
};
use tokio::sync::broadcast;

pub use crate::domain::events::{
    AccessEnded, BookChanged, CHANNEL, Event, InvoicePaid, TransactionRecorded, WalletChangeReason,
    WalletChanged,
};

/// Cheap to clone; every clone publishes to the same subscribers.
#[derive(Clone)]
pub struct Events {
    wallet: broadcast::Sender<WalletChanged>,
    invoices: broadcast::Sender<InvoicePaid>,
    transactions: broadcast::Sender<TransactionRecorded>,
    access: broadcast::Sender<AccessEnded>,
    books: broadcast::Sender<BookChanged>,
    /// True on PostgreSQL: events arrive through `LISTEN`, announced by the transactions
    /// that made them.
    listening: bool,
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
            books: broadcast::channel(CAPACITY).0,
            listening: false,
        }
    }
}

impl Events {
    /// The bus for `db`: fed by `LISTEN` on PostgreSQL (what any process announced),
    /// in-process otherwise. Fails when PostgreSQL refuses the listening connection.
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
        let events = Self {
            listening: true,
            ..Self::default()
        };
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

    /// Events the API layer tells of after their transaction committed (built by the
    /// domain: `payments::announcements`, `TransactionRecorded::of`...): on SQLite they go
    /// to this process' subscribers; on PostgreSQL the transaction announced them already.
    pub fn publish(&self, events: impl IntoIterator<Item = Event>) {
        if self.listening {
            return;
        }
        for event in events {
            self.deliver(event);
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
            Event::BookChanged(event) => {
                let _ = self.books.send(event);
            }
        }
    }

    pub fn subscribe_wallet(&self) -> broadcast::Receiver<WalletChanged> {
        self.wallet.subscribe()
    }

    pub fn subscribe_invoices(&self) -> broadcast::Receiver<InvoicePaid> {
        self.invoices.subscribe()
    }

    pub fn subscribe_transactions(&self) -> broadcast::Receiver<TransactionRecorded> {
        self.transactions.subscribe()
    }

    /// A tick each time `book_id` may have changed: on PostgreSQL when a transaction
    /// that changed it commits (or when this subscriber fell behind and may have missed
    /// one); on SQLite, where no notification tells of a job's writes, every
    /// `look_again`. Ends when the bus does.
    pub fn book_changes(
        &self,
        book_id: i64,
        look_again: Duration,
    ) -> futures_util::stream::BoxStream<'static, ()> {
        use futures_util::StreamExt;
        if !self.listening {
            let ticks =
                tokio::time::interval_at(tokio::time::Instant::now() + look_again, look_again);
            return futures_util::stream::unfold(ticks, |mut ticks| async move {
                ticks.tick().await;
                Some(((), ticks))
            })
            .boxed();
        }
        futures_util::stream::unfold(self.books.subscribe(), move |mut receiver| async move {
            loop {
                match receiver.recv().await {
                    Ok(event) if event.book_id != book_id => continue,
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some(((), receiver));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
        .boxed()
    }

    pub fn subscribe_access_ended(&self) -> broadcast::Receiver<AccessEnded> {
        self.access.subscribe()
    }
}
