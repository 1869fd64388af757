//! The playground in a real browser: Debian's Chromium, headless, driven through
//! chromedriver's WebDriver HTTP API. The page loads with every request staying on
//! 127.0.0.1 (any other host fails to resolve), the Login tab logs in with the demo
//! driver, the MyProfile tab runs with that session, and the result is read from the
//! page. A screenshot is kept in `<target>/artifacts/playground.png`.
//!
//! Needs `chromium`, `chromium-driver` and `npm ci --prefix playground`: skipped without
//! them locally, a failure under CI (`.ci/run` installs them).

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{DRIVER, TestApp, skip_or_fail};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A minimal WebDriver client: JSON over HTTP/1.1 to a local chromedriver.
struct WebDriver {
    addr: std::net::SocketAddr,
    session: String,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<Value> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    // chromedriver may keep the connection open: read the head, then Content-Length
    // bytes (or chunks up to the last one, or to the end).
    let mut response = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        response.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, payload)) = text.split_once("\r\n\r\n") {
            let head = head.to_ascii_lowercase();
            let length = head.lines().find_map(|line| {
                line.strip_prefix("content-length:")
                    .and_then(|n| n.trim().parse::<usize>().ok())
            });
            let complete = match length {
                Some(length) => payload.len() >= length,
                None => head.contains("chunked") && payload.ends_with("0\r\n\r\n"),
            };
            if complete {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&response);
    let (head, payload) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(payload)
    } else {
        payload.to_string()
    };
    Ok(serde_json::from_str(&payload).unwrap_or(Value::Null))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

impl WebDriver {
    async fn start() -> WebDriver {
        let addr = crate::common::free_address();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={}", addr.port()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(status) = http(addr, "GET", "/status", None).await
                && status["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("a fresh profile");
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--no-first-run",
                    "--disable-dev-shm-usage",
                    "--window-size=1400,900",
                    format!("--user-data-dir={}", profile.path().display()),
                    // Only 127.0.0.1 resolves: a request anywhere else fails, and the
                    // page must work all the same.
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                ],
            },
        } } });
        let created = http(addr, "POST", "/session", Some(&capabilities))
            .await
            .expect("chromedriver answers");
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {created}"))
            .to_string();
        WebDriver {
            addr,
            session,
            _driver: driver,
            _profile: profile,
        }
    }

    async fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let reply = http(self.addr, method, &path, body.as_ref())
            .await
            .expect("chromedriver answers");
        assert!(
            reply["value"]["error"].is_null(),
            "{method} {path}: {reply}"
        );
        reply["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })))
            .await;
    }

    /// Runs a script in the page and returns its value.
    async fn script(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }

    /// Polls a script until it returns something truthy (not null, false, 0 or "").
    async fn wait_for(&self, what: &str, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let value = self.script(script).await;
            let truthy = match &value {
                Value::Null | Value::Bool(false) => false,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return value;
            }
            if Instant::now() > deadline {
                let shot = artifacts().join("playground-failure.png");
                self.screenshot(&shot).await;
                let page = self
                    .script("return document.body.innerText.slice(0, 3000);")
                    .await;
                let result = self
                    .script(&format!(
                        "try {{ {RESULT_TEXT} }} catch (e) {{ return String(e); }}"
                    ))
                    .await;
                panic!(
                    "timed out waiting for {what}; screenshot {}; result pane: {result}; page: {page}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let png = self.command("GET", "/screenshot", None).await;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("a base64 PNG"))
            .expect("base64");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("artifacts folder");
        std::fs::write(path, bytes).expect("screenshot written");
    }
}

/// Ends the browser session even when the test fails: chromedriver then closes Chromium,
/// which would otherwise outlive it (chromedriver itself is killed on drop).
impl Drop for WebDriver {
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Ok(mut stream) = std::net::TcpStream::connect(self.addr) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            self.session, self.addr
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            // Chromium is gone once chromedriver answers.
            let mut head = [0u8; 64];
            let _ = stream.read(&mut head);
        }
    }
}

/// `<target>/artifacts/`, beside the build's own folders.
fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("artifacts")
}

