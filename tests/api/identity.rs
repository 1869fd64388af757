//! Logging in, sessions, passwords and API tokens, as a client of the API sees them.

use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp},
    db_test,
};

const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { session { accessToken refreshToken user { id fullName role } } userErrors { field message code } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { session { accessToken refreshToken } userErrors { code } } }";
const ME: &str =
    "{ me { __typename id document fullName role organization { name slug timezone currency } } }";
const CHANGE: &str = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } userErrors { field message code } } }";

async fn login_body(app: &TestApp, document: &str, password: &str) -> Value {
    app.gql(
        LOGIN,
        json!({ "input": { "document": document, "password": password } }),
        None,
    )
    .await
}

fn codes(errors: &Value) -> Vec<String> {
    errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

db_test!(demo_users_log_in_and_see_themselves, |app| {
    for (credentials, typename, role) in [
        (DRIVER, "Client", "CLIENT"),
        (ADMIN, "StaffUser", "ADMIN"),
        (COLLECTOR, "StaffUser", "COLLECTOR"),
    ] {
        let token = app.login(credentials).await;
        let body = app.gql(ME, json!({}), Some(&token)).await;
        let me = &body["data"]["me"];
        assert_eq!(me["__typename"], typename, "{body}");
        assert_eq!(me["role"], role);
        assert_eq!(me["document"], credentials.0);
        assert_eq!(me["organization"]["name"], "Leasy Demo");
        assert_eq!(me["organization"]["timezone"], "America/Lima");
        assert_eq!(me["organization"]["currency"], "PEN");
    }
    let token = app.login(DRIVER).await;
    let body = app.gql(ME, json!({}), Some(&token)).await;
    assert_eq!(body["data"]["me"]["fullName"], "pruebas apellido");
});

db_test!(
    wrong_credentials_get_one_message_whatever_was_wrong,
    |app| {
        // The REST API's words in Spanish, as its clients showed them.
        let wrong_password = app
            .gql_in(
                LOGIN,
                json!({ "input": { "document": DRIVER.0, "password": "demo12345" } }),
                None,
                Some("es"),
            )
            .await;
        let unknown_document = login_body(&app, "99999999", "demo1234").await;
        for (body, said) in [
            (
                &wrong_password,
                "Las credenciales ingresadas son incorrectas",
            ),
            (
                &unknown_document,
                "The credentials you entered are incorrect",
            ),
        ] {
            let payload = &body["data"]["login"];
            assert!(payload["session"].is_null(), "{body}");
            assert_eq!(codes(&payload["userErrors"]), ["INVALID_CREDENTIALS"]);
            assert_eq!(payload["userErrors"][0]["message"], said);
        }
        let blank = login_body(&app, "  ", "").await;
        assert_eq!(
            codes(&blank["data"]["login"]["userErrors"]),
            ["REQUIRED", "REQUIRED"]
        );
        // A password far past any real one is refused without hashing it.
        let huge = login_body(&app, DRIVER.0, &"a1".repeat(5000)).await;
        assert_eq!(
            codes(&huge["data"]["login"]["userErrors"]),
            ["INVALID_CREDENTIALS"]
        );
    }
);

db_test!(me_without_a_token_is_unauthenticated, |app| {
    let body = app.gql(ME, json!({}), None).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );
    assert!(body["data"].is_null());
});

