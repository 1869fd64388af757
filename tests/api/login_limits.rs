//! Issue 17: failed logins are limited per document and per client address, with waits
//! that double, counted in the database before any password is hashed; and hashing
//! itself takes turns (`LIMIT_PASSWORD_HASHES`).

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, header},
};
use chrono::{TimeDelta, TimeZone, Utc};
use gateway::{
    domain::{
        commons::{Clock, ManualClock},
        identity::throttle::{self, Charge, Key},
    },
    entities::login_throttle,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    common::{DRIVER, TestApp},
    db_test,
};

const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { session { accessToken } userErrors { field message code retryAfter } } }";

fn manual_clock(config: &mut gateway::config::Config) {
    let start = Utc.with_ymd_and_hms(2026, 12, 6, 15, 0, 0).unwrap();
    config.clock = Clock::Manual(ManualClock::new(start));
}

fn clock(app: &TestApp) -> ManualClock {
    match &app.app.state.config.clock {
        Clock::Manual(clock) => clock.clone(),
        other => panic!("the test needs a manual clock, not {other:?}"),
    }
}

fn hashes_run(app: &TestApp) -> u64 {
    app.app.state.auth.hash_limit.hashes_run()
}

/// A login as a client sends it, optionally through proxies (`X-Forwarded-For`) and from
/// a TCP peer; its payload.
async fn attempt(
    app: &TestApp,
    document: &str,
    password: &str,
    forwarded_for: Option<&str>,
    peer: Option<SocketAddr>,
) -> Value {
    let body = json!({
        "query": LOGIN,
        "variables": { "input": { "document": document, "password": password } },
    });
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(chain) = forwarded_for {
        request = request.header("x-forwarded-for", chain);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    let reply = app.send(request).await;
    let payload = reply.body["data"]["login"].clone();
    assert!(payload.is_object(), "{}", reply.text);
    payload
}

/// `OK` for a session, else the code of the one user error.
fn outcome(payload: &Value) -> String {
    if payload["session"].is_object() {
        return "OK".into();
    }
    let errors = payload["userErrors"].as_array().expect("userErrors");
    assert_eq!(errors.len(), 1, "{payload}");
    errors[0]["code"].as_str().expect("a code").to_string()
}

/// Asserts a TOO_MANY_ATTEMPTS refusal and returns its `retryAfter`.
fn refused(payload: &Value) -> i64 {
    assert_eq!(outcome(payload), "TOO_MANY_ATTEMPTS", "{payload}");
    assert!(payload["session"].is_null());
    let error = &payload["userErrors"][0];
    assert_eq!(error["field"], json!([]));
    let retry_after = error["retryAfter"].as_i64().expect("retryAfter");
    assert!(retry_after > 0, "{payload}");
    retry_after
}

async fn row(app: &TestApp, key: &str) -> Option<login_throttle::Model> {
    login_throttle::Entity::find_by_id(key.to_string())
        .one(&app.app.state.db)
        .await
        .unwrap()
}

db_test!(
    a_document_waits_after_its_free_failures_and_the_right_password_clears_them,
    |config| { manual_clock(config) },
    |app| {
        let clock = clock(&app);
        let key = format!("document:{}", DRIVER.0);
        let before = hashes_run(&app);
        for n in 1..=5 {
            let payload = attempt(&app, DRIVER.0, "wrong-pass-1", None, None).await;
            assert_eq!(outcome(&payload), "INVALID_CREDENTIALS", "attempt {n}");
            assert!(payload["userErrors"][0]["retryAfter"].is_null());
        }
        assert_eq!(hashes_run(&app) - before, 5);

        // Refused at once, even with the right password, and nothing is hashed.
        for password in ["wrong-pass-6", DRIVER.1] {
            let payload = attempt(&app, DRIVER.0, password, None, None).await;
            assert_eq!(refused(&payload), 1);
            assert_eq!(
                payload["userErrors"][0]["message"],
                "Too many failed attempts. Try again in 1 second"
            );
        }
        // The REST API's words in Spanish, as its clients showed them.
        let in_spanish = app
            .gql_in(
                LOGIN,
                json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } }),
                None,
                Some("es"),
            )
            .await;
        let payload = &in_spanish["data"]["login"];
        assert_eq!(refused(payload), 1);
        assert_eq!(
            payload["userErrors"][0]["message"],
            "Demasiados intentos fallidos. Vuelve a intentarlo en 1 segundo"
        );
        assert_eq!(hashes_run(&app) - before, 5, "no hash for refused attempts");
        let counted = row(&app, &key).await.expect("the document's row");
        assert_eq!(counted.failures, 5, "refused attempts are not charged");

        // A second later one more guess is heard, and the wait doubles.
        clock.advance(TimeDelta::seconds(1));
        let sixth = attempt(&app, DRIVER.0, "wrong-pass-7", None, None).await;
        assert_eq!(outcome(&sixth), "INVALID_CREDENTIALS");
        assert_eq!(
            refused(&attempt(&app, DRIVER.0, DRIVER.1, None, None).await),
            2
        );
        clock.advance(TimeDelta::milliseconds(1500));
        assert_eq!(
            refused(&attempt(&app, DRIVER.0, DRIVER.1, None, None).await),
            1,
            "half a second left is 1 second, rounded up"
        );
        assert_eq!(hashes_run(&app) - before, 6);

        // After the wait the right password works and forgets the failures.
        clock.advance(TimeDelta::milliseconds(500));
        let payload = attempt(&app, DRIVER.0, DRIVER.1, None, None).await;
        assert_eq!(outcome(&payload), "OK", "{payload}");
        assert!(row(&app, &key).await.is_none());
        for n in 1..=5 {
            let payload = attempt(&app, DRIVER.0, "wrong-pass-8", None, None).await;
            assert_eq!(outcome(&payload), "INVALID_CREDENTIALS", "free again: {n}");
        }
        refused(&attempt(&app, DRIVER.0, DRIVER.1, None, None).await);
    }
);

