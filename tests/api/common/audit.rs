//! Reading the audit trail as an ADMIN does, through the `auditLog` query, and checking
//! the record a staff write left.

use gateway::entities::audit_record;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use super::TestApp;

/// Every field of a record the tests look at.
pub const AUDIT_LOG: &str = "query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 100) { totalCount nodes { operation objectId objectType requestId author { __typename ... on StaffUser { id document } ... on ApiToken { id name } } changes { field before after } } } }";

/// The records matching `filter` (`{objectId, userId, from, to}`), oldest first, as the
/// ADMIN whose access token is `admin` reads them.
pub async fn audit_log(app: &TestApp, admin: &str, filter: Value) -> Vec<Value> {
    let body = app
        .gql(AUDIT_LOG, json!({ "filter": filter }), Some(admin))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

/// The records of the object with global ID `object_id`.
pub async fn records_of(app: &TestApp, admin: &str, object_id: &Value) -> Vec<Value> {
    audit_log(app, admin, json!({ "objectId": object_id })).await
}

/// The last record of the whole trail (for kinds that are no node: a recharge, the
/// invoicing settings).
pub async fn last_record(app: &TestApp, admin: &str) -> Value {
    let body = app
        .gql(
            "query { auditLog(last: 1) { nodes { operation objectId objectType requestId author { __typename ... on StaffUser { id document } ... on ApiToken { id name } } changes { field before after } } } }",
            json!({}),
            Some(admin),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["auditLog"]["nodes"][0].clone()
}

/// How many records the database holds, of every organization.
pub async fn record_count(app: &TestApp) -> u64 {
    audit_record::Entity::find()
        .count(&app.app.state.db)
        .await
        .unwrap()
}

/// The change of `field` in `record`, as `(before, after)` JSON texts (null when absent).
pub fn change(record: &Value, field: &str) -> (Value, Value) {
    let found = record["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes: {record}"))
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field}: {record}"));
    (found["before"].clone(), found["after"].clone())
}

/// The JSON text of a value as a record's `before` or `after` shows it.
pub fn shown(value: Value) -> Value {
    Value::String(value.to_string())
}

/// Asserts what every record says: the operation, the object's type and ID (null for
/// kinds that are no node), a request id, and its author, a staff member by document.
pub fn assert_record(
    record: &Value,
    operation: &str,
    object_type: &str,
    object_id: &Value,
    author_document: &str,
) {
    assert_eq!(record["operation"], operation, "{record}");
    assert_eq!(record["objectType"], object_type, "{record}");
    assert_eq!(&record["objectId"], object_id, "{record}");
    assert_eq!(record["author"]["__typename"], "StaffUser", "{record}");
    assert_eq!(record["author"]["document"], author_document, "{record}");
    assert!(
        record["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "{record}"
    );
}

/// The operations of `records`, in their order.
pub fn operations(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["operation"].as_str().unwrap().to_string())
        .collect()
}
