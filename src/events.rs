//! The in-process event bus that subscriptions listen to. Publishers send only after their
//! transaction committed, so a subscriber never hears of money that did not move.
//!
//! Events reach the subscribers connected to this process; carrying them across replicas
//! (PostgreSQL `LISTEN/NOTIFY`) is the business of the real-clients issue.

use tokio::sync::broadcast;

/// Why a wallet's balance changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletChangeReason {
    Payment(i64),
    Recharge(i64),
}

/// A driver's wallet balance changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletChanged {
    pub organization_id: i64,
    pub client_id: i64,
    pub balance_minor: i64,
    pub reason: WalletChangeReason,
}

/// Cheap to clone; every clone publishes to the same subscribers.
#[derive(Clone)]
pub struct Events {
    wallet: broadcast::Sender<WalletChanged>,
}

/// Events a slow subscriber may fall behind by before it skips the oldest.
const CAPACITY: usize = 1024;

impl Default for Events {
    fn default() -> Self {
        Self {
            wallet: broadcast::channel(CAPACITY).0,
        }
    }
}

impl Events {
    pub fn wallet_changed(&self, event: WalletChanged) {
        // No subscriber is not an error: the event simply has no audience.
        let _ = self.wallet.send(event);
    }

    pub fn subscribe_wallet(&self) -> broadcast::Receiver<WalletChanged> {
        self.wallet.subscribe()
    }
}
