//! The example operations of `playground/operations/` (one named operation a file, the
//! playground's tabs, the TypeScript client's documents) run as they are, with the
//! variables their files give, against the demo data: a schema change that breaks one,
//! or demo data it no longer fits, fails here. Variables that can only come from an
//! earlier result (`"<id of ... from ContractInvoices>"`) are filled in from the results
//! of the earlier examples, as a user of the playground does by hand.

use std::collections::HashMap;

use gateway::http::playground::{Example, examples};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, DRIVER, TestApp},
    db_test,
};

fn all_examples() -> Vec<Example> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/playground"));
    examples(dir).expect("every example file is well formed")
}

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
        let placeholders = placeholders(&serde_json::from_str(&example.variables).unwrap());
        for placeholder in placeholders {
            assert!(
                placeholder.contains(" from "),
                "{}: say where {placeholder} comes from",
                example.file
            );
        }
    }
}

/// The `"<...>"` strings of a variables object: values the user copies from a result.
fn placeholders(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if s.starts_with('<') && s.ends_with('>') => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(placeholders).collect(),
        Value::Object(fields) => fields.values().flat_map(placeholders).collect(),
        _ => Vec::new(),
    }
}

/// The results so far, by operation name.
type Results = HashMap<String, Value>;

/// The value a user would copy into a placeholder, from the earlier results.
fn fill(placeholder: &str, results: &Results) -> Value {
    let result = |name: &str| {
        results
            .get(name)
            .unwrap_or_else(|| panic!("{placeholder}: {name} has not run yet"))
    };
    let pick = |value: &Value| -> Value {
        assert!(
            value.is_string(),
            "{placeholder}: nothing to copy in {results:?}"
        );
        value.clone()
    };
    match placeholder {
        "<session.refreshToken from Login>" => {
            // A refresh token works once: after RefreshSession, the new one.
            match results.get("RefreshSession") {
                Some(r) => pick(&r["refreshToken"]["session"]["refreshToken"]),
                None => pick(&result("Login")["login"]["session"]["refreshToken"]),
            }
        }
        "<id of a PENDING invoice from ContractInvoices>" => {
            // The demo's penalty: with its fractions it fits in the demo wallet.
            let invoices = result("ContractInvoices")["contract"]["invoices"]["nodes"]
                .as_array()
                .expect("invoices");
            let penalty = invoices
                .iter()
                .find(|i| i["type"]["code"] == "penalty")
                .unwrap_or_else(|| panic!("no pending penalty among {invoices:?}"));
            pick(&penalty["id"])
        }
        "<a card id from MyCards>" => {
            let cards = result("MyCards")["me"]["cards"].as_array().expect("cards");
            let other = cards.iter().find(|c| c["isDefault"] == false);
            pick(&other.expect("a card that is not the default")["id"])
        }
        "<an expense category id from Budgets or IncomesAndExpenses>" => {
            pick(&result("IncomesAndExpenses")["book"]["categories"][0]["id"])
        }
        "<a statement id from CardStatement>" => {
            pick(&result("CardStatement")["book"]["creditCards"][0]["statement"]["id"])
        }
        "<the Cuenta BCP account id from MyAccounts>" | "<another account id from MyAccounts>" => {
            let accounts = result("MyAccounts")["book"]["accounts"]
                .as_array()
                .expect("accounts");
            let bcp = placeholder.contains("Cuenta BCP");
            let account = accounts
                .iter()
                .find(|a| (a["name"] == "Cuenta BCP") == bcp)
                .unwrap_or_else(|| panic!("{placeholder}: not among {accounts:?}"));
            pick(&account["id"])
        }
        "<invitation.token from OnboardDriver>" => {
            pick(&result("OnboardDriver")["createClient"]["invitation"]["token"])
        }
        "<client id from OnboardDriver>" => {
            pick(&result("OnboardDriver")["createClient"]["client"]["id"])
        }
        "<contract id from SignContract>" => {
            pick(&result("SignContract")["createContract"]["contract"]["id"])
        }
        "<the first invoice id from SignContract>"
        | "<the second invoice id from SignContract>" => {
            let index = usize::from(placeholder.contains("second"));
            pick(
                &result("SignContract")["createContract"]["contract"]["invoices"]["nodes"][index]["id"],
            )
        }
        "<a driver id from StaffClients>" => {
            pick(&result("StaffClients")["clients"]["nodes"][0]["id"])
        }
        other => panic!("no rule to fill {other}: add one here"),
    }
}

fn filled(value: &Value, results: &Results) -> Value {
    match value {
        Value::String(s) if s.starts_with('<') && s.ends_with('>') => fill(s, results),
        Value::Array(items) => Value::Array(items.iter().map(|v| filled(v, results)).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), filled(v, results)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every `userErrors` list in a result, with its path, that is not empty.
fn user_errors(value: &Value, path: &str) -> Vec<String> {
    match value {
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, v)| {
                let here = format!("{path}.{key}");
                if key == "userErrors" && v.as_array().is_some_and(|e| !e.is_empty()) {
                    vec![format!("{here}: {v}")]
                } else {
                    user_errors(v, &here)
                }
            })
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, v)| user_errors(v, &format!("{path}[{i}]")))
            .collect(),
        _ => Vec::new(),
    }
}

db_test!(every_example_operation_runs_on_the_demo_data, |app| {
    let driver = app.login(DRIVER).await;
    let admin = app.login(ADMIN).await;
    let mut results = Results::new();
    for example in all_examples() {
        let token = match example.who.as_str() {
            "driver" => Some(driver.as_str()),
            "admin" => Some(admin.as_str()),
            _ => None,
        };
        let variables: Value = serde_json::from_str(&example.variables).unwrap();
        let variables = filled(&variables, &results);
        let body = run(&app, &example.query, &example.name, variables, token).await;
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
    assert!(app.login_session(("10442008642", "nueva5678")).await["accessToken"].is_string());
});

/// Sends the whole file, comments and all, as the playground and the client do.
async fn run(
    app: &TestApp,
    query: &str,
    name: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let auth = token.map(|t| format!("Bearer {t}"));
    app.post_json(
        json!({ "query": query, "operationName": name, "variables": variables }),
        auth.as_deref(),
    )
    .await
    .body
}

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
