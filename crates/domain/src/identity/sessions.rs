//! Sessions: login issues an access token and a refresh token; each refresh spends the
//! refresh token and issues the next one of the same family.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};

use super::{
    hashing::{hash_password, verify_decoy, verify_password},
    password_rules,
    text::Text,
    throttle::{self, Charge},
};
use crate::commons::{Id, UserId};
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    auth::{AuthSettings, Credential, Viewer, password::HashLimit, secret},
    entities::{organization, refresh_token, user},
};

pub(super) const MAX_DOCUMENT_CHARS: usize = 32;

pub struct LoginInput {
    pub document: String,
    pub password: String,
    /// The organization's slug; needed only when the document exists in several.
    pub organization: Option<String>,
    /// Where the attempt comes from, when known: failed logins are limited per address as
    /// well as per document.
    pub client_address: Option<IpAddr>,
}

/// A logged-in session: a short-lived access token and the refresh token that renews it.
pub struct Session {
    pub access_token: String,
    pub access_token_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_token_expires_at: DateTime<Utc>,
    pub user: user::Model,
}

fn bad_credentials() -> DomainError {
    DomainError::invalid(
        "",
        UserErrorCode::InvalidCredentials,
        Text::InvalidCredentials,
    )
}

fn too_many_attempts(retry_after: u32) -> DomainError {
    let message = match retry_after {
        1 => Text::TooManyAttemptsOneSecond,
        2..60 => Text::TooManyAttemptsSeconds {
            seconds: retry_after.to_string(),
        },
        _ => match retry_after.div_ceil(60) {
            1 => Text::TooManyAttemptsOneMinute,
            minutes => Text::TooManyAttemptsMinutes {
                minutes: minutes.to_string(),
            },
        },
    };
    DomainError::Invalid(vec![
        FieldError::new("", UserErrorCode::TooManyAttempts, message).retry_after(retry_after),
    ])
}

fn invalid_refresh() -> DomainError {
    DomainError::Unauthenticated(Text::InvalidRefreshToken.into())
}

/// Logs in. Failed attempts are limited per document and per client address (see
/// [`throttle`]): each attempt is charged before its password is hashed, and a document
/// or address that has failed too often is refused with TOO_MANY_ATTEMPTS, hashing
/// nothing, until its wait is over. `now` is the clock of those limits. `db` is the
/// connection, not a transaction: the charge is committed before the hash.
pub async fn login(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    now: DateTime<Utc>,
    input: LoginInput,
) -> DomainResult<Session> {
    let document = input.document.trim();
    let mut errors = Vec::new();
    if document.is_empty() {
        errors.push(FieldError::new(
            "document",
            UserErrorCode::Required,
            Text::EnterDocument,
        ));
    }
    if input.password.is_empty() {
        errors.push(FieldError::new(
            "password",
            UserErrorCode::Required,
            Text::EnterPassword,
        ));
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    if document.chars().count() > MAX_DOCUMENT_CHARS
        || input.password.chars().count() > password_rules::MAX_PASSWORD_CHARS
    {
        return Err(bad_credentials());
    }

    let mut query = user::Entity::find().filter(user::Column::Document.eq(document));
    if let Some(slug) = input
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        query = query
            .inner_join(organization::Entity)
            .filter(organization::Column::Slug.eq(slug));
    }
    let mut candidates = query.all(db).await?;
    if candidates.len() > 1 {
        return Err(DomainError::invalid(
            "organization",
            UserErrorCode::OrganizationRequired,
            Text::OrganizationRequired,
        ));
    }
    let mut keys = vec![throttle::Key::document(document)];
    keys.extend(input.client_address.map(throttle::Key::address));
    let receipt = match throttle::charge(db, &keys, now).await? {
        Charge::Charged(receipt) => receipt,
        Charge::Refused { retry_after } => return Err(too_many_attempts(retry_after)),
    };
    let limit = &auth.hash_limit;
    // An invited account without its first password, or a deactivated one, logs in as
    // no account does: same work, same answer.
    let Some(found) = candidates
        .pop()
        .filter(|u| !u.password_hash.is_empty() && u.deactivated_at.is_none())
    else {
        // Same work as a real check, so timing does not reveal which documents exist.
        verify_decoy(limit, &input.password).await?;
        return Err(bad_credentials());
    };
    if !verify_password(limit, &input.password, &found.password_hash).await? {
        return Err(bad_credentials());
    }
    throttle::succeeded(db, receipt).await?;
    let family = uuid::Uuid::new_v4().to_string();
    issue_session(db, auth, found, family, Utc::now()).await
}

