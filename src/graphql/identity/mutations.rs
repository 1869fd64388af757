use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;

use super::types::{ApiToken, User};
use crate::{
    domain::identity,
    graphql::commons::{ContextExt, NodeKind, UserError, finish, payload, payload_async, target},
};

/// A logged-in session.
#[derive(SimpleObject)]
pub struct Session {
    /// Send as `Authorization: Bearer <accessToken>`. Short-lived (15 minutes by default).
    pub access_token: String,
    /// When the access token stops working.
    pub access_token_expires_at: DateTime<Utc>,
    /// Exchange for a new session with `refreshToken` before it expires. Single use: a
    /// used refresh token presented again ends the whole session.
    pub refresh_token: String,
    /// When the refresh token stops working.
    pub refresh_token_expires_at: DateTime<Utc>,
    /// Who is logged in.
    pub user: User,
}

impl From<identity::Session> for Session {
    fn from(s: identity::Session) -> Self {
        Self {
            access_token: s.access_token,
            access_token_expires_at: s.access_token_expires_at,
            refresh_token: s.refresh_token,
            refresh_token_expires_at: s.refresh_token_expires_at,
            user: s.user.into(),
        }
    }
}

/// Credentials, as the Leasy app sends them.
#[derive(InputObject)]
pub struct LoginInput {
    /// The national identity document.
    pub document: String,
    /// The password.
    pub password: String,
    /// The organization's slug; needed only when the document exists in several.
    pub organization: Option<String>,
}

/// The session, or why there is none.
#[derive(SimpleObject, Default)]
pub struct LoginPayload {
    /// The new session; null when `userErrors` is not empty.
    pub session: Option<Session>,
    /// Problems with the input the user can fix. Wrong credentials give one message (INVALID_CREDENTIALS), whatever was wrong. After too many failed logins of one document or from one address, TOO_MANY_ATTEMPTS with `retryAfter`: nothing is checked until then, not even the right password.
    pub user_errors: Vec<UserError>,
}

/// The refresh token to exchange.
#[derive(InputObject)]
pub struct RefreshTokenInput {
    /// The refresh token of the current session.
    pub refresh_token: String,
}

/// The renewed session.
#[derive(SimpleObject, Default)]
pub struct RefreshTokenPayload {
    /// The renewed session, with a new refresh token (the one sent is spent).
    pub session: Option<Session>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// Which session to end.
#[derive(InputObject)]
pub struct LogoutInput {
    /// The refresh token of the session to end.
    pub refresh_token: String,
    /// End every session of this user, on every device.
    #[graphql(default)]
    pub everywhere: bool,
}

/// What logging out ended.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// How many refresh tokens were revoked (0 when the session had already ended).
    pub revoked_tokens: u64,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The Leasy REST API's password change: at least 6 characters with a digit and a letter.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The password in use now.
    pub current_password: String,
    /// The new password: at least 6 characters, at least one digit and one letter.
    pub new_password: String,
    /// The new password again.
    pub confirm_new_password: String,
}

/// The result of a password change.
#[derive(SimpleObject, Default)]
pub struct ChangePasswordPayload {
    /// The user whose password changed; null when `userErrors` is not empty. Every other
    /// session of the user has been ended.
    pub user: Option<User>,
    /// One entry per broken rule.
    pub user_errors: Vec<UserError>,
}

/// A new API token.
#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// The application that will use the token, e.g. "ERP sync".
    pub name: String,
}

/// The new token and its secret.
#[derive(SimpleObject, Default)]
pub struct CreateApiTokenPayload {
    /// The new token; null when `userErrors` is not empty.
    pub api_token: Option<ApiToken>,
    /// The secret, shown this once: store it now. Only its hash is kept.
    pub secret: Option<String>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The token to revoke.
#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    /// The token's global ID.
    pub id: ID,
}

/// The revoked token.
#[derive(SimpleObject, Default)]
pub struct RevokeApiTokenPayload {
    /// The token, now with `revokedAt`.
    pub api_token: Option<ApiToken>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(
    LoginPayload,
    RefreshTokenPayload,
    ChangePasswordPayload,
    CreateApiTokenPayload,
    RevokeApiTokenPayload,
);

#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Logs in with document and password (the Leasy REST API's `clients/auth`). Needs no
    /// token. Counts as a sensitive field: one per request. A document's first 5 failed
    /// logins in a row (an address's first 20, across documents) wait for nothing; the
    /// 5th (20th) and each later failure make the next attempt wait 1 s, 2 s, 4 s, ... at
    /// most 15 minutes (the count is forgotten an hour after the last failure), and
    /// attempts during the wait are refused with TOO_MANY_ATTEMPTS.
    async fn login(
        &self,
        ctx: &Context<'_>,
        input: LoginInput,
    ) -> async_graphql::Result<LoginPayload> {
        let state = ctx.state();
        let result = identity::login(
            ctx.db(),
            &state.auth,
            ctx.now(),
            identity::LoginInput {
                document: input.document,
                password: input.password,
                organization: input.organization,
                client_address: ctx.client_address(),
            },
        )
        .await;
        payload(result, |session| LoginPayload {
            session: Some(session.into()),
            ..Default::default()
        })
    }

    /// Exchanges a refresh token for a new session. Needs no access token. An invalid,
    /// expired or reused refresh token is an UNAUTHENTICATED error: log in again.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> async_graphql::Result<RefreshTokenPayload> {
        let result = identity::refresh(ctx.db(), &ctx.state().auth, &input.refresh_token).await;
        payload(result, |session| RefreshTokenPayload {
            session: Some(session.into()),
            ..Default::default()
        })
    }

    /// Ends a session (or all of the user's sessions). Access tokens already issued keep
    /// working until they expire, 15 minutes at most.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        input: LogoutInput,
    ) -> async_graphql::Result<LogoutPayload> {
        let revoked = identity::logout(ctx.db(), &input.refresh_token, input.everywhere).await?;
        Ok(LogoutPayload {
            revoked_tokens: revoked,
            user_errors: vec![],
        })
    }

    /// Changes the caller's password (the Leasy REST API's `clients/password`) and ends
    /// their other sessions. Not available to API tokens.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> async_graphql::Result<ChangePasswordPayload> {
        let viewer = ctx.viewer()?.clone();
        let txn = ctx.db().begin().await?;
        let result = identity::change_password(
            &txn,
            &ctx.state().auth.hash_limit,
            &viewer,
            &input.current_password,
            &input.new_password,
            &input.confirm_new_password,
        )
        .await;
        let result = finish(txn, result).await;
        payload_async(result, async |()| {
            let user = ctx.loaders().users.load_one(viewer.user_id).await?;
            Ok(ChangePasswordPayload {
                user: user.map(User::from),
                ..Default::default()
            })
        })
        .await
    }

    /// Creates an API token for an application (Infinanza's API Tokens). The secret is in
    /// this response only. API tokens cannot create tokens.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> async_graphql::Result<CreateApiTokenPayload> {
        let result =
            identity::create_api_token(ctx.db(), ctx.actor()?, &input.name, ctx.now()).await;
        payload(result, |created| CreateApiTokenPayload {
            api_token: Some(created.token.into()),
            secret: Some(created.secret),
            ..Default::default()
        })
    }

    /// Revokes one of the caller's API tokens; it authenticates nothing from now on.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> async_graphql::Result<RevokeApiTokenPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::ApiToken, "id", "an API token")?;
        let result = identity::revoke_api_token(ctx.db(), actor, id, ctx.now()).await;
        payload(result, |token| RevokeApiTokenPayload {
            api_token: Some(token.into()),
            ..Default::default()
        })
    }
}
