//! One-time tokens: how a person sets their own password without anyone else ever
//! knowing it. Staff (or the operator) create an account and get an invitation token to
//! hand over; its holder chooses the password with it and is logged in. The token is
//! random, shown once, stored as its SHA-256, valid 72 hours and for one use; a newer
//! token of the same purpose replaces the older.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, sea_query::Expr,
};

use super::{
    hashing::hash_password,
    password_rules,
    sessions::{Session, end_sessions, issue_session},
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::{AuthSettings, secret},
    commons::{UserId, begin_write},
    entities::{one_time_token, one_time_token::Purpose, user},
};

/// Prefix of invitation tokens.
pub const INVITATION_PREFIX: &str = "lgw_it_";
/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::hours(72);

/// A token just issued, with the only copy of its secret.
#[derive(Debug, Clone)]
pub struct OneTimeToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

fn invalid_token() -> DomainError {
    DomainError::invalid(
        "token",
        UserErrorCode::InvalidToken,
        "This link is not valid any more: ask for a new one",
    )
}

/// Issues `user_id` a new invitation, revoking any earlier one still unused; call it in
/// the transaction that creates or re-invites the user.
pub(crate) async fn invite<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<OneTimeToken> {
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, Expr::value(now))
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(Purpose::Invitation))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    let token = secret::generate(INVITATION_PREFIX);
    let expires_at = now + INVITATION_TTL;
    one_time_token::ActiveModel {
        user_id: Set(user_id.get()),
        purpose: Set(Purpose::Invitation),
        token_hash: Set(secret::hash(&token)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(OneTimeToken { token, expires_at })
}

/// What the holder of an invitation sends to activate their account.
pub struct Acceptance<'a> {
    pub token: &'a str,
    pub password: &'a str,
    pub confirmation: &'a str,
}

/// Spends an invitation: sets the password its holder chose and logs them in. The token
/// works once, whoever races with it; a deactivated account is refused.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    input: Acceptance<'_>,
    now: DateTime<Utc>,
) -> DomainResult<Session> {
    let errors = password_rules::check_password_fields(
        input.password,
        input.confirmation,
        "password",
        "confirmation",
    );
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let token = input.token.trim();
    if !token.starts_with(INVITATION_PREFIX) || token.len() > 100 {
        return Err(invalid_token());
    }
    // Hashing is slow and needs no lock: done before the transaction.
    let password_hash = hash_password(&auth.hash_limit, input.password).await?;
    let txn = begin_write(db).await?;
    let Some(found) = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(secret::hash(token)))
        .filter(one_time_token::Column::Purpose.eq(Purpose::Invitation))
        .one(&txn)
        .await?
    else {
        return Err(invalid_token());
    };
    let spent = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(found.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return Err(invalid_token());
    }
    let Some(owner) = user::Entity::find_by_id(found.user_id).one(&txn).await? else {
        return Err(invalid_token());
    };
    if owner.deactivated_at.is_some() {
        return Err(DomainError::invalid(
            "token",
            UserErrorCode::Deactivated,
            "This account is deactivated: ask the company to reactivate it",
        ));
    }
    let mut active = owner.into_active_model();
    active.password_hash = Set(password_hash);
    active.updated_at = Set(now);
    let owner = active.update(&txn).await?;
    end_sessions(&txn, UserId::new(owner.id), now).await?;
    // Tokens are dated by the system clock, as `login`'s: they are checked against it.
    let family = uuid::Uuid::new_v4().to_string();
    let session = issue_session(&txn, auth, owner, family, Utc::now()).await?;
    txn.commit().await?;
    Ok(session)
}
