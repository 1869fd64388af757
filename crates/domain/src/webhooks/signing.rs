//! Signatures of webhook deliveries, as Stripe signs its events: the header
//! `Leasy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
//! endpoint's secret. The timestamp is signed with the body, so that a receiver can refuse
//! an old delivery replayed (Stripe's tolerance is 5 minutes).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header a delivery's signature is sent in.
pub const SIGNATURE_HEADER: &str = "Leasy-Signature";
/// The header with the event's id (the same on every attempt).
pub const EVENT_ID_HEADER: &str = "Leasy-Event-Id";
/// The header with the event's type (`transaction.created`).
pub const EVENT_TYPE_HEADER: &str = "Leasy-Event-Type";
/// The prefix of endpoints' secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// HMAC-SHA256 of `message` keyed with `key` (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The value of [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (unix seconds).
pub fn signature_header(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", signature(secret, timestamp, body))
}

fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    hex::encode(hmac_sha256(
        secret.as_bytes(),
        format!("{timestamp}.{body}").as_bytes(),
    ))
}

/// Whether `header` (a [`SIGNATURE_HEADER`] value) signs `body` with `secret`: what a
/// receiver checks. Any `v1` may match (several are sent while a secret is rotated, as
/// Stripe does); compared in constant time.
pub fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.push(v),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    let expected = signature(secret, timestamp, body);
    signatures
        .iter()
        .any(|given| constant_time_eq(given.as_bytes(), expected.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231's test cases 1, 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_sha256_gives_rfc_4231s_values() {
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_signature_verifies_with_its_secret_only() {
        let body = r#"{"id":"e1","type":"transaction.created"}"#;
        let header = signature_header("whsec_right", 1_700_000_000, body);
        assert!(header.starts_with("t=1700000000,v1="));
        assert!(verify("whsec_right", &header, body));
        assert!(!verify("whsec_wrong", &header, body));
        assert!(!verify("whsec_right", &header, &body.replace("e1", "e2")));
        let other_time = header.replace("t=1700000000", "t=1700000001");
        assert!(!verify("whsec_right", &other_time, body));
        assert!(!verify("whsec_right", "v1=00", body));
    }
}
