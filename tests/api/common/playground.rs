//! The example operations of `playground/operations/` as the playground runs them: each
//! with the variables its file gives, placeholders filled in from earlier results where
//! its `# Fill:` lines say, sent whole (comments and all) by the user it names.

use std::collections::HashMap;

use async_graphql::parser::{parse_query, types::OperationType};
use gateway::http::playground::{Example, Fill, examples};
use serde_json::{Value, json};

use super::{ADMIN, DRIVER, TestApp, run, ws_next, ws_subscribe};

/// Every example, in the playground's order.
pub fn all_examples() -> Vec<Example> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/playground"));
    examples(dir).expect("every example file is well formed")
}

/// Whether the example's operation is a query (not a mutation nor a subscription), as
/// its document declares it.
pub fn is_query(example: &Example) -> bool {
    operation_type(example) == OperationType::Query
}

/// Whether the example is a subscription: the playground runs it over WebSocket.
pub fn is_subscription(example: &Example) -> bool {
    operation_type(example) == OperationType::Subscription
}

fn operation_type(example: &Example) -> OperationType {
    let document = parse_query(&example.query)
        .unwrap_or_else(|e| panic!("{}: does not parse: {e}", example.file));
    document
        .operations
        .iter()
        .find(|(name, _)| name.is_some_and(|n| n.as_str() == example.name))
        .unwrap_or_else(|| panic!("{}: no operation {}", example.file, example.name))
        .1
        .node
        .ty
}

/// The results so far, by operation name.
pub type Results = HashMap<String, Value>;

/// The playground's users, logged in: the examples say which one runs each.
pub struct Users {
    pub driver: String,
    pub admin: String,
}

impl Users {
    pub async fn log_in(app: &TestApp) -> Users {
        Users {
            driver: app.login(DRIVER).await,
            admin: app.login(ADMIN).await,
        }
    }

    /// The token of the example's user (`# As:`); none for `anyone`.
    pub fn token_for(&self, example: &Example) -> Option<&str> {
        match example.who.as_str() {
            "driver" => Some(self.driver.as_str()),
            "admin" => Some(self.admin.as_str()),
            _ => None,
        }
    }
}

/// Runs `example` as the playground would after the operations of `results`: its
/// variables filled in from them, as its user. The whole body.
pub async fn run_example(
    app: &TestApp,
    example: &Example,
    users: &Users,
    results: &Results,
) -> Value {
    let variables: Value = serde_json::from_str(&example.variables).unwrap();
    let variables = filled(&variables, &example.fills, results);
    send_whole(
        app,
        &example.query,
        &example.name,
        variables,
        users.token_for(example),
    )
    .await
}

/// Runs subscription `example` as the playground does (the whole file over WebSocket, as
/// its user), then makes happen what it listens for, as a user would in another tab: the
/// `payload` of its first event.
pub async fn first_event(app: &TestApp, example: &Example, users: &Users) -> Value {
    let addr = app.serve().await;
    let token = users
        .token_for(example)
        .unwrap_or_else(|| panic!("{}: a subscription needs a user", example.file));
    let mut socket = ws_subscribe(addr, token, &example.query).await;
    // The subscription listens once its setup ran; the other tests of events wait as long.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    match example.name.as_str() {
        "WalletChanged" => recharge_the_driver(app, users).await,
        other => panic!(
            "{}: say here how the test makes {other}'s event happen",
            example.file
        ),
    }
    let event = ws_next(&mut socket).await;
    assert_eq!(event["type"], "next", "{}: {event}", example.file);
    event["payload"].clone()
}

/// Staff credit the demo driver's wallet.
async fn recharge_the_driver(app: &TestApp, users: &Users) {
    let me = app
        .gql("{ me { id } }", json!({}), Some(&users.driver))
        .await;
    let recharge = "mutation($input: RecordRechargeInput!) { recordRecharge(input: $input) { balance userErrors { field code message } } }";
    let input = json!({
        "clientId": me["data"]["me"]["id"],
        "amount": "10.00",
        "method": "Yape",
        "idempotencyKey": "0b9a5c1e-playground-example-event",
    });
    let payload = run(app, &users.admin, recharge, input).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
}

/// Sends the whole file, comments and all, as the playground and the client do.
pub async fn send_whole(
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
pub fn user_errors(value: &Value, path: &str) -> Vec<String> {
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
