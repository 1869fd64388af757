//! Small types every domain area shares.

pub mod calendar;
pub mod id;
pub mod lease;
pub mod money;
pub mod organizations;
pub mod period;
pub mod search;
pub mod sentences;
pub mod text;
pub mod writes;

pub use calendar::{Calendar, Clock, ManualClock};
pub use id::*;
pub use money::{Money, MoneyError};
pub use period::{Period, PeriodError};
pub use writes::{begin_write, lock_organization};
