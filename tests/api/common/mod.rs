//! The one place tests get an application: a fresh database per test (a temporary
//! SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set), migrated
//! and seeded with the demo data, driven through the real HTTP router.

#![allow(dead_code)]

pub mod audit;
pub mod back_office;
pub mod compiled;
pub mod fixtures;
pub mod playground;
pub mod receiver;
pub mod smtp;
pub mod wallet;

use std::net::SocketAddr;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use gateway::{app::App, config::Config, http::router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

pub const DRIVER: (&str, &str) = ("10442008642", "demo1234");
pub const ADMIN: (&str, &str) = ("00000001", "admin1234");
pub const COLLECTOR: (&str, &str) = ("00000002", "collector1234");

/// Runs a test body once on SQLite and once on PostgreSQL; the PostgreSQL half says it
/// was skipped when `TEST_DATABASE_URL` is not set.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$app:ident| $body:block) => {
        db_test!($name, |_config| {}, |$app| $body);
    };
    ($name:ident, |$config:ident| $configure:block, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_variables)]
            fn configure($config: &mut gateway::config::Config) $configure

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let $app = $crate::common::TestApp::sqlite(configure).await;
                $body
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = $crate::common::TestApp::postgres(configure).await else {
                    // Under CI a PostgreSQL half that does not run is a failure, not a pass.
                    $crate::common::skip_or_fail(
                        "TEST_DATABASE_URL is not set: the PostgreSQL half did not run",
                    );
                    return;
                };
                $body
            }
        }
    };
}

enum Database {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async {
                    use sea_orm::ConnectionTrait;
                    if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub app: App,
    router: Router,
    pub backend: &'static str,
    /// Where the test's database is, for processes of the binary run against it.
    pub database_url: String,
    database: Database,
}

/// A response as a client sees it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    /// The `extensions.code` of the first error.
    pub fn code(&self) -> Option<&str> {
        self.body["errors"][0]["extensions"]["code"].as_str()
    }
}

/// A new, empty PostgreSQL database beside `admin_url`'s (`TEST_DATABASE_URL`), named
/// `prefix` and a UUID: (its URL, its name).
pub async fn new_postgres_database(admin_url: &str, prefix: &str) -> (String, String) {
    use sea_orm::ConnectionTrait;
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create test database");
    admin.close().await.expect("close admin connection");
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("TEST_DATABASE_URL must end with /<database>"),
    };
    (url, name)
}

/// Drops a database [`new_postgres_database`] made, closing its connections.
pub async fn drop_postgres_database(admin_url: &str, name: &str) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    admin.close().await.unwrap();
}

impl TestApp {
    pub async fn sqlite(configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
        Self::start(url, "sqlite", Database::Sqlite(dir), configure).await
    }

