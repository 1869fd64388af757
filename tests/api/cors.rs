//! CORS: a web front end served from another origin calls `/graphql` and
//! `/documents/...` with its token, and reads the headers it acts on. The browser's own
//! enforcement is in `browser::a_page_on_another_origin_calls_the_api_in_chromium`.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use gateway::config::CorsOrigins;
use serde_json::json;

use crate::common::{Reply, TestApp};

const FRONT_END: &str = "https://app.example.com";

fn listing_the_front_end(config: &mut gateway::config::Config) {
    config.cors_origins = CorsOrigins::Exact(vec![FRONT_END.into()]);
}

/// A browser's preflight for a POST with a token from `origin`.
fn preflight(path: &str, origin: &str, method: &str) -> Request<Body> {
    Request::options(path)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header(
            "Access-Control-Request-Headers",
            "authorization,content-type",
        )
        .body(Body::empty())
        .unwrap()
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .headers
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or(""))
}

#[tokio::test]
async fn a_listed_origin_passes_the_preflight_and_reads_the_answer() {
    let app = TestApp::sqlite(listing_the_front_end).await;
    for (path, method) in [
        ("/graphql", "POST"),
        ("/graphql", "GET"),
        ("/documents/invoices/x.pdf", "GET"),
    ] {
        let reply = app.send(preflight(path, FRONT_END, method)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        assert_eq!(header(&reply, "access-control-allow-origin"), FRONT_END);
        assert!(header(&reply, "access-control-allow-methods").contains(method));
        let headers = header(&reply, "access-control-allow-headers").to_lowercase();
        assert!(headers.contains("authorization") && headers.contains("content-type"));
        assert_eq!(header(&reply, "access-control-max-age"), "600");
        // Tokens travel in a header: cookies are never asked for.
        assert_eq!(header(&reply, "access-control-allow-credentials"), "");
    }

    let request = Request::post("/graphql")
        .header("Origin", FRONT_END)
        .header("Content-Type", "application/json")
        .body(Body::from(json!({ "query": "{ __typename }" }).to_string()))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.body, json!({ "data": { "__typename": "Query" } }));
    assert_eq!(header(&reply, "access-control-allow-origin"), FRONT_END);
    let exposed = header(&reply, "access-control-expose-headers").to_lowercase();
    for name in ["x-request-id", "retry-after", "www-authenticate"] {
        assert!(exposed.contains(name), "{name} is not exposed: {exposed}");
    }
    let vary: Vec<String> = reply
        .headers
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_lowercase())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("origin")),
        "a shared cache must keep answers apart by origin: {vary:?}"
    );
}

#[tokio::test]
async fn another_origin_gets_no_cors_headers_and_other_paths_never_do() {
    let app = TestApp::sqlite(listing_the_front_end).await;
    for origin in [
        "https://evil.example",
        "https://app.example.com.evil.example",
        "http://localhost:5173",
    ] {
        let reply = app.send(preflight("/graphql", origin, "POST")).await;
        assert_eq!(
            header(&reply, "access-control-allow-origin"),
            "",
            "{origin}"
        );
    }
    // Operators' endpoints are not for web pages, whatever the origin.
    for path in ["/metrics", "/ready", "/health"] {
        let reply = app.send(preflight(path, FRONT_END, "GET")).await;
        assert_eq!(header(&reply, "access-control-allow-origin"), "", "{path}");
    }
}

#[tokio::test]
async fn in_development_a_front_end_on_this_machine_needs_no_setting() {
    let app = TestApp::sqlite(|_| {}).await;
    assert_eq!(app.app.state.config.cors_origins, CorsOrigins::Loopback);
    let reply = app
        .send(preflight("/graphql", "http://localhost:5173", "POST"))
        .await;
    assert_eq!(
        header(&reply, "access-control-allow-origin"),
        "http://localhost:5173"
    );
    let reply = app
        .send(preflight("/graphql", "https://evil.example", "POST"))
        .await;
    assert_eq!(header(&reply, "access-control-allow-origin"), "");
}
