//! What an anonymous client can send: nothing crashes the server or makes checking a
//! request cost more than its size, and each refusal has its code and changes nothing.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{
    common::{Replica, TestApp, percent_encode, ws_connect},
    db_test,
};

/// `levels` nested lists around one ID: the document that overflowed the parser's stack
/// at about 1,300 levels.
fn nested_ids(levels: usize) -> String {
    format!(
        "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
        "[".repeat(levels),
        "]".repeat(levels)
    )
}

/// `levels` nested input objects.
fn nested_input(levels: usize) -> String {
    format!(
        "mutation {{ createLead(input: {}1{}) {{ userErrors {{ code }} }} }}",
        "{ a: ".repeat(levels),
        " }".repeat(levels)
    )
}

fn first_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The first error of a graphql-ws answer, whether it came as `error` or as `next`.
async fn ws_error_code(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    id: &str,
    query: &str,
) -> String {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let subscribe = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .expect("the socket takes the message");
    // Skip what completes earlier operations.
    let answer = loop {
        let message = crate::common::ws_next(socket).await;
        if message["id"] == id && message["type"] != "complete" {
            break message;
        }
    };
    let error = match answer["type"].as_str() {
        Some("error") => &answer["payload"][0],
        _ => &answer["payload"]["errors"][0],
    };
    error["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no coded error: {answer}"))
        .to_string()
}

/// A crash would kill the test binary along with an in-process server, so this one runs
/// the real binary and checks that it still answers afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_values_are_refused_and_the_process_lives_on() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/hostile.db?mode=rwc", dir.path().display());
    let replica = Replica::start(&url).await;

    for query in [nested_ids(1_500), nested_input(1_500), nested_ids(40)] {
        let body = replica.gql(&query, json!({}), None).await;
        assert_eq!(first_code(&body), Some("QUERY_TOO_DEEP"), "{body}");
    }
    // GET parses to tell a mutation from a query: the limits come first there too.
    let (status, text) = replica
        .http(
            "GET",
            &format!("/graphql?query={}", percent_encode(&nested_ids(1_500))),
            None,
            None,
        )
        .await
        .expect("the server answers the GET");
    assert_eq!(status, 200, "{text}");
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(first_code(&body), Some("QUERY_TOO_DEEP"), "{body}");
    // Variables nested past the limit (JSON itself stops at 128).
    let mut deep = json!("x");
    for _ in 0..100 {
        deep = json!([deep]);
    }
    let body = replica
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": deep }),
            None,
        )
        .await;
    assert_eq!(first_code(&body), Some("QUERY_TOO_DEEP"), "{body}");

    // Over a WebSocket, before any limit of the HTTP handler.
    let mut socket = ws_connect(replica.addr).await;
    let init = json!({ "type": "connection_init", "payload": {} });
    socket
        .send(Message::text(init.to_string()))
        .await
        .expect("init sent");
    let ack = crate::common::ws_next(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    assert_eq!(
        ws_error_code(&mut socket, "1", &nested_ids(1_500)).await,
        "QUERY_TOO_DEEP"
    );
    assert_eq!(
        ws_error_code(&mut socket, "2", &nested_input(1_500)).await,
        "QUERY_TOO_DEEP"
    );

    let alive = replica.gql("{ __typename }", json!({}), None).await;
    assert_eq!(alive["data"]["__typename"], "Query", "{alive}");
}

/// Sends a request and checks it was refused with `code` before any SQL ran.
async fn refused_before_sql(app: &TestApp, body: Value, code: &str) -> crate::common::Reply {
    let before = app.statements();
    let reply = app.post_json(body, None).await;
    assert_eq!(reply.code(), Some(code), "{}", reply.text);
    assert_eq!(app.statements(), before, "no SQL before a refusal ({code})");
    reply
}

/// `{ ...F0 }` where each fragment spreads the next twice: `levels` levels select
/// 2^levels fields in a few hundred characters.
fn doubling_fragments(levels: usize, leaf: &str) -> String {
    let mut query = String::from("{ ...F0 }");
    for level in 0..levels {
        let next = level + 1;
        query.push_str(&format!(
            " fragment F{level} on Query {{ ...F{next} ...F{next} }}"
        ));
    }
    query.push_str(&format!(" fragment F{levels} on Query {{ {leaf} }}"));
    query
}

db_test!(fragment_fan_out_is_refused_by_its_expanded_size, |app| {
    let query = doubling_fragments(24, "__typename");
    assert!(query.len() < 1_000, "{} characters", query.len());
    let reply = refused_before_sql(&app, json!({ "query": query }), "QUERY_TOO_LARGE").await;
    assert!(reply.text.contains("16777216 fields"), "{}", reply.text);
    // The same with aliases or sensitive fields inside is refused as large, not walked.
    for leaf in ["a: __typename", "a: __typename b: __typename"] {
        let query = doubling_fragments(24, leaf);
        refused_before_sql(&app, json!({ "query": query }), "QUERY_TOO_LARGE").await;
    }
    let login = r#"login(input: { document: "1", password: "x" }) { userErrors { code } }"#;
    let query = doubling_fragments(24, login)
        .replace("on Query", "on Mutation")
        .replacen('{', "mutation {", 1);
    refused_before_sql(&app, json!({ "query": query }), "QUERY_TOO_LARGE").await;
    // Within the limit (2^10 = 1,024 fields) it answers.
    let fine = app
        .post_json(
            json!({ "query": doubling_fragments(10, "__typename") }),
            None,
        )
        .await;
    assert_eq!(fine.body["data"]["__typename"], "Query", "{}", fine.text);
});

