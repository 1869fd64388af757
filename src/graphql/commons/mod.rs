//! Conventions shared by every area of the schema.

pub mod connection;
pub mod context;
pub mod documents;
pub mod errors;
pub mod global_id;
pub mod limits;
pub mod nouns;
pub mod operation;
pub mod payload;
pub mod period;
pub mod request;
pub mod scalars;
pub mod subscriptions;
pub mod text;
pub mod transaction;

pub use connection::{PageArgs, list_cost, list_cost_up_to, page_of};
pub use context::{ContextExt, public_organization, today, viewer_organization};
pub use errors::{ErrorCode, UserError};
pub use global_id::{GlobalId, NodeKind, target, target_opt, targets};
pub use payload::{Payload, payload, payload_async};
pub use period::PeriodInput;
pub use request::{RequestContext, Speaking};
pub use scalars::{Date, Decimal};
pub use subscriptions::{SubscriptionSetup, filtered, guarded};
pub use transaction::finish;
