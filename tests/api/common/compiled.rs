//! Comparing a compiled read (`fast::compiled`) with the resolvers' answer.

use serde_json::{Value, json};

use super::TestApp;

/// `query` (whose connections hold `__typename MARK`) asked twice: as it is, and with
/// `__typename` given twice, which no compiler takes (a response key given twice is
/// left to the resolvers). Both answers must be equal and without errors; returns the
/// answer and the statements each way cost (compiled, then resolved). On SQLite both
/// ways resolve.
pub async fn both_ways(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
) -> (Value, u64, u64) {
    assert!(query.contains("MARK"), "{query}");
    let mut answers = Vec::new();
    for mark in ["", "__typename"] {
        let query = query.replace("MARK", mark);
        let before = app.statements();
        let body = app.gql(&query, variables.clone(), Some(token)).await;
        answers.push((body, app.statements() - before));
    }
    let (resolved, resolved_statements) = answers.pop().unwrap();
    let (compiled, statements) = answers.pop().unwrap();
    assert_eq!(compiled, resolved, "{query} {variables}");
    assert!(compiled["errors"].is_null(), "{compiled}");
    (compiled, statements, resolved_statements)
}

/// Every way of cutting a page the connections take, as variables `first`, `after`,
/// `last` and `before`: forward and backward, both sizes at once, between two cursors,
/// cursors past either end, the default size and an empty page.
pub fn cuts() -> Vec<Value> {
    let cursor = |position: u64| json!(super::raw_cursor(position));
    vec![
        json!({}),
        json!({ "first": 2 }),
        json!({ "first": 2, "after": cursor(1) }),
        json!({ "first": 10, "after": cursor(2) }),
        json!({ "last": 2 }),
        json!({ "last": 2, "before": cursor(3) }),
        json!({ "first": 3, "last": 1 }),
        json!({ "after": cursor(0), "before": cursor(4) }),
        json!({ "first": 2, "after": cursor(1000) }),
        json!({ "last": 2, "before": cursor(0) }),
        json!({ "first": 0 }),
    ]
}
