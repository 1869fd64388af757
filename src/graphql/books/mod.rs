//! Books in the schema: `book` (the caller's accounts, categories and tags), the `Account`,
//! `Category`, `Tag`, `Transaction` and `Transfer` nodes, the driver's quick entries, and
//! their mutations.

pub mod book;
pub mod budgets;
pub mod cards;
pub mod changes;
pub mod entries;
pub mod listing;
pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod summaries;
pub mod text;
pub mod transactions;
pub mod transfers;
pub mod types;
pub mod writes;

pub use budgets::BudgetsMutation;
pub use cards::CreditCardsMutation;
pub use entries::EntriesMutation;
pub use mutations::BooksMutation;
pub use queries::BooksQuery;
pub use subscriptions::BooksSubscription;
pub use transactions::TransactionsMutation;
pub use transfers::TransfersMutation;
