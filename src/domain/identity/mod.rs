//! Identity: logging in, sessions (access + refresh tokens), passwords and API tokens.

mod api_tokens;
pub mod password_rules;
mod sessions;

pub use api_tokens::{CreatedApiToken, create_api_token, list_api_tokens, revoke_api_token};
pub use sessions::{LoginInput, Session, change_password, login, logout, refresh};

use crate::{
    auth::password,
    domain::{DomainError, DomainResult},
};

/// Runs Argon2 off the async executor: one hash costs tens of milliseconds of CPU.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> DomainResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DomainError::Internal(format!("password task failed: {e}")))
}

async fn verify_password(plain: &str, phc: &str) -> DomainResult<bool> {
    let (plain, phc) = (plain.to_string(), phc.to_string());
    blocking(move || password::verify(&plain, &phc)).await
}

/// Hashes a password for storage (also used by the demo seed).
pub async fn hash_password(plain: &str) -> DomainResult<String> {
    let plain = plain.to_string();
    blocking(move || password::hash(&plain))
        .await?
        .map_err(|e| DomainError::Internal(format!("password hashing failed: {e}")))
}
