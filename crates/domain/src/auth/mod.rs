//! Who is calling: credentials (passwords, JWT access tokens, refresh and API token
//! secrets) and the [`Viewer`] that reaches resolvers through the request context.

pub mod ended;
pub mod jwt;
pub mod password;
pub mod secret;
pub mod text;
pub mod viewer;

pub use ended::EndedAccess;
pub use jwt::{AccessClaims, JwtKeys};
pub use viewer::{AuthError, Credential, Viewer, authenticate, credential_holds, expires_at};

/// What issuing and checking credentials needs, built once from the configuration.
pub struct AuthSettings {
    pub jwt: JwtKeys,
    pub refresh_ttl: std::time::Duration,
    /// Turns to hash or verify a password (`LIMIT_PASSWORD_HASHES`).
    pub hash_limit: password::HashLimit,
}