/// Clicks the tab whose title is `name`, waits until the editor shows its operation,
/// runs it and returns the text of the result pane once it holds `expect`.
const RUN_TAB: &str = r#"
const [name] = arguments;
const tab = [...document.querySelectorAll('.graphiql-tab-button')]
  .find((t) => t.textContent.trim() === name);
if (!tab) return 'no tab ' + name;
tab.click();
return '';
"#;

/// Opens the tab of operation `name` and runs it.
async fn start_tab(browser: &WebDriver, name: &str) {
    let clicked = browser
        .command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": RUN_TAB, "args": [name] })),
        )
        .await;
    assert_eq!(clicked, json!(""), "{clicked}");
    browser
        .wait_for(
            &format!("the {name} tab to open"),
            &format!(
                "const q = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue();
                 return ['query', 'mutation', 'subscription'].some((kind) => q.includes(kind + ' {name}'));"
            ),
        )
        .await;
    browser
        .script("document.querySelector('.graphiql-execute-button').click(); return null;")
        .await;
}

/// The result pane's JSON once it holds `expect`.
async fn result_holding(browser: &WebDriver, expect: &str) -> Value {
    let result = browser
        .wait_for(
            &format!("{expect} in the result pane"),
            &format!(
                "const t = document.querySelector('.result-window .CodeMirror').CodeMirror.getValue(); return t.includes('{expect}') ? t : '';"
            ),
        )
        .await;
    serde_json::from_str(result.as_str().unwrap_or("")).expect("the result pane holds JSON")
}

/// Opens the tab of operation `name`, runs it, and returns the result pane's JSON once it
/// holds `expect`.
async fn run_tab(browser: &WebDriver, name: &str, expect: &str) -> Value {
    start_tab(browser, name).await;
    result_holding(browser, expect).await
}

/// The page's stored session, as JSON.
const STORED_SESSION: &str =
    "return JSON.parse(sessionStorage.getItem('gateway-playground-session') || 'null');";

const QUERY_TEXT: &str =
    "return document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue();";
const RESULT_TEXT: &str =
    "return document.querySelector('.result-window .CodeMirror').CodeMirror.getValue();";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_logs_in_and_runs_an_example_in_headless_chromium() {
    // On the heap: the walk through the page is a future too large for a test thread's
    // stack in a debug build.
    Box::pin(walk_through_the_playground()).await;
}

