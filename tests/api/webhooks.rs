//! Issue 23's webhooks: endpoints registered on the business book are sent each change
//! they asked for, signed, by the worker, against a real HTTP receiver on a loopback port
//! (`common::receiver`): signatures, bodies, retries, order per object, redelivery, a
//! slow receiver, validation, permissions, the audit trail, deletion.

use std::time::Duration;

use gateway::{domain::webhooks::signing::verify, webhooks::Worker};
use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp, api_token_secret, error_code, mutation, ok,
        receiver::Receiver, refused, run,
    },
    db_test,
};

const CREATE: &str = "webhookEndpoint { id url events enabled description } secret";

/// Registers an endpoint for `events` at `url` as `token`; (its ID, its secret).
async fn register(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (Value, String) {
    let created = ok(
        app,
        token,
        &mutation("createWebhookEndpoint", CREATE),
        json!({ "url": url, "events": events, "description": "ERP" }),
    )
    .await;
    (
        created["webhookEndpoint"]["id"].clone(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

/// An expense of the business book, as the ADMIN records it; its ID.
async fn spend(app: &TestApp, admin: &str, amount: &str) -> Value {
    let created = ok(
        app,
        admin,
        &mutation("createTransaction", "transaction { id }"),
        json!({ "kind": "OUT", "amount": amount, "description": "Peaje" }),
    )
    .await;
    created["transaction"]["id"].clone()
}

async fn worker(app: &TestApp) -> Worker {
    Worker::new(app.app.state.clone()).await.unwrap()
}

/// The endpoint's deliveries as the API shows them, oldest first.
async fn deliveries(app: &TestApp, admin: &str, endpoint: &Value) -> Vec<Value> {
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 50) { nodes { id eventId eventType objectId status attempts responseCode lastError nextAttemptAt lastAttemptAt createdAt body } } } } }",
            json!({ "id": endpoint }),
            Some(admin),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let mut nodes = body["data"]["node"]["deliveries"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone();
    nodes.reverse();
    nodes
}

/// A configuration whose retries come after 200 ms, not 10 s.
fn quick_retries(config: &mut gateway::config::Config) {
    config.webhooks.retry.first = chrono::TimeDelta::milliseconds(200);
}

db_test!(
    a_change_is_posted_signed_with_the_secret_shown_once,
    |app| {
        let receiver = Receiver::start().await;
        let admin = app.login(ADMIN).await;
        let (endpoint, secret) =
            register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        assert!(secret.starts_with("whsec_"), "{secret}");

        // No read shows the secret: the type has no such field, and the listing is the rest.
        let listed = app
        .gql(
            "{ webhookEndpoints { nodes { id url events enabled description createdBy { __typename } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
        assert_eq!(
            listed["data"]["webhookEndpoints"]["nodes"][0]["events"],
            json!(["TRANSACTION_CREATED"]),
            "{listed}"
        );
        assert!(!listed.to_string().contains(&secret));
        let asked = app
            .gql(
                "{ webhookEndpoints { nodes { secret } } }",
                json!({}),
                Some(&admin),
            )
            .await;
        assert_eq!(
            asked["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{asked}"
        );

        let spent = spend(&app, &admin, "12.40").await;
        let tick = worker(&app).await.run_once().await.unwrap();
        assert_eq!((tick.made, tick.sending), (1, 1));
        let received = receiver.wait_for(1).await;
        let event = &received[0];
        assert_eq!(event.json["type"], "transaction.created");
        assert_eq!(event.json["data"]["object"]["id"], spent);
        assert_eq!(event.json["data"]["object"]["amount"], "12.40");
        assert_eq!(event.json["data"]["object"]["kind"], "OUT");
        assert_eq!(event.json["data"]["object"]["description"], "Peaje");
        assert!(
            event.json["data"]["object"]["account"]["id"].is_string(),
            "{}",
            event.body
        );
        assert_eq!(
            event.header("leasy-event-id"),
            event.json["id"].as_str().unwrap()
        );
        assert_eq!(event.header("leasy-event-type"), "transaction.created");
        assert_eq!(event.header("content-type"), "application/json");

        // The signature verifies with the secret, and with no other; it signs the body.
        let signature = event.header("leasy-signature");
        assert!(signature.starts_with("t="), "{signature}");
        assert!(verify(&secret, signature, &event.body));
        assert!(!verify("whsec_not-the-secret", signature, &event.body));
        assert!(!verify(
            &secret,
            signature,
            &event.body.replace("12.40", "99.99")
        ));
        let t: i64 = signature[2..signature.find(',').unwrap()].parse().unwrap();
        assert!(
            (chrono::Utc::now().timestamp() - t).abs() < 60,
            "{signature}"
        );

        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0]["status"], "SUCCEEDED");
        assert_eq!(shown[0]["attempts"], 1);
        assert_eq!(shown[0]["responseCode"], 200);
        assert_eq!(shown[0]["eventType"], "transaction.created");
        assert_eq!(shown[0]["objectId"], spent);
        assert_eq!(shown[0]["eventId"], event.json["id"]);
        assert_eq!(shown[0]["nextAttemptAt"], Value::Null);
        assert_eq!(shown[0]["body"], event.body.as_str());

        // Nothing new, nothing sent; a kind not asked for is not sent either.
        let category = ok(
            &app,
            &admin,
            &mutation("createCategory", "category { id }"),
            json!({ "kind": "EXPENSE", "name": "Peajes" }),
        )
        .await;
        assert!(category["category"]["id"].is_string());
        let tick = worker(&app).await.run_once().await.unwrap();
        assert_eq!((tick.made, tick.sending), (0, 0));
        assert_eq!(receiver.received().len(), 1);
    }
);

db_test!(
    a_failing_receiver_gets_the_event_again_once_it_recovers,
    |config| { quick_retries(config) },
    |app| {
        let receiver = Receiver::start().await;
        receiver.answer(500);
        let admin = app.login(ADMIN).await;
        let (endpoint, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        spend(&app, &admin, "20.00").await;
        let worker = worker(&app).await;
        worker.run_once().await.unwrap();
        receiver.wait_for(1).await;
        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(shown[0]["status"], "PENDING");
        assert_eq!(shown[0]["attempts"], 1);
        assert_eq!(shown[0]["responseCode"], 500);
        assert_eq!(shown[0]["lastError"], "the endpoint answered HTTP 500");
        assert!(shown[0]["nextAttemptAt"].is_string());

        // Not before its time comes: the first retry is 200 ms later.
        let tick = worker.run_once().await.unwrap();
        assert_eq!(tick.sending, 0);
        receiver.answer(200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let tick = worker.run_once().await.unwrap();
        assert_eq!(tick.sending, 1);
        let received = receiver.wait_for(2).await;
        assert_eq!(received[0].answered, 500);
        assert_eq!(received[1].answered, 200);
        assert_eq!(received[0].json["id"], received[1].json["id"]);
        assert_eq!(received[0].body, received[1].body);
        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(shown[0]["status"], "SUCCEEDED");
        assert_eq!(shown[0]["attempts"], 2);
        assert_eq!(shown[0]["responseCode"], 200);
        assert_eq!(shown[0]["lastError"], "");
    }
);

db_test!(
    a_receiver_that_never_answers_right_is_given_up_after_the_window,
    |config| {
        quick_retries(config);
        // Long enough for a second attempt on a loaded machine (with 500 ms, the first
        // attempt once came after the window, and the only one).
        config.webhooks.retry.window = chrono::TimeDelta::milliseconds(2000);
    },
    |app| {
        let receiver = Receiver::start().await;
        receiver.answer(503);
        let admin = app.login(ADMIN).await;
        let (endpoint, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        spend(&app, &admin, "20.00").await;
        let worker = worker(&app).await;
        for _ in 0..60 {
            worker.run_once().await.unwrap();
            if deliveries(&app, &admin, &endpoint).await[0]["status"] != "PENDING" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(shown[0]["status"], "FAILED", "{shown:?}");
        assert_eq!(shown[0]["responseCode"], 503);
        let attempts = shown[0]["attempts"].as_i64().unwrap();
        assert!(attempts >= 2, "{shown:?}");
        assert_eq!(receiver.received().len() as i64, attempts);
    }
);

db_test!(
    an_objects_events_arrive_in_order,
    |config| { quick_retries(config) },
    |app| {
        let receiver = Receiver::start().await;
        receiver.answer(500);
        let admin = app.login(ADMIN).await;
        let (endpoint, _) = register(
            &app,
            &admin,
            &receiver.url(),
            &["TRANSACTION_CREATED", "TRANSACTION_UPDATED"],
        )
        .await;
        let spent = spend(&app, &admin, "30.00").await;
        ok(
            &app,
            &admin,
            &mutation("updateTransaction", "transaction { id }"),
            json!({ "id": spent, "amount": "31.00" }),
        )
        .await;
        // Another object's event is not held back by the first one's failures.
        let other = spend(&app, &admin, "5.00").await;
        let worker = worker(&app).await;
        let tick = worker.run_once().await.unwrap();
        assert_eq!(
            (tick.made, tick.sending),
            (3, 2),
            "the update waits for the creation"
        );
        receiver.answer(200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        worker.run_once().await.unwrap();
        worker.run_once().await.unwrap();
        let received = receiver.wait_for(4).await;
        let of_spent: Vec<(String, u16)> = received
            .iter()
            .filter(|r| r.json["data"]["object"]["id"] == spent)
            .map(|r| (r.json["type"].as_str().unwrap().to_string(), r.answered))
            .collect();
        assert_eq!(
            of_spent,
            [
                ("transaction.created".to_string(), 500),
                ("transaction.created".to_string(), 200),
                ("transaction.updated".to_string(), 200),
            ]
        );
        assert!(
            received
                .iter()
                .any(|r| r.json["data"]["object"]["id"] == other),
            "the other object's event arrived too"
        );
        let statuses: Vec<Value> = deliveries(&app, &admin, &endpoint)
            .await
            .iter()
            .map(|d| d["status"].clone())
            .collect();
        assert!(statuses.iter().all(|s| s == "SUCCEEDED"), "{statuses:?}");
    }
);

db_test!(
    a_slow_receiver_does_not_hold_a_mutation,
    |config| {
        config.webhooks.period = Some(Duration::from_millis(50));
    },
    |app| {
        let receiver = Receiver::start().await;
        receiver.hold();
        let admin = app.login(ADMIN).await;
        register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        worker(&app).await.spawn(Duration::from_millis(50));
        spend(&app, &admin, "1.00").await;
        // The first event is in flight: the receiver holds it without answering.
        receiver.wait_for_arrivals(1).await;
        // Meanwhile mutations answer (within the guard; they wait for nothing of it), and
        // their own events go out too, in parallel.
        for amount in ["2.00", "3.00"] {
            tokio::time::timeout(Duration::from_secs(5), spend(&app, &admin, amount))
                .await
                .expect("a mutation answers while the receiver holds a delivery");
        }
        receiver.wait_for_arrivals(3).await;
        assert!(receiver.received().is_empty(), "nothing was answered yet");
        receiver.open();
        let received = receiver.wait_for(3).await;
        let mut amounts: Vec<&str> = received
            .iter()
            .map(|r| r.json["data"]["object"]["amount"].as_str().unwrap())
            .collect();
        amounts.sort();
        assert_eq!(amounts, ["1.00", "2.00", "3.00"]);
    }
);

db_test!(redelivering_sends_the_same_event_again, |app| {
    let receiver = Receiver::start().await;
    let admin = app.login(ADMIN).await;
    let (endpoint, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
    spend(&app, &admin, "7.00").await;
    let worker = worker(&app).await;
    worker.run_once().await.unwrap();
    receiver.wait_for(1).await;
    let delivery = deliveries(&app, &admin, &endpoint).await[0].clone();
    assert_eq!(delivery["status"], "SUCCEEDED");

    let again = ok(
        &app,
        &admin,
        &mutation(
            "redeliverWebhook",
            "delivery { id status attempts nextAttemptAt }",
        ),
        json!({ "deliveryId": delivery["id"] }),
    )
    .await;
    assert_eq!(again["delivery"]["status"], "PENDING");
    assert!(again["delivery"]["nextAttemptAt"].is_string());
    worker.run_once().await.unwrap();
    let received = receiver.wait_for(2).await;
    assert_eq!(received[1].json["id"], received[0].json["id"]);
    let shown = deliveries(&app, &admin, &endpoint).await;
    assert_eq!(
        (shown[0]["status"].clone(), shown[0]["attempts"].clone()),
        (json!("SUCCEEDED"), json!(2))
    );

    // Audited; a COLLECTOR may not; an unknown delivery is NOT_FOUND.
    let records = app
        .gql(
            "query($id: ID!) { auditLog(filter: {objectId: $id}) { nodes { operation objectType } } }",
            json!({ "id": delivery["id"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        records["data"]["auditLog"]["nodes"],
        json!([{ "operation": "redeliverWebhook", "objectType": "WebhookDelivery" }]),
        "{records}"
    );
    let collector = app.login(COLLECTOR).await;
    let redeliver = mutation("redeliverWebhook", "delivery { id }");
    assert_eq!(
        error_code(
            &app,
            &collector,
            &redeliver,
            json!({ "deliveryId": delivery["id"] })
        )
        .await,
        "FORBIDDEN"
    );
    let missing = crate::common::raw_global("WebhookDelivery", 999_999);
    assert_eq!(
        error_code(&app, &admin, &redeliver, json!({ "deliveryId": missing })).await,
        "NOT_FOUND"
    );
});

db_test!(
    a_redelivery_asked_for_while_the_event_is_being_sent_is_sent,
    |app| {
        let receiver = Receiver::start().await;
        let admin = app.login(ADMIN).await;
        let (endpoint, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        spend(&app, &admin, "7.00").await;
        let worker = worker(&app).await;
        receiver.hold();
        let sending = tokio::spawn({
            let worker = worker.clone();
            async move { worker.run_once().await.unwrap() }
        });
        receiver.wait_for_arrivals(1).await;
        // The receiver has the event and has not answered yet.
        let delivery = deliveries(&app, &admin, &endpoint).await[0].clone();
        ok(
            &app,
            &admin,
            &mutation("redeliverWebhook", "delivery { id }"),
            json!({ "deliveryId": delivery["id"] }),
        )
        .await;
        receiver.open();
        sending.await.unwrap();
        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(
            (shown[0]["status"].clone(), shown[0]["attempts"].clone()),
            (json!("PENDING"), json!(1)),
            "the redelivery asked for is still to be sent"
        );
        assert_eq!(shown[0]["responseCode"], 200);
        worker.run_once().await.unwrap();
        let received = receiver.wait_for(2).await;
        assert_eq!(received[1].json["id"], received[0].json["id"]);
        let shown = deliveries(&app, &admin, &endpoint).await;
        assert_eq!(
            (shown[0]["status"].clone(), shown[0]["attempts"].clone()),
            (json!("SUCCEEDED"), json!(2))
        );
    }
);

db_test!(
    in_production_no_endpoint_is_on_this_machine,
    |config| { config.webhooks.loopback = false },
    |app| {
        let admin = app.login(ADMIN).await;
        let create = mutation("createWebhookEndpoint", CREATE);
        for url in [
            "http://127.0.0.1:9000/hooks",
            "https://localhost/hooks",
            "https://[::1]/hooks",
        ] {
            let (field, code) = refused(
                &app,
                &admin,
                &create,
                json!({ "url": url, "events": ["TAG_CREATED"] }),
            )
            .await;
            assert_eq!(
                (field.as_str(), code.as_str()),
                ("url", "INVALID_FORMAT"),
                "{url}"
            );
        }
        register(
            &app,
            &admin,
            "https://erp.example.com/hooks",
            &["TAG_CREATED"],
        )
        .await;
    }
);

db_test!(urls_events_and_callers_are_checked, |app| {
    let admin = app.login(ADMIN).await;
    let create = mutation("createWebhookEndpoint", CREATE);
    let before = app.row_counts().await;
    for (url, code) in [
        ("ftp://example.com/hooks", "INVALID_FORMAT"),
        ("http://example.com/hooks", "INVALID_FORMAT"),
        ("https://exa mple.com/", "INVALID_FORMAT"),
        ("https://user:pw@example.com/", "INVALID_FORMAT"),
        // A private network's, a link's (a cloud's metadata service) or a reserved address.
        ("https://10.0.0.8/hooks", "INVALID_FORMAT"),
        ("https://192.168.1.20:8443/hooks", "INVALID_FORMAT"),
        ("https://169.254.169.254/latest/meta-data", "INVALID_FORMAT"),
        ("https://[fd12::1]/hooks", "INVALID_FORMAT"),
        ("https://[::ffff:172.16.0.1]/hooks", "INVALID_FORMAT"),
        ("https://0.0.0.0/hooks", "INVALID_FORMAT"),
        ("", "REQUIRED"),
    ] {
        let (field, got) = refused(
            &app,
            &admin,
            &create,
            json!({ "url": url, "events": ["TAG_CREATED"] }),
        )
        .await;
        assert_eq!((field.as_str(), got.as_str()), ("url", code), "{url}");
    }
    let (field, code) = refused(
        &app,
        &admin,
        &create,
        json!({ "url": "https://example.com/hooks", "events": [] }),
    )
    .await;
    assert_eq!((field.as_str(), code.as_str()), ("events", "REQUIRED"));
    let message = run(
        &app,
        &admin,
        &create,
        json!({ "url": "http://example.com/hooks", "events": ["TAG_CREATED"] }),
    )
    .await["userErrors"][0]["message"]
        .clone();
    assert!(
        message.as_str().unwrap().contains("use https://"),
        "{message}"
    );
    assert_eq!(app.row_counts().await, before, "nothing was written");

    // https anywhere, http to this machine.
    for url in [
        "https://erp.example.com/hooks",
        "http://localhost:9/in",
        "http://[::1]:9/in",
    ] {
        register(&app, &admin, url, &["TAG_CREATED"]).await;
    }

    // Drivers and COLLECTORs manage none, nor read them.
    for who in [DRIVER, COLLECTOR] {
        let token = app.login(who).await;
        assert_eq!(
            error_code(
                &app,
                &token,
                &create,
                json!({ "url": "https://example.com/hooks", "events": ["TAG_CREATED"] })
            )
            .await,
            "FORBIDDEN"
        );
        let read = app
            .gql(
                "{ webhookEndpoints { totalCount } }",
                json!({}),
                Some(&token),
            )
            .await;
        assert_eq!(
            read["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{read}"
        );
    }

    // An ADMIN's API token registers them as the ADMIN would.
    let token = api_token_secret(&app, &admin, "ERP").await;
    let created = app
        .post_json(
            json!({ "query": create, "variables": { "input": {
                "url": "https://erp.example.com/other", "events": ["CUSTOMER_CREATED"],
            } } }),
            Some(&format!("Token token={token}")),
        )
        .await;
    let payload = &created.body["data"]["createWebhookEndpoint"];
    assert_eq!(payload["userErrors"], json!([]), "{}", created.text);
    assert_eq!(
        payload["webhookEndpoint"]["events"],
        json!(["CUSTOMER_CREATED"])
    );
});

db_test!(endpoint_writes_are_audited_without_the_secret, |app| {
    let receiver = Receiver::start().await;
    let admin = app.login(ADMIN).await;
    let (endpoint, secret) = register(&app, &admin, &receiver.url(), &["TAG_CREATED"]).await;
    let updated = ok(
        &app,
        &admin,
        &mutation(
            "updateWebhookEndpoint",
            "webhookEndpoint { url events description enabled }",
        ),
        json!({ "id": endpoint, "events": ["TAG_CREATED", "TAG_DELETED"], "description": "" }),
    )
    .await;
    assert_eq!(
        updated["webhookEndpoint"],
        json!({ "url": receiver.url(), "events": ["TAG_CREATED", "TAG_DELETED"], "description": "", "enabled": true })
    );
    let rotated = ok(
        &app,
        &admin,
        &mutation("rotateWebhookSecret", "secret webhookEndpoint { id }"),
        json!({ "id": endpoint }),
    )
    .await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);

    // Deliveries are signed with the new secret.
    ok(
        &app,
        &admin,
        &mutation("createTag", "tag { id }"),
        json!({ "name": "Uber" }),
    )
    .await;
    worker(&app).await.run_once().await.unwrap();
    let received = receiver.wait_for(1).await;
    let signature = received[0].header("leasy-signature");
    assert!(verify(new_secret, signature, &received[0].body));
    assert!(!verify(&secret, signature, &received[0].body));

    let deleted = ok(
        &app,
        &admin,
        &mutation("deleteWebhookEndpoint", "deletedId"),
        json!({ "id": endpoint }),
    )
    .await;
    assert_eq!(deleted["deletedId"], endpoint);

    let records = app
        .gql(
            "query($id: ID!) { auditLog(filter: {objectId: $id}) { nodes { operation objectType author { __typename } changes { field before after } } } }",
            json!({ "id": endpoint }),
            Some(&admin),
        )
        .await;
    let nodes = records["data"]["auditLog"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{records}"));
    let operations: Vec<&str> = nodes
        .iter()
        .map(|n| n["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        [
            "createWebhookEndpoint",
            "updateWebhookEndpoint",
            "rotateWebhookSecret",
            "deleteWebhookEndpoint"
        ]
    );
    assert!(nodes.iter().all(|n| n["objectType"] == "WebhookEndpoint"));
    let text = records.to_string();
    for hidden in [secret.as_str(), new_secret, "whsec_", "secret", "cursor"] {
        assert!(!text.contains(hidden), "the records hold {hidden}: {text}");
    }
    assert!(
        text.contains("TAG_DELETED"),
        "the update's fields are recorded: {text}"
    );
});

db_test!(
    a_deleted_or_disabled_endpoint_is_sent_nothing,
    |config| { quick_retries(config) },
    |app| {
        let receiver = Receiver::start().await;
        receiver.answer(500);
        let admin = app.login(ADMIN).await;
        let (gone, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        let (paused, _) = register(&app, &admin, &receiver.url(), &["TRANSACTION_CREATED"]).await;
        ok(
            &app,
            &admin,
            &mutation("updateWebhookEndpoint", "webhookEndpoint { enabled }"),
            json!({ "id": paused, "enabled": false }),
        )
        .await;
        spend(&app, &admin, "4.00").await;
        let worker = worker(&app).await;
        worker.run_once().await.unwrap();
        // Only the enabled endpoint got it (and failed it: PENDING, to be tried again).
        assert_eq!(receiver.wait_for(1).await.len(), 1);
        assert_eq!(deliveries(&app, &admin, &paused).await.len(), 0);
        ok(
            &app,
            &admin,
            &mutation("deleteWebhookEndpoint", "deletedId"),
            json!({ "id": gone }),
        )
        .await;
        receiver.answer(200);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let tick = worker.run_once().await.unwrap();
        assert_eq!((tick.made, tick.sending), (0, 0));
        spend(&app, &admin, "5.00").await;
        worker.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(receiver.received().len(), 1, "nothing more was sent");
        let node = app
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": gone }),
                Some(&admin),
            )
            .await;
        assert_eq!(node["data"]["node"], Value::Null);

        // Enabled again, it is sent what is made from then on, not what it missed.
        ok(
            &app,
            &admin,
            &mutation("updateWebhookEndpoint", "webhookEndpoint { enabled }"),
            json!({ "id": paused, "enabled": true }),
        )
        .await;
        spend(&app, &admin, "6.00").await;
        worker.run_once().await.unwrap();
        let received = receiver.wait_for(2).await;
        assert_eq!(received.len(), 2);
        assert_eq!(received[1].json["data"]["object"]["amount"], "6.00");
    }
);

db_test!(each_change_of_one_transaction_is_an_event, |app| {
    let receiver = Receiver::start().await;
    let admin = app.login(ADMIN).await;
    let account = async |name: &str| {
        ok(
            &app,
            &admin,
            &mutation("createAccount", "account { id }"),
            json!({ "kind": "CHECKING", "name": name }),
        )
        .await["account"]["id"]
            .clone()
    };
    let (from, to) = (account("BCP").await, account("BBVA").await);
    register(
        &app,
        &admin,
        &receiver.url(),
        &["TRANSACTION_CREATED", "TRANSFER_CREATED"],
    )
    .await;
    // A transfer and its two sides: one transaction of the database, three changes
    // (which share their number in the log on PostgreSQL).
    ok(
        &app,
        &admin,
        &mutation("createTransfer", "transfer { id }"),
        json!({ "fromAccountId": from, "toAccountId": to, "amount": "50.00" }),
    )
    .await;
    let tick = worker(&app).await.run_once().await.unwrap();
    assert_eq!(tick.made, 3);
    let mut types: Vec<String> = receiver
        .wait_for(3)
        .await
        .iter()
        .map(|r| r.json["type"].as_str().unwrap().to_string())
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            "transaction.created",
            "transaction.created",
            "transfer.created"
        ]
    );
});
