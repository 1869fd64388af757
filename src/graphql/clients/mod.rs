//! Leads (the public "I want a car" form, read by staff) and the driver's device token.

mod mutations;
mod queries;
pub mod types;

pub use mutations::ClientsMutation;
pub use queries::ClientsQuery;
