//! Nothing sent over WebSocket escapes the limits of HTTP: the document limits, the turns
//! of `LIMIT_CONCURRENT_REQUESTS` and the request timeout apply to every operation; a
//! connection has at most `LIMIT_WS_OPERATIONS` in flight, the process at most
//! `LIMIT_WS_CONNECTIONS` connections; messages are bounded by `LIMIT_BODY_BYTES` and
//! `connection_init` by `LIMIT_WS_INIT_TIMEOUT_MS`.

use std::time::Duration;

use futures_util::SinkExt;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::{
    common::{
        DRIVER, ok, ws_closed, ws_connect, ws_error, ws_init, ws_next, ws_send, ws_silent,
        ws_subscribe, ws_try_connect,
    },
    db_test,
};

const TWO_LOGINS: &str = r#"mutation {
    login(input: { document: "10442008642", password: "guess1" }) { session { accessToken } }
    again: login(input: { document: "10442008642", password: "guess2" }) { session { accessToken } }
}"#;
const RECORDED: &str = "subscription { transactionRecorded { description amount } }";
const RECORD_EXPENSE: &str = "mutation { recordExpense(input: { amount: \"7.00\", category: \"combustible\", idempotencyKey: \"0b6f1d2e-4c3a-4e8b-9f71-2a5d6c7e8f90\" }) { transaction { id } userErrors { field code message } } }";

/// A query's answer on `id`: its `next`, then its `complete`.
async fn answer(socket: &mut crate::common::WsSocket, id: &str) -> serde_json::Value {
    let next = ws_next(socket).await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(next["id"], id, "{next}");
    assert!(next["payload"]["errors"].is_null(), "{next}");
    let complete = ws_next(socket).await;
    assert_eq!(complete["type"], "complete", "{complete}");
    next["payload"]["data"].clone()
}

db_test!(
    over_websockets_the_document_limits_refuse_before_any_sql,
    |app| {
        let addr = app.serve().await;
        let mut socket = ws_init(addr, None).await;
        let before = app.statements();
        ws_send(&mut socket, "1", TWO_LOGINS).await;
        assert_eq!(
            ws_error(&mut socket, "1").await,
            "TOO_MANY_SENSITIVE_FIELDS"
        );
        let long = format!("{{ __typename }}\n#{}", "x".repeat(15_000));
        ws_send(&mut socket, "2", &long).await;
        assert_eq!(ws_error(&mut socket, "2").await, "QUERY_TOO_LONG");
        assert_eq!(
            app.statements(),
            before,
            "no SQL may run before a limit refuses"
        );
    }
);

db_test!(
    over_websockets_errors_of_the_query_itself_carry_a_code,
    |app| {
        let addr = app.serve().await;
        let mut socket = ws_init(addr, None).await;
        ws_send(&mut socket, "1", "{ noSuchField }").await;
        assert_eq!(
            ws_error(&mut socket, "1").await,
            "GRAPHQL_VALIDATION_FAILED"
        );
    }
);

db_test!(
    over_websockets_an_operation_waits_for_a_turn_within_the_timeout,
    |config| {
        config.limits.max_concurrent = 1;
        config.limits.timeout = Duration::from_millis(300);
    },
    |app| {
        let addr = app.serve().await;
        let executions = app.app.state.executions.clone();
        let mut socket = ws_init(addr, None).await;
        // Every turn taken (as by a long operation): the query waits, then times out.
        let busy = executions.clone().acquire_owned().await.unwrap();
        ws_send(&mut socket, "1", "{ __typename }").await;
        assert_eq!(ws_error(&mut socket, "1").await, "REQUEST_TIMEOUT");
        // A turn freed while it waits: it runs.
        ws_send(&mut socket, "2", "{ __typename }").await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(busy);
        assert_eq!(answer(&mut socket, "2").await["__typename"], "Query");
        assert_eq!(executions.available_permits(), 1);
    }
);

