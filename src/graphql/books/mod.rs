//! Books in the schema: `book` (the caller's accounts, categories and tags), the `Account`,
//! `Category` and `Tag` nodes, and their mutations.

pub mod mutations;
pub mod queries;
pub mod types;

pub use mutations::BooksMutation;
pub use queries::BooksQuery;
