//! GraphQL subscriptions over WebSocket (graphql-ws and the legacy
//! subscriptions-transport-ws). The caller authenticates in `connection_init` with
//! `{"Authorization": "Bearer <token>"}` (or `authorization`, `token`).

use async_graphql::{Data, http::ALL_WEBSOCKET_PROTOCOLS};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{Extension, State, WebSocketUpgrade},
    response::Response,
};

use super::request_id::RequestId;
use crate::{
    app::App,
    auth,
    graphql::{batch::Scheduler, commons::RequestContext, loaders::Loaders},
};

fn credential(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    let pick = |key: &str| object.get(key).and_then(|v| v.as_str()).map(str::to_string);
    pick("Authorization")
        .or_else(|| pick("authorization"))
        .or_else(|| {
            object
                .get("headers")
                .and_then(|h| h.get("Authorization").or(h.get("authorization")))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .or_else(|| pick("token").map(|t| format!("Bearer {t}")))
}

pub async fn upgrade(
    State(app): State<App>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = app.schema.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let viewer = match credential(&payload) {
                        None => None,
                        Some(header) => Some(
                            auth::authenticate(&header, &app.state.auth.jwt, &app.state.db)
                                .await
                                .map_err(|e| async_graphql::Error::new(e.to_string()))?,
                        ),
                    };
                    let mut data = Data::default();
                    data.insert(RequestContext { viewer, request_id });
                    // No driver wraps a WebSocket operation: its loaders pace themselves.
                    data.insert(Loaders::new(&app.state.db, &Scheduler::new()));
                    Ok(data)
                })
                .serve()
        })
}