db_test!(
    unknown_documents_count_like_known_ones,
    |config| { manual_clock(config) },
    |app| {
        let before = hashes_run(&app);
        for _ in 1..=5 {
            let payload = attempt(&app, "99999999", "wrong-pass-1", None, None).await;
            assert_eq!(outcome(&payload), "INVALID_CREDENTIALS");
        }
        assert_eq!(
            hashes_run(&app) - before,
            5,
            "each unknown document costs the decoy hash"
        );
        assert_eq!(
            refused(&attempt(&app, "99999999", "wrong-pass-1", None, None).await),
            1
        );
        assert_eq!(row(&app, "document:99999999").await.unwrap().failures, 5);
    }
);

db_test!(
    an_address_waits_across_documents_and_a_success_gives_back_only_its_own_charge,
    |config| {
        manual_clock(config);
        config.trusted_proxies = 1;
    },
    |app| {
        let clock = clock(&app);
        // One proxy in front: the rightmost entry is the client; what it wrote to the left
        // is not believed.
        let from = Some("198.51.100.99, 203.0.113.7");
        for n in 0..20 {
            let document = format!("7000{n:04}");
            let payload = attempt(&app, &document, "wrong-pass-1", from, None).await;
            assert_eq!(outcome(&payload), "INVALID_CREDENTIALS", "attempt {n}");
        }
        // The 21st, for yet another document and with its right password: refused.
        assert_eq!(
            refused(&attempt(&app, DRIVER.0, DRIVER.1, from, None).await),
            1
        );
        assert_eq!(row(&app, "address:203.0.113.7").await.unwrap().failures, 20);
        assert!(row(&app, "address:198.51.100.99").await.is_none());
        // Another address is not concerned.
        let elsewhere = attempt(&app, DRIVER.0, DRIVER.1, Some("203.0.113.8"), None).await;
        assert_eq!(outcome(&elsewhere), "OK", "{elsewhere}");

        // After the wait the right password works from the address; it gives back its
        // own charge only, so the address's next failure waits at once again.
        clock.advance(TimeDelta::seconds(1));
        let payload = attempt(&app, DRIVER.0, DRIVER.1, from, None).await;
        assert_eq!(outcome(&payload), "OK", "{payload}");
        assert_eq!(row(&app, "address:203.0.113.7").await.unwrap().failures, 20);
        let next = attempt(&app, "70009999", "wrong-pass-1", from, None).await;
        assert_eq!(outcome(&next), "INVALID_CREDENTIALS");
        assert_eq!(
            refused(&attempt(&app, "70009998", "wrong-pass-1", from, None).await),
            2
        );
    }
);

