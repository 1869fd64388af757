//! Books in the schema: `book` (the caller's accounts, categories and tags), the `Account`,
//! `Category` and `Tag` nodes, and their mutations.

pub mod listing;
pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod transactions;
pub mod types;

pub use mutations::BooksMutation;
pub use queries::BooksQuery;
pub use transactions::TransactionsMutation;
