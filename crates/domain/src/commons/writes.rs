//! How a domain operation that writes starts its transaction.

use crate::commons::text::NotFound;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, QuerySelect,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use super::id::OrganizationId;
use crate::{DomainError, DomainResult, entities::organization};

/// Starts a transaction that may write: on SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`), since SQLite has no row locks and a deferred transaction that reads then
/// writes can fail with "database is locked" instead of waiting.
pub async fn begin_write(db: &DatabaseConnection) -> DomainResult<DatabaseTransaction> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Locks the organization's row for the rest of `txn`, so that rules over all its staff
/// (at least one active ADMIN) hold against concurrent changes. On PostgreSQL `SELECT
/// ... FOR UPDATE`; on SQLite a [`begin_write`] transaction already holds the write lock.
pub async fn lock_organization(
    txn: &DatabaseTransaction,
    organization_id: OrganizationId,
) -> DomainResult<organization::Model> {
    let mut query = organization::Entity::find_by_id(organization_id.get());
    if sea_orm::ConnectionTrait::get_database_backend(txn) == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    query
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Organization))
}
