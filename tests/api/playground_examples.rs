//! The example operations of `playground/operations/` (one named operation a file, the
//! playground's tabs, the TypeScript client's documents) run as they are, with the
//! variables their files give, against the demo data: a schema change that breaks one,
//! or demo data it no longer fits, fails here. Variables that can only come from an
//! earlier result (`"<id of ... from ContractInvoices>"`) are filled in from the results
//! of the earlier examples, as a user of the playground does by hand. A subscription runs
//! over WebSocket, and the test makes its first event happen.

use gateway::http::playground::placeholders_of;
use serde_json::{Value, json};

use crate::{
    common::{
        DRIVER,
        playground::{
            Results, Users, all_examples, first_event, is_subscription, run_example, user_errors,
        },
    },
    db_test,
};

#[test]
fn every_rest_api_task_has_one_named_commented_example() {
    let examples = all_examples();
    let names: Vec<&str> = examples.iter().map(|e| e.name.as_str()).collect();
    for task in [
        "Login",
        "MyProfile",
        "ContractInvoices",
        "PaySummary",
        "PayInvoices",
        "SaveCard",
        "RecordIncome",
        "RecordExpense",
        "MonthlySummary",
        "TransactionsPage",
        "Budgets",
        "CardStatement",
        "Content",
        "CreateLead",
        "BusinessBook",
        "OnboardDriver",
        "AcceptInvitation",
        "SignContract",
    ] {
        assert!(names.contains(&task), "no example for {task}: {names:?}");
    }
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        names.len(),
        "operation names repeat: {names:?}"
    );
    for example in &examples {
        assert!(
            example.title.len() > 20,
            "{}: say what it does",
            example.file
        );
        for placeholder in placeholders_of(&example.variables) {
            assert!(
                placeholder.contains(" from "),
                "{}: say where {placeholder} comes from",
                example.file
            );
        }
    }
}

db_test!(every_example_operation_runs_on_the_demo_data, |app| {
    let users = Users::log_in(&app).await;
    let mut results = Results::new();
    for example in all_examples() {
        let body = if is_subscription(&example) {
            first_event(&app, &example, &users).await
        } else {
            run_example(&app, &example, &users, &results).await
        };
        assert!(body["errors"].is_null(), "{}: {body}", example.file);
        assert!(body["data"].is_object(), "{}: {body}", example.file);
        let refused = user_errors(&body["data"], "data");
        assert!(refused.is_empty(), "{}: {refused:?}", example.file);
        results.insert(example.name.clone(), body["data"].clone());
    }
    // What the examples did shows where a user would look for it.
    assert_eq!(
        results["PayInvoices"]["payInvoices"]["balance"],
        json!("42.00"),
        "S/ 116.00 less the penalty (30.00) and two fractions (22.00 each)"
    );
    assert_eq!(
        results["SaveCard"]["saveCardToken"]["card"]["maskedNumber"]
            .as_str()
            .map(|m| m.ends_with("4242")),
        Some(true)
    );
    assert_eq!(
        results["WalletChanged"]["walletChanged"]["kind"],
        json!("RECHARGE"),
        "{:?}",
        results["WalletChanged"]
    );
    assert!(app.login_session(("10442008642", "nueva5678")).await["accessToken"].is_string());
});

db_test!(the_playground_opens_one_tab_per_example, |app| {
    let reply = app
        .send(
            axum::http::Request::get("/playground")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    let html = reply.text;
    let (_, rest) = html
        .split_once("const examples = ")
        .expect("the page lists its examples");
    let (json_text, _) = rest.split_once(";\n").expect("one line of JSON");
    let listed: Vec<Value> = serde_json::from_str(json_text).expect("JSON");
    let files: Vec<&str> = listed.iter().map(|e| e["file"].as_str().unwrap()).collect();
    let expected: Vec<String> = all_examples().into_iter().map(|e| e.file).collect();
    assert_eq!(files, expected);
    assert_eq!(listed[0]["name"], "Login", "the first tab logs in");
    assert!(
        listed[0]["variables"].as_str().unwrap().contains(DRIVER.0),
        "with the demo driver"
    );
    // Each file is also served as it is, for curl and other clients.
    let raw = app
        .send(
            axum::http::Request::get("/playground/operations/01-login.graphql")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(raw.status, axum::http::StatusCode::OK);
    assert!(raw.text.contains("mutation Login"));
});