/// Issues a session to `found`, and opens the book they will read (their own, or the
/// business book for staff) if it is not open yet: reads never write, so it must exist
/// before the first one.
pub(super) async fn issue_session<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    auth: &AuthSettings,
    found: user::Model,
    family: String,
    now: DateTime<Utc>,
) -> DomainResult<Session> {
    crate::books::open_book(
        db,
        found.organization_id,
        crate::books::owner_for(found.id, found.role),
        now,
    )
    .await?;
    let refresh_ttl = chrono::Duration::from_std(auth.refresh_ttl)
        .map_err(|e| DomainError::Internal(format!("refresh ttl: {e}")))?;
    let refresh_plain = secret::generate(secret::REFRESH_TOKEN_PREFIX);
    let refresh_expires_at = now + refresh_ttl;
    refresh_token::ActiveModel {
        user_id: Set(found.id),
        family_id: Set(family.clone()),
        token_hash: Set(secret::hash(&refresh_plain)),
        expires_at: Set(refresh_expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let access = auth
        .jwt
        .issue(
            Id::new(found.id),
            Id::new(found.organization_id),
            found.role,
            &family,
            now,
        )
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    Ok(Session {
        access_token: access.token,
        access_token_expires_at: access.expires_at,
        refresh_token: refresh_plain,
        refresh_token_expires_at: refresh_expires_at,
        user: found,
    })
}

/// Spends a refresh token and issues the next one. Presenting a token that was already
/// spent means it was stolen or replayed: the whole family is revoked.
pub async fn refresh<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    auth: &AuthSettings,
    presented: &str,
) -> DomainResult<Session> {
    let presented = presented.trim();
    if !presented.starts_with(secret::REFRESH_TOKEN_PREFIX) {
        return Err(invalid_refresh());
    }
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(secret::hash(presented)))
        .one(db)
        .await?
    else {
        return Err(invalid_refresh());
    };
    let now = Utc::now();
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(invalid_refresh());
    }
    // Conditional update: of two concurrent refreshes with one token, exactly one wins.
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        tracing::warn!(family = %row.family_id, user_id = row.user_id, "refresh token reused: revoking its family");
        revoke_family(db, &row.family_id, now).await?;
        return Err(invalid_refresh());
    }
    let Some(owner) = user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .filter(|u| u.deactivated_at.is_none())
    else {
        return Err(invalid_refresh());
    };
    issue_session(db, auth, owner, row.family_id, now).await
}

async fn revoke_family<C: ConnectionTrait>(
    db: &C,
    family: &str,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Ends every session of `user_id`: their refresh tokens are revoked, so that no access
/// token of theirs is renewed, and a subscription stops at its next event.
pub(crate) async fn end_sessions<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let result = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Ends the session the refresh token belongs to, or every session of its user. Holding
/// the refresh token is proof enough; an unknown token ends nothing and is not an error,
/// so that logging out twice is harmless. Returns how many tokens were revoked.
pub async fn logout<C: ConnectionTrait>(
    db: &C,
    presented: &str,
    everywhere: bool,
) -> DomainResult<u64> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(secret::hash(presented.trim())))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let now = Utc::now();
    if !everywhere {
        return revoke_family(db, &row.family_id, now).await;
    }
    end_sessions(db, UserId::new(row.user_id), now).await
}

/// Changes the caller's password and ends every other session they have.
pub async fn change_password<C: ConnectionTrait>(
    db: &C,
    limit: &HashLimit,
    viewer: &Viewer,
    current: &str,
    new: &str,
    confirm: &str,
) -> DomainResult<()> {
    let Credential::AccessToken { session } = &viewer.credential else {
        return Err(DomainError::Forbidden(
            Text::ApiTokenChangingPassword.into(),
        ));
    };
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError::new(
            "currentPassword",
            UserErrorCode::Required,
            Text::EnterCurrentPassword,
        ));
    }
    errors.extend(password_rules::check_new_password(new, confirm));
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let Some(found) = user::Entity::find_by_id(viewer.user_id.get())
        .one(db)
        .await?
    else {
        return Err(DomainError::Unauthenticated(Text::UserGone.into()));
    };
    if current.chars().count() > password_rules::MAX_PASSWORD_CHARS
        || !verify_password(limit, current, &found.password_hash).await?
    {
        return Err(DomainError::invalid(
            "currentPassword",
            UserErrorCode::WrongPassword,
            Text::WrongCurrentPassword,
        ));
    }
    let new_hash = hash_password(limit, new).await?;
    let now = Utc::now();
    let mut active = found.into_active_model();
    active.password_hash = Set(new_hash);
    active.updated_at = Set(now);
    active.update(db).await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(viewer.user_id))
        .filter(refresh_token::Column::FamilyId.ne(session.as_str()))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
