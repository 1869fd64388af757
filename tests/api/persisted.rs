//! Persisted documents: Apollo's automatic persisted queries, and a server locked to a
//! manifest of its app's documents (`PERSISTED_DOCUMENTS_ONLY`).

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use gateway::persisted::hash_of;
use serde_json::{Value, json};

use crate::common::{Reply, TestApp, percent_encode};

const PLANS: &str = "query Plans { plans { name } }";

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, body: Value) -> Reply {
    app.post_json(body, None).await
}

async fn get(app: &TestApp, params: &[(&str, String)]) -> Reply {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    let request = Request::get(format!("/graphql?{}", query.join("&")))
        .header(header::ACCEPT, "application/json")
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

// Before, a request with only the hash got a syntax error about an empty document, so
// Apollo's clients never sent the text and never used hashes.
#[tokio::test]
async fn apollo_clients_register_a_document_once_then_send_its_hash() {
    let app = TestApp::sqlite(|_| {}).await;
    let hash = hash_of(PLANS);

    let unknown = post(&app, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(unknown.status, StatusCode::OK, "{}", unknown.text);
    assert_eq!(unknown.code(), Some("PERSISTED_QUERY_NOT_FOUND"));
    assert_eq!(
        unknown.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    // A client that accepts `application/graphql-response+json` gets the refusal as 400.
    let strict = app
        .send(
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/graphql-response+json")
                .body(Body::from(
                    json!({ "extensions": persisted(&hash) }).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(strict.status, StatusCode::BAD_REQUEST, "{}", strict.text);
    assert_eq!(strict.code(), Some("PERSISTED_QUERY_NOT_FOUND"));

    let registered = post(
        &app,
        json!({ "query": PLANS, "extensions": persisted(&hash) }),
    )
    .await;
    let plans = registered.body["data"]["plans"].clone();
    assert!(
        plans.as_array().is_some_and(|p| !p.is_empty()),
        "{}",
        registered.text
    );

    let by_hash = post(&app, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(by_hash.body["data"]["plans"], plans, "{}", by_hash.text);
    // Over GET, so that an HTTP cache keeps it by URL.
    let by_get = get(&app, &[("extensions", persisted(&hash).to_string())]).await;
    assert_eq!(by_get.body["data"]["plans"], plans, "{}", by_get.text);
    assert_eq!(
        by_get.headers.get("cache-control").unwrap(),
        "public, max-age=300"
    );

    // A text that is not the hash's is refused, and teaches nothing.
    let lying = post(
        &app,
        json!({ "query": "{ __typename }", "extensions": persisted(&hash_of("{ me { id } }")) }),
    )
    .await;
    assert_eq!(lying.status, StatusCode::BAD_REQUEST);
    assert_eq!(lying.code(), Some("BAD_REQUEST"));
    let still_unknown = post(
        &app,
        json!({ "extensions": persisted(&hash_of("{ me { id } }")) }),
    )
    .await;
    assert_eq!(still_unknown.code(), Some("PERSISTED_QUERY_NOT_FOUND"));

    for wrong in [
        json!({ "persistedQuery": { "version": 2, "sha256Hash": hash } }),
        json!({ "persistedQuery": { "version": 1, "sha256Hash": "abc" } }),
    ] {
        let reply = post(&app, json!({ "extensions": wrong })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{wrong}");
        assert_eq!(reply.code(), Some("BAD_REQUEST"), "{wrong}");
    }
}

#[tokio::test]
async fn a_persisted_mutation_is_still_refused_over_get() {
    let app = TestApp::sqlite(|_| {}).await;
    let logout = "mutation Logout { logout { ok } }";
    let hash = hash_of(logout);
    post(
        &app,
        json!({ "query": logout, "extensions": persisted(&hash) }),
    )
    .await;
    let reply = get(&app, &[("extensions", persisted(&hash).to_string())]).await;
    assert_eq!(
        reply.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn a_server_locked_to_its_manifest_runs_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("persisted-documents.json");
    std::fs::write(&manifest, json!({ hash_of(PLANS): PLANS }).to_string()).unwrap();
    let app = TestApp::sqlite(|config| {
        config.persisted_documents = Some(manifest.clone());
        config.persisted_documents_only = true;
    })
    .await;
    let hash = hash_of(PLANS);

    let by_hash = post(&app, json!({ "extensions": persisted(&hash) })).await;
    assert!(by_hash.body["data"]["plans"].is_array(), "{}", by_hash.text);
    let as_text = post(&app, json!({ "query": PLANS })).await;
    assert!(as_text.body["data"]["plans"].is_array(), "{}", as_text.text);

    let other = "{ __schema { types { name } } }";
    let free_form = post(&app, json!({ "query": other })).await;
    assert_eq!(free_form.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        free_form.code(),
        Some("QUERY_NOT_IN_SAFELIST"),
        "{}",
        free_form.text
    );
    for body in [
        json!({ "extensions": persisted(&hash_of(other)) }),
        // Registering does not add to a locked server's documents.
        json!({ "query": other, "extensions": persisted(&hash_of(other)) }),
    ] {
        let reply = post(&app, body.clone()).await;
        assert_eq!(reply.code(), Some("PERSISTED_QUERY_NOT_IN_LIST"), "{body}");
    }
}

#[tokio::test]
async fn a_manifest_whose_hash_is_not_its_document_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("persisted-documents.json");
    std::fs::write(
        &path,
        json!({ hash_of("{ me { id } }"): PLANS }).to_string(),
    )
    .unwrap();
    let refused = gateway::persisted::PersistedDocuments::from_manifest(&path, true);
    let message = refused.err().expect("refused").to_string();
    assert!(
        message.contains("is not the SHA-256 of its document"),
        "{message}"
    );

    let only_without_manifest = gateway::config::Config::from_lookup(|name| {
        (name == "PERSISTED_DOCUMENTS_ONLY").then(|| "true".to_string())
    });
    assert!(only_without_manifest.is_err());
}
