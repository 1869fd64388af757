//! GraphQL subscriptions over WebSocket (graphql-ws and the legacy
//! subscriptions-transport-ws). The caller authenticates in `connection_init` with
//! `{"Authorization": "Bearer <token>"}` (or `authorization`, `token`).
//!
//! Nothing a client sends here escapes the limits of HTTP:
//!
//! - Every operation runs on the `live` schema, whose extensions check the document (text
//!   length, aliases, directives, sensitive fields, depth, complexity) before any
//!   resolver runs.
//! - A query or mutation waits for a turn of the same `executions` semaphore as HTTP
//!   (`LIMIT_CONCURRENT_REQUESTS`) and is cancelled at `LIMIT_REQUEST_TIMEOUT_MS`, the
//!   wait included, with REQUEST_TIMEOUT. A subscription does so while it is set up; once
//!   it waits for events it holds no turn and no timeout cuts it.
//! - A connection has at most `LIMIT_WS_OPERATIONS` operations in flight; one more is
//!   answered with a TOO_MANY_OPERATIONS error (and `complete`) and the others go on.
//! - The process serves at most `LIMIT_WS_CONNECTIONS` connections; one more is refused
//!   before the upgrade with 503 and `Retry-After`.
//! - A message (or frame) larger than `LIMIT_BODY_BYTES` closes the connection with 1009,
//!   and a connection that sends no `connection_init` within `LIMIT_WS_INIT_TIMEOUT_MS`
//!   is closed with 4408, as graphql-ws says.