db_test!(
    forwarded_for_is_ignored_without_trusted_proxies,
    |config| { manual_clock(config) },
    |app| {
        let peer: SocketAddr = "198.51.100.4:50123".parse().unwrap();
        // A new X-Forwarded-For each time does not make a new client.
        for n in 0..20 {
            let document = format!("7100{n:04}");
            let spoofed = format!("203.0.113.{n}");
            let payload =
                attempt(&app, &document, "wrong-pass-1", Some(&spoofed), Some(peer)).await;
            assert_eq!(outcome(&payload), "INVALID_CREDENTIALS", "attempt {n}");
        }
        let payload = attempt(&app, DRIVER.0, DRIVER.1, Some("203.0.113.200"), Some(peer)).await;
        refused(&payload);
        assert_eq!(
            row(&app, "address:198.51.100.4").await.unwrap().failures,
            20
        );
        let addresses = login_throttle::Entity::find()
            .filter(login_throttle::Column::Key.starts_with("address:"))
            .count(&app.app.state.db)
            .await
            .unwrap();
        assert_eq!(addresses, 1, "only the TCP peer is counted");
        // Without a known address (no listener), only the document counts.
        let unknown = attempt(&app, DRIVER.0, DRIVER.1, None, None).await;
        assert_eq!(outcome(&unknown), "OK", "{unknown}");
    }
);

db_test!(
    parallel_guesses_cannot_outrun_the_count,
    |config| {
        manual_clock(config);
        config.limits.max_concurrent = 32;
    },
    |app| {
        let before = hashes_run(&app);
        let guesses = (0..20).map(|n| {
            let password = format!("wrong-pass-{n}");
            let app = &app;
            async move { attempt(app, DRIVER.0, &password, None, None).await }
        });
        let outcomes: Vec<String> = futures_util::future::join_all(guesses)
            .await
            .iter()
            .map(outcome)
            .collect();
        let count = |code: &str| outcomes.iter().filter(|o| *o == code).count();
        assert_eq!(count("INVALID_CREDENTIALS"), 5, "{outcomes:?}");
        assert_eq!(count("TOO_MANY_ATTEMPTS"), 15, "{outcomes:?}");
        assert_eq!(hashes_run(&app) - before, 5);
        let key = format!("document:{}", DRIVER.0);
        assert_eq!(row(&app, &key).await.unwrap().failures, 5);

        // The charge itself, 30 at once on one key: exactly the free ones pass.
        let db = &app.app.state.db;
        let now = app.app.state.config.clock.now();
        let keys = [Key::document("72000000")];
        let charges = (0..30).map(|_| throttle::charge(db, &keys, now));
        let charged = futures_util::future::join_all(charges)
            .await
            .into_iter()
            .map(|c| c.expect("charged or refused"))
            .filter(|c| matches!(c, Charge::Charged(_)))
            .count();
        assert_eq!(
            charged,
            usize::try_from(throttle::FREE_FAILURES_PER_DOCUMENT).unwrap()
        );
    }
);

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

db_test!(
    websocket_logins_are_charged_to_the_address_of_the_upgrade,
    |config| {
        config.trusted_proxies = 1;
    },
    |app| {
        use futures_util::SinkExt;
        use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
        let addr = app.serve().await;
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .unwrap();
        let headers = request.headers_mut();
        headers.insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        headers.insert("x-forwarded-for", "203.0.113.77".parse().unwrap());
        let mut socket = tokio_tungstenite::connect_async(request).await.unwrap().0;
        let init = json!({ "type": "connection_init", "payload": {} });
        socket.send(Message::text(init.to_string())).await.unwrap();
        let ack = crate::common::ws_next(&mut socket).await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        let subscribe = json!({
            "id": "1",
            "type": "subscribe",
            "payload": {
                "query": LOGIN,
                "variables": { "input": { "document": "73000000", "password": "wrong-pass-1" } },
            },
        });
        socket
            .send(Message::text(subscribe.to_string()))
            .await
            .unwrap();
        let next = crate::common::ws_next(&mut socket).await;
        let payload = &next["payload"]["data"]["login"];
        assert_eq!(outcome(payload), "INVALID_CREDENTIALS", "{next}");
        assert_eq!(row(&app, "address:203.0.113.77").await.unwrap().failures, 1);
    }
);
