//! The audit trail's records as the API shows them.

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{
    domain::audit::ObjectKind,
    entities::audit_record,
    graphql::{
        commons::{GlobalId, NodeKind},
        identity::types::{Creator, creator_of},
    },
};

/// One staff write: who, when, to what, and which fields changed.
pub struct AuditRecord(pub audit_record::Model);

/// A field a write changed. Values are JSON texts (`"ADMIN"`, `true`, `null`), so that
/// every kind of field reads the same way.
#[derive(SimpleObject)]
pub struct AuditFieldChange {
    /// The field, named as the API names it.
    pub field: String,
    /// Its value before, as JSON; null when the write created the object.
    pub before: Option<String>,
    /// Its value after, as JSON; null when the write removed the object.
    pub after: Option<String>,
}

/// The node type of a record's object; the trail names its kinds as the API names its
/// types. `None` for a kind that is no node (a recharge, the invoicing settings).
fn node_kind(kind: &str) -> Option<NodeKind> {
    let kind = ObjectKind::parse(kind)?;
    NodeKind::ALL
        .into_iter()
        .find(|node| node.name() == kind.as_str())
}

/// One staff write: who, when, to what, and which fields changed. Records are never
/// changed or removed.
#[Object]
impl AuditRecord {
    /// When the write committed.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// Who wrote: a staff member, or the API token the write came through; null for
    /// the operator at the command line (`gateway organization create`, `gateway user
    /// create`).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Creator>> {
        creator_of(
            ctx,
            self.0.organization_id,
            self.0.user_id,
            self.0.api_token_id,
        )
        .await
    }
    /// The object written to (a global ID, as `node(id:)` takes it).
    async fn object_id(&self) -> Option<ID> {
        node_kind(&self.0.object_kind).map(|kind| GlobalId::new(kind, self.0.object_id).to_id())
    }
    /// The object's type, e.g. `StaffUser`.
    async fn object_type(&self) -> &str {
        &self.0.object_kind
    }
    /// The operation, named as the API (or the command line) names it, e.g.
    /// `createStaffUser`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }
    /// The fields the write changed, with their values before and after.
    async fn changes(&self) -> Vec<AuditFieldChange> {
        let stored: Value = serde_json::from_str(&self.0.changes).unwrap_or(Value::Null);
        let side = |name: &str| stored.get(name).and_then(Value::as_object).cloned();
        let (before, after) = (side("before"), side("after"));
        let mut fields: Vec<&String> = before
            .iter()
            .chain(after.iter())
            .flat_map(|map| map.keys())
            .collect();
        fields.sort();
        fields.dedup();
        let text = |map: &Option<serde_json::Map<String, Value>>, field: &str| {
            map.as_ref()
                .and_then(|m| m.get(field))
                .map(Value::to_string)
        };
        fields
            .into_iter()
            .map(|field| AuditFieldChange {
                field: field.clone(),
                before: text(&before, field),
                after: text(&after, field),
            })
            .collect()
    }
    /// The request that made the write, as the server's logs name it; null for the
    /// command line.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

crate::connection!(
    AuditRecordConnection,
    AuditRecordEdge,
    AuditRecord,
    "A page of audit records, oldest first.",
    "An audit record and its cursor."
);
