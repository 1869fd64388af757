//! Small types every domain area shares.

pub mod calendar;
pub mod lease;
pub mod money;
pub mod organizations;

pub use calendar::{Calendar, Clock};
pub use money::{Money, MoneyError};
