//! The GraphQL gateway for the money side of a car-leasing company and its drivers.
//!
//! Layers, each calling only the one below: `http` (transport) -> `graphql` (types,
//! resolvers, loaders) -> the `domain` crate (rules, authorization, entities) -> database.
//! The domain is its own crate, so the compiler keeps it free of GraphQL and HTTP; it is
//! re-exported here (with its `auth` and `entities`) so that paths read `crate::domain`.

pub use ::domain;
pub use ::domain::{auth, entities};

pub mod app;
pub mod config;
pub mod db;
pub mod events;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod operator;
pub mod persisted;
pub mod seed;
pub mod shutdown;
pub mod state;
pub mod telemetry;
pub mod webhooks;
pub mod workers;
