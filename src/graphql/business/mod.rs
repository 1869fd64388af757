//! Business books in the schema (issue 7, the Infinanza REST API): `customers`,
//! `salesInvoices`, `receipts`, the `Customer`, `SalesInvoice` and `Receipt` nodes, and
//! their mutations. Staff only.

pub mod columns;
pub mod loaders;
pub mod mutations;
pub mod queries;
pub mod text;
pub mod types;

pub use mutations::BusinessMutation;
pub use queries::BusinessQuery;
