//! Collections (issue 19 §6), for the back office's collections screen: the overdue
//! invoices by age, the money received per day and source, the car papers about to
//! expire, and `Client.statementOfAccount` (see `domain::collections`).

pub mod loaders;
pub mod queries;
pub mod statement;
pub mod types;

pub use queries::CollectionsQuery;
