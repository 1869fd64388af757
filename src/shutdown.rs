//! Stopping the server without cutting clients off mid-answer. HTTP requests in flight are
//! drained by axum's graceful shutdown; WebSocket connections, which axum no longer
//! tracks once upgraded, are told to close here: each sends a Close frame 1001 ("going
//! away", which graphql-ws clients answer by reconnecting, to another replica behind a
//! load balancer) and the process waits for them before it exits.

use std::{sync::Arc, time::Duration};

use tokio::sync::watch;

/// Cheap to clone; every clone sees the same stop.
#[derive(Clone)]
pub struct Shutdown {
    stopping: Arc<watch::Sender<bool>>,
    open: Arc<watch::Sender<usize>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self {
            stopping: Arc::new(watch::channel(false).0),
            open: Arc::new(watch::channel(0).0),
        }
    }
}

/// Counts a long-lived connection as open while it lives.
pub struct Held(Arc<watch::Sender<usize>>);

impl Drop for Held {
    fn drop(&mut self) {
        self.0.send_modify(|open| *open = open.saturating_sub(1));
    }
}

impl Shutdown {
    /// Tells every long-lived connection to close.
    pub fn begin(&self) {
        self.stopping.send_replace(true);
    }

    /// Whether the stop has begun.
    pub fn is_stopping(&self) -> bool {
        *self.stopping.borrow()
    }

    /// Resolves once the stop has begun.
    pub async fn stopping(&self) {
        let mut seen = self.stopping.subscribe();
        // An error means the sender is gone, which never happens while `self` lives.
        let _ = seen.wait_for(|stopping| *stopping).await;
    }

    /// Marks a long-lived connection as open until the returned value is dropped.
    pub fn hold(&self) -> Held {
        self.open.send_modify(|open| *open += 1);
        Held(self.open.clone())
    }

    /// Waits until every held connection closed, at most `limit`; false when some were
    /// still open.
    pub async fn drained(&self, limit: Duration) -> bool {
        let mut open = self.open.subscribe();
        tokio::time::timeout(limit, open.wait_for(|open| *open == 0))
            .await
            .is_ok_and(|waited| waited.is_ok())
    }
}