async fn walk_through_the_playground() {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        return skip_or_fail(
            "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)",
        );
    }
    // Access tokens of 3 seconds, so that the page's refresh runs within the test.
    let app = TestApp::sqlite(|config| {
        config.access_token_ttl = Duration::from_secs(3);
    })
    .await;
    let playground = &app.app.state.config.playground_dir;
    if !playground
        .join("node_modules/graphiql/graphiql.min.js")
        .is_file()
    {
        return skip_or_fail(
            "the playground's npm packages are not installed (npm ci --prefix playground), so the page would need a CDN",
        );
    }
    let addr = app.serve().await;
    let origin = format!("http://{addr}");
    let browser = WebDriver::start().await;

    browser.goto(&format!("{origin}/playground")).await;
    let tabs = browser
        .wait_for(
            "GraphiQL to render its tabs",
            "return document.querySelectorAll('.graphiql-tab').length;",
        )
        .await;
    let examples = std::fs::read_dir(playground.join("operations"))
        .expect("operations")
        .count();
    assert_eq!(tabs, json!(examples), "one tab per example operation");
    let bar = browser
        .script("return document.getElementById('session').textContent;")
        .await;
    assert!(
        bar.as_str().unwrap_or("").contains("Not logged in"),
        "{bar}"
    );

    // The first tab is Login, with the demo driver's credentials in its variables.
    assert!(
        browser
            .script(QUERY_TEXT)
            .await
            .as_str()
            .unwrap_or("")
            .contains("mutation Login")
    );
    browser
        .script("document.querySelector('.graphiql-execute-button').click(); return null;")
        .await;
    let bar = browser
        .wait_for(
            "the session bar to say who logged in",
            "const t = document.getElementById('session').textContent; return t.includes('Logged in') ? t : '';",
        )
        .await;
    assert!(
        bar.as_str()
            .unwrap_or("")
            .contains("pruebas apellido (CLIENT)"),
        "{bar}"
    );
    let login = browser.script(RESULT_TEXT).await;
    assert!(
        login.as_str().unwrap_or("").contains("accessToken"),
        "{login}"
    );

    // Another tab runs with that session: the driver's profile, as the page shows it.
    let result = run_tab(&browser, "MyProfile", "fullName").await;
    assert!(result["errors"].is_null(), "{result}");
    let me = &result["data"]["me"];
    assert_eq!(me["fullName"], "pruebas apellido");
    assert_eq!(me["document"], DRIVER.0);
    assert_eq!(me["coins"], "116.00");
    assert_eq!(me["organization"]["name"], "Leasy Demo");

    // A reload keeps the session (sessionStorage); once its access token has expired, the
    // page refreshes it and the tab runs as before. Before, the result was a 401 while
    // the bar still said "Logged in as", and a reload lost the session.
    let kept = browser.script(STORED_SESSION).await;
    assert!(kept["refreshToken"].is_string(), "{kept}");
    browser.goto(&format!("{origin}/playground")).await;
    browser
        .wait_for(
            "the session bar after a reload",
            "const t = document.getElementById('session').textContent; return t.includes('pruebas apellido') ? t : '';",
        )
        .await;
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    run_tab(&browser, "MyProfile", "fullName").await;
    // GraphiQL may show the tab's earlier answer at once: wait for the refresh itself,
    // then read the answer the retried request got.
    let first_token = kept["accessToken"].as_str().unwrap_or_default();
    browser
        .wait_for(
            "the session to be refreshed",
            &format!(
                "const s = JSON.parse(sessionStorage.getItem('gateway-playground-session') || 'null');
                 return Boolean(s) && s.accessToken !== '{first_token}';"
            ),
        )
        .await;
    let again = browser
        .wait_for(
            "the profile read with the refreshed session",
            "const t = document.querySelector('.result-window .CodeMirror').CodeMirror.getValue();
             return t.includes('fullName') && !t.includes('errors') ? t : '';",
        )
        .await;
    let again: Value = serde_json::from_str(again.as_str().unwrap_or("")).expect("JSON");
    assert_eq!(
        again["data"]["me"]["fullName"], "pruebas apellido",
        "{again}"
    );
    let bar = browser
        .script("return document.getElementById('session').textContent;")
        .await;
    assert!(bar.as_str().unwrap_or("").contains("Logged in as"), "{bar}");

    // A tab whose variables need an earlier result's ID takes it from that result: the
    // pay summary of the invoice ContractInvoices listed. Before, the ID had to be copied
    // by hand from one tab to the other.
    let invoices = run_tab(&browser, "ContractInvoices", "totalWithDiscount").await;
    let penalty = invoices["data"]["contract"]["invoices"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.iter().find(|i| i["type"]["code"] == "penalty"))
        .map(|i| i["id"].clone())
        .unwrap_or_else(|| panic!("{invoices}"));
    let summary = run_tab(&browser, "PaySummary", "selectedInvoices").await;
    assert_eq!(
        summary["data"]["paySummary"]["summary"]["selectedInvoices"][0]["id"], penalty,
        "{summary}"
    );
    // And the tab's variables now show the ID it ran with, not the placeholder.
    let variables = browser
        .script(
            "return document.querySelector('.graphiql-editor-tool .graphiql-editor .CodeMirror').CodeMirror.getValue();",
        )
        .await;
    let variables: Value =
        serde_json::from_str(variables.as_str().unwrap_or("")).expect("JSON variables");
    assert_eq!(variables["invoiceIds"][0], penalty, "{variables}");

    Box::pin(the_subscription_tab_hears_a_recharge(&app, &browser)).await;
    let icon = app
        .send(
            axum::http::Request::get("/favicon.ico")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        icon.status,
        axum::http::StatusCode::OK,
        "the page's icon is served"
    );

    // GraphiQL loaded the schema with its own introspection query: the docs explorer
    // opens on the Query type and shows paySummary with its description.
    let opened = browser
        .script(
            "const b = [...document.querySelectorAll('.graphiql-sidebar button')]
               .find((b) => (b.getAttribute('aria-label') || '').includes('Documentation Explorer'));
             if (!b) return 'no docs button';
             b.click(); return '';",
        )
        .await;
    assert_eq!(opened, json!(""), "{opened}");
    let clicked = browser
        .wait_for(
            "the docs explorer to list the root types",
            "const q = [...document.querySelectorAll('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name')]
               .find((a) => a.textContent.trim() === 'Query');
             if (!q) return '';
             q.click(); return 'clicked';",
        )
        .await;
    assert_eq!(clicked, json!("clicked"));
    let docs = browser
        .wait_for(
            "paySummary's description in the docs explorer",
            "const t = document.querySelector('.graphiql-doc-explorer').innerText;
             return t.includes('paySummary') && t.includes('What paying these invoices would charge now') ? t : '';",
        )
        .await;
    assert!(
        !docs
            .as_str()
            .unwrap_or("")
            .contains("Error fetching schema"),
        "{docs}"
    );

    // Nothing the page loaded came from anywhere but this server.
    let loaded = browser
        .script(
            "return [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];",
        )
        .await;
    let loaded: Vec<&str> = loaded
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(loaded.len() > 3, "{loaded:?}");
    for url in &loaded {
        assert!(
            url.starts_with(&format!("{origin}/")) || url.starts_with(&format!("ws://{addr}/")),
            "{url} left 127.0.0.1 (all: {loaded:?})"
        );
    }
    assert!(
        loaded
            .iter()
            .any(|u| u.ends_with("/playground/vendor/graphiql/graphiql.min.js")),
        "{loaded:?}"
    );
    let notice = browser
        .script("return document.querySelector('.notice') === null;")
        .await;
    assert_eq!(notice, json!(true), "no CDN notice");

    let shot = artifacts().join("playground.png");
    browser.screenshot(&shot).await;
    let size = std::fs::metadata(&shot).expect("the screenshot").len();
    assert!(size > 10_000, "a real screenshot, {size} bytes");
    eprintln!("screenshot: {}", shot.display());

    Box::pin(a_session_ended_elsewhere_says_so(&app, &browser)).await;
}

