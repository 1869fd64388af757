//! The wallet: balance, recharges, movements, payments of invoices.

pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod types;

pub use mutations::WalletMutation;
pub use queries::WalletQuery;
