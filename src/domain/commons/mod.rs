//! Small types every domain area shares.

pub mod money;

pub use money::{Money, MoneyError};
