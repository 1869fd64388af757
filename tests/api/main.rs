//! Integration tests: the real HTTP router with real GraphQL, on SQLite and PostgreSQL.

mod common;

mod content;
mod contracts;
mod contracts_batching;
mod http;
mod identity;
mod limits;
mod nodes;
mod scalars;
mod schema;
mod startup;
mod tokens;
