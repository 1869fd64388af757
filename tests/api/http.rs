//! GraphQL over HTTP, health checks, request ids and the playground.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use serde_json::json;

use crate::{
    common::{DRIVER, TestApp, ws_connect},
    db_test,
};

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

db_test!(get_runs_queries_and_refuses_mutations, |app| {
    let reply = app.send(get("/graphql?query=%7B__typename%7D")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["data"]["__typename"], "Query", "{}", reply.text);

    let mutation = "/graphql?query=mutation%7Blogout(input%3A%7BrefreshToken%3A%22x%22%7D)%7BrevokedTokens%7D%7D";
    let reply = app.send(get(mutation)).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.headers.get(header::ALLOW).unwrap(), "POST");

    let reply = app.send(get("/graphql")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
});

db_test!(post_needs_json, |app| {
    let text = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    assert_eq!(
        app.send(text).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let missing = Request::post("/graphql")
        .body(Body::from(r#"{"query":"{ __typename }"}"#))
        .unwrap();
    assert_eq!(
        app.send(missing).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );

    let broken = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(r#"{"query": "{ __typename }""#))
        .unwrap();
    let reply = app.send(broken).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), Some("BAD_REQUEST"));
});

db_test!(graphql_response_json_is_negotiated, |app| {
    let request = |query: &str, accept: &str| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, accept)
            .body(Body::from(json!({ "query": query }).to_string()))
            .unwrap()
    };
    let ok = app
        .send(request(
            "{ __typename }",
            "application/graphql-response+json",
        ))
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        ok.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );

    // A request that fails validation is a 400 in the new media type, 200 in the old one.
    let invalid = app
        .send(request("{ nope }", "application/graphql-response+json"))
        .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST, "{}", invalid.text);
    // So is a document of two operations that names neither, or one it does not hold.
    let two = "query A { __typename } query B { __typename }";
    for body in [
        json!({ "query": two }),
        json!({ "query": two, "operationName": "C" }),
    ] {
        let refused = app
            .send(
                Request::post("/graphql")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::ACCEPT, "application/graphql-response+json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.text);
        assert_eq!(refused.code(), Some("BAD_REQUEST"), "{}", refused.text);
    }
    let legacy = app.send(request("{ nope }", "application/json")).await;
    assert_eq!(legacy.status, StatusCode::OK);
    assert!(
        legacy.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
});

