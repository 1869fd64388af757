//! The wallet's balance and its movements. The balance (`client_profiles.coins_minor`) is
//! only ever changed here, together with a movement that records the change and the
//! balance after it, so the balance always equals the sum of the movements.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

use super::text::Text;
use crate::commons::{OrganizationId, UserId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    commons::Money,
    entities::{client_profile, wallet_movement},
};

/// Locks the driver's wallet for the rest of the transaction and returns its balance.
///
/// On PostgreSQL `SELECT ... FOR UPDATE`; on SQLite the transaction already holds the
/// database's write lock. A driver without a profile is the REST API's "Perfil de cliente
/// no encontrado".
pub async fn lock(txn: &DatabaseTransaction, client_id: UserId) -> DomainResult<Money> {
    let mut query = client_profile::Entity::find_by_id(client_id.get());
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let profile = query.one(txn).await?.ok_or_else(|| {
        DomainError::invalid("", UserErrorCode::NotFound, Text::ClientProfileNotFound)
    })?;
    Ok(Money::from_minor(profile.coins_minor))
}

/// The balance without locking (for reads such as the pay summary).
pub async fn balance(db: &impl ConnectionTrait, client_id: UserId) -> DomainResult<Money> {
    client_profile::Entity::find_by_id(client_id.get())
        .one(db)
        .await?
        .map(|p| Money::from_minor(p.coins_minor))
        .ok_or_else(|| {
            DomainError::invalid("", UserErrorCode::NotFound, Text::ClientProfileNotFound)
        })
}

/// Why a balance changed.
#[derive(Debug, Clone, Copy)]
pub enum Cause {
    Recharge(i64),
    Payment(i64),
}

/// Adds `delta` (negative for a debit) to a locked wallet and records the movement;
/// returns the new balance. Refuses to go below zero even if a caller forgot to check
/// (the database's CHECK is the last backstop).
pub async fn apply(
    txn: &DatabaseTransaction,
    organization_id: OrganizationId,
    client_id: UserId,
    delta: Money,
    cause: Cause,
    now: DateTime<Utc>,
) -> DomainResult<Money> {
    let updated = client_profile::Entity::update_many()
        .col_expr(
            client_profile::Column::CoinsMinor,
            Expr::col(client_profile::Column::CoinsMinor).add(delta.minor()),
        )
        .filter(client_profile::Column::UserId.eq(client_id))
        .filter(Expr::col(client_profile::Column::CoinsMinor).gte(-delta.minor()))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(DomainError::invalid(
            "",
            UserErrorCode::InsufficientFunds,
            Text::NotEnoughCoins,
        ));
    }
    let balance = client_profile::Entity::find_by_id(client_id.get())
        .one(txn)
        .await?
        .map(|p| Money::from_minor(p.coins_minor))
        .ok_or_else(|| DomainError::Internal("wallet vanished inside its transaction".into()))?;
    let (recharge_id, payment_id) = match cause {
        Cause::Recharge(id) => (Some(id), None),
        Cause::Payment(id) => (None, Some(id)),
    };
    wallet_movement::ActiveModel {
        organization_id: Set(organization_id.get()),
        client_id: Set(client_id.get()),
        amount_minor: Set(delta.minor()),
        balance_after_minor: Set(balance.minor()),
        recharge_id: Set(recharge_id),
        payment_id: Set(payment_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(balance)
}