    pub async fn postgres(configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())?;
        let (url, name) = new_postgres_database(&admin_url, "gw_test").await;
        Some(
            Self::start(
                url,
                "postgres",
                Database::Postgres { admin_url, name },
                configure,
            )
            .await,
        )
    }

    async fn start(
        url: String,
        backend: &'static str,
        database: Database,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let mut config = Config::for_database(&url).expect("test config");
        config.db_max_connections = 5;
        configure(&mut config);
        let app = App::start(config).await.expect("app starts");
        let router = router(app.clone());
        TestApp {
            app,
            router,
            backend,
            database_url: url,
            database,
        }
    }

    /// The clock the test configured with `config.clock = Clock::Manual(...)`, to move
    /// it between operations.
    pub fn manual_clock(&self) -> gateway::domain::commons::ManualClock {
        match &self.app.state.config.clock {
            gateway::domain::commons::Clock::Manual(clock) => clock.clone(),
            other => panic!("the test needs a manual clock, not {other:?}"),
        }
    }

    /// SQL statements sent so far.
    pub fn statements(&self) -> u64 {
        self.app.state.statements.get()
    }

    /// SQL statements sent so far through each pool: (read-write, read-only).
    pub fn statements_by_pool(&self) -> (u64, u64) {
        let counter = &self.app.state.statements;
        let read_only = counter.read_only();
        (counter.get() - read_only, read_only)
    }

    /// The rows of every table of the database, by table name; the tables are the
    /// database's catalogue's (the migrations' bookkeeping included), not a list of ours.
    pub async fn row_counts(&self) -> std::collections::BTreeMap<String, i64> {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = &self.app.state.db;
        let backend = db.get_database_backend();
        let catalogue = match backend {
            DbBackend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            _ => {
                "SELECT tablename AS name FROM pg_catalog.pg_tables \
                 WHERE schemaname = current_schema() ORDER BY tablename"
            }
        };
        let tables: Vec<String> = db
            .query_all_raw(Statement::from_string(backend, catalogue))
            .await
            .expect("the catalogue")
            .iter()
            .map(|row| row.try_get("", "name").expect("a table name"))
            .collect();
        assert!(
            tables.len() > 10,
            "the catalogue lists the tables: {tables:?}"
        );
        let mut counts = std::collections::BTreeMap::new();
        for table in tables {
            let count = format!(
                "SELECT COUNT(*) AS n FROM \"{}\"",
                table.replace('"', "\"\"")
            );
            let row = db
                .query_one_raw(Statement::from_string(backend, count))
                .await
                .expect("a count")
                .expect("one row");
            counts.insert(table, row.try_get::<i64>("", "n").expect("a number"));
        }
        counts
    }

    /// Sends a raw HTTP request through the router.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// POSTs `body` to `/graphql`, asking for English (`Accept-Language: en`) as most
    /// tests read the messages in it: the demo organization speaks Spanish. Tests of the
    /// language itself send their own requests.
    pub async fn post_json(&self, body: Value, authorization: Option<&str>) -> Reply {
        self.post_json_in(body, authorization, Some("en")).await
    }

    /// [`TestApp::post_json`] with the `Accept-Language` given, or none.
    pub async fn post_json_in(
        &self,
        body: Value,
        authorization: Option<&str>,
        accept_language: Option<&str>,
    ) -> Reply {
        let mut request =
            Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(language) = accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, language);
        }
        if let Some(auth) = authorization {
            request = request.header(header::AUTHORIZATION, auth);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Runs an operation with an optional bearer token and returns the whole body.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let auth = token.map(|t| format!("Bearer {t}"));
        let reply = self
            .post_json(
                json!({ "query": query, "variables": variables }),
                auth.as_deref(),
            )
            .await;
        reply.body
    }

    /// Runs an operation as [`TestApp::gql`] does, with the `Accept-Language` given (or
    /// none), and returns the whole body.
    pub async fn gql_in(
        &self,
        query: &str,
        variables: Value,
        token: Option<&str>,
        accept_language: Option<&str>,
    ) -> Value {
        let auth = token.map(|t| format!("Bearer {t}"));
        let body = json!({ "query": query, "variables": variables });
        self.post_json_in(body, auth.as_deref(), accept_language)
            .await
            .body
    }

    /// Sends a query as `GET /graphql?query=...&variables=...` with an optional bearer
    /// token.
    pub async fn get_query(&self, query: &str, variables: Value, token: Option<&str>) -> Reply {
        let uri = format!(
            "/graphql?query={}&variables={}",
            percent_encode(query),
            percent_encode(&variables.to_string())
        );
        let mut request = Request::get(uri).header(header::ACCEPT_LANGUAGE, "en");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn login_session(&self, (document, password): (&str, &str)) -> Value {
        let body = self
            .gql(
                "mutation($input: LoginInput!) { login(input: $input) { session { accessToken refreshToken user { id role } } userErrors { field message code } } }",
                json!({ "input": { "document": document, "password": password } }),
                None,
            )
            .await;
        let session = body["data"]["login"]["session"].clone();
        assert!(session.is_object(), "login of {document} failed: {body}");
        session
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, credentials: (&str, &str)) -> String {
        self.login_session(credentials).await["accessToken"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Serves the router on a loopback port (for WebSocket tests).
    pub async fn serve(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = self.router.clone();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        addr
    }
}

impl TestApp {
    /// A new driver of the demo organization (so with an empty book) who has logged
    /// in; returns (access token, user id).
    pub async fn new_driver(&self, document: &str) -> (String, i64) {
        let id = self
            .add_user(
                "leasy-demo",
                document,
                "clave1234",
                gateway::entities::user::Role::Client,
            )
            .await;
        (self.login((document, "clave1234")).await, id)
    }

    /// The id of the demo organization's user with `document` (the demo makes its users
    /// in the order the back office would: ADMIN, collector, then the driver).
    pub async fn user_id(&self, document: &str) -> i64 {
        use gateway::entities::user;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user::Entity::find()
            .filter(user::Column::Document.eq(document))
            .one(&self.app.state.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user with document {document}"))
            .id
    }

    /// Adds a user (and, when `organization_slug` is new, its organization) directly in the
    /// database, for isolation tests. Returns the user id.
    pub async fn add_user(
        &self,
        organization_slug: &str,
        document: &str,
        password: &str,
        role: gateway::entities::user::Role,
    ) -> i64 {
        use gateway::entities::{organization, user};
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let db = &self.app.state.db;
        let now = chrono::Utc::now();
        let org = match organization::Entity::find()
            .filter(organization::Column::Slug.eq(organization_slug))
            .one(db)
            .await
            .unwrap()
        {
            Some(org) => org,
            None => organization::ActiveModel {
                name: Set(format!("Org {organization_slug}")),
                slug: Set(organization_slug.into()),
                timezone: Set("America/Lima".into()),
                currency: Set("PEN".into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap(),
        };
        let hash =
            gateway::domain::identity::hash_password(&self.app.state.auth.hash_limit, password)
                .await
                .unwrap();
        user::ActiveModel {
            organization_id: Set(org.id),
            role: Set(role),
            document: Set(document.into()),
            password_hash: Set(hash),
            first_name: Set("Otro".into()),
            last_name: Set("Usuario".into()),
            email: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id
    }
}

/// The global ID of row `id` of node type `kind` (for IDs that exist nowhere).
pub fn raw_global(kind: &str, id: i64) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The cursor of a connection's item at `position` (tests may write one; clients must
/// not).
pub fn raw_cursor(position: u64) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!("o:{position}"))
}

/// The row id inside a global ID (tests may look inside; clients must not).
pub fn raw_id(id: &Value) -> i64 {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let decoded = URL_SAFE_NO_PAD.decode(id.as_str().unwrap()).unwrap();
    let text = String::from_utf8(decoded).unwrap();
    text.split_once(':').unwrap().1.parse().unwrap()
}

// Mutations with one `input`, as every mutation of the schema takes.

/// `name(input: $input) { selection userErrors {...} }`, for [`run`], [`ok`] and
/// [`refused`]; the input's type is the mutation's name, capitalised, with `Input`.
pub fn mutation(name: &str, selection: &str) -> String {
    let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
    )
}

/// The secret of a new API token named `name`, created by the caller of `token`: what an
/// integration then sends as `Token token=<secret>`.
pub async fn api_token_secret(app: &TestApp, token: &str, name: &str) -> String {
    ok(
        app,
        token,
        &mutation("createApiToken", "secret"),
        json!({ "name": name }),
    )
    .await["secret"]
        .as_str()
        .expect("a new token's secret")
        .to_string()
}

/// Runs a mutation that must not fail as a whole; returns its payload.
pub async fn run(app: &TestApp, token: &str, mutation: &str, input: Value) -> Value {
    let body = app
        .gql(mutation, json!({ "input": input }), Some(token))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let data = body["data"].as_object().unwrap();
    data.values().next().unwrap().clone()
}

/// Runs a mutation that must succeed; returns its payload.
pub async fn ok(app: &TestApp, token: &str, mutation: &str, input: Value) -> Value {
    let payload = run(app, token, mutation, input).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload
}

/// The one user error of a refused mutation, as (field, code).
pub async fn refused(app: &TestApp, token: &str, mutation: &str, input: Value) -> (String, String) {
    let (field, code, _) = refusal(app, token, mutation, input).await;
    (field, code)
}

/// The one user error of a refused mutation, as (field, code, message).
pub async fn refusal(
    app: &TestApp,
    token: &str,
    mutation: &str,
    input: Value,
) -> (String, String, String) {
    let payload = run(app, token, mutation, input).await;
    let errors = payload["userErrors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{payload}");
    let field = errors[0]["field"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(".");
    (
        field,
        errors[0]["code"].as_str().unwrap().to_string(),
        // Empty when the mutation's selection leaves `message` out.
        errors[0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

/// The GraphQL error code of a mutation refused as a whole.
pub async fn error_code(app: &TestApp, token: &str, mutation: &str, input: Value) -> String {
    let body = app
        .gql(mutation, json!({ "input": input }), Some(token))
        .await;
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"))
        .to_string()
}

/// A client's end of a WebSocket connection to a served test app.
pub type WsSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a graphql-ws (graphql-transport-ws) connection to a served test app, or the
/// error of a refused upgrade (`tungstenite::Error::Http` holds the HTTP answer).
pub async fn ws_try_connect(
    addr: std::net::SocketAddr,
) -> Result<WsSocket, tokio_tungstenite::tungstenite::Error> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{addr}/graphql/ws")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    Ok(tokio_tungstenite::connect_async(request).await?.0)
}

/// Opens a graphql-ws (graphql-transport-ws) connection to a served test app.
pub async fn ws_connect(addr: std::net::SocketAddr) -> WsSocket {
    ws_try_connect(addr).await.unwrap()
}

/// A graphql-ws connection whose `connection_init` (with `token`, or anonymous) was
/// acknowledged.
pub async fn ws_init(addr: std::net::SocketAddr, token: Option<&str>) -> WsSocket {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let mut socket = ws_connect(addr).await;
    let init = match token {
        Some(token) => {
            json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
        }
        None => json!({ "type": "connection_init" }),
    };
    socket.send(Message::text(init.to_string())).await.unwrap();
    let ack = ws_next(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
}

/// Sends a graphql-ws `subscribe` of `query` (any operation) as `id`.
pub async fn ws_send(socket: &mut WsSocket, id: &str, query: &str) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let subscribe = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .unwrap();
}

/// A graphql-ws connection authenticated with `token`, subscribed to `query` as id "1".
pub async fn ws_subscribe(addr: std::net::SocketAddr, token: &str, query: &str) -> WsSocket {
    let mut socket = ws_init(addr, Some(token)).await;
    ws_send(&mut socket, "1", query).await;
    socket
}

/// The next graphql-ws message, as JSON; fails after 5 seconds without one.
pub async fn ws_next(socket: &mut WsSocket) -> serde_json::Value {
    use futures_util::StreamExt;
    let message = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
        .await
        .expect("a message within 5 s")
        .expect("the socket is open")
        .expect("a readable message");
    serde_json::from_str(message.to_text().expect("a text message")).expect("JSON")
}

/// The error code that ends operation `id`: a `next` with errors, then its `complete`.
pub async fn ws_error(socket: &mut WsSocket, id: &str) -> String {
    let last = ws_next(socket).await;
    assert_eq!(last["type"], "next", "{last}");
    assert_eq!(last["id"], id, "{last}");
    let code = last["payload"]["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {last}"))
        .to_string();
    let complete = ws_next(socket).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    assert_eq!(complete["id"], id, "{complete}");
    code
}

/// The Close frame the server ends the connection with, as (code, reason); fails on any
/// other message, or after 5 seconds without one.
pub async fn ws_closed(socket: &mut WsSocket) -> (u16, String) {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    match tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
        .await
        .expect("a Close frame within 5 s")
    {
        Some(Ok(Message::Close(Some(frame)))) => (u16::from(frame.code), frame.reason.to_string()),
        other => panic!("expected a Close frame, got {other:?}"),
    }
}

/// Fails if a message arrives within `millis`.
pub async fn ws_silent(socket: &mut WsSocket, millis: u64) {
    use futures_util::StreamExt;
    let next = tokio::time::timeout(std::time::Duration::from_millis(millis), socket.next()).await;
    assert!(next.is_err(), "unexpected: {next:?}");
}

/// A test's clock fixed on the day the back office tests were written, 10:00 in Lima:
/// the dates they give (due dates, termination dates, which must be near today) stay
/// valid whenever they run.
pub fn the_review_day(config: &mut gateway::config::Config) {
    use chrono::TimeZone;
    config.clock = gateway::domain::commons::Clock::Fixed(
        chrono::Utc.with_ymd_and_hms(2026, 12, 5, 15, 0, 0).unwrap(),
    );
}

/// Whether this is a CI run (`CI=true`, as `.ci/run`'s caller sets it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A tool a test needs (Node, the npm packages, Chromium) is missing. Locally the test
/// says it was skipped and why, and the caller returns; under CI, where `.ci/run`
/// installs every tool, it fails instead.
pub fn skip_or_fail(why: &str) {
    assert!(
        !in_ci(),
        "{why}, and CI must have it: .ci/run installs it (not skipped because CI=true)"
    );
    eprintln!("skipped: {why}");
}

/// Runs a program to completion with its output captured; returns it when it succeeded
/// and fails the test with that output when it did not.
pub async fn run_tool(
    dir: &std::path::Path,
    program: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
    env: &[(&str, &str)],
) -> String {
    let program = program.as_ref();
    let output = tokio::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program:?} {args:?} does not start: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{program:?} {args:?} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    stdout
}

/// Whether a program answers `--version` (e.g. `node`).
pub fn has_program(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for query strings.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `gateway <args>` on `database_url`, as an operator or a scheduler runs it.
pub async fn gateway_command(args: &[&str], database_url: &str) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("APP_ENV", "development")
        .env("LOG_JSON", "false")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("the gateway binary runs")
}

/// A free port on the loopback interface, for a process the test starts.
pub fn free_address() -> std::net::SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    probe.local_addr().expect("its address")
}

/// One HTTP/1.1 request to `addr` on a connection of its own, with an `Authorization`
/// header when given (`Bearer <token>`, `Token token=<secret>`); the status and the body.
pub async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
    authorization: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let (status, _, body) = http_with_head(addr, method, path, body, authorization).await?;
    Ok((status, body))
}

/// [`http`], with the response's head (status line and headers) as sent.
pub async fn http_with_head(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
    authorization: Option<&str>,
) -> std::io::Result<(u16, String, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let body = body.unwrap_or("");
    let auth = authorization
        .map(|value| format!("Authorization: {value}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{auth}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = response
        .split_once("\r\n\r\n")
        .map(|(head, body)| (head.to_string(), body.to_string()))
        .unwrap_or_default();
    Ok((status, head, body))
}

/// A server process of the real binary (`gateway serve`) on a database, as one replica
/// of several behind a load balancer; killed when dropped.
pub struct Replica {
    pub addr: std::net::SocketAddr,
    process: tokio::process::Child,
    /// Its standard output, read to the end (when the test asked to see its logs).
    logs: Option<tokio::task::JoinHandle<String>>,
}

impl Replica {
    /// Starts a replica on `database_url` and waits until it is ready.
    pub async fn start(database_url: &str) -> Replica {
        Self::start_with(database_url, &[]).await
    }

    /// [`Replica::start`] with more environment (`READY_TIMEOUT_MS`...). Fails if the
    /// process exits, or is not ready within a minute (a new database is migrated and
    /// given the demo data first).
    pub async fn start_with(database_url: &str, env: &[(&str, &str)]) -> Replica {
        Self::spawn(database_url, env, false).await
    }

    /// [`Replica::start_with`], keeping what the replica logs (its standard output, a pipe
    /// as under a process supervisor) for [`Replica::logs`].
    pub async fn start_logging(database_url: &str, env: &[(&str, &str)]) -> Replica {
        Self::spawn(database_url, env, true).await
    }

    async fn spawn(database_url: &str, env: &[(&str, &str)], keep_logs: bool) -> Replica {
        let addr = free_address();
        let stdout = if keep_logs {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::inherit()
        };
        let mut process = tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("BIND", addr.to_string())
            // The tests run the auto-charge job when they mean to, not at a replica's start.
            .env("AUTO_CHARGE_PERIOD_SECS", "0")
            .env("APP_ENV", "development")
            .env("LOG_JSON", "false")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(stdout)
            .kill_on_drop(true)
            .spawn()
            .expect("the gateway binary starts");
        // Read as it comes, so that a full pipe never blocks the replica.
        let logs = process.stdout.take().map(|mut out| {
            tokio::spawn(async move {
                use tokio::io::AsyncReadExt;
                let mut text = String::new();
                let _ = out.read_to_string(&mut text).await;
                text
            })
        });
        let mut replica = Replica {
            addr,
            process,
            logs,
        };
        for _ in 0..1200 {
            if let Ok((200, _)) = replica.http("GET", "/ready", None, None).await {
                return replica;
            }
            if let Ok(Some(status)) = replica.process.try_wait() {
                panic!("the replica on {addr} exited before it was ready: {status}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the replica on {addr} was not ready within a minute");
    }

    /// Asks the process to stop, as an orchestrator does (SIGTERM).
    pub fn terminate(&self) {
        let pid = self.process.id().expect("the replica is running");
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
    }

    /// Waits for the process to exit, at most `limit`.
    pub async fn exit(&mut self, limit: std::time::Duration) -> std::process::ExitStatus {
        tokio::time::timeout(limit, self.process.wait())
            .await
            .expect("the replica exits in time")
            .expect("its status")
    }

    /// What the replica logged, once it has exited (see [`Replica::start_logging`]).
    pub async fn logs(&mut self) -> String {
        self.logs
            .take()
            .expect("started with start_logging")
            .await
            .expect("its output")
    }

    /// One HTTP/1.1 request to this replica; the status and the body.
    pub async fn http(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> std::io::Result<(u16, String)> {
        let authorization = token.map(|t| format!("Bearer {t}"));
        http(self.addr, method, path, body, authorization.as_deref()).await
    }

    /// Runs an operation on this replica.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let (_, text) = self
            .http("POST", "/graphql", Some(&body), token)
            .await
            .expect("the replica answers");
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    }
}
