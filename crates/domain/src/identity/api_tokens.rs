//! Per-application API tokens, as Infinanza's: one per integration, secret shown once.

use super::text::Text;
use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::commons::{ApiTokenId, begin_write};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    auth::{Viewer, secret},
    entities::api_token,
};

const MAX_NAME_CHARS: usize = 100;
/// Characters of the secret kept in clear to tell tokens apart (`lgw_at_` + 5).
const SHOWN_PREFIX_CHARS: usize = 12;

/// A token just created, with the only copy of its secret.
pub struct CreatedApiToken {
    pub token: api_token::Model,
    pub secret: String,
}

fn refuse_api_token_caller(viewer: &Viewer) -> DomainResult<()> {
    if viewer.via_api_token() {
        return Err(DomainError::Forbidden(
            Text::ApiTokensManagedByPeople.into(),
        ));
    }
    Ok(())
}

/// Records `operation` on `token` when the caller is staff: a driver's own tokens are no
/// staff write. The snapshot never holds the secret, nor its hash or shown prefix.
async fn record_if_staff(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    operation: &'static str,
    before: Option<&api_token::Model>,
    after: &api_token::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if actor.viewer.is_staff() {
        let change = Change::of(
            ObjectKind::ApiToken,
            after.id,
            operation,
            before,
            Some(after),
        );
        audit::record_by(txn, actor, change, now).await?;
    }
    Ok(())
}

/// Creates a token for the caller (`createApiToken`), in a transaction of its own that
/// records it in the audit trail when the caller is staff.
pub async fn create_api_token(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    name: &str,
    now: DateTime<Utc>,
) -> DomainResult<CreatedApiToken> {
    let viewer = actor.viewer;
    refuse_api_token_caller(viewer)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::Required,
            Text::NameTheToken,
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::TooLong,
            Text::TokenNameTooLong {
                max: MAX_NAME_CHARS.to_string(),
            },
        ));
    }
    let txn = begin_write(db).await?;
    let duplicate = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(viewer.user_id))
        .filter(api_token::Column::Name.eq(name))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(&txn)
        .await?;
    if duplicate.is_some() {
        txn.rollback().await?;
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::Duplicate,
            Text::TokenNameTaken,
        ));
    }
    let secret = secret::generate(secret::API_TOKEN_PREFIX);
    let token = api_token::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        user_id: Set(viewer.user_id.get()),
        name: Set(name.to_string()),
        token_prefix: Set(secret.chars().take(SHOWN_PREFIX_CHARS).collect()),
        token_hash: Set(secret::hash(&secret)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_if_staff(&txn, actor, "createApiToken", None, &token, now).await?;
    txn.commit().await?;
    Ok(CreatedApiToken { token, secret })
}

/// The caller's tokens, newest first, revoked ones included (they say when).
pub async fn list_api_tokens<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
) -> DomainResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(viewer.user_id))
        .filter(api_token::Column::OrganizationId.eq(viewer.organization_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// Revokes one of the caller's tokens (`revokeApiToken`), in a transaction of its own
/// that records it in the audit trail when the caller is staff; revoking twice is
/// harmless, and recorded once.
pub async fn revoke_api_token(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    token_id: ApiTokenId,
    now: DateTime<Utc>,
) -> DomainResult<api_token::Model> {
    let viewer = actor.viewer;
    refuse_api_token_caller(viewer)?;
    let txn = begin_write(db).await?;
    let Some(before) = api_token::Entity::find_by_id(token_id.get())
        .filter(api_token::Column::UserId.eq(viewer.user_id))
        .filter(api_token::Column::OrganizationId.eq(viewer.organization_id))
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Err(DomainError::from(NotFound::ApiToken));
    };
    if before.revoked_at.is_some() {
        txn.rollback().await?;
        return Ok(before);
    }
    let mut active = before.clone().into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    let after = active.update(&txn).await?;
    record_if_staff(&txn, actor, "revokeApiToken", Some(&before), &after, now).await?;
    txn.commit().await?;
    Ok(after)
}
