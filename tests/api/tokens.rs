//! Access tokens are validated strictly: every malformed or foreign token is refused with
//! UNAUTHENTICATED, before any resolver runs.

use axum::http::StatusCode;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::{
    common::{DRIVER, TestApp},
    db_test,
};

const ME: &str = "{ me { id role } }";

async fn claims(app: &TestApp) -> Value {
    let now = chrono::Utc::now().timestamp();
    let driver = app.user_id(DRIVER.0).await;
    let config = &app.app.state.config;
    json!({
        "sub": driver.to_string(), "iss": config.jwt_issuer, "aud": config.jwt_audience,
        "iat": now, "exp": now + 600, "org": 1, "role": "CLIENT", "sid": "s", "typ": "access"
    })
}

fn sign(app: &TestApp, claims: &Value, alg: Algorithm) -> String {
    let secret = app.app.state.config.jwt_secret.as_bytes();
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// Refused with UNAUTHENTICATED, the `reason` a client acts on (TOKEN_EXPIRED: refresh;
/// TOKEN_INVALID: log in again), and RFC 6750's challenge saying the same.
async fn assert_refused_for(app: &TestApp, token: &str, why: &str, reason: &str) {
    let reply = app
        .post_json(json!({ "query": ME }), Some(&format!("Bearer {token}")))
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{why}");
    assert_eq!(reply.code(), Some("UNAUTHENTICATED"), "{why}");
    let error = &reply.body["errors"][0];
    assert_eq!(
        error["extensions"]["reason"], reason,
        "{why}: {}",
        reply.text
    );
    assert!(reply.body.get("data").is_none(), "{why}: {}", reply.text);
    let challenge = reply
        .headers
        .get("www-authenticate")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(
        challenge,
        format!(
            "Bearer error=\"invalid_token\", error_description=\"{}\"",
            error["message"].as_str().unwrap()
        ),
        "{why}"
    );
}

async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    assert_refused_for(app, token, why, "TOKEN_INVALID").await;
}

db_test!(a_well_formed_token_we_signed_is_accepted, |app| {
    let token = sign(&app, &claims(&app).await, Algorithm::HS256);
    let body = app.gql(ME, json!({}), Some(&token)).await;
    assert_eq!(body["data"]["me"]["role"], "CLIENT", "{body}");
});

db_test!(tampered_and_foreign_tokens_are_refused, |app| {
    let good = sign(&app, &claims(&app).await, Algorithm::HS256);

    // Wrong signature: payload changed after signing (role escalated).
    let parts: Vec<&str> = good.split('.').collect();
    let mut escalated = claims(&app).await;
    escalated["role"] = json!("ADMIN");
    let forged_payload = URL_SAFE_NO_PAD.encode(escalated.to_string());
    assert_refused(
        &app,
        &format!("{}.{}.{}", parts[0], forged_payload, parts[2]),
        "tampered payload",
    )
    .await;

    // Signed with another key.
    let other = encode(
        &Header::new(Algorithm::HS256),
        &claims(&app).await,
        &EncodingKey::from_secret(&[1u8; 32]),
    )
    .unwrap();
    assert_refused(&app, &other, "other key").await;

    // alg: none, no signature.
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&app).await.to_string());
    assert_refused(&app, &format!("{none_header}.{payload}."), "alg none").await;

    // Another HMAC algorithm with the right key.
    assert_refused(
        &app,
        &sign(&app, &claims(&app).await, Algorithm::HS512),
        "HS512",
    )
    .await;

    // Garbage.
    assert_refused(&app, "not-a-jwt", "garbage").await;
});

db_test!(
    tokens_missing_or_mistyping_required_claims_are_refused,
    |app| {
        for claim in ["iss", "aud", "exp", "iat", "sub", "org", "role"] {
            let mut c = claims(&app).await;
            c.as_object_mut().unwrap().remove(claim);
            assert_refused(
                &app,
                &sign(&app, &c, Algorithm::HS256),
                &format!("missing {claim}"),
            )
            .await;
        }
        let mut wrong_iss = claims(&app).await;
        wrong_iss["iss"] = json!("someone-else");
        assert_refused(&app, &sign(&app, &wrong_iss, Algorithm::HS256), "wrong iss").await;
        let mut wrong_aud = claims(&app).await;
        wrong_aud["aud"] = json!("another-api");
        assert_refused(&app, &sign(&app, &wrong_aud, Algorithm::HS256), "wrong aud").await;
        let mut exp_string = claims(&app).await;
        exp_string["exp"] = json!((chrono::Utc::now().timestamp() + 600).to_string());
        assert_refused(
            &app,
            &sign(&app, &exp_string, Algorithm::HS256),
            "exp as string",
        )
        .await;
        let mut not_access = claims(&app).await;
        not_access["typ"] = json!("refresh");
        assert_refused(
            &app,
            &sign(&app, &not_access, Algorithm::HS256),
            "typ refresh",
        )
        .await;
    }
);

db_test!(an_expired_token_is_refused, |app| {
    let mut c = claims(&app).await;
    let now = chrono::Utc::now().timestamp();
    c["iat"] = json!(now - 3600);
    c["exp"] = json!(now - 1);
    // Before, an expired token and a forged one got the same answer, so a client could
    // not know that refreshing would do.
    assert_refused_for(
        &app,
        &sign(&app, &c, Algorithm::HS256),
        "expired",
        "TOKEN_EXPIRED",
    )
    .await;
});

db_test!(a_refresh_token_is_never_an_access_token, |app| {
    let session = app.login_session(DRIVER).await;
    let refresh = session["refreshToken"].as_str().unwrap();
    assert_refused(&app, refresh, "refresh token as bearer").await;
    let reply = app
        .post_json(
            json!({ "query": ME }),
            Some(&format!("Token token={refresh}")),
        )
        .await;
    assert_eq!(reply.code(), Some("UNAUTHENTICATED"));
});

db_test!(a_malformed_authorization_header_is_refused, |app| {
    for header in ["Basic Zm9vOmJhcg==", "Bearer", "Token abc", "Bearer a b"] {
        let reply = app.post_json(json!({ "query": ME }), Some(header)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{header}");
        assert_eq!(reply.code(), Some("UNAUTHENTICATED"), "{header}");
        assert_eq!(
            reply.headers.get("www-authenticate").unwrap(),
            "Bearer error=\"invalid_request\", error_description=\"the Authorization header must be `Bearer <token>` or `Token token=<token>`\""
        );
    }
    // The body is said in the language asked; the header, ASCII, stays English.
    let reply = app
        .post_json_in(
            json!({ "query": ME }),
            Some("Basic Zm9vOmJhcg=="),
            Some("pt-BR"),
        )
        .await;
    assert_eq!(
        reply.body["errors"][0]["message"],
        "o cabeçalho Authorization deve ser `Bearer <token>` ou `Token token=<token>`"
    );
    assert_eq!(
        reply.headers.get("www-authenticate").unwrap(),
        "Bearer error=\"invalid_request\", error_description=\"the Authorization header must be `Bearer <token>` or `Token token=<token>`\""
    );
});
