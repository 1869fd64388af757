//! Schema migrations, one set for SQLite and PostgreSQL.
//!
//! Money columns are `BIGINT` minor units everywhere (SQLite has no exact decimal);
//! timestamps are stored in UTC.

pub use sea_orm_migration::prelude::*;

mod common;

mod m20261122_000001_identity;
mod m20261122_000002_contracts;
mod m20261123_000003_content;
mod m20261123_000004_leads;
mod m20261123_000005_cards;
mod m20261123_000006_wallet;
mod m20261123_000007_unique_codes;
mod m20261123_000008_auto_charge;
mod m20261123_000009_books;
mod m20261201_000010_book_transactions;
mod m20261201_000011_series_and_cards;
mod m20261202_000012_foreign_key_indexes;
mod m20261203_000013_business;
mod m20261203_000014_business_indexes;
mod m20261204_000015_invoice_page_index;
mod m20261205_000016_users_listing_index;
mod m20261206_000017_login_throttles;
mod m20261207_000018_staff_and_audit;
mod m20261207_000019_lead_conversion;
mod m20261208_000020_invoice_operations;
mod m20261209_000021_contract_lifecycle;
mod m20261210_000022_collections_indexes;
mod m20261211_000023_series_lineage;
mod m20261212_000024_organization_language;
mod m20261213_000025_book_changes;
mod m20261214_000026_statement_import;
mod m20261215_000027_webhooks;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_identity::Migration),
            Box::new(m20261122_000002_contracts::Migration),
            Box::new(m20261123_000003_content::Migration),
            Box::new(m20261123_000004_leads::Migration),
            Box::new(m20261123_000005_cards::Migration),
            Box::new(m20261123_000006_wallet::Migration),
            Box::new(m20261123_000007_unique_codes::Migration),
            Box::new(m20261123_000008_auto_charge::Migration),
            Box::new(m20261123_000009_books::Migration),
            Box::new(m20261201_000010_book_transactions::Migration),
            Box::new(m20261201_000011_series_and_cards::Migration),
            Box::new(m20261202_000012_foreign_key_indexes::Migration),
            Box::new(m20261203_000013_business::Migration),
            Box::new(m20261203_000014_business_indexes::Migration),
            Box::new(m20261204_000015_invoice_page_index::Migration),
            Box::new(m20261205_000016_users_listing_index::Migration),
            Box::new(m20261206_000017_login_throttles::Migration),
            Box::new(m20261207_000018_staff_and_audit::Migration),
            Box::new(m20261207_000019_lead_conversion::Migration),
            Box::new(m20261208_000020_invoice_operations::Migration),
            Box::new(m20261209_000021_contract_lifecycle::Migration),
            Box::new(m20261210_000022_collections_indexes::Migration),
            Box::new(m20261211_000023_series_lineage::Migration),
            Box::new(m20261212_000024_organization_language::Migration),
            Box::new(m20261213_000025_book_changes::Migration),
            Box::new(m20261214_000026_statement_import::Migration),
            Box::new(m20261215_000027_webhooks::Migration),
        ]
    }
}
