//! Recharges: staff record money a driver paid in (the REST API's "recargas", type
//! `cash_in`).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use super::{
    ledger::{self, Cause},
    text::Text,
};
use crate::commons::{Id, OrganizationId, RechargeId, UserId};
use crate::events::{self, Event, WalletChangeReason, WalletChanged};
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks,
    commons::Money,
    entities::{recharge, user, user::Role},
    idempotency::{self, IdempotencyKey},
    visibility,
};

const OPERATION: &str = "recordRecharge";

/// The largest single recharge: a guard against a slipped zero, not a business limit.
pub const MAX_RECHARGE: Money = Money::from_minor(10_000_000); // 100,000.00
const MAX_METHOD_CHARS: usize = 50;
const MAX_OBSERVATION_CHARS: usize = 500;

/// A recharge as staff enter it.
#[derive(Debug, Clone)]
pub struct NewRecharge {
    pub client_id: UserId,
    pub amount: Money,
    pub method: String,
    pub observation: String,
}

/// The result of recording a recharge, as first returned and as replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RechargeReceipt {
    pub recharge_id: RechargeId,
    pub client_id: UserId,
    /// Stored under its name as minor units, so that older stored receipts read the same.
    #[serde(rename = "balance_after_minor")]
    pub balance_after: Money,
    #[serde(default)]
    pub replayed: bool,
}

/// What subscribers hear of a recharge in `organization_id`: the driver's new balance;
/// nothing of a replay, which moved nothing.
pub fn announcement(organization_id: OrganizationId, receipt: &RechargeReceipt) -> Option<Event> {
    (!receipt.replayed).then(|| {
        Event::WalletChanged(WalletChanged {
            organization_id: organization_id.get(),
            client_id: receipt.client_id.get(),
            balance_minor: receipt.balance_after.minor(),
            reason: WalletChangeReason::Recharge(receipt.recharge_id.get()),
        })
    })
}

fn check(input: &NewRecharge) -> Result<NewRecharge, DomainError> {
    let mut errors = Vec::new();
    if !input.amount.is_positive() || input.amount > MAX_RECHARGE {
        errors.push(FieldError::new(
            "amount",
            UserErrorCode::InvalidAmount,
            Text::RechargeAmount {
                max: MAX_RECHARGE.to_string(),
            },
        ));
    }
    let method = input.method.trim();
    if method.is_empty() {
        errors.push(FieldError::new(
            "method",
            UserErrorCode::Required,
            Text::RechargeMethod,
        ));
    } else if method.chars().count() > MAX_METHOD_CHARS {
        errors.push(FieldError::new(
            "method",
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: MAX_METHOD_CHARS.to_string(),
            },
        ));
    }
    let observation = input.observation.trim();
    if observation.chars().count() > MAX_OBSERVATION_CHARS {
        errors.push(FieldError::new(
            "observation",
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: MAX_OBSERVATION_CHARS.to_string(),
            },
        ));
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    Ok(NewRecharge {
        client_id: input.client_id,
        amount: input.amount,
        method: method.to_string(),
        observation: observation.to_string(),
    })
}

/// Records a recharge for a driver of the staff member's organization and credits the
/// wallet, in one write transaction that also records it in the audit trail
/// (`recordRecharge`), once per idempotency key: a replay writes nothing, record
/// included. Staff only (ADMINs, and COLLECTORs, who collect the cash).
pub async fn record(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewRecharge,
    key: &IdempotencyKey,
    now: DateTime<Utc>,
) -> DomainResult<RechargeReceipt> {
    visibility::require_staff(actor.viewer)?;
    let input = check(input)?;
    let hash = idempotency::request_hash(
        OPERATION,
        &format!(
            "{}|{}|{}|{}",
            input.client_id, input.amount, input.method, input.observation
        ),
    );
    let txn = crate::commons::begin_write(db).await?;
    let client = user::Entity::find_by_id(input.client_id.get())
        .filter(user::Column::OrganizationId.eq(actor.viewer.organization_id))
        .filter(user::Column::Role.eq(Role::Client))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("clientId", UserErrorCode::NotFound, Text::NoSuchClient)
        })?;
    ledger::lock(&txn, Id::new(client.id)).await?;
    if let Some(mut first) =
        idempotency::replay::<RechargeReceipt>(&txn, Id::new(client.id), key, OPERATION, &hash)
            .await?
    {
        txn.commit().await?;
        first.replayed = true;
        return Ok(first);
    }
    let recharge = recharge::ActiveModel {
        organization_id: Set(client.organization_id),
        client_id: Set(client.id),
        amount_minor: Set(input.amount.minor()),
        method: Set(input.method.clone()),
        observation: Set(input.observation.clone()),
        kind: Set("CASH_IN".into()),
        recorded_by: Set(Some(actor.viewer.user_id.get())),
        idempotency_key: Set(Some(key.as_str().to_string())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let balance = ledger::apply(
        &txn,
        Id::new(client.organization_id),
        Id::new(client.id),
        input.amount,
        Cause::Recharge(recharge.id),
        now,
    )
    .await?;
    let receipt = RechargeReceipt {
        recharge_id: Id::new(recharge.id),
        client_id: Id::new(client.id),
        balance_after: balance,
        replayed: false,
    };
    if let Some(event) = announcement(actor.viewer.organization_id, &receipt) {
        events::announce(&txn, event).await?;
    }
    idempotency::remember(
        &txn,
        Id::new(client.id),
        key,
        OPERATION,
        &hash,
        &receipt,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Id::new(client.organization_id),
        &actor.into(),
        Change::of(
            ObjectKind::Recharge,
            recharge.id,
            OPERATION,
            None,
            Some(&recharge),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(receipt)
}
