//! Identity: logging in, sessions (access + refresh tokens), passwords and API tokens.

mod api_tokens;
mod hashing;
pub mod password_rules;
mod sessions;
pub mod throttle;

pub use api_tokens::{CreatedApiToken, create_api_token, list_api_tokens, revoke_api_token};
pub use hashing::hash_password;
pub use sessions::{LoginInput, Session, change_password, login, logout, refresh};
