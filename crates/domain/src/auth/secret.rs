//! Opaque secrets (refresh tokens, API tokens): 256 random bits, shown once, stored only as
//! a SHA-256 hash. A fast hash is right here: the secret has full entropy, so there is
//! nothing to brute-force, and every API request has to look one up.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of refresh tokens; they are never accepted where an access token is expected.
pub const REFRESH_TOKEN_PREFIX: &str = "lgw_rt_";
/// Prefix of API tokens.
pub const API_TOKEN_PREFIX: &str = "lgw_at_";

/// A new random secret with a recognisable prefix.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Hex SHA-256 of a secret, the form stored in the database.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_prefixed_and_hash_stably() {
        let a = generate(API_TOKEN_PREFIX);
        let b = generate(API_TOKEN_PREFIX);
        assert_ne!(a, b);
        assert!(a.starts_with(API_TOKEN_PREFIX));
        assert_eq!(a.len(), API_TOKEN_PREFIX.len() + 43);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 64);
    }
}
