//! Schema migrations, one set for SQLite and PostgreSQL.
//!
//! Money columns are `BIGINT` minor units everywhere (SQLite has no exact decimal);
//! timestamps are stored in UTC.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_identity;
mod m20261122_000002_contracts;
mod m20261123_000003_content;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_identity::Migration),
            Box::new(m20261122_000002_contracts::Migration),
            Box::new(m20261123_000003_content::Migration),
        ]
    }
}
