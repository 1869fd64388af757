//! Messages in the caller's language: English, Spanish or Portuguese, as the request's
//! `Accept-Language` asks, else as the caller's organization speaks, else English.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::{
    common::{DRIVER, TestApp, mutation, raw_global},
    db_test,
};

fn create_account() -> String {
    mutation("createAccount", "account { id }")
}

fn update_account() -> String {
    mutation("updateAccount", "account { id }")
}

/// The first user error's message of a blank account name, asked in `language`.
async fn blank_name(app: &TestApp, token: &str, language: Option<&str>) -> Value {
    let body = app
        .gql_in(
            &create_account(),
            json!({ "input": { "name": " ", "kind": "CHECKING" } }),
            Some(token),
            language,
        )
        .await;
    let error = &body["data"]["createAccount"]["userErrors"][0];
    assert_eq!(error["code"], "REQUIRED", "{body}");
    error["message"].clone()
}

/// The GraphQL error of changing an account that does not exist, asked in `language`.
async fn missing_account(app: &TestApp, token: &str, language: Option<&str>) -> Value {
    let input = json!({ "id": raw_global("Account", 999_999), "name": "Otra" });
    let body = app
        .gql_in(
            &update_account(),
            json!({ "input": input }),
            Some(token),
            language,
        )
        .await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "NOT_FOUND", "{body}");
    error["message"].clone()
}

db_test!(accept_language_picks_the_language_of_a_message, |app| {
    let token = app.login(DRIVER).await;
    let asked = [
        (Some("en-US,en;q=0.9"), "This field is required"),
        (Some("es-PE,es;q=0.9"), "Este campo es obligatorio"),
        (Some("pt-BR"), "Este campo é obrigatório"),
        // The weights decide, not the order.
        (Some("en;q=0.2, pt;q=0.8"), "Este campo é obrigatório"),
    ];
    for (language, said) in asked {
        assert_eq!(
            blank_name(&app, &token, language).await,
            said,
            "{language:?}"
        );
    }
    let asked = [
        (Some("en"), "Account not found"),
        (Some("es"), "No se encontró la cuenta"),
        (Some("pt"), "Conta não encontrada"),
    ];
    for (language, said) in asked {
        assert_eq!(
            missing_account(&app, &token, language).await,
            said,
            "{language:?}"
        );
    }
});

db_test!(
    without_accept_language_a_caller_is_answered_in_the_language_of_its_organization,
    |app| {
        let token = app.login(DRIVER).await;
        let body = app
            .gql_in(
                "{ me { organization { language } } }",
                json!({}),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(
            body["data"]["me"]["organization"]["language"], "SPANISH",
            "{body}"
        );
        // The demo organization speaks Spanish: so do its people when they do not ask.
        assert_eq!(
            blank_name(&app, &token, None).await,
            "Este campo es obligatorio"
        );
        assert_eq!(
            missing_account(&app, &token, None).await,
            "No se encontró la cuenta"
        );
        // A language the API does not speak is as good as none.
        assert_eq!(
            blank_name(&app, &token, Some("fr-FR, de;q=0.5")).await,
            "Este campo es obligatorio"
        );
    }
);

db_test!(
    a_request_that_succeeds_reads_nothing_more_for_its_language,
    |app| {
        let token = app.login(DRIVER).await;
        let query = "{ book { accounts { name } } }";
        let statements = |language| {
            let app = &app;
            let token = &token;
            async move {
                let before = app.statements();
                let body = app.gql_in(query, json!({}), Some(token), language).await;
                assert!(body["errors"].is_null(), "{body}");
                app.statements() - before
            }
        };
        // Warm the caches a first request fills.
        statements(None).await;
        let asked = statements(Some("pt")).await;
        let unasked = statements(None).await;
        assert_eq!(
            unasked, asked,
            "the organization's language is read only when there is something to say"
        );
    }
);

#[tokio::test]
async fn an_anonymous_caller_who_does_not_ask_is_answered_in_english() {
    let app = TestApp::sqlite(|_| {}).await;
    let blank_login = json!({ "query": "mutation { login(input: { document: \" \", password: \"x\" }) { session { accessToken } userErrors { code message } } }" });
    let body = app.post_json_in(blank_login.clone(), None, None).await.body;
    let error = &body["data"]["login"]["userErrors"][0];
    assert_eq!(error["code"], "REQUIRED", "{body}");
    let english = error["message"].as_str().unwrap().to_string();
    let body = app.post_json_in(blank_login, None, Some("es")).await.body;
    let spanish = body["data"]["login"]["userErrors"][0]["message"].clone();
    assert_ne!(spanish, Value::from(english), "{body}");

    // A refusal before the request runs (a body that is no GraphQL request) too.
    let request = |language: &str| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT_LANGUAGE, language)
            .body(Body::from(r#"{"qeury": "{ __typename }"}"#))
            .unwrap()
    };
    let english = app.send(request("en")).await;
    let portuguese = app.send(request("pt-BR")).await;
    assert_eq!(english.status, StatusCode::BAD_REQUEST);
    assert_eq!(portuguese.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        english.body["errors"][0]["extensions"]["code"],
        portuguese.body["errors"][0]["extensions"]["code"]
    );
    assert_ne!(
        english.body["errors"][0]["message"], portuguese.body["errors"][0]["message"],
        "{}",
        portuguese.text
    );
}
