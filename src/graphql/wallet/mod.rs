//! The wallet: balance, recharges, movements, payments of invoices.

pub mod cards;
pub mod columns;
pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod text;
pub mod types;

pub use cards::{Card, CardsMutation};
pub use mutations::WalletMutation;
pub use queries::WalletQuery;
pub use subscriptions::WalletSubscription;
