//! The push-notification token of a driver's phone (`firebase_token` in the Leasy
//! REST API's profile): the app writes it, nothing reads it back through the API.

use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};

use super::text::Text;
use crate::{DomainError, DomainResult, UserErrorCode, auth::Viewer, entities::client_profile};

/// The column's size; real tokens (Firebase, APNs) are a few hundred characters.
pub const MAX_DEVICE_TOKEN_CHARS: usize = 4096;

/// Stores the caller's device token, or clears it when `token` is blank. Drivers only.
pub async fn update_device_token<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    token: &str,
) -> DomainResult<()> {
    if !viewer.is_client() {
        return Err(DomainError::Forbidden(
            Text::OnlyDriversRegisterPhones.into(),
        ));
    }
    let token = token.trim();
    if token.chars().count() > MAX_DEVICE_TOKEN_CHARS {
        return Err(DomainError::invalid(
            "token",
            UserErrorCode::TooLong,
            Text::DeviceTokenTooLong {
                max: MAX_DEVICE_TOKEN_CHARS.to_string(),
            },
        ));
    }
    // Tokens are printable ASCII without spaces; anything else is not a token.
    if !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(DomainError::invalid(
            "token",
            UserErrorCode::InvalidFormat,
            Text::DeviceTokenFormat,
        ));
    }
    let stored = (!token.is_empty()).then(|| token.to_string());
    // A driver registered without a profile gets an empty one rather than an error.
    client_profile::Entity::insert(client_profile::ActiveModel {
        user_id: Set(viewer.user_id.get()),
        address: Set(String::new()),
        phone_number: Set(String::new()),
        plan_id: Set(None),
        coins_minor: Set(0),
        firebase_token: Set(stored),
    })
    .on_conflict(
        OnConflict::column(client_profile::Column::UserId)
            .update_column(client_profile::Column::FirebaseToken)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
