//! Identity: logging in, sessions (access + refresh tokens), passwords, invitations and
//! API tokens.

mod api_tokens;
mod hashing;
mod one_time_tokens;
pub mod password_rules;
mod sessions;
pub mod text;
pub mod throttle;

pub use api_tokens::{CreatedApiToken, create_api_token, list_api_tokens, revoke_api_token};
pub use hashing::hash_password;
pub(crate) use one_time_tokens::invite;
pub use one_time_tokens::{
    Acceptance, INVITATION_PREFIX, INVITATION_TTL, MAX_RESETS_PER_DAY, OneTimeToken, RESET_PREFIX,
    RESET_TTL, ResetRequest, accept_invitation, request_password_reset, reset_password,
};
pub use sessions::{LoginInput, Session, change_password, login, logout, refresh};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

use self::text::Text;
use crate::events::{self, AccessEnded, Event};
use crate::{
    DomainError, DomainResult,
    auth::Viewer,
    commons::UserId,
    entities::{api_token, client_profile, plan, user},
};

/// Ends every way `user` is logged in: their sessions and their API tokens. Their access
/// tokens end with them when the caller also set `users.access_ended_at` (a deactivation,
/// a changed role): that moment is announced to every replica's `auth::EndedAccess`.
pub(crate) async fn end_access<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let user_id: UserId = crate::commons::Id::new(user.id);
    sessions::end_sessions(db, user_id, now).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if let Some(ended) = AccessEnded::of(user) {
        events::announce(db, Event::AccessEnded(ended)).await?;
    }
    Ok(())
}

/// The caller's own row with their driver profile and plan (a dashboard's first read), in
/// one statement; UNAUTHENTICATED when the user is gone since their token was issued.
pub async fn caller<C: sea_orm::ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
) -> DomainResult<(
    user::Model,
    Option<client_profile::Model>,
    Option<plan::Model>,
)> {
    own_row(viewer)
        .find_also_related(client_profile::Entity)
        .and_also_related(plan::Entity)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Unauthenticated(Text::UserGone.into()))
}

/// The text the SQL expression `text` makes of the caller's own row (`users`), when the
/// caller is a driver still in their organization (a compiled `me`); `None` otherwise,
/// and [`caller`] then says why.
pub async fn driver_caller_as_text<C: sea_orm::ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    text: &crate::reads::RowText,
) -> DomainResult<Option<String>> {
    let row = own_row(viewer).filter(user::Column::Role.eq(user::Role::Client));
    Ok(crate::reads::as_text(row, text)
        .into_tuple::<String>()
        .one(db)
        .await?)
}

/// The caller's own row, while they are still in the organization of their token.
fn own_row(viewer: &Viewer) -> sea_orm::Select<user::Entity> {
    user::Entity::find_by_id(viewer.user_id.get())
        .filter(user::Column::OrganizationId.eq(viewer.organization_id))
}
