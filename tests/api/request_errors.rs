//! Errors a client can act on: a code per kind of fault (Apollo's, which GraphQL tooling
//! knows), one-line messages in GraphQL terms, and no `data` key when nothing ran.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::{Value, json};

use crate::common::{Reply, TestApp};

async fn post_raw(app: &TestApp, body: &str, accept: &str) -> Reply {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, accept)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

fn first_error(reply: &Reply) -> &Value {
    &reply.body["errors"][0]
}

// Before, a syntax error was the parser's drawing over six lines, coded BAD_USER_INPUT,
// with `"data": null`.
#[tokio::test]
async fn a_syntax_error_is_one_line_with_its_location_and_parse_failed() {
    let app = TestApp::sqlite(|_| {}).await;
    let body = json!({ "query": "{ me { fullName }" }).to_string();
    let reply = post_raw(&app, &body, "application/json").await;
    assert_eq!(reply.status, StatusCode::OK, "application/json answers 200");
    let error = first_error(&reply);
    assert_eq!(
        error["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{}",
        reply.text
    );
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("Syntax error: expected"), "{message}");
    assert!(!message.contains('\n'), "{message}");
    assert_eq!(error["locations"][0]["line"], 1, "{}", reply.text);
    assert!(reply.body.get("data").is_none(), "{}", reply.text);

    let reply = post_raw(&app, &body, "application/graphql-response+json").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        first_error(&reply)["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );

    // "Syntax error" is said in the language asked; the parser's words stay its own.
    let reply = app
        .post_json_in(json!({ "query": "{ me { fullName }" }), None, Some("es"))
        .await;
    let message = first_error(&reply)["message"].as_str().unwrap();
    assert!(
        message.starts_with("Error de sintaxis: expected"),
        "{message}"
    );
}

#[tokio::test]
async fn a_document_the_schema_refuses_is_validation_failed_without_data() {
    let app = TestApp::sqlite(|_| {}).await;
    for query in [
        "{ me { nickname } }",
        "{ nothingHere }",
        "{ me { id(format: 1) } }",
    ] {
        let body = json!({ "query": query, "operationName": null }).to_string();
        let reply = post_raw(&app, &body, "application/json").await;
        assert_eq!(
            first_error(&reply)["extensions"]["code"],
            "GRAPHQL_VALIDATION_FAILED",
            "{query}: {}",
            reply.text
        );
        assert!(reply.body.get("data").is_none(), "{query}: {}", reply.text);
    }
}

// A value the scalar refuses is the caller's input, not the document's shape.
#[tokio::test]
async fn a_refused_value_is_bad_user_input_even_before_execution() {
    let app = TestApp::sqlite(|_| {}).await;
    let body = json!({
        "query": "query Plans($org: String) { plans(organization: $org) { name } }",
        "variables": { "org": 12 },
    })
    .to_string();
    let reply = post_raw(&app, &body, "application/json").await;
    assert_eq!(
        first_error(&reply)["extensions"]["code"],
        "BAD_USER_INPUT",
        "{}",
        reply.text
    );
    assert!(reply.body.get("data").is_none(), "{}", reply.text);
}

// Before: "Variable input is not defined."
#[tokio::test]
async fn a_declared_variable_that_was_not_sent_is_named() {
    let app = TestApp::sqlite(|_| {}).await;
    let body = json!({ "query": "query Node($id: ID!) { node(id: $id) { id } }" }).to_string();
    let reply = post_raw(&app, &body, "application/json").await;
    let error = first_error(&reply);
    assert_eq!(
        error["message"], "The operation declares $id but the request's `variables` do not give it",
        "{}",
        reply.text
    );
    assert_eq!(
        error["extensions"]["code"], "BAD_USER_INPUT",
        "{}",
        reply.text
    );
}

// Before, a misspelt `query` got 200 and a syntax error about an empty document, and a
// `query` that is not a string a message naming a Rust type.
#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_400_in_graphql_terms() {
    let app = TestApp::sqlite(|_| {}).await;
    let reply = post_raw(&app, r#"{"qeury": "{ me { id } }"}"#, "application/json").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(first_error(&reply)["extensions"]["code"], "BAD_REQUEST");
    assert_eq!(
        first_error(&reply)["message"],
        "The request has no `query`: send the operation's document in `query`"
    );
    assert!(reply.body.get("data").is_none(), "{}", reply.text);

    let reply = post_raw(&app, r#"{"query": 1}"#, "application/json").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    let message = first_error(&reply)["message"].as_str().unwrap();
    assert!(
        message.starts_with("The body is not a GraphQL request"),
        "{message}"
    );
    for rust in ["BatchRequest", "untagged", "enum"] {
        assert!(!message.contains(rust), "{message}");
    }
}
