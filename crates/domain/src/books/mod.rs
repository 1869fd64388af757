//! Books (issue 5): the accounts, categories and tags a driver keeps for their own
//! finances (a personal book) and the organization keeps for its business (the business
//! book). Drivers use their own book, staff the organization's; ADMINs write the business
//! book, COLLECTORs only read it. Nobody reaches another owner's book: its rows are "not
//! found", exactly as missing ones.
//!
//! Every change runs in one transaction that first locks the book's row ([`in_book`],
//! [`lock_book`]), so that the "exactly one default" rules hold under concurrent
//! requests; a staff member's change to the business book appends its audit record in
//! that transaction ([`writes`], one function per mutation).

pub mod accounts;
pub mod budgets;
pub mod cards;
// The book itself (finding, creating, who may use it), beside its parts.
#[allow(clippy::module_inception)]
pub mod books;
pub mod categories;
pub mod changes;
pub mod cycles;
pub mod entries;
pub mod listing;
pub mod occurrences;
pub mod series;
pub mod series_edits;
pub mod statements;
pub mod summaries;
pub mod tags;
pub mod text;
pub mod transaction_rules;
pub mod transactions;
pub mod transfers;
pub mod writes;

pub use books::{
    BookInContext, book_for, book_in_context, can_see, in_book, lock_book, open_book,
    open_missing_books, owner_for, require_writer,
};
