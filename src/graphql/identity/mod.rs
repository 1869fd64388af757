//! Identity in the schema: `me`, login and sessions, passwords, API tokens.

pub mod columns;
pub mod mutations;
mod passwords;
mod queries;
mod subscriptions;
pub mod text;
pub mod types;

pub use mutations::IdentityMutation;
pub use passwords::PasswordsMutation;
pub use queries::IdentityQuery;
pub use subscriptions::IdentitySubscription;
