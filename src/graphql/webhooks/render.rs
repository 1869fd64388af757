//! The objects of webhook events "as the API shows them": each is read through the
//! schema itself, by a query of `nodes(ids:)` as an ADMIN of the endpoint's organization
//! reads it, on the read-only pool. The selection is built once from the schema's
//! introspection: each type's fields without arguments whose type is a scalar or an
//! enum, and `{ id }` of those that are nodes (a transaction's `account { id }`). So a
//! field added to a type is in its events' bodies at once.
//!
//! An object is read when its event is made, right after its change commits; one
//! deleted by then, or deleted by the change, is sent as a tombstone:
//! `{ "id": <global ID>, "deleted": true }`.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::{Request, Variables};
use serde_json::{Value, json};

use super::types::object_id;
use crate::{
    auth::{Credential, Viewer},
    domain::{
        DomainError, DomainResult,
        commons::Id,
        webhooks::{deliveries::Event, events::EventKind},
    },
    entities::{book_change::ChangeOperation, user::Role, webhook_endpoint},
    graphql::{
        AppSchema,
        commons::{NodeKind, RequestContext, Speaking},
        fast::websocket_data,
        internal_schema,
    },
    state::AppState,
};

/// Reads events' objects through the schema.
pub struct Renderer {
    schema: AppSchema,
    state: AppState,
    /// `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Transaction { ... } ... } }`.
    query: String,
}

const INTROSPECTION: &str = "{ __schema { types { name kind interfaces { name } fields { name args { name } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

impl Renderer {
    /// Builds the selection of every kind of object an event may carry.
    pub async fn new(state: AppState) -> Result<Self, String> {
        let schema = internal_schema(&state);
        let response = schema.execute(INTROSPECTION).await;
        if !response.errors.is_empty() {
            return Err(format!("introspection failed: {:?}", response.errors));
        }
        let data = response
            .data
            .into_json()
            .map_err(|e| format!("introspection's answer: {e}"))?;
        let types = data["__schema"]["types"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let nodes: BTreeSet<String> = types
            .iter()
            .filter(|t| {
                t["interfaces"]
                    .as_array()
                    .is_some_and(|i| i.iter().any(|i| i["name"] == "Node"))
            })
            .filter_map(|t| t["name"].as_str().map(str::to_string))
            .collect();
        let wanted: BTreeSet<String> = EventKind::all()
            .map(|kind| NodeKind::of_change(kind.change_kind()).name().to_string())
            .collect();
        let mut fragments = BTreeMap::new();
        for t in &types {
            let Some(name) = t["name"].as_str() else {
                continue;
            };
            if !wanted.contains(name) {
                continue;
            }
            let fields: Vec<String> = t["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| f["args"].as_array().is_none_or(|a| a.is_empty()))
                .filter_map(|f| {
                    let field = f["name"].as_str()?;
                    let (kind, named) = named_type(&f["type"]);
                    match kind {
                        "SCALAR" | "ENUM" => Some(field.to_string()),
                        "OBJECT" if nodes.contains(named) => Some(format!("{field} {{ id }}")),
                        _ => None,
                    }
                })
                .collect();
            fragments.insert(name.to_string(), fields.join(" "));
        }
        if fragments.len() != wanted.len() {
            return Err(format!(
                "the schema lacks some of the types {wanted:?}: found {:?}",
                fragments.keys()
            ));
        }
        let spreads: Vec<String> = fragments
            .iter()
            .map(|(name, fields)| format!("... on {name} {{ {fields} }}"))
            .collect();
        let query = format!(
            "query WebhookObjects($ids: [ID!]!) {{ nodes(ids: $ids) {{ {} }} }}",
            spreads.join(" ")
        );
        Ok(Self {
            schema,
            state,
            query,
        })
    }

    /// The query it runs (for the docs and tests).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The object of each event, in order, as an ADMIN of `endpoint`'s organization reads
    /// it now; a tombstone for a deletion and for an object gone.
    pub async fn render(
        &self,
        endpoint: &webhook_endpoint::Model,
        events: &[Event],
    ) -> DomainResult<Vec<Value>> {
        let ids: Vec<String> = events
            .iter()
            .map(|event| object_id(event.kind.change_kind(), event.change.object_id).to_string())
            .collect();
        let deleted = |event: &Event| event.change.operation == ChangeOperation::Deleted;
        let wanted: Vec<&str> = events
            .iter()
            .zip(&ids)
            .filter(|(event, _)| !deleted(event))
            .map(|(_, id)| id.as_str())
            .collect();
        let mut read: BTreeMap<String, Value> = BTreeMap::new();
        for chunk in wanted.chunks(100) {
            for node in self.nodes(endpoint, chunk).await? {
                if let Some(id) = node["id"].as_str() {
                    read.insert(id.to_string(), node.clone());
                }
            }
        }
        Ok(events
            .iter()
            .zip(ids)
            .map(|(event, id)| match read.get(&id) {
                Some(object) if !deleted(event) => object.clone(),
                _ => json!({ "id": id, "deleted": true }),
            })
            .collect())
    }

    async fn nodes(
        &self,
        endpoint: &webhook_endpoint::Model,
        ids: &[&str],
    ) -> DomainResult<Vec<Value>> {
        // The business book's reader: an ADMIN of the endpoint's organization (the one
        // who registered it, when they still exist).
        let viewer = Viewer {
            user_id: Id::new(endpoint.created_by_user_id.unwrap_or_default()),
            organization_id: Id::new(endpoint.organization_id),
            role: Role::Admin,
            credential: Credential::AccessToken {
                session: "webhooks".into(),
            },
        };
        let context = RequestContext {
            viewer: Some(viewer),
            request_id: format!("webhooks-{}", endpoint.id),
            expires_at: None,
            client_address: None,
            speaking: Speaking::asked(Some("en")),
        };
        let mut request =
            Request::new(self.query.clone()).variables(Variables::from_json(json!({ "ids": ids })));
        request.data = websocket_data(&self.state, context);
        let response = self.schema.execute(request).await;
        if !response.errors.is_empty() {
            return Err(DomainError::Internal(format!(
                "reading the objects of webhook events failed: {:?}",
                response.errors
            )));
        }
        let data = response
            .data
            .into_json()
            .map_err(|e| DomainError::Internal(format!("the objects' answer: {e}")))?;
        Ok(data["nodes"].as_array().cloned().unwrap_or_default())
    }
}

/// The kind and name of a field's type, unwrapped of its lists and non-nulls.
fn named_type(mut t: &Value) -> (&str, &str) {
    while matches!(t["kind"].as_str(), Some("NON_NULL" | "LIST")) {
        t = &t["ofType"];
    }
    (
        t["kind"].as_str().unwrap_or(""),
        t["name"].as_str().unwrap_or(""),
    )
}
