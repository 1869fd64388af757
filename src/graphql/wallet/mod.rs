//! The wallet: balance, recharges, movements, payments of invoices.

pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod types;

pub use mutations::WalletMutation;
pub use queries::WalletQuery;
pub use subscriptions::WalletSubscription;
