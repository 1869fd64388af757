//! Comparing a compiled read (`fast::compiled`) with the resolvers' answer.

use serde_json::Value;

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
