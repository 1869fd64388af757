//! Issue 17: hashing takes turns (`LIMIT_PASSWORD_HASHES`).

use serde_json::json;

use crate::{common::DRIVER, db_test};

const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { session { accessToken } userErrors { field message code } } }";

db_test!(
    a_login_waiting_past_the_timeout_for_a_hash_turn_times_out,
    |config| {
        config.limits.max_password_hashes = 1;
        config.limits.timeout = std::time::Duration::from_millis(1000);
    },
    |app| {
        let limit = app.app.state.auth.hash_limit.clone();
        assert_eq!(limit.available(), 1);
        // The only turn is taken (as by a long hash): the login waits, then times out.
        let busy = limit.acquire().await.unwrap();
        let before = limit.hashes_run();
        let body = json!({
            "query": LOGIN,
            "variables": { "input": { "document": DRIVER.0, "password": DRIVER.1 } },
        });
        let reply = app.post_json(body.clone(), None).await;
        assert_eq!(reply.code(), Some("REQUEST_TIMEOUT"), "{}", reply.text);
        assert_eq!(limit.hashes_run(), before, "no hash ran");
        // With the turn back, the same login works.
        drop(busy);
        let reply = app.post_json(body, None).await;
        assert!(
            reply.body["data"]["login"]["session"]["accessToken"].is_string(),
            "{}",
            reply.text
        );
        assert_eq!(limit.hashes_run(), before + 1);
        assert_eq!(limit.available(), 1);
    }
);
