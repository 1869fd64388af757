//! The playground's example tabs run as they are against the demo data: a schema change
//! that breaks one, or demo data that leaves one empty, fails here.

use serde_json::json;

use crate::{
    common::{DRIVER, TestApp},
    db_test,
};

/// The example queries of `playground/index.html` (`const <name>Query = \`...\`;`).
fn examples() -> Vec<(String, String)> {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/playground/index.html"
    ))
    .expect("playground/index.html");
    let mut found = Vec::new();
    let mut rest = page.as_str();
    while let Some(start) = rest.find("const ") {
        rest = &rest[start + 6..];
        let Some((name, after)) = rest.split_once(" = `") else {
            continue;
        };
        if !name.ends_with("Query") {
            continue;
        }
        let Some((query, tail)) = after.split_once("`;") else {
            break;
        };
        found.push((name.to_string(), query.to_string()));
        rest = tail;
    }
    found
}

/// The path of the first empty list in `value` that is not inside another list (one
/// invoice may have no discounts; the driver must have contracts), `userErrors` aside.
fn empty_list(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::Array(items) if items.is_empty() => Some(path.to_string()),
        serde_json::Value::Object(fields) => fields
            .iter()
            .filter(|(key, _)| *key != "userErrors")
            .find_map(|(key, v)| empty_list(v, &format!("{path}.{key}"))),
        _ => None,
    }
}

async fn run(app: &TestApp, token: &str) {
    let examples = examples();
    assert!(examples.len() >= 5, "{examples:?}");
    for (name, query) in examples {
        let variables = if name == "loginQuery" {
            json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } })
        } else {
            json!({})
        };
        let body = app.gql(&query, variables, Some(token)).await;
        assert!(body["errors"].is_null(), "{name}: {body}");
        if let Some(path) = empty_list(&body["data"], "data") {
            panic!("{name} shows an empty list at {path} with the demo data: {body}");
        }
    }
}

db_test!(every_example_tab_runs_on_the_demo_data, |app| {
    let token = app.login(DRIVER).await;
    run(&app, &token).await;
});
