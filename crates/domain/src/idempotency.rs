//! Idempotency keys of the mutations that move money.
//!
//! The key is looked up *after* the wallet is locked and stored in the same transaction as
//! the movement. So a retry that arrives while the first request is still running waits
//! for the wallet lock, then finds the key and returns the first result: it never runs
//! twice. A request that failed (a userError) stored nothing and moved nothing, so the
//! same key can be used again once the problem is fixed. Keys are kept for
//! [`RETENTION`] at least.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};
use serde::{Serialize, de::DeserializeOwned};
use sha2::{Digest, Sha256};

crate::catalogue! {
    /// What idempotency keys (retrying a money write safely) say.
    pub enum Text {
        KeyRequired {
            en: "An idempotency key is required: send a new UUID for each payment",
            es: "Se necesita una clave de idempotencia: envía un UUID nuevo en cada pago",
            pt: "É necessária uma chave de idempotência: envie um UUID novo a cada pagamento",
        }
        KeyFormat {
            en: "An idempotency key has 8 to 100 letters, digits or -_.: (a UUID fits)",
            es: "Una clave de idempotencia tiene de 8 a 100 letras, dígitos o -_.: (un UUID sirve)",
            pt: "Uma chave de idempotência tem de 8 a 100 letras, dígitos ou -_.: (um UUID serve)",
        }
        KeyReused(key) {
            en: "The idempotency key {key:?} was already used for a different request; use a new key for a new operation",
            es: "La clave de idempotencia {key:?} ya se usó para otra solicitud; usa una clave nueva para una operación nueva",
            pt: "A chave de idempotência {key:?} já foi usada para outra solicitação; use uma chave nova para uma nova operação",
        }
        KeyInUse(key) {
            en: "The idempotency key {key:?} is in use by another request; use a new key",
            es: "Otra solicitud está usando la clave de idempotencia {key:?}; usa una clave nueva",
            pt: "Outra solicitação está usando a chave de idempotência {key:?}; use uma chave nova",
        }
    }
}

use crate::commons::UserId;
use crate::{DomainError, DomainResult, FieldError, UserErrorCode, entities::idempotency_key};

/// How long a key is remembered at least.
pub const RETENTION: TimeDelta = TimeDelta::days(7);

/// A caller-chosen key, validated: 8 to 100 characters of letters, digits and `-_.:`
/// (a UUID fits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let key = raw.trim();
        let ok_chars = key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
        if key.is_empty() {
            return Err(FieldError::new(
                field,
                UserErrorCode::Required,
                Text::KeyRequired,
            ));
        }
        if !(8..=100).contains(&key.len()) || !ok_chars {
            return Err(FieldError::new(
                field,
                UserErrorCode::InvalidFormat,
                Text::KeyFormat,
            ));
        }
        Ok(Self(key.to_string()))
    }

    /// A key the server derives itself (the auto-charge job's, per invoice).
    pub fn internal(key: String) -> Self {
        Self(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Fingerprint of an operation and its normalised input.
pub fn request_hash(operation: &str, input: &str) -> String {
    hex::encode(Sha256::digest(format!("{operation}\n{input}").as_bytes()))
}

/// The first result stored under `key` for this client, when the same request was already
/// done; CONFLICT when the key was used for a different request.
pub async fn replay<T: DeserializeOwned>(
    txn: &DatabaseTransaction,
    client_id: UserId,
    key: &IdempotencyKey,
    operation: &str,
    hash: &str,
) -> DomainResult<Option<T>> {
    let Some(stored) = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::ClientId.eq(client_id))
        .filter(idempotency_key::Column::Key.eq(key.as_str()))
        .one(txn)
        .await?
    else {
        return Ok(None);
    };
    if stored.operation != operation || stored.request_hash != hash {
        return Err(DomainError::Conflict(
            Text::KeyReused {
                key: key.as_str().to_string(),
            }
            .into(),
        ));
    }
    serde_json::from_str(&stored.response)
        .map(Some)
        .map_err(|e| DomainError::Internal(format!("stored idempotent response unreadable: {e}")))
}

/// Remembers the result of a request that moved money, in its transaction.
pub async fn remember<T: Serialize>(
    txn: &DatabaseTransaction,
    client_id: UserId,
    key: &IdempotencyKey,
    operation: &str,
    hash: &str,
    response: &T,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let response = serde_json::to_string(response)
        .map_err(|e| DomainError::Internal(format!("idempotent response not serialisable: {e}")))?;
    idempotency_key::ActiveModel {
        client_id: Set(client_id.get()),
        key: Set(key.as_str().to_string()),
        operation: Set(operation.to_string()),
        request_hash: Set(hash.to_string()),
        response: Set(response),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Forgets keys older than [`RETENTION`]; returns how many.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> DomainResult<u64> {
    let pruned = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - RETENTION))
        .exec(db)
        .await?;
    Ok(pruned.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(IdempotencyKey::parse("k", "6f1c2d3e-8a47-4b59-9c0d-2e7f4a1b5c83").is_ok());
        assert_eq!(
            IdempotencyKey::parse("k", "  ").unwrap_err().code,
            UserErrorCode::Required
        );
        for bad in [
            "short",
            "has space inside",
            "emoji-🙂-key",
            &"x".repeat(101),
        ] {
            assert_eq!(
                IdempotencyKey::parse("k", bad).unwrap_err().code,
                UserErrorCode::InvalidFormat,
                "{bad}"
            );
        }
    }

    #[test]
    fn the_hash_tells_operations_and_inputs_apart() {
        assert_eq!(request_hash("pay", "1,2"), request_hash("pay", "1,2"));
        assert_ne!(request_hash("pay", "1,2"), request_hash("pay", "1,3"));
        assert_ne!(request_hash("pay", "1"), request_hash("recharge", "1"));
    }
}
