//! Integration tests: the real HTTP router with real GraphQL, on SQLite and PostgreSQL.

mod common;

mod bench_dataset;
mod book_credit_cards;
mod book_entries;
mod book_listing;
mod book_series;
mod book_summaries;
mod book_transactions;
mod book_transfers;
mod books;
mod browser;
mod business;
mod business_documents;
mod cards;
mod compiled;
mod content;
mod contracts;
mod contracts_batching;
mod docs;
mod http;
mod identity;
mod leads;
mod limits;
mod login_limits;
mod nodes;
mod playground_examples;
mod scalars;
mod schema;
mod startup;
mod subscriptions;
mod tokens;
mod typed_client;
mod wallet;
mod wallet_model;