db_test!(a_long_fragment_chain_is_too_deep, |app| {
    let chain = |n: usize| {
        let mut query = String::from("{ ...F0 }");
        for i in 0..n {
            query.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
        }
        query.push_str(&format!(" fragment F{n} on Query {{ __typename }}"));
        query
    };
    refused_before_sql(&app, json!({ "query": chain(80) }), "QUERY_TOO_DEEP").await;
    let fine = app.post_json(json!({ "query": chain(20) }), None).await;
    assert_eq!(fine.body["data"]["__typename"], "Query", "{}", fine.text);
    // A cycle is refused without walking it forever.
    let cycle = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let reply = refused_before_sql(&app, json!({ "query": cycle }), "BAD_USER_INPUT").await;
    assert!(reply.text.contains("within itself"), "{}", reply.text);
});

db_test!(an_empty_batch_is_refused_as_a_batch, |app| {
    let reply = app.post_json(json!([]), None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), Some("BAD_REQUEST"), "{}", reply.text);
    assert!(reply.text.contains("The batch is empty"), "{}", reply.text);
    // A batch of one is still a batch: its answer is a list.
    let one = app
        .post_json(json!([{ "query": "{ __typename }" }]), None)
        .await;
    assert_eq!(one.body[0]["data"]["__typename"], "Query", "{}", one.text);
    // A list of strings is not a batch of requests.
    let strings = app.post_json(json!(["{ __typename }"]), None).await;
    assert_eq!(strings.status, StatusCode::BAD_REQUEST, "{}", strings.text);
    assert_eq!(strings.code(), Some("BAD_REQUEST"), "{}", strings.text);
});

/// Operations that reach PostgreSQL with a string, each with a NUL in one argument:
/// (document, variables, the field named in the error).
fn with_nul() -> Vec<(&'static str, Value, &'static str)> {
    let nul = "a\u{0}b";
    vec![
        (
            r#"mutation { login(input: { document: "104420\u0000", password: "x" }) { userErrors { code } } }"#,
            json!({}),
            "input.document",
        ),
        (
            "mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }",
            json!({ "input": { "document": nul, "password": "x" } }),
            "$input.document",
        ),
        (
            "mutation($input: CreateLeadInput!) { createLead(input: $input) { userErrors { code } } }",
            json!({ "input": { "carOfInterest": "NEW", "document": "10442008", "email": "a@b.pe",
                "firstName": nul, "lastName": "Q", "phoneNumber": "987654321" } }),
            "$input.firstName",
        ),
        (
            r#"{ plans(organization: "leasy\u0000demo") { id } }"#,
            json!({}),
            "organization",
        ),
        (
            "query($o: String) { faqs(organization: $o) { nodes { id } } }",
            json!({ "o": nul }),
            "$o",
        ),
        (r#"{ contract(hash: "\u0000") { id } }"#, json!({}), "hash"),
        (
            r#"{ clients(filter: { search: "pruebas\u0000" }) { totalCount } }"#,
            json!({}),
            "filter.search",
        ),
        (
            "query($id: String!) { book { transactionByExternalId(externalId: $id) { id } } }",
            json!({ "id": nul }),
            "$id",
        ),
        (
            r#"mutation { createTag(input: { name: "x\u0000" }) { userErrors { code } } }"#,
            json!({}),
            "input.name",
        ),
        (
            "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { userErrors { code } } }",
            json!({ "input": { "name": nul, "nationalId": "20123456789" } }),
            "$input.name",
        ),
        (
            r#"mutation { createCategory(input: { kind: EXPENSE, name: "\u0000" }) { userErrors { code } } }"#,
            json!({}),
            "input.name",
        ),
        (
            "mutation($input: CreateAccountInput!) { createAccount(input: $input) { userErrors { code } } }",
            json!({ "input": { "kind": "CHECKING", "name": "Caja", "description": nul } }),
            "$input.description",
        ),
        (
            r#"query($n: String = "\u0000") { plans(organization: $n) { id } }"#,
            json!({}),
            "$n",
        ),
    ]
}

db_test!(a_nul_character_is_bad_user_input_naming_the_field, |app| {
    let admin = app.login(crate::common::ADMIN).await;
    let driver = app.login(crate::common::DRIVER).await;
    for token in [None, Some(&driver), Some(&admin)] {
        let authorization = token.map(|t| format!("Bearer {t}"));
        for (query, variables, field) in with_nul() {
            let before = app.statements();
            let reply = app
                .post_json(
                    json!({ "query": query, "variables": variables }),
                    authorization.as_deref(),
                )
                .await;
            assert_eq!(
                reply.code(),
                Some("BAD_USER_INPUT"),
                "{query}: {}",
                reply.text
            );
            let message = reply.body["errors"][0]["message"].as_str().unwrap_or("");
            assert!(
                message.contains(&format!("`{field}`")) && message.contains("NUL"),
                "{query}: {message}"
            );
            // Authentication may read the token's session; the operation itself ran no SQL.
            let ran = app.statements() - before;
            assert!(ran <= 1, "{query}: {ran} statements");
        }
    }
    // Nothing was stored by any of them.
    let tags = app
        .gql("{ book { tags { name } } }", json!({}), Some(&driver))
        .await;
    assert!(!tags.to_string().contains("\\u0000"), "{tags}");
});