/// The subscription tab hears the driver's wallet change over WebSocket, as it happens.
async fn the_subscription_tab_hears_a_recharge(app: &TestApp, browser: &WebDriver) {
    // Staff credit the wallet while the tab listens. A subscription ends with its
    // access token (3 seconds here): let the page's expire, and a tab refresh it first.
    let driver_id = app
        .gql("{ me { id } }", json!({}), Some(&app.login(DRIVER).await))
        .await["data"]["me"]["id"]
        .clone();
    let before = browser.script(STORED_SESSION).await["accessToken"].clone();
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    start_tab(browser, "MyProfile").await;
    browser
        .wait_for(
            "the session to be refreshed before the subscription",
            &format!(
                "const s = JSON.parse(sessionStorage.getItem('gateway-playground-session') || 'null');
                 return Boolean(s) && s.accessToken !== {before};"
            ),
        )
        .await;
    start_tab(browser, "WalletChanged").await;
    // Tokens last 3 seconds here: staff log in now, while the tab listens.
    let admin = app.login(crate::common::ADMIN).await;
    let recharged = crate::common::run(
        app,
        &admin,
        "mutation($input: RecordRechargeInput!) { recordRecharge(input: $input) { balance userErrors { code } } }",
        json!({ "clientId": driver_id, "amount": "10.00", "method": "Yape", "idempotencyKey": "browser-subscription-tab-1" }),
    )
    .await;
    assert_eq!(recharged["userErrors"], json!([]), "{recharged}");
    let event = result_holding(browser, "RECHARGE").await;
    assert_eq!(
        event["data"]["walletChanged"]["balance"], recharged["balance"],
        "{event}"
    );
}

