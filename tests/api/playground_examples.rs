//! The example operations of `playground/operations/` (one named operation a file, the
//! playground's tabs, the TypeScript client's documents) run as they are, with the
//! variables their files give, against the demo data: a schema change that breaks one,
//! or demo data it no longer fits, fails here. Variables that can only come from an
//! earlier result (`"<id of ... from ContractInvoices>"`) are filled in from the results
//! of the earlier examples, as a user of the playground does by hand.

use std::collections::HashMap;

use gateway::http::playground::{Example, Fill, examples, placeholders_of};
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
        for placeholder in placeholders_of(&example.variables) {
            assert!(
                placeholder.contains(" from "),
                "{}: say where {placeholder} comes from",
                example.file
            );
        }
    }
}

/// The results so far, by operation name.
type Results = HashMap<String, Value>;

/// A placeholder's value, read from the earlier results where its `# Fill:` line says,
/// as the playground page fills it.
fn fill(placeholder: &str, fills: &[Fill], results: &Results) -> Value {
    let rule = fills
        .iter()
        .find(|f| f.placeholder == placeholder)
        .unwrap_or_else(|| panic!("no `# Fill:` line for {placeholder}"));
    rule.sources
        .iter()
        .find_map(|(operation, path)| {
            let value = at_path(results.get(operation)?, path)?;
            value.is_string().then(|| value.clone())
        })
        .unwrap_or_else(|| {
            panic!(
                "{placeholder}: nothing at {:?} in {results:?}",
                rule.sources
            )
        })
}

/// The value at a `# Fill:` path (see `gateway::http::playground::Fill`).
fn at_path<'a>(mut value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(filter) = rest.strip_prefix('[') {
            let (condition, after) = filter.split_once(']')?;
            let (field, wanted, equal) = match condition.split_once("!=") {
                Some((field, wanted)) => (field, wanted, false),
                None => {
                    let (field, wanted) = condition.split_once('=')?;
                    (field, wanted, true)
                }
            };
            value = value.as_array()?.iter().find(|item| {
                let found = at_path(item, field).map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                (found.as_deref() == Some(wanted)) == equal
            })?;
            rest = after.strip_prefix('.').unwrap_or(after);
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let segment = &rest[..end];
        value = match segment.parse::<usize>() {
            Ok(index) => value.get(index)?,
            Err(_) => value.get(segment)?,
        };
        rest = rest[end..].strip_prefix('.').unwrap_or(&rest[end..]);
    }
    Some(value)
}

fn filled(value: &Value, fills: &[Fill], results: &Results) -> Value {
    match value {
        Value::String(s) if s.starts_with('<') && s.ends_with('>') => fill(s, fills, results),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| filled(v, fills, results)).collect())
        }
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), filled(v, fills, results)))
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
        let variables = filled(&variables, &example.fills, &results);
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
