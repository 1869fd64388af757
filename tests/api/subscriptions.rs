//! Subscriptions as a client lives them: `transactionRecorded` reaches whoever reads the
//! book (and private rows only whom they are visible to), every subscription ends when
//! the access token expires or the session ends, and a stopping server closes its
//! WebSocket connections with "going away".

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, Replica, TestApp, WsSocket, ok, ws_connect, ws_next, ws_silent,
        ws_subscribe,
    },
    db_test,
};

const RECORDED: &str =
    "subscription { transactionRecorded { description amount kind private account { name } } }";
const CREATE_TX: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id } userErrors { field code message } } }";
const RECORD_EXPENSE: &str = "mutation { recordExpense(input: { amount: \"13.00\", category: \"combustible\", idempotencyKey: \"3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0d\" }) { transaction { id } userErrors { field code message } } }";

/// Fails if a message arrives within 300 ms.
async fn silent(socket: &mut WsSocket) {
    ws_silent(socket, 300).await;
}

/// The error that ends the subscription (id "1"), then its `complete`.
/// The error that ends subscription "1", as (code, reason), then its `complete`.
async fn ended_for(socket: &mut WsSocket) -> (String, String) {
    let last = crate::common::ws_next(socket).await;
    assert_eq!(last["type"], "next", "{last}");
    let extensions = &last["payload"]["errors"][0]["extensions"];
    let complete = crate::common::ws_next(socket).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    (
        extensions["code"].as_str().unwrap_or_default().to_string(),
        extensions["reason"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

db_test!(transaction_recorded_reaches_the_books_readers_only, |app| {
    let addr = app.serve().await;
    // A driver on two devices: the phone listens, the laptop writes.
    let phone = app.login(DRIVER).await;
    let laptop = app.login(DRIVER).await;
    let (someone_else, _) = app.new_driver("70000031").await;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let mut driver_socket = ws_subscribe(addr, &phone, RECORDED).await;
    let mut collector_socket = ws_subscribe(addr, &collector, RECORDED).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let first = ok(&app, &laptop, RECORD_EXPENSE, json!(null)).await;
    // A retry with the same key records nothing new, and announces nothing.
    let retry = ok(&app, &laptop, RECORD_EXPENSE, json!(null)).await;
    assert_eq!(first["transaction"]["id"], retry["transaction"]["id"]);
    ok(
        &app,
        &someone_else,
        CREATE_TX,
        json!({ "kind": "OUT", "amount": "5.00", "description": "de otro" }),
    )
    .await;
    let heard = ws_next(&mut driver_socket).await;
    assert_eq!(
        heard["payload"]["data"]["transactionRecorded"],
        json!({ "description": "", "amount": "13.00", "kind": "OUT", "private": false, "account": { "name": "Efectivo" } }),
        "{heard}"
    );
    silent(&mut driver_socket).await;

    // The business book: a private row reaches ADMINs and its author, not COLLECTORs.
    ok(
        &app,
        &admin,
        CREATE_TX,
        json!({ "kind": "OUT", "amount": "900.00", "description": "sueldos", "private": true }),
    )
    .await;
    ok(
        &app,
        &admin,
        CREATE_TX,
        json!({ "kind": "IN", "amount": "250.00", "description": "alquiler de local" }),
    )
    .await;
    let heard = ws_next(&mut collector_socket).await;
    assert_eq!(
        heard["payload"]["data"]["transactionRecorded"]["description"], "alquiler de local",
        "{heard}"
    );
    silent(&mut collector_socket).await;
    silent(&mut driver_socket).await;
});

#[tokio::test]
async fn a_subscription_ends_when_its_access_token_expires() {
    let app = TestApp::sqlite(|config| config.access_token_ttl = Duration::from_secs(2)).await;
    let addr = app.serve().await;
    let token = app.login(DRIVER).await;
    let mut socket = ws_subscribe(
        addr,
        &token,
        "subscription { heartbeat(intervalSeconds: 60) { sequence } }",
    )
    .await;
    let first = ws_next(&mut socket).await;
    assert_eq!(
        first["payload"]["data"]["heartbeat"]["sequence"], 1,
        "{first}"
    );
    // The next tick is a minute away; the token expires before. As over HTTP, `reason`
    // tells the client to refresh (before, only the message said so).
    assert_eq!(
        ended_for(&mut socket).await,
        ("UNAUTHENTICATED".to_string(), "TOKEN_EXPIRED".to_string())
    );

    // A new connection with the expired token is refused with the same reason, first in
    // its Close frame's reason. (A token's `exp` is in whole seconds, and it is refused
    // once that second has passed: the subscription ends up to a second earlier.)
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let mut again = ws_connect(addr).await;
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    futures_util::SinkExt::send(&mut again, Message::text(init.to_string()))
        .await
        .unwrap();
    match tokio::time::timeout(Duration::from_secs(5), again.next())
        .await
        .expect("an answer")
    {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert!(frame.reason.starts_with("TOKEN_EXPIRED: "), "{frame:?}")
        }
        other => panic!("expected a Close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn logging_out_ends_a_subscription_at_its_next_event() {
    let app = TestApp::sqlite(|_| {}).await;
    let addr = app.serve().await;
    let session = app.login_session(DRIVER).await;
    let token = session["accessToken"].as_str().unwrap().to_string();
    let mut socket = ws_subscribe(addr, &token, RECORDED).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let logout = "mutation($t: String!) { logout(input: { refreshToken: $t }) { revokedTokens } }";
    let body = app
        .gql(logout, json!({ "t": session["refreshToken"] }), None)
        .await;
    assert_eq!(body["data"]["logout"]["revokedTokens"], 1, "{body}");

    // Another device of the same driver records an expense: the logged-out phone is not
    // told what it was, only that its session ended: log in again.
    let other = app.login(DRIVER).await;
    ok(&app, &other, RECORD_EXPENSE, json!(null)).await;
    assert_eq!(
        ended_for(&mut socket).await,
        ("UNAUTHENTICATED".to_string(), "TOKEN_INVALID".to_string())
    );

    // Its access token has not expired, but a new connection with it is refused.
    let mut again = ws_connect(addr).await;
    let init = json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } });
    futures_util::SinkExt::send(&mut again, Message::text(init.to_string()))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), again.next())
        .await
        .expect("an answer");
    match reply {
        // async-graphql closes a refused graphql-ws connection_init with 1002 and the reason.
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(
                frame.reason.as_str(),
                "TOKEN_INVALID: the session of this token has ended"
            )
        }
        other => panic!("expected a Close frame, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stopping_server_closes_its_subscriptions_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/replica.db?mode=rwc", dir.path().display());
    let mut replica = Replica::start(&url).await;
    let login = replica
        .gql(
            "mutation($input: LoginInput!) { login(input: $input) { session { accessToken } } }",
            json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } }),
            None,
        )
        .await;
    let token = login["data"]["login"]["session"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{login}"))
        .to_string();
    let mut socket = ws_subscribe(
        replica.addr,
        &token,
        "subscription { walletChanged { balance } }",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    replica.terminate();
    let closed: Value = loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("the server closes the connection within 10 s")
        {
            Some(Ok(Message::Close(Some(frame)))) => {
                break json!({ "code": u16::from(frame.code), "reason": frame.reason.to_string() });
            }
            // A `complete` may come first; anything else is a failure below.
            Some(Ok(Message::Text(text))) => {
                assert!(text.contains("complete"), "{text}");
            }
            other => panic!("expected a Close frame, got {other:?}"),
        }
    };
    assert_eq!(closed["code"], 1001, "{closed}");
    let status = replica.exit(Duration::from_secs(15)).await;
    assert!(status.success(), "{status:?}");
}
