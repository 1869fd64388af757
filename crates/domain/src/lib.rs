//! The rules of the business, in plain Rust over SeaORM entities: who may see and do
//! what (`auth`, each area's `visible_to`), the entities (`entities`), and one module per
//! area of the business. It knows nothing of GraphQL or HTTP, and its manifest has no
//! dependency that does (a test of the gateway checks `cargo tree`).

pub mod audit;
pub mod auth;
pub mod books;
pub mod business;
pub mod checks;
pub mod clients;
pub mod collections;
pub mod commons;
pub mod content;
pub mod contracts;
pub mod entities;
pub mod error;
pub mod events;
pub mod i18n;
pub mod idempotency;
pub mod identity;
pub mod outbox;
pub mod pdf;
pub mod reads;
pub mod staff;
pub mod visibility;
pub mod wallet;
pub mod webhooks;

pub use error::{DomainError, DomainResult, FieldError, UserErrorCode};
pub use i18n::{Language, Message};
