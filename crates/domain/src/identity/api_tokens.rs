//! Per-application API tokens, as Infinanza's: one per integration, secret shown once.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use crate::commons::ApiTokenId;
use crate::{
    DomainError, DomainResult, UserErrorCode,
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
            "API tokens are managed by people: log in to create or revoke one".into(),
        ));
    }
    Ok(())
}

pub async fn create_api_token<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    name: &str,
) -> DomainResult<CreatedApiToken> {
    refuse_api_token_caller(viewer)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::Required,
            "Name the token after the application that will use it",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::TooLong,
            format!("The name must have at most {MAX_NAME_CHARS} characters"),
        ));
    }
    let duplicate = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(viewer.user_id))
        .filter(api_token::Column::Name.eq(name))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    if duplicate.is_some() {
        return Err(DomainError::invalid(
            "name",
            UserErrorCode::Duplicate,
            "You already have an active token with this name",
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
    .insert(db)
    .await?;
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

/// Revokes one of the caller's tokens; revoking twice is harmless.
pub async fn revoke_api_token<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    token_id: ApiTokenId,
) -> DomainResult<api_token::Model> {
    refuse_api_token_caller(viewer)?;
    let Some(found) = api_token::Entity::find_by_id(token_id.get())
        .filter(api_token::Column::UserId.eq(viewer.user_id))
        .filter(api_token::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
    else {
        return Err(DomainError::NotFound("API token".into()));
    };
    if found.revoked_at.is_some() {
        return Ok(found);
    }
    let mut active = found.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}
