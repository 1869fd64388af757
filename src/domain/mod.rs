//! The rules of the business, in plain Rust over SeaORM entities; no HTTP, no GraphQL.

pub mod books;
pub mod business;
pub mod clients;
pub mod commons;
pub mod content;
pub mod error;
pub mod identity;
pub mod wallet;

pub use error::{DomainError, DomainResult, FieldError, UserErrorCode};
