//! The authenticated caller of a request, and how an `Authorization` header becomes one.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, Set,
};

use super::{
    jwt::{JwtKeys, parse_role},
    secret::{self, API_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX},
    text::Text,
};
use crate::commons::Id;
use crate::i18n::Message;
use crate::{
    commons::{ApiTokenId, OrganizationId, UserId},
    entities::{api_token, refresh_token, user, user::Role},
};

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A JWT access token from `login`/`refreshToken`; `session` is its refresh family.
    AccessToken { session: String },
    /// A per-application API token acting for its creator.
    ApiToken { token_id: ApiTokenId },
}

/// The authenticated caller. Every query is scoped by `organization_id`; clients are
/// further scoped to their own rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: UserId,
    pub organization_id: OrganizationId,
    pub role: Role,
    pub credential: Credential,
}

impl Viewer {
    /// The user and (when the caller is an application) the API token to record as a
    /// row's creator: `created_by_user_id` and `created_by_token_id`.
    pub fn creator(&self) -> (Option<i64>, Option<i64>) {
        let token = match self.credential {
            Credential::ApiToken { token_id } => Some(token_id.get()),
            Credential::AccessToken { .. } => None,
        };
        (Some(self.user_id.get()), token)
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Collector)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_client(&self) -> bool {
        self.role == Role::Client
    }

    pub fn via_api_token(&self) -> bool {
        matches!(self.credential, Credential::ApiToken { .. })
    }
}

/// Why a request's credentials were refused. `Display` is English, for logs (and for
/// [`AuthError::Database`], the database's own detail).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("{}", self.message())]
    MalformedHeader,
    #[error("{}", self.message())]
    InvalidAccessToken,
    #[error("{}", self.message())]
    ExpiredAccessToken,
    #[error("{}", self.message())]
    RefreshTokenAsAccess,
    #[error("{}", self.message())]
    InvalidApiToken,
    #[error("database error while authenticating: {0}")]
    Database(#[from] sea_orm::DbErr),
}

impl AuthError {
    /// What the caller is told, in their language at the edge. A database failure says
    /// only that the credentials could not be checked: its detail is for the log.
    pub fn message(&self) -> Message {
        match self {
            AuthError::MalformedHeader => Text::MalformedHeader,
            AuthError::InvalidAccessToken => Text::InvalidAccessToken,
            AuthError::ExpiredAccessToken => Text::ExpiredAccessToken,
            AuthError::RefreshTokenAsAccess => Text::RefreshTokenAsAccess,
            AuthError::InvalidApiToken => Text::InvalidApiToken,
            AuthError::Database(_) => Text::CredentialsUnchecked,
        }
        .into()
    }

    /// Why the caller is not authenticated, for a client to act on: `TOKEN_EXPIRED` means
    /// refresh the access token and try again; `TOKEN_INVALID` means log in again.
    pub fn reason(&self) -> &'static str {
        match self {
            AuthError::ExpiredAccessToken => "TOKEN_EXPIRED",
            _ => "TOKEN_INVALID",
        }
    }
}

/// Extracts the token from `Bearer <token>` or Infinanza's `Token token=<token>`.
pub fn token_from_header(header: &str) -> Result<&str, AuthError> {
    let header = header.trim();
    let token = if let Some(rest) = strip_prefix_ignore_case(header, "Bearer ") {
        rest.trim()
    } else if let Some(rest) = strip_prefix_ignore_case(header, "Token ") {
        let rest = rest.trim();
        let rest = rest
            .strip_prefix("token=")
            .ok_or(AuthError::MalformedHeader)?;
        rest.trim_matches('"')
    } else {
        return Err(AuthError::MalformedHeader);
    };
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(AuthError::MalformedHeader);
    }
    Ok(token)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Resolves an `Authorization` header. A JWT costs no SQL; an API token one lookup.