use std::{
    sync::{
        Arc, OnceLock,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_graphql::{Data, Executor, http::ALL_WEBSOCKET_PROTOCOLS};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{
        Extension, State, WebSocketUpgrade,
        ws::{CloseFrame, Message},
    },
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::{SinkExt, StreamExt, stream::BoxStream};
use tokio::{sync::Semaphore, time::Instant};

use super::{client_address::ClientAddress, graphql::timed_out, request_id::RequestId, text::Text};
use crate::{
    app::App,
    auth::{self, AuthError},
    domain::{Language, Message as Said, i18n::Sentence},
    graphql::{
        AppSchema,
        commons::{
            ErrorCode, RequestContext, Speaking, SubscriptionSetup,
            errors::{code_errors, say_errors},
        },
        fast,
    },
    workers::Workers,
};

/// The language a connection asks for: `Accept-Language` in `connection_init`'s payload
/// (a client that cannot set the upgrade's headers), else the upgrade request's.
fn asked_language(payload: &serde_json::Value, upgrade_header: Option<&str>) -> Speaking {
    let in_payload = payload.as_object().and_then(|object| {
        ["Accept-Language", "accept-language"]
            .iter()
            .find_map(|key| object.get(*key).and_then(|v| v.as_str()))
    });
    Speaking::asked(in_payload.or(upgrade_header))
}

/// A Close frame's reason: `reason: message` (or the message alone), cut at a character
/// boundary to the 123 bytes a Close frame holds (RFC 6455 §5.5).
fn close_reason(reason: Option<&str>, message: &str) -> String {
    let mut said = match reason {
        Some(reason) => format!("{reason}: {message}"),
        None => message.to_string(),
    };
    if said.len() > 123 {
        let mut end = 123;
        while !said.is_char_boundary(end) {
            end -= 1;
        }
        said.truncate(end);
    }
    said
}

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
/// Close code 1009: a message was larger than the server accepts.
const MESSAGE_TOO_BIG: u16 = 1009;
/// graphql-ws' close code for a `connection_init` that did not come in time.
const INIT_TIMEOUT: u16 = 4408;
/// What a client refused for lack of a connection place is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 5;

/// The schema as one connection runs it: each operation takes a place among the
/// connection's `LIMIT_WS_OPERATIONS`, then an execution turn within the request
/// timeout (see the module's documentation).
#[derive(Clone)]
struct Connection {
    schema: AppSchema,
    executions: Arc<Semaphore>,
    timeout: Duration,
    max_operations: usize,
    in_flight: Arc<AtomicUsize>,
    request_id: Arc<str>,
    workers: Workers,
}

/// One operation in flight on its connection, until its stream is dropped (answered,
/// ended, stopped by the client, or the connection closed).
struct InFlight(Arc<AtomicUsize>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Connection {
    fn new(app: &App, request_id: &str) -> Self {
        let limits = &app.state.config.limits;
        Self {
            schema: app.schemas.live.clone(),
            executions: app.state.executions.clone(),
            timeout: limits.timeout,
            max_operations: limits.max_ws_operations,
            in_flight: Arc::default(),
            request_id: request_id.into(),
            workers: app.state.workers.clone(),
        }
    }

    /// A place among the connection's operations, if one is free.
    fn place(&self) -> Option<InFlight> {
        let max = self.max_operations;
        self.in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| InFlight(self.in_flight.clone()))
    }
}

impl Executor for Connection {
    // async-graphql's WebSocket runs everything through `execute_stream`.
    fn execute(
        &self,
        request: async_graphql::Request,
    ) -> impl Future<Output = async_graphql::Response> + Send {
        self.schema.execute(request)
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        // Said in the language the connection settled at `connection_init`.
        let language = session_data
            .as_ref()
            .and_then(|data| data.get(&std::any::TypeId::of::<RequestContext>()))
            .and_then(|request| request.downcast_ref::<RequestContext>())
            .map_or_else(Default::default, RequestContext::language_known);
        let Some(in_flight) = self.place() else {
            tracing::warn!(
                request_id = &*self.request_id,
                max = self.max_operations,
                "WebSocket operation refused: too many in flight on its connection"
            );
            let error = ErrorCode::TooManyOperations.server_error(Text::TooManyOperations {
                max: self.max_operations.to_string(),
            });
            let mut errors = vec![error];
            say_errors(&mut errors, language);
            let refused = async_graphql::Response::from_errors(errors);
            return futures_util::stream::once(async move { refused }).boxed();
        };
        // Waiting for a turn counts against the timeout, as over HTTP.
        let deadline = deadline_after(self.timeout);
        let setup = SubscriptionSetup::default();
        let operation = self.schema.execute_stream_with_session_data(
            request.data(setup.clone()),
            session_data.unwrap_or_default(),
        );
        let executions = self.executions.clone();
        let timeout = self.timeout;
        let request_id = self.request_id.clone();
        let coded_for = self.request_id.clone();
        // The operation's first stretch, with a turn and within the timeout: a query or
        // mutation up to its answer, a subscription up to the end of its setup (or its
        // first message, when it failed before). Dropping `operation` on timeout drops
        // any open database transaction with it, which rolls it back.
        let first_stretch = async move {
            let mut operation = operation;
            let cancelled = || {
                tracing::warn!(
                    request_id = &*request_id,
                    timeout_ms = timeout.as_millis() as u64,
                    "WebSocket operation timed out"
                );
                let timed_out = async_graphql::Response::from_errors(vec![timed_out(timeout)]);
                (Some(timed_out), None)
            };
            // The semaphore is never closed: an error is as good as no turn.
            let Ok(Ok(turn)) = tokio::time::timeout_at(deadline, executions.acquire_owned()).await
            else {
                return cancelled();
            };
            let first = tokio::select! {
                first = operation.next() => first.map(Some),
                () = setup.finished() => Some(None),
                () = tokio::time::sleep_until(deadline) => return cancelled(),
            };
            drop(turn);
            match first {
                // Ended without a message (an empty subscription).
                None => (None, None),
                Some(first) => (first, Some(operation)),
            }
        };
        // On the operations' threads, like an operation over HTTP: parsing, the limits,
        // validation and resolving never hold the threads that answer `/health`.
        futures_util::stream::once(self.workers.run(first_stretch))
            .flat_map(|(first, rest)| {
                futures_util::stream::iter(first).chain(futures_util::stream::iter(rest).flatten())
            })
            .map(move |mut response| {
                let _in_flight = &in_flight;
                code_errors(&mut response, &coded_for, language);
                response
            })
            .boxed()
    }
}

/// The instant `timeout` from now; one past the clock's range is as good as none.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 3600))
}

/// Whether reading failed on a message or frame over `max_message_size`. axum hides
/// tungstenite's error type; its text says `Space limit exceeded: Message too long`.
fn too_big(error: &axum::Error) -> bool {
    error.to_string().contains("Message too long")
}

/// The answer to an upgrade past `LIMIT_WS_CONNECTIONS`, said in `language`.
fn no_place(max: usize, language: Language) -> Response {
    let message = Text::TooManyConnections {
        max: max.to_string(),
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, message.say(language)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    response
}

/// How a connection's serving ended.
enum Ended {
    /// The client closed, a read failed, or the server is stopping.
    Served,
    /// No `connection_init` came in time.
    NoInit,
}

pub async fn upgrade(
    State(app): State<App>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(ClientAddress(client_address)): Extension<ClientAddress>,
    headers: axum::http::HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let accept_language = super::graphql::accept_language(&headers).map(str::to_string);
    // The language of what is said before `connection_init` settles the connection's.
    let asked = accept_language
        .as_deref()
        .and_then(Language::negotiate)
        .unwrap_or_default();
    let limits = app.state.config.limits.clone();
    // Taken before the upgrade, released when the connection ends (or the upgrade fails).
    let Ok(place) = app.state.ws_connections.clone().try_acquire_owned() else {
        tracing::warn!(
            request_id,
            max = limits.max_ws_connections,
            "WebSocket connection refused: the process serves as many as it may"
        );
        return no_place(limits.max_ws_connections, asked);
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(limits.max_body_bytes)
        .max_frame_size(limits.max_body_bytes)
        .on_upgrade(move |socket| async move {
            let _place = place;
            let shutdown = app.state.shutdown.clone();
            let _held = shutdown.hold();
            let executor = Connection::new(&app, &request_id);
            let (mut sink, incoming) = socket.split();
            // When the server stops, the connection stops reading: async-graphql then ends
            // its subscriptions, and the Close frame below goes out.
            let stopping = shutdown.clone();
            let message_too_big = Arc::new(AtomicBool::new(false));
            let incoming = incoming
                .take_until(async move { stopping.stopping().await })
                .inspect({
                    let message_too_big = message_too_big.clone();
                    move |read| {
                        if let Err(error) = read
                            && too_big(error)
                        {
                            message_too_big.store(true, Ordering::Release);
                        }
                    }
                });
            let init_received = Arc::new(AtomicBool::new(false));
            let settled = Arc::new(OnceLock::<Language>::new());
            let serving = GraphQLWebSocket::new_with_pair(&mut sink, incoming, executor, protocol)
                .on_connection_init({
                    let init_received = init_received.clone();
                    let settled = settled.clone();
                    move |payload| {
                        init_received.store(true, Ordering::Release);
                        async move {
                            let speaking = asked_language(&payload, accept_language.as_deref());
                            // A refusal is said before the caller, and so their
                            // organization, is known.
                            // The Close frame's reason starts with the refusal's
                            // `reason`, as a 401's `extensions.reason` says it:
                            // TOKEN_EXPIRED (refresh, then connect again) or
                            // TOKEN_INVALID (log in again).
                            let refuse = |reason: Option<&str>, message: Said| {
                                let language = speaking.known().unwrap_or_default();
                                async_graphql::Error::new(close_reason(
                                    reason,
                                    &message.say(language),
                                ))
                            };
                            let (viewer, expires_at) = match credential(&payload) {
                                None => (None, None),
                                Some(header) => {
                                    let jwt = &app.state.auth.jwt;
                                    let viewer = auth::authenticate(&header, jwt, &app.state.db)
                                        .await
                                        .map_err(|e| {
                                            if let AuthError::Database(err) = &e {
                                                tracing::error!(
                                                    request_id,
                                                    error = %err,
                                                    "database error while authenticating"
                                                );
                                            }
                                            let reason = match e {
                                                AuthError::Database(_) => None,
                                                _ => Some(e.reason()),
                                            };
                                            refuse(reason, e.message())
                                        })?;
                                    // A logged-out session's token is refused here, although
                                    // it has not expired: the connection would outlive the
                                    // session.
                                    let holds = auth::credential_holds(&app.state.db, &viewer)
                                        .await
                                        .map_err(|err| {
                                            tracing::error!(
                                                request_id,
                                                error = %err,
                                                "a credential could not be checked"
                                            );
                                            refuse(None, AuthError::Database(err).message())
                                        })?;
                                    if !holds {
                                        return Err(refuse(
                                            Some("TOKEN_INVALID"),
                                            Text::TokenSessionEnded.into(),
                                        ));
                                    }
                                    (Some(viewer), auth::expires_at(&header, jwt))
                                }
                            };
                            let request = RequestContext {
                                viewer,
                                request_id,
                                expires_at,
                                client_address,
                                speaking,
                            };
                            // Settled now, once per connection: its messages are said
                            // without reading the organization again.
                            let _ = settled.set(request.language(&app.state.read_only).await);
                            Ok(fast::websocket_data(&app.state, request))
                        }
                    }
                })
                .serve();
            let init_deadline = async {
                tokio::time::sleep(limits.ws_init_timeout).await;
                if init_received.load(Ordering::Acquire) {
                    std::future::pending::<()>().await;
                }
            };
            let ended = tokio::select! {
                () = serving => Ended::Served,
                () = init_deadline => Ended::NoInit,
            };
            let language = settled.get().copied().unwrap_or(asked);
            let close = match ended {
                // graphql-ws' own words for this close.
                Ended::NoInit => Some((INIT_TIMEOUT, "Connection initialisation timeout".into())),
                Ended::Served if message_too_big.load(Ordering::Acquire) => {
                    let message = Text::MessageTooBig {
                        max: limits.max_body_bytes.to_string(),
                    };
                    Some((MESSAGE_TOO_BIG, message.say(language)))
                }
                Ended::Served if shutdown.is_stopping() => {
                    Some((GOING_AWAY, Text::ServerStopping.say(language)))
                }
                Ended::Served => None,
            };
            if let Some((code, reason)) = close {
                let close = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = sink.send(Message::Close(Some(close))).await;
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Close frame's reason is at most 123 bytes (RFC 6455 §5.5): each one said, in
    /// each language, fits.
    #[test]
    fn close_reasons_fit_a_close_frame() {
        let refusals = [
            AuthError::MalformedHeader,
            AuthError::InvalidAccessToken,
            AuthError::ExpiredAccessToken,
            AuthError::RefreshTokenAsAccess,
            AuthError::InvalidApiToken,
            AuthError::Database(sea_orm::DbErr::Custom("down".into())),
        ]
        .iter()
        .map(AuthError::message)
        .chain([
            Text::TokenSessionEnded.into(),
            Text::ServerStopping.into(),
            Text::MessageTooBig {
                max: usize::MAX.to_string(),
            }
            .into(),
        ])
        .collect::<Vec<Said>>();
        for message in refusals {
            for language in Language::ALL {
                // Whole, with the longest `reason` a refusal starts with.
                let said = format!("TOKEN_EXPIRED: {}", message.say(language));
                assert!(said.len() <= 123, "{} bytes: {said}", said.len());
            }
        }
        let long = "é".repeat(100);
        let cut = close_reason(Some("TOKEN_INVALID"), &long);
        assert!(
            cut.len() <= 123 && cut.starts_with("TOKEN_INVALID: é"),
            "{cut}"
        );
    }

    #[tokio::test]
    async fn a_timeout_past_the_clock_is_a_far_deadline_not_a_panic() {
        let far = deadline_after(Duration::MAX);
        assert!(far > Instant::now() + Duration::from_secs(365 * 24 * 3600));
        let near = deadline_after(Duration::from_millis(5));
        assert!(near <= Instant::now() + Duration::from_millis(5));
    }
}
