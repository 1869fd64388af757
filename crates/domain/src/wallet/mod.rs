//! The wallet: a driver's prepaid balance ("coins"), what fills it (recharges), what empties
//! it (payments of invoices), and the rules that keep every cent accounted for.
//!
//! Every change of a balance happens in one write transaction that first locks the
//! driver's wallet (`ledger::lock`), so that two operations on one wallet never interleave,
//! on PostgreSQL (row lock) and on SQLite (`BEGIN IMMEDIATE`) alike.

pub mod auto_charge;
pub mod cards;
pub mod history;
pub mod ledger;
pub mod payments;
pub mod recharges;
pub mod text;
