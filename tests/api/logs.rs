//! What a running server logs, as a process supervisor or a log collector reads it.

use std::time::Duration;

use serde_json::json;

use crate::common::{DRIVER, Replica};

// Before, colour codes were written into files and pipes, the request line named neither
// the operation nor the caller, and stopping logged two drain lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_logs_one_plain_line_per_request_with_its_operation_and_caller() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/logs.db?mode=rwc", dir.path().display());
    let mut replica = Replica::start_logging(&url, &[("RUST_LOG", "info")]).await;
    let login = replica
        .gql(
            "mutation Login($input: LoginInput!) { login(input: $input) { session { accessToken user { id } } } }",
            json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } }),
            None,
        )
        .await;
    let session = &login["data"]["login"]["session"];
    let token = session["accessToken"].as_str().unwrap();
    let me = replica
        .gql(
            "query MyProfile { me { fullName } }",
            json!({}),
            Some(token),
        )
        .await;
    assert!(me["data"]["me"]["fullName"].is_string(), "{me}");
    replica.terminate();
    assert!(replica.exit(Duration::from_secs(15)).await.success());
    let logs = replica.logs().await;

    assert!(!logs.contains('\u{1b}'), "colour codes in a pipe: {logs}");
    let served: Vec<&str> = logs.lines().filter(|l| l.contains(" served ")).collect();
    let line = |operation: &str| {
        served
            .iter()
            .find(|l| l.contains(&format!("operation=\"{operation}\"")))
            .unwrap_or_else(|| panic!("no line for {operation}: {logs}"))
            .to_string()
    };
    let login = line("Login");
    assert!(login.contains("caller=\"anonymous\""), "{login}");
    assert!(login.contains("status=200"), "{login}");
    let profile = line("MyProfile");
    // The demo driver is user 3 (after the ADMIN and the collector).
    assert!(profile.contains("caller=\"CLIENT:3\""), "{profile}");
    for field in ["status=200", "elapsed_ms=", "statements=", "request_id="] {
        assert!(profile.contains(field), "{field} missing: {profile}");
    }
    assert_eq!(
        logs.matches("draining").count(),
        1,
        "one line says the server is draining: {logs}"
    );
}