db_test!(
    over_websockets_a_subscription_is_set_up_within_a_turn_and_the_timeout,
    |config| {
        config.limits.max_concurrent = 1;
        config.limits.timeout = Duration::from_millis(300);
    },
    |app| {
        let token = app.login(DRIVER).await;
        let addr = app.serve().await;
        let executions = app.app.state.executions.clone();
        let mut socket = ws_init(addr, Some(&token)).await;
        // Its setup reads the driver's book: with every turn taken it times out.
        let busy = executions.clone().acquire_owned().await.unwrap();
        ws_send(&mut socket, "1", RECORDED).await;
        assert_eq!(ws_error(&mut socket, "1").await, "REQUEST_TIMEOUT");
        drop(busy);
        // With a turn free it is set up, and hears of the next expense.
        ws_send(&mut socket, "2", RECORDED).await;
        ws_silent(&mut socket, 400).await;
        ok(&app, &token, RECORD_EXPENSE, json!(null)).await;
        let heard = ws_next(&mut socket).await;
        assert_eq!(heard["id"], "2", "{heard}");
        assert_eq!(
            heard["payload"]["data"]["transactionRecorded"]["amount"], "7.00",
            "{heard}"
        );
    }
);

db_test!(
    over_websockets_a_subscription_holds_no_turn_while_it_waits_for_events,
    |config| {
        config.limits.max_concurrent = 1;
        config.limits.timeout = Duration::from_millis(300);
    },
    |app| {
        let token = app.login(DRIVER).await;
        let addr = app.serve().await;
        let executions = app.app.state.executions.clone();
        let mut recorded = ws_subscribe(addr, &token, RECORDED).await;
        let mut ticks = ws_subscribe(
            addr,
            &token,
            "subscription { heartbeat(intervalSeconds: 1) { sequence } }",
        )
        .await;
        let first = ws_next(&mut ticks).await;
        assert_eq!(
            first["payload"]["data"]["heartbeat"]["sequence"], 1,
            "{first}"
        );
        // Past the timeout, neither subscription was cut, and neither holds the turn.
        ws_silent(&mut recorded, 400).await;
        let busy = executions
            .clone()
            .try_acquire_owned()
            .expect("subscriptions waiting for events hold no turn");
        // While every turn is taken, events still come (a second after the first tick).
        let second = ws_next(&mut ticks).await;
        assert_eq!(
            second["payload"]["data"]["heartbeat"]["sequence"], 2,
            "{second}"
        );
        drop(busy);
        ok(&app, &token, RECORD_EXPENSE, json!(null)).await;
        let heard = ws_next(&mut recorded).await;
        assert_eq!(
            heard["payload"]["data"]["transactionRecorded"]["amount"], "7.00",
            "{heard}"
        );
    }
);

db_test!(
    a_slow_mutation_over_websockets_times_out_and_keeps_nothing,
    |config| {
        config.limits.timeout = Duration::from_millis(1);
    },
    |app| {
        use gateway::entities::refresh_token;
        let db = &app.app.state.db;
        let sessions = || refresh_token::Entity::find().count(db);
        let before = sessions().await.unwrap();
        let addr = app.serve().await;
        let mut socket = ws_init(addr, None).await;
        // The right password: a login that finished would keep a session.
        let login = r#"mutation { login(input: { document: "10442008642", password: "demo1234" }) { session { accessToken } } }"#;
        ws_send(&mut socket, "1", login).await;
        assert_eq!(ws_error(&mut socket, "1").await, "REQUEST_TIMEOUT");
        // Long enough for the password check to have finished, had it gone on.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            sessions().await.unwrap(),
            before,
            "the login kept a session"
        );
    }
);

