//! One-time tokens: how a person sets their own password without anyone else ever
//! knowing it. Staff (or the operator) create an account and get an invitation token to
//! hand over; its holder chooses the password with it and is logged in. Someone who
//! forgot their password asks for a reset token, which goes to their email. A token is
//! random, shown once, stored as its SHA-256, and works once, until it expires (72 hours
//! for an invitation, 1 hour for a reset); a newer token of the same purpose replaces the
//! older.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect, Set, sea_query::Expr,
};

use super::{
    hashing::hash_password,
    password_rules,
    sessions::{MAX_DOCUMENT_CHARS, Session, end_sessions, issue_session},
    text::Text,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::{AuthSettings, secret},
    commons::{UserId, begin_write, organizations},
    entities::{one_time_token, one_time_token::Purpose, user},
    outbox::{self, Email},
};

/// Prefix of invitation tokens.
pub const INVITATION_PREFIX: &str = "lgw_it_";
/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::hours(72);
/// Prefix of password reset tokens.
pub const RESET_PREFIX: &str = "lgw_pr_";
/// How long a password reset token works.
pub const RESET_TTL: Duration = Duration::hours(1);
/// Reset emails one account receives in 24 hours at most: more would let anyone flood
/// a driver's inbox with their document alone.
pub const MAX_RESETS_PER_DAY: u64 = 3;

fn prefix(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Invitation => INVITATION_PREFIX,
        Purpose::PasswordReset => RESET_PREFIX,
    }
}

fn ttl(purpose: Purpose) -> Duration {
    match purpose {
        Purpose::Invitation => INVITATION_TTL,
        Purpose::PasswordReset => RESET_TTL,
    }
}

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
        Text::LinkNoLongerValid,
    )
}

/// Issues `user_id` a new invitation, revoking any earlier one still unused; call it in
/// the transaction that creates or re-invites the user.
pub(crate) async fn invite<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<OneTimeToken> {
    issue(db, user_id, Purpose::Invitation, now).await
}

async fn issue<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> DomainResult<OneTimeToken> {
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::RevokedAt, Expr::value(now))
        .filter(one_time_token::Column::UserId.eq(user_id))
        .filter(one_time_token::Column::Purpose.eq(purpose))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    let token = secret::generate(prefix(purpose));
    let expires_at = now + ttl(purpose);
    one_time_token::ActiveModel {
        user_id: Set(user_id.get()),
        purpose: Set(purpose),
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

/// What the holder of a one-time token sends with the password they choose.
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
    spend(db, auth, Purpose::Invitation, input, now).await
}

/// Spends a password reset token: sets the new password, ends every session the account
/// had, and logs its holder in.
pub async fn reset_password(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    input: Acceptance<'_>,
    now: DateTime<Utc>,
) -> DomainResult<Session> {
    spend(db, auth, Purpose::PasswordReset, input, now).await
}

async fn spend(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    purpose: Purpose,
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
    if !token.starts_with(prefix(purpose)) || token.len() > 100 {
        return Err(invalid_token());
    }
    // Hashing is slow and needs no lock: done before the transaction.
    let password_hash = hash_password(&auth.hash_limit, input.password).await?;
    let txn = begin_write(db).await?;
    let Some(found) = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(secret::hash(token)))
        .filter(one_time_token::Column::Purpose.eq(purpose))
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
            Text::AccountDeactivated,
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

/// Who asks for a password reset, without a login.
pub struct ResetRequest<'a> {
    pub document: &'a str,
    /// The organization's slug; needed only when the gateway serves several.
    pub organization: Option<&'a str>,
}

/// Emails the account with `document` a password reset token, through the outbox. The
/// answer is the same whether or not such an account exists, has an email, or has had
/// its [`MAX_RESETS_PER_DAY`] already, so that it reveals nothing; only a blank or
/// overlong document, or an unknown organization, is refused.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    request: ResetRequest<'_>,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let document = request.document.trim();
    if document.is_empty() {
        return Err(DomainError::invalid(
            "document",
            UserErrorCode::Required,
            Text::EnterDocument,
        ));
    }
    if document.chars().count() > MAX_DOCUMENT_CHARS {
        return Err(DomainError::invalid(
            "document",
            UserErrorCode::TooLong,
            Text::DocumentTooLong {
                max: MAX_DOCUMENT_CHARS.to_string(),
            },
        ));
    }
    let organization = organizations::resolve_public(db, request.organization, None).await?;
    let txn = begin_write(db).await?;
    let mut query = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization.id))
        .filter(user::Column::Document.eq(document))
        .filter(user::Column::DeactivatedAt.is_null());
    // The account's row is the lock of its daily count: two requests at once cannot
    // both see 2 and send a fourth email.
    if txn.get_database_backend() == DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    let Some(owner) = query.one(&txn).await? else {
        return Ok(());
    };
    let Some(recipient) = owner.email.clone().filter(|e| !e.is_empty()) else {
        return Ok(());
    };
    let sent_today = one_time_token::Entity::find()
        .filter(one_time_token::Column::UserId.eq(owner.id))
        .filter(one_time_token::Column::Purpose.eq(Purpose::PasswordReset))
        .filter(one_time_token::Column::CreatedAt.gt(now - Duration::hours(24)))
        .count(&txn)
        .await?;
    if sent_today >= MAX_RESETS_PER_DAY {
        return Ok(());
    }
    let token = issue(&txn, UserId::new(owner.id), Purpose::PasswordReset, now).await?;
    let email = Email {
        organization_id: organization.id,
        invoice_id: None,
        recipient,
        subject: format!("{}: restablece tu contraseña", organization.name),
        body: format!(
            "Hola, {}:\n\nPediste elegir una nueva contraseña. Usa este código en la app antes de una hora:\n\n{}\n\nSi no lo pediste, ignora este mensaje: tu contraseña no cambia.\n",
            owner.first_name, token.token
        ),
        attachment: None,
    };
    outbox::queue_unattended(&txn, email, smtp_configured, now).await?;
    txn.commit().await?;
    Ok(())
}
