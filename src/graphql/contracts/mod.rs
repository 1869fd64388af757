//! Drivers' contracts, cars, car documents and weekly invoices.

pub mod client_fields;
pub mod columns;
pub mod lifecycle;
pub mod loaders;
pub mod queries;
pub mod signing;
pub mod text;
pub mod types;