db_test!(
    a_connection_has_at_most_limit_ws_operations_in_flight,
    |config| {
        config.limits.max_ws_operations = 2;
    },
    |app| {
        let token = app.login(DRIVER).await;
        let addr = app.serve().await;
        let mut socket = ws_init(addr, Some(&token)).await;
        ws_send(
            &mut socket,
            "1",
            "subscription { heartbeat(intervalSeconds: 60) { sequence } }",
        )
        .await;
        let tick = ws_next(&mut socket).await;
        assert_eq!(tick["id"], "1", "{tick}");
        ws_send(
            &mut socket,
            "2",
            "subscription { walletChanged { balance } }",
        )
        .await;
        // Two in flight: a third is refused, and only it.
        ws_send(&mut socket, "3", "{ __typename }").await;
        assert_eq!(ws_error(&mut socket, "3").await, "TOO_MANY_OPERATIONS");
        // The attack's shape: a burst of logins is refused without running any.
        let before = app.statements();
        for id in 10..40 {
            ws_send(&mut socket, &id.to_string(), TWO_LOGINS).await;
        }
        for _ in 10..40 {
            let refused = ws_next(&mut socket).await;
            assert_eq!(
                refused["payload"]["errors"][0]["extensions"]["code"], "TOO_MANY_OPERATIONS",
                "{refused}"
            );
            assert_eq!(ws_next(&mut socket).await["type"], "complete");
        }
        assert_eq!(app.statements(), before);
        // Completing a subscription frees its place.
        socket
            .send(Message::text(
                json!({ "id": "1", "type": "complete" }).to_string(),
            ))
            .await
            .unwrap();
        let completed = ws_next(&mut socket).await;
        assert_eq!(completed["type"], "complete", "{completed}");
        ws_send(&mut socket, "4", "{ __typename }").await;
        assert_eq!(answer(&mut socket, "4").await["__typename"], "Query");
        // An answered query freed its place too.
        ws_send(&mut socket, "5", "{ __typename }").await;
        assert_eq!(answer(&mut socket, "5").await["__typename"], "Query");
    }
);

db_test!(
    the_process_serves_at_most_limit_ws_connections,
    |config| {
        config.limits.max_ws_connections = 2;
    },
    |app| {
        let addr = app.serve().await;
        let mut first = ws_init(addr, None).await;
        let mut second = ws_init(addr, None).await;
        match ws_try_connect(addr).await {
            Err(tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 503);
                assert_eq!(
                    response.headers().get("retry-after").map(|v| v.as_bytes()),
                    Some(&b"5"[..])
                );
            }
            other => panic!("expected 503, got {other:?}"),
        }
        // The connections already open keep working.
        ws_send(&mut first, "1", "{ __typename }").await;
        assert_eq!(answer(&mut first, "1").await["__typename"], "Query");
        // A closed connection gives its place back.
        second.close(None).await.unwrap();
        drop(second);
        let places = &app.app.state.ws_connections;
        for _ in 0..100 {
            if places.available_permits() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(places.available_permits(), 1);
        let mut third = ws_init(addr, None).await;
        ws_send(&mut third, "1", "{ __typename }").await;
        assert_eq!(answer(&mut third, "1").await["__typename"], "Query");
    }
);

db_test!(
    a_connection_without_connection_init_is_closed_with_4408,
    |config| {
        config.limits.ws_init_timeout = Duration::from_millis(200);
    },
    |app| {
        let addr = app.serve().await;
        let mut silent = ws_connect(addr).await;
        let (code, reason) = ws_closed(&mut silent).await;
        assert_eq!(code, 4408, "{reason}");
        // One that sends it in time stays open past the timeout.
        let mut initialized = ws_init(addr, None).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        ws_send(&mut initialized, "1", "{ __typename }").await;
        assert_eq!(answer(&mut initialized, "1").await["__typename"], "Query");
    }
);

db_test!(
    a_websocket_message_over_the_body_limit_closes_the_connection_with_1009,
    |config| {
        config.limits.max_body_bytes = 32 * 1024;
    },
    |app| {
        let addr = app.serve().await;
        let mut socket = ws_init(addr, None).await;
        // Within the limit, a long query is answered (refused by the query text limit).
        ws_send(
            &mut socket,
            "1",
            &format!("{{ __typename }}\n#{}", "x".repeat(20_000)),
        )
        .await;
        assert_eq!(ws_error(&mut socket, "1").await, "QUERY_TOO_LONG");
        ws_send(
            &mut socket,
            "2",
            &format!("{{ __typename }}\n#{}", "x".repeat(40_000)),
        )
        .await;
        let (code, reason) = ws_closed(&mut socket).await;
        assert_eq!(code, 1009, "{reason}");
    }
);
