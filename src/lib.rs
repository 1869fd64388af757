//! The GraphQL gateway for the money side of a car-leasing company and its drivers.
//!
//! Layers, each calling only the one below: `http` (transport) -> `graphql` (types,
//! resolvers, loaders) -> `domain` (rules) -> `entities` (SeaORM models) -> database.
//! `auth` turns credentials into a `Viewer` that reaches resolvers through the context.

pub mod app;
pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod entities;
pub mod events;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod seed;
pub mod shutdown;
pub mod telemetry;
pub mod workers;
