//! The rules of the business, in plain Rust over SeaORM entities; no HTTP, no GraphQL.

pub mod commons;
pub mod content;
pub mod error;
pub mod identity;

pub use error::{DomainError, DomainResult, FieldError, UserErrorCode};
