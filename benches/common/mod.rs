//! What the in-process benchmarks share: the database they measure (a SQLite file in a
//! temporary directory, or `BENCH_DATABASE_URL`, an empty PostgreSQL database), the app
//! on it with its router, and GraphQL requests sent through that router.

// Each bench uses part of this module.
#![allow(dead_code)]

use axum::body::Body;
use gateway::{app::App, config::Config, http};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The demo's ADMIN and driver, as `(document, password)`.
pub const ADMIN: (&str, &str) = ("00000001", "admin1234");
pub const DRIVER: (&str, &str) = ("10442008642", "demo1234");

/// The app a bench measures, on its database, with the demo data.
pub struct Bench {
    pub app: App,
    pub router: axum::Router,
    /// "SQLite" or "PostgreSQL", for the figures' heading.
    pub backend: &'static str,
    /// Keeps the SQLite file's directory until the bench ends.
    _dir: tempfile::TempDir,
}

impl Bench {
    /// Starts the app on SQLite, or on `BENCH_DATABASE_URL`, after `configure` adjusted
    /// its configuration.
    pub async fn start(configure: impl FnOnce(&mut Config)) -> Bench {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = std::env::var("BENCH_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()));
        let backend = if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        let mut config = Config::for_database(&url).expect("config");
        configure(&mut config);
        let app = App::start(config).await.expect("app");
        let router = http::router(app.clone());
        Bench {
            app,
            router,
            backend,
            _dir: dir,
        }
    }

    /// Sends `body` to `POST /graphql` through the router; the JSON answer.
    pub async fn post(&self, body: Value, token: Option<&str>) -> Value {
        let mut request =
            axum::http::Request::post("/graphql").header("content-type", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::from(body.to_string())).expect("request"))
            .await
            .expect("response");
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        serde_json::from_slice(&bytes).expect("json")
    }

    /// An access token of the user with `(document, password)`.
    pub async fn login(&self, (document, password): (&str, &str)) -> String {
        let login = self
            .post(
                json!({
                    "query": "mutation($d: String!, $p: String!) { login(input: {document: $d, password: $p}) { session { accessToken } } }",
                    "variables": { "d": document, "p": password },
                }),
                None,
            )
            .await;
        login["data"]["login"]["session"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{document} logs in: {login}"))
            .to_string()
    }

    /// SQL statements sent so far.
    pub fn statements(&self) -> u64 {
        self.app.state.statements.get()
    }
}