pub async fn authenticate<C: ConnectionTrait>(
    header: &str,
    keys: &JwtKeys,
    db: &C,
) -> Result<Viewer, AuthError> {
    let token = token_from_header(header)?;
    if token.starts_with(REFRESH_TOKEN_PREFIX) {
        return Err(AuthError::RefreshTokenAsAccess);
    }
    if token.starts_with(API_TOKEN_PREFIX) {
        return authenticate_api_token(token, db).await;
    }
    let claims = keys.verify(token).map_err(|e| {
        if e.expired {
            AuthError::ExpiredAccessToken
        } else {
            AuthError::InvalidAccessToken
        }
    })?;
    let user_id = claims
        .sub
        .parse()
        .map(Id::new)
        .map_err(|_| AuthError::InvalidAccessToken)?;
    let role = parse_role(&claims.role).ok_or(AuthError::InvalidAccessToken)?;
    Ok(Viewer {
        user_id,
        organization_id: Id::new(claims.org),
        role,
        credential: Credential::AccessToken {
            session: claims.sid,
        },
    })
}

/// When the access token in an `Authorization` header expires; `None` for an API token
/// (valid until revoked) or a header that does not authenticate.
pub fn expires_at(header: &str, keys: &JwtKeys) -> Option<DateTime<Utc>> {
    let token = token_from_header(header).ok()?;
    if token.starts_with(API_TOKEN_PREFIX) {
        return None;
    }
    let claims = keys.verify(token).ok()?;
    DateTime::from_timestamp(claims.exp, 0)
}

/// Whether the credential `viewer` authenticated with still holds: its session not ended
/// (logout, a password change, a replayed refresh token) and its API token not revoked.
/// An access token alone is checked without SQL until it expires; a long-lived
/// connection (a subscription) asks this before each event it delivers.
pub async fn credential_holds<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
) -> Result<bool, sea_orm::DbErr> {
    let live = match &viewer.credential {
        Credential::AccessToken { session } => {
            refresh_token::Entity::find()
                .filter(refresh_token::Column::FamilyId.eq(session.as_str()))
                .filter(refresh_token::Column::UserId.eq(viewer.user_id))
                .filter(refresh_token::Column::RevokedAt.is_null())
                .count(db)
                .await?
        }
        Credential::ApiToken { token_id } => {
            api_token::Entity::find_by_id(token_id.get())
                .filter(api_token::Column::RevokedAt.is_null())
                .count(db)
                .await?
        }
    };
    Ok(live > 0)
}

async fn authenticate_api_token<C: ConnectionTrait>(
    token: &str,
    db: &C,
) -> Result<Viewer, AuthError> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(secret::hash(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .find_also_related(user::Entity)
        .one(db)
        .await?;
    let Some((token_row, Some(owner))) = found.filter(|(_, owner)| {
        owner
            .as_ref()
            .is_some_and(|owner| owner.deactivated_at.is_none())
    }) else {
        return Err(AuthError::InvalidApiToken);
    };
    let viewer = Viewer {
        user_id: Id::new(owner.id),
        organization_id: Id::new(owner.organization_id),
        role: owner.role,
        credential: Credential::ApiToken {
            token_id: Id::new(token_row.id),
        },
    };
    // Recording use is best effort, at most once a minute per token, so that a busy
    // integration does not turn every read into a write.
    let now = Utc::now();
    let stale = token_row
        .last_used_at
        .is_none_or(|at| now.signed_duration_since(at) > chrono::Duration::minutes(1));
    if stale {
        let mut active = token_row.into_active_model();
        active.last_used_at = Set(Some(now));
        if let Err(err) = active.update(db).await {
            tracing::warn!(error = %err, "could not record API token use");
        }
    }
    Ok(viewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_header_forms() {
        assert_eq!(token_from_header("Bearer abc").unwrap(), "abc");
        assert_eq!(token_from_header("bearer  abc ").unwrap(), "abc");
        assert_eq!(token_from_header("Token token=abc").unwrap(), "abc");
        assert_eq!(token_from_header("Token token=\"abc\"").unwrap(), "abc");
        for bad in [
            "",
            "Bearer",
            "Bearer ",
            "Basic abc",
            "Token abc",
            "Bearer a b",
        ] {
            assert!(token_from_header(bad).is_err(), "{bad:?}");
        }
    }
}
