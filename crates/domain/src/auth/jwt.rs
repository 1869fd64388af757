//! Access tokens: HS256 JWTs, short-lived, validated strictly (algorithm pinned, `exp`,
//! `iat`, `iss`, `aud` and `sub` required, no leeway).

use crate::commons::{OrganizationId, UserId};
use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use super::EndedAccess;
use crate::entities::user::Role;

/// The claims of an access token. Typed fields make a malformed claim (`exp` as a
/// string, a missing `org`) a decoding error rather than a default.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user id.
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's organization.
    pub org: i64,
    /// ADMIN, COLLECTOR or CLIENT.
    pub role: String,
    /// The refresh-token family (the session) this token was issued with.
    pub sid: String,
    /// Marks the token kind so that no other JWT we might sign is taken for this one.
    pub typ: String,
}

const ACCESS_TYPE: &str = "access";

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: Duration,
    ended: EndedAccess,
}

/// An access token and when it stops working.
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid access token: {detail}")]
pub struct InvalidToken {
    detail: String,
    /// The token was ours and whole, but its time ran out: the client should refresh it
    /// (any other fault means it must log in again).
    pub expired: bool,
}

impl InvalidToken {
    fn new(detail: impl ToString) -> Self {
        Self {
            detail: detail.to_string(),
            expired: false,
        }
    }
}

impl JwtKeys {
    pub fn new(secret: &[u8], issuer: &str, audience: &str, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.leeway = 0;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            ttl,
            ended: EndedAccess::default(),
        }
    }

    /// The users whose tokens were voided before they expire.
    pub fn ended(&self) -> &EndedAccess {
        &self.ended
    }

    /// How long an access token lives.
    pub fn ttl(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::MAX)
    }

    pub fn issue(
        &self,
        user_id: UserId,
        organization_id: OrganizationId,
        role: Role,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<IssuedToken, InvalidToken> {
        let ttl = chrono::Duration::from_std(self.ttl).map_err(InvalidToken::new)?;
        let expires_at = now + ttl;
        let claims = AccessClaims {
            sub: user_id.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            org: organization_id.get(),
            role: role_name(role).to_string(),
            sid: session.to_string(),
            typ: ACCESS_TYPE.to_string(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(InvalidToken::new)?;
        Ok(IssuedToken { token, expires_at })
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, InvalidToken> {
        let data =
            decode::<AccessClaims>(token, &self.decoding, &self.validation).map_err(|e| {
                InvalidToken {
                    expired: matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature),
                    detail: e.to_string(),
                }
            })?;
        if data.claims.typ != ACCESS_TYPE {
            return Err(InvalidToken::new("not an access token"));
        }
        let user_id = data.claims.sub.parse().map(UserId::new);
        if user_id.is_ok_and(|user| !self.ended.holds(user, data.claims.iat)) {
            return Err(InvalidToken::new("the user's access ended"));
        }
        Ok(data.claims)
    }
}

pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "ADMIN",
        Role::Collector => "COLLECTOR",
        Role::Client => "CLIENT",
    }
}

pub fn parse_role(name: &str) -> Option<Role> {
    match name {
        "ADMIN" => Some(Role::Admin),
        "COLLECTOR" => Some(Role::Collector),
        "CLIENT" => Some(Role::Client),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commons::Id;

    fn keys() -> JwtKeys {
        JwtKeys::new(&[7u8; 32], "iss", "aud", Duration::from_secs(60))
    }

    #[test]
    fn round_trips_and_rejects_other_keys_and_expiry() {
        let now = Utc::now();
        let issued = keys()
            .issue(Id::new(5), Id::new(1), Role::Client, "s1", now)
            .unwrap();
        let claims = keys().verify(&issued.token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.org, claims.role.as_str()),
            ("5", 1, "CLIENT")
        );

        let other = JwtKeys::new(&[8u8; 32], "iss", "aud", Duration::from_secs(60));
        assert!(other.verify(&issued.token).is_err());

        let old = keys()
            .issue(
                Id::new(5),
                Id::new(1),
                Role::Client,
                "s1",
                now - chrono::Duration::hours(1),
            )
            .unwrap();
        assert!(keys().verify(&old.token).is_err());
    }
}
