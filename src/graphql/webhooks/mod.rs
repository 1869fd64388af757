//! Webhooks in the schema (issue 23): `webhookEndpoints`, the `WebhookEndpoint` and
//! `WebhookDelivery` nodes, and their mutations. ADMINs (and their API tokens) only.

pub mod mutations;
pub mod queries;
pub mod render;
pub mod types;

pub use mutations::WebhooksMutation;
pub use queries::WebhooksQuery;
