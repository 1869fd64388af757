//! Identity: logging in, sessions (access + refresh tokens), passwords and API tokens.

mod api_tokens;
mod hashing;
pub mod password_rules;
mod sessions;
pub mod throttle;

pub use api_tokens::{CreatedApiToken, create_api_token, list_api_tokens, revoke_api_token};
pub use hashing::hash_password;
pub use sessions::{LoginInput, Session, change_password, login, logout, refresh};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    DomainError, DomainResult,
    auth::Viewer,
    entities::{client_profile, plan, user},
};

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
    user::Entity::find_by_id(viewer.user_id.get())
        .filter(user::Column::OrganizationId.eq(viewer.organization_id))
        .find_also_related(client_profile::Entity)
        .and_also_related(plan::Entity)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Unauthenticated("The user no longer exists".into()))
}
