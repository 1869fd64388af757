//! GraphQL subscriptions over WebSocket (graphql-ws and the legacy
//! subscriptions-transport-ws). The caller authenticates in `connection_init` with
//! `{"Authorization": "Bearer <token>"}` (or `authorization`, `token`).

use async_graphql::{Data, http::ALL_WEBSOCKET_PROTOCOLS};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{
        Extension, State, WebSocketUpgrade,
        ws::{CloseFrame, Message},
    },
    response::Response,
};
use futures_util::{SinkExt, StreamExt};

use super::{client_address::ClientAddress, request_id::RequestId};
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

/// Close code 1001: the server is going away (graphql-ws clients reconnect).
const GOING_AWAY: u16 = 1001;

pub async fn upgrade(
    State(app): State<App>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(ClientAddress(client_address)): Extension<ClientAddress>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let shutdown = app.state.shutdown.clone();
            let _held = shutdown.hold();
            let schema = app.schemas.live.clone();
            let (mut sink, incoming) = socket.split();
            // When the server stops, the connection stops reading: async-graphql then ends
            // its subscriptions, and the Close frame below goes out.
            let stopping = shutdown.clone();
            let incoming = incoming.take_until(async move { stopping.stopping().await });
            GraphQLWebSocket::new_with_pair(&mut sink, incoming, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let (viewer, expires_at) = match credential(&payload) {
                        None => (None, None),
                        Some(header) => {
                            let jwt = &app.state.auth.jwt;
                            let viewer = auth::authenticate(&header, jwt, &app.state.db)
                                .await
                                .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                            // A logged-out session's token is refused here, although it
                            // has not expired: the connection would outlive the session.
                            let holds = auth::credential_holds(&app.state.db, &viewer)
                                .await
                                .map_err(|e| async_graphql::Error::new(e.to_string()))?;
                            if !holds {
                                return Err(async_graphql::Error::new(
                                    "the session of this token has ended",
                                ));
                            }
                            (Some(viewer), auth::expires_at(&header, jwt))
                        }
                    };
                    let mut data = Data::default();
                    data.insert(RequestContext {
                        viewer,
                        request_id,
                        expires_at,
                        client_address,
                    });
                    // No driver wraps a WebSocket operation: its loaders pace themselves.
                    data.insert(Loaders::new(&app.state.db, &Scheduler::new()));
                    Ok(data)
                })
                .serve()
                .await;
            if shutdown.is_stopping() {
                let close = CloseFrame {
                    code: GOING_AWAY,
                    reason: "the server is stopping; reconnect".into(),
                };
                let _ = sink.send(Message::Close(Some(close))).await;
            }
        })
}