db_test!(request_ids_are_echoed_or_made, |app| {
    let reply = app
        .send(
            Request::get("/health")
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(reply.headers["x-request-id"], "abc-123");
    let reply = app
        .send(
            Request::get("/health")
                .header("x-request-id", "bad id!")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let made = reply.headers["x-request-id"].to_str().unwrap();
    assert_ne!(made, "bad id!");
    assert_eq!(made.len(), 36, "a fresh UUID");
});

// Issue 24: with the database unreachable, `/ready` took the driver's 5 s to answer, so
// a load balancer's shorter health check timed out and checks piled up. It now answers
// within READY_TIMEOUT_MS, and checks arriving meanwhile share that answer.
#[tokio::test]
async fn ready_answers_within_its_timeout_when_the_database_hangs() {
    use std::time::{Duration, Instant};
    use tower::ServiceExt;
    // A "database" that accepts connections and never says a word.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let url = format!("postgres://gateway@127.0.0.1:{port}/gateway");
    let mut config = gateway::config::Config::for_database(&url).unwrap();
    config.ready_timeout = Duration::from_millis(200);
    let mut options = sea_orm::ConnectOptions::new(url);
    options
        .connect_lazy(true)
        .connect_timeout(Duration::from_secs(60))
        .acquire_timeout(Duration::from_secs(60));
    let db = sea_orm::Database::connect(options).await.unwrap();
    let app = gateway::app::App::new(config, db, Default::default())
        .await
        .unwrap();
    let router = gateway::http::router(app);
    let started = Instant::now();
    let checks = (0..20).map(|_| router.clone().oneshot(get("/ready")));
    for reply in futures_util::future::join_all(checks).await {
        assert_eq!(reply.unwrap().status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    // The driver would wait its 60 s; one 200 ms check answers all twenty.
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

db_test!(ready_is_503_when_the_database_is_gone, |app| {
    assert_eq!(app.send(get("/health")).await.status, StatusCode::OK);
    assert_eq!(app.send(get("/ready")).await.status, StatusCode::OK);
    let token = app.login(DRIVER).await;

    // Queries read through the read-only pool: without it the replica is not ready,
    // whatever the read-write pool says.
    app.app.state.read_only.close_by_ref().await.unwrap();
    assert_eq!(
        app.send(get("/ready")).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    app.app.state.db.close_by_ref().await.unwrap();

    let reply = app.send(get("/ready")).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.body["status"], "unavailable");
    assert_eq!(
        app.send(get("/health")).await.status,
        StatusCode::OK,
        "liveness does not depend on the database"
    );

    // A database that does not answer is UNAVAILABLE (the caller may try again; it was
    // INTERNAL before), quoting the request id and nothing of the database.
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-request-id", "req-db-gone")
        .body(Body::from(json!({ "query": "{ me { id } }" }).to_string()))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.code(), Some("UNAVAILABLE"), "{}", reply.text);
    assert_eq!(
        reply.body["errors"][0]["extensions"]["requestId"],
        "req-db-gone"
    );
    let message = reply.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_lowercase();
    for leak in ["pool", "sqlx", "sqlite", "postgres", "closed", "connection"] {
        assert!(!message.contains(leak), "internal detail leaked: {message}");
    }
    // The same through a loader that a resolver reads with `?` (node(id:) of any kind):
    // it answered the database's text with BAD_USER_INPUT before errors were coded in
    // one place, then INTERNAL.
    let organization = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Organization:1")
    };
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header("x-request-id", "req-node-gone")
        .body(Body::from(
            json!({
                "query": "query($id: ID!) { node(id: $id) { id } }",
                "variables": { "id": organization },
            })
            .to_string(),
        ))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.code(), Some("UNAVAILABLE"), "{}", reply.text);
    assert_eq!(
        reply.body["errors"][0]["message"],
        "The service cannot reach its database right now; try again in a moment"
    );
    assert_eq!(
        reply.body["errors"][0]["extensions"]["requestId"],
        "req-node-gone"
    );
});

db_test!(
    the_playground_opens_with_an_example_and_the_header_to_fill,
    |app| {
        let reply = app.send(get("/playground")).await;
        assert_eq!(reply.status, StatusCode::OK);
        let html = &reply.text;
        assert!(
            html.contains("mutation Login"),
            "an example operation is preloaded"
        );
        assert!(
            html.contains("Authorization"),
            "the header is ready to fill"
        );
        let dir = &app.app.state.config.playground_dir;
        if gateway_playground_installed(dir) {
            assert!(html.contains("/playground/vendor/graphiql/graphiql.min.js"));
            assert!(
                !html.contains("unpkg.com"),
                "offline assets are used when installed"
            );
            let asset = app
                .send(get("/playground/vendor/graphiql/graphiql.min.js"))
                .await;
            assert_eq!(asset.status, StatusCode::OK);
        } else {
            crate::common::skip_or_fail(
                "playground packages not installed (npm ci --prefix playground); checking the CDN fallback says so",
            );
            assert!(html.contains("needs internet access"));
        }
    }
);

fn gateway_playground_installed(dir: &std::path::Path) -> bool {
    dir.join("node_modules/graphiql/graphiql.min.js").is_file()
}

#[tokio::test]
async fn subscriptions_authenticate_in_connection_init() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let app = TestApp::sqlite(|_| {}).await;
    let token = app.login(DRIVER).await;
    let addr = app.serve().await;
    let mut socket = ws_connect(addr).await;

    let next_json =
        |msg: Message| serde_json::from_str::<serde_json::Value>(msg.to_text().unwrap()).unwrap();
    socket
        .send(Message::text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string()))
        .await
        .unwrap();
    let ack = next_json(socket.next().await.unwrap().unwrap());
    assert_eq!(ack["type"], "connection_ack");
    socket
        .send(Message::text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { heartbeat(intervalSeconds: 1) { sequence } }" } }).to_string()))
        .await
        .unwrap();
    let first = next_json(socket.next().await.unwrap().unwrap());
    assert_eq!(first["type"], "next", "{first}");
    assert_eq!(first["payload"]["data"]["heartbeat"]["sequence"], 1);
    let second = next_json(socket.next().await.unwrap().unwrap());
    assert_eq!(second["payload"]["data"]["heartbeat"]["sequence"], 2);

    // Without credentials the connection opens but the subscription is refused.
    let mut anonymous = ws_connect(addr).await;
    anonymous
        .send(Message::text(
            json!({ "type": "connection_init" }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(
        next_json(anonymous.next().await.unwrap().unwrap())["type"],
        "connection_ack"
    );
    anonymous
        .send(Message::text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { heartbeat { sequence } }" } }).to_string()))
        .await
        .unwrap();
    let refused = next_json(anonymous.next().await.unwrap().unwrap());
    let text = refused.to_string();
    assert!(text.contains("UNAUTHENTICATED"), "{text}");

    // A forged token is refused at connection_init.
    let mut forged = ws_connect(addr).await;
    forged
        .send(Message::text(
            json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nope" } })
                .to_string(),
        ))
        .await
        .unwrap();
    let closed = forged.next().await;
    let acked = matches!(&closed, Some(Ok(Message::Text(t))) if t.contains("connection_ack"));
    assert!(
        !acked,
        "a forged token must not be acknowledged: {closed:?}"
    );
}

db_test!(errors_of_the_query_itself_carry_a_code, |app| {
    // The document's shape, its syntax and the values sent each have their code (they
    // all were BAD_USER_INPUT before).
    for (body, what, code) in [
        (
            json!({ "query": "{ me { noSuchField } }" }),
            "unknown field",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            json!({ "query": "{ me { id " }),
            "syntax",
            "GRAPHQL_PARSE_FAILED",
        ),
        (
            json!({ "query": "query($s: InvoiceStatus) { contract(hash: \"x\") { invoices(status: $s) { totalCount } } }", "variables": { "s": "SOMETIMES" } }),
            "enum variable out of range",
            "BAD_USER_INPUT",
        ),
        (
            json!({ "query": "query($n: Int!) { clients(first: $n) { totalCount } }", "variables": { "n": "ten" } }),
            "variable of the wrong type",
            "BAD_USER_INPUT",
        ),
    ] {
        let reply = app.post_json(body, None).await;
        assert_eq!(reply.code(), Some(code), "{what}: {}", reply.text);
    }
});

db_test!(
    metrics_count_requests_latency_and_statements_by_operation,
    |app| {
        let token = app.login(DRIVER).await;
        let query = "query MyProfile { me { id } }";
        let before = app.statements();
        for _ in 0..2 {
            let body = app.gql(query, json!({}), Some(&token)).await;
            assert!(body["errors"].is_null(), "{body}");
        }
        let spent = app.statements() - before;
        let broken = app.gql("query Broken { nope }", json!({}), None).await;
        assert!(broken["errors"].is_array(), "{broken}");

        let reply = app.send(get("/metrics")).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            reply.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4"),
        );
        let text = &reply.text;
        let line = |prefix: &str| {
            text.lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("no `{prefix}` in\n{text}"))
                .rsplit(' ')
                .next()
                .unwrap()
                .to_string()
        };
        let me = "operation=\"MyProfile\",outcome=\"ok\"";
        assert_eq!(line(&format!("graphql_requests_total{{{me}}}")), "2");
        assert_eq!(
            line(&format!("graphql_request_duration_seconds_count{{{me}}}")),
            "2"
        );
        // Exactly the statements those two requests sent.
        assert_eq!(
            line(&format!("graphql_sql_statements_per_request_sum{{{me}}}")),
            spent.to_string()
        );
        assert_eq!(
            line("graphql_requests_total{operation=\"Broken\",outcome=\"error\"}"),
            "1"
        );
        // Both pools, which share DATABASE_MAX_CONNECTIONS.
        let mut total = 0;
        for pool in ["read_write", "read_only"] {
            let in_use: u64 = line(&format!(
                "db_pool_connections{{pool=\"{pool}\",state=\"in_use\"}}"
            ))
            .parse()
            .unwrap();
            let max: u64 = line(&format!("db_pool_max_connections{{pool=\"{pool}\"}}"))
                .parse()
                .unwrap();
            assert!(max >= 1 && in_use <= max, "{text}");
            total += max;
        }
        assert_eq!(
            total,
            u64::from(app.app.state.config.db_max_connections),
            "{text}"
        );
    }
);