/// A session that ended elsewhere: its refresh token was spent by another client (as a
/// thief's would be). Once the access token expires, the page's one refresh fails and the
/// bar says so, rather than "Logged in as" over a 401.
async fn a_session_ended_elsewhere_says_so(app: &TestApp, browser: &WebDriver) {
    let kept = browser.script(STORED_SESSION).await;
    let spent = app
        .gql(
            "mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { session { accessToken } } }",
            json!({ "input": { "refreshToken": kept["refreshToken"] } }),
            None,
        )
        .await;
    assert!(
        spent["data"]["refreshToken"]["session"]["accessToken"].is_string(),
        "{spent}"
    );
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    start_tab(browser, "MyProfile").await;
    let bar = browser
        .wait_for(
            "the session bar to say the session ended",
            "const t = document.getElementById('session').textContent; return t.includes('Session ended') ? t : '';",
        )
        .await;
    assert!(
        bar.as_str().unwrap_or("").contains("run the Login tab"),
        "{bar}"
    );
    let kept = browser.script(STORED_SESSION).await;
    assert_eq!(kept, Value::Null, "the ended session is forgotten");
}

/// Without its packages on the server, the page loads GraphiQL from a public CDN; when
/// that fails too (offline: this browser resolves only 127.0.0.1), the page says so
/// instead of "Loading..." forever.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_says_when_graphiql_could_not_load_in_chromium() {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        return skip_or_fail(
            "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)",
        );
    }
    let without_packages = tempfile::tempdir().expect("an empty playground directory");
    let dir = without_packages.path().to_path_buf();
    let app = TestApp::sqlite(move |config| config.playground_dir = dir).await;
    let addr = app.serve().await;
    let browser = WebDriver::start().await;
    browser.goto(&format!("http://{addr}/playground")).await;
    let said = browser
        .wait_for(
            "the page to say GraphiQL could not load",
            "const t = document.getElementById('graphiql').textContent; return t.includes('could not load') ? t : '';",
        )
        .await;
    assert!(
        said.as_str()
            .unwrap_or("")
            .contains("npm ci --prefix playground"),
        "{said}"
    );
    let notice = browser
        .script("const n = document.querySelector('.notice'); return n && n.textContent;")
        .await;
    assert!(
        notice.as_str().unwrap_or("").contains("public CDN"),
        "{notice}"
    );
}

/// A web server of one page, as a front end on another origin than the API's.
async fn serve_a_page() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let page = "<!doctype html><title>A front end</title><p>A front end</p>";
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    addr
}

/// Calls the API from the page, as a front end's code does: the answer's status, its
/// exposed request id and its body, or (`failed`) the error the browser raised.
const CALL_THE_API: &str = r#"
const [url, token] = arguments;
return fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token },
  body: JSON.stringify({ query: '{ me { fullName } }' }),
})
  .then((r) => r.json().then((body) => ({ status: r.status, requestId: r.headers.get('x-request-id'), body })))
  .catch((e) => ({ failed: String(e) }));
"#;

// Before, a page on another origin could not call the API at all: the preflight got 405
// without `Access-Control-Allow-Origin`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_on_another_origin_calls_the_api_in_chromium() {
    if !Path::new(CHROMIUM).is_file() || !Path::new(CHROMEDRIVER).is_file() {
        return skip_or_fail(
            "Chromium or chromedriver is not installed (apt-get install chromium chromium-driver)",
        );
    }
    let (listed, unlisted) = (serve_a_page().await, serve_a_page().await);
    let app = TestApp::sqlite(|config| {
        config.cors_origins = gateway::config::CorsOrigins::Exact(vec![format!("http://{listed}")]);
    })
    .await;
    let api = format!("http://{}/graphql", app.serve().await);
    let token = app.login(DRIVER).await;
    let browser = WebDriver::start().await;
    let call = |page: std::net::SocketAddr| {
        let (browser, api, token) = (&browser, api.clone(), token.clone());
        async move {
            browser.goto(&format!("http://{page}/")).await;
            browser
                .command(
                    "POST",
                    "/execute/sync",
                    Some(json!({ "script": CALL_THE_API, "args": [api, token] })),
                )
                .await
        }
    };

    let answered = call(listed).await;
    assert_eq!(answered["status"], 200, "{answered}");
    assert!(
        answered["body"]["data"]["me"]["fullName"].is_string(),
        "{answered}"
    );
    assert!(answered["requestId"].is_string(), "{answered}");

    let refused = call(unlisted).await;
    assert_eq!(
        refused["failed"], "TypeError: Failed to fetch",
        "the browser keeps an unlisted page from the answer: {refused}"
    );
}