db_test!(refresh_rotates_and_a_reused_token_ends_the_session, |app| {
    let first = app.login_session(DRIVER).await;
    let r1 = first["refreshToken"].as_str().unwrap().to_string();

    let rotated = app.gql(REFRESH, json!({ "t": r1 }), None).await;
    let session = &rotated["data"]["refreshToken"]["session"];
    let r2 = session["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(r1, r2, "each refresh issues a new refresh token");
    let access = session["accessToken"].as_str().unwrap();
    assert_eq!(
        app.gql(ME, json!({}), Some(access)).await["data"]["me"]["role"],
        "CLIENT"
    );

    // r1 was spent: presenting it again is a replay. It fails, and so does r2 after it.
    let replay = app.gql(REFRESH, json!({ "t": r1 }), None).await;
    assert_eq!(
        replay["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{replay}"
    );
    let after = app.gql(REFRESH, json!({ "t": r2 }), None).await;
    assert_eq!(
        after["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "the family is revoked: {after}"
    );

    // Another login is a separate family and still works.
    let other = app.login_session(DRIVER).await;
    let ok = app
        .gql(REFRESH, json!({ "t": other["refreshToken"] }), None)
        .await;
    assert!(
        ok["data"]["refreshToken"]["session"]["accessToken"].is_string(),
        "{ok}"
    );

    let garbage = app.gql(REFRESH, json!({ "t": "lgw_rt_nope" }), None).await;
    assert_eq!(
        garbage["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
});

db_test!(logout_ends_the_session_and_is_harmless_twice, |app| {
    let session = app.login_session(DRIVER).await;
    let refresh = session["refreshToken"].as_str().unwrap();
    let logout = "mutation($t: String!) { logout(input: { refreshToken: $t }) { revokedTokens } }";
    let body = app.gql(logout, json!({ "t": refresh }), None).await;
    assert_eq!(body["data"]["logout"]["revokedTokens"], 1, "{body}");
    let again = app.gql(logout, json!({ "t": refresh }), None).await;
    assert_eq!(again["data"]["logout"]["revokedTokens"], 0);
    let refreshed = app.gql(REFRESH, json!({ "t": refresh }), None).await;
    assert_eq!(
        refreshed["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
});

async fn change(app: &TestApp, token: &str, current: &str, new: &str, confirm: &str) -> Value {
    let input = json!({ "input": { "currentPassword": current, "newPassword": new, "confirmNewPassword": confirm } });
    app.gql(CHANGE, input, Some(token)).await["data"]["changePassword"].clone()
}

db_test!(password_rules_are_checked_one_by_one, |app| {
    let token = app.login(DRIVER).await;
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        ("demo1234", "ab1", "ab1", &["TOO_SHORT"]),
        (
            "demo1234",
            "abcdefgh",
            "abcdefgh",
            &["PASSWORD_NEEDS_DIGIT"],
        ),
        (
            "demo1234",
            "12345678",
            "12345678",
            &["PASSWORD_NEEDS_LETTER"],
        ),
        (
            "demo1234",
            "abc12345",
            "abc12346",
            &["CONFIRMATION_MISMATCH"],
        ),
        ("wrong999", "abc12345", "abc12345", &["WRONG_PASSWORD"]),
        ("", "abc12345", "abc12345", &["REQUIRED"]),
    ];
    for (current, new, confirm, expected) in cases {
        let payload = change(&app, &token, current, new, confirm).await;
        assert!(payload["user"].is_null(), "{payload}");
        assert_eq!(codes(&payload["userErrors"]), expected, "{new}/{confirm}");
    }
    let mismatch = change(&app, &token, "demo1234", "abc12345", "x").await;
    assert_eq!(
        mismatch["userErrors"][0]["field"],
        json!(["confirmNewPassword"])
    );
    // Nothing changed: the old password still logs in.
    app.login(DRIVER).await;
});

db_test!(changing_the_password_ends_the_other_sessions, |app| {
    let other_device = app.login_session(DRIVER).await;
    let this_device = app.login_session(DRIVER).await;
    let token = this_device["accessToken"].as_str().unwrap();
    let payload = change(&app, token, "demo1234", "nuevo5678", "nuevo5678").await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert!(payload["user"]["id"].is_string());

    let old = login_body(&app, DRIVER.0, "demo1234").await;
    assert_eq!(
        codes(&old["data"]["login"]["userErrors"]),
        ["INVALID_CREDENTIALS"]
    );
    app.login((DRIVER.0, "nuevo5678")).await;

    let other = app
        .gql(REFRESH, json!({ "t": other_device["refreshToken"] }), None)
        .await;
    assert_eq!(
        other["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "other device is logged out"
    );
    let mine = app
        .gql(REFRESH, json!({ "t": this_device["refreshToken"] }), None)
        .await;
    assert!(
        mine["data"]["refreshToken"]["session"].is_object(),
        "this device keeps its session: {mine}"
    );
});

const CREATE_TOKEN: &str = "mutation($name: String!) { createApiToken(input: { name: $name }) { secret apiToken { id name prefix revokedAt } userErrors { field code } } }";
const REVOKE_TOKEN: &str = "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id revokedAt } userErrors { code } } }";

db_test!(api_tokens_are_created_used_listed_and_revoked, |app| {
    let admin = app.login(ADMIN).await;
    let created = app
        .gql(CREATE_TOKEN, json!({ "name": "ERP sync" }), Some(&admin))
        .await;
    let payload = &created["data"]["createApiToken"];
    let secret = payload["secret"].as_str().unwrap().to_string();
    let id = payload["apiToken"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with(payload["apiToken"]["prefix"].as_str().unwrap()));

    // Both header forms authenticate as the creator.
    for header in [format!("Token token={secret}"), format!("Bearer {secret}")] {
        let reply = app
            .post_json(
                json!({ "query": "{ me { document role } }" }),
                Some(&header),
            )
            .await;
        assert_eq!(
            reply.body["data"]["me"]["document"], ADMIN.0,
            "{}",
            reply.text
        );
    }

    // Listed without the secret; the same name twice is refused while active.
    let list = app
        .gql(
            "{ apiTokens { totalCount nodes { id name prefix lastUsedAt } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(list["data"]["apiTokens"]["totalCount"], 1, "{list}");
    assert!(
        !list.to_string().contains(&secret),
        "the secret is shown once only"
    );
    assert!(
        list["data"]["apiTokens"]["nodes"][0]["lastUsedAt"].is_string(),
        "use is recorded"
    );
    let dup = app
        .gql(CREATE_TOKEN, json!({ "name": "ERP sync" }), Some(&admin))
        .await;
    assert_eq!(
        codes(&dup["data"]["createApiToken"]["userErrors"]),
        ["DUPLICATE"]
    );
    let blank = app
        .gql(CREATE_TOKEN, json!({ "name": "  " }), Some(&admin))
        .await;
    assert_eq!(
        codes(&blank["data"]["createApiToken"]["userErrors"]),
        ["REQUIRED"]
    );

    // An API token cannot mint tokens or change its owner's password.
    let via_token = app
        .post_json(
            json!({ "query": CREATE_TOKEN, "variables": { "name": "child" } }),
            Some(&format!("Token token={secret}")),
        )
        .await;
    assert_eq!(via_token.code(), Some("FORBIDDEN"), "{}", via_token.text);

    // Someone else cannot revoke it.
    let driver = app.login(DRIVER).await;
    let foreign = app
        .gql(REVOKE_TOKEN, json!({ "id": id }), Some(&driver))
        .await;
    assert_eq!(
        foreign["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{foreign}"
    );

    // An ID of another kind is not a token: refused as such, naming the field.
    let me = app.gql("{ me { id } }", json!({}), Some(&admin)).await;
    let not_a_token = app
        .gql(
            REVOKE_TOKEN,
            json!({ "id": me["data"]["me"]["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        not_a_token["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{not_a_token}"
    );
    assert_eq!(
        not_a_token["errors"][0]["message"], "`id` is not an API token ID",
        "{not_a_token}"
    );

    let revoked = app
        .gql(REVOKE_TOKEN, json!({ "id": id }), Some(&admin))
        .await;
    assert!(
        revoked["data"]["revokeApiToken"]["apiToken"]["revokedAt"].is_string(),
        "{revoked}"
    );
    let after = app
        .post_json(
            json!({ "query": "{ me { id } }" }),
            Some(&format!("Token token={secret}")),
        )
        .await;
    assert_eq!(after.code(), Some("UNAUTHENTICATED"));
});
