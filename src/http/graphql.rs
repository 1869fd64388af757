//! GraphQL over HTTP, as its spec says: POST with a JSON body (415 otherwise, 400 for
//! unparsable JSON, 413 past the body limit), GET for queries only (405 with
//! `Allow: POST` for a mutation), and `application/graphql-response+json` for clients
//! that accept it.

use std::{net::IpAddr, time::Instant};

use async_graphql::{BatchRequest, BatchResponse, ServerError, parser::types::OperationType};
use axum::{
    body::{Body, Bytes},
    extract::{Extension, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;

use super::{
    client_address::ClientAddress,
    request_id::{RequestId, Served},
    text::Text,
};
use crate::{
    app::App,
    auth::{self, AuthError, Credential, Viewer},
    db,
    domain::{Language, error::database_unavailable},
    graphql::{
        commons::{
            ErrorCode, RequestContext, Speaking, errors::say_errors, limits::check_text,
            text::Text as Said,
        },
        fast,
    },
    metrics::{self, Outcome},
    persisted::{NOT_FOUND_MESSAGE, Refusal},
};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// What a GraphQL request's body looks like, as a refusal shows it.
const REQUEST_SHAPE: &str =
    r#"{"query": "<document>", "variables": {...}, "operationName": "<name>"}"#;

/// Which media type the client gets back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// Legacy `application/json`: 200 for every well-formed request.
    Json,
    /// `application/graphql-response+json`: 4xx when the request failed before execution.
    GraphqlResponse,
}

/// How the client is answered: the media type, and the language of a refusal before the
/// caller is known (the one `Accept-Language` asks for, else English).
#[derive(Clone, Copy)]
struct Media {
    format: Format,
    language: Language,
}

fn negotiate(headers: &HeaderMap) -> Media {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = if accept.contains(GRAPHQL_RESPONSE_JSON) {
        Format::GraphqlResponse
    } else {
        Format::Json
    };
    let language = accept_language(headers)
        .and_then(Language::negotiate)
        .unwrap_or_default();
    Media { format, language }
}

/// The request's `Accept-Language`, when readable.
pub(super) fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

fn content_type(media: Media) -> HeaderValue {
    HeaderValue::from_static(match media.format {
        Format::Json => "application/json; charset=utf-8",
        Format::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
    })
}

/// A response that carries only errors (the request never reached execution), said in
/// the language of `media`.
fn error_response(status: StatusCode, media: Media, mut errors: Vec<ServerError>) -> Response {
    // No `data` key: the request never reached execution (the spec's words).
    #[derive(serde::Serialize)]
    struct Refused {
        errors: Vec<ServerError>,
    }
    say_errors(&mut errors, media.language);
    let mut response = (status, json_bytes(&Refused { errors })).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type(media));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    response
}

/// How the request came: only a GET can be served from an HTTP cache.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

const NO_STORE: &str = "no-store";

/// The `Cache-Control` of an executed request. async-graphql merges the `cache_control`
/// of every type and field the operation selected (the shortest `max_age`, private if any
/// part is); that policy is used only for an anonymous GET that produced no error. A
/// logged-in caller's response may hold their own data (`me`, or fields unmarked and
/// therefore neutral in the merge), so it is never stored, and neither is an error.
fn cache_control(result: &BatchResponse, method: Method, authenticated: bool) -> String {
    let failed = match result {
        BatchResponse::Single(response) => response.is_err(),
        BatchResponse::Batch(responses) => responses.iter().any(|r| r.is_err()),
    };
    let policy = result.cache_control();
    if method != Method::Get || authenticated || failed || policy.max_age <= 0 {
        return NO_STORE.to_string();
    }
    let scope = if policy.public { "public" } else { "private" };
    format!("{scope}, max-age={}", policy.max_age)
}

fn json_bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| br#"{"errors":[{"message":"response serialization failed","extensions":{"code":"INTERNAL"}}]}"#.to_vec())
}

/// Resolves the caller from `Authorization`; no header means anonymous.
async fn viewer(
    app: &App,
    headers: &HeaderMap,
    request_id: &str,
    media: Media,
) -> Result<Option<Viewer>, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Ok(value) = value.to_str() else {
        return Err(unauthenticated(media, &AuthError::MalformedHeader));
    };
    match auth::authenticate(value, &app.state.auth.jwt, &app.state.db).await {
        Ok(viewer) => Ok(Some(viewer)),
        Err(AuthError::Database(err)) if database_unavailable(&err) => {
            tracing::warn!(request_id, error = %err, "the database did not answer");
            let error = ErrorCode::Unavailable.server_error(Said::Unavailable);
            let mut response = error_response(StatusCode::SERVICE_UNAVAILABLE, media, vec![error]);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            Err(response)
        }
        Err(AuthError::Database(err)) => {
            tracing::error!(request_id, error = %err, "database error while authenticating");
            let error = ErrorCode::Internal.server_error(Said::Internal {
                request_id: request_id.to_string(),
            });
            Err(error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                vec![error],
            ))
        }
        Err(err) => Err(unauthenticated(media, &err)),
    }
}

/// 401 with `extensions.reason` (TOKEN_EXPIRED: refresh; TOKEN_INVALID: log in again)
/// and the RFC 6750 challenge that says the same to HTTP tooling. The body's message is
/// said in the language asked; the challenge's `error_description`, a header value, stays
/// ASCII: it is in English.
fn unauthenticated(media: Media, err: &AuthError) -> Response {
    let mut error = ErrorCode::Unauthenticated.server_error(err.message());
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("reason", err.reason());
    let mut response = error_response(StatusCode::UNAUTHORIZED, media, vec![error]);
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, bearer_challenge(Some(err)));
    response
}

/// The RFC 6750 challenge of a 401 (`/graphql` and `/documents/...` alike): `Bearer`
/// alone when no credentials came; else the error, `invalid_request` for a malformed
/// header and `invalid_token` otherwise, with its description in English (a header is
/// ASCII; the body says it in the caller's language).
pub(super) fn bearer_challenge(err: Option<&AuthError>) -> HeaderValue {
    let Some(err) = err else {
        return HeaderValue::from_static("Bearer");
    };
    let kind = match err {
        AuthError::MalformedHeader => "invalid_request",
        _ => "invalid_token",
    };
    // A quoted-string holds no `"` nor `\`; our messages have neither.
    let challenge = format!(
        "Bearer error=\"{kind}\", error_description=\"{}\"",
        err.message().english().replace(['"', '\\'], "'")
    );
    HeaderValue::from_str(&challenge).unwrap_or_else(|_| HeaderValue::from_static("Bearer"))
}

#[allow(clippy::too_many_arguments)]
async fn execute(
    app: &App,
    viewer: Option<Viewer>,
    headers: &HeaderMap,
    ip: Option<IpAddr>,
    request_id: String,
    media: Media,
    method: Method,
    batch: BatchRequest,
) -> Response {
    let limits = &app.state.config.limits;
    let size = batch.iter().count();
    if size == 0 {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            vec![ErrorCode::BadRequest.server_error(Text::EmptyBatch)],
        );
    }
    if size > limits.max_batch {
        let error = ErrorCode::BatchTooLarge.server_error(Text::BatchTooLarge {
            max: limits.max_batch.to_string(),
            size: size.to_string(),
        });
        return error_response(StatusCode::BAD_REQUEST, media, vec![error]);
    }
    let operation = match &batch {
        BatchRequest::Single(request) => {
            metrics::operation_label(request.operation_name.as_deref(), &request.query)
        }
        BatchRequest::Batch(_) => "batch".to_string(),
    };
    let caller = caller(viewer.as_ref());
    let speaking = Speaking::asked(accept_language(headers));
    let started = Instant::now();
    let timeout = limits.timeout;
    // Everything from here to the body's bytes runs on the operations' threads, so that
    // no operation, however costly, holds the threads that answer `/health`.
    let executed = app.state.workers.run({
        let app = app.clone();
        async move {
            let request = RequestContext {
                viewer,
                request_id,
                expires_at: None,
                client_address: ip,
                speaking,
            };
            // Waiting for a turn counts against the timeout: a saturated server answers
            // REQUEST_TIMEOUT rather than queueing without end. Dropping the execution
            // future on timeout drops any open database transaction with it, which rolls
            // it back.
            let turn_then_execution = async {
                let _turn = app.state.executions.acquire().await;
                let limits = &app.state.config.limits;
                fast::execute(&app.schemas, &app.state, limits, &request, batch).await
            };
            let (result, statements) =
                db::count_statements(tokio::time::timeout(timeout, turn_then_execution)).await;
            let Ok(executed) = result else {
                tracing::warn!(
                    request_id = request.request_id.as_str(),
                    timeout_ms = timeout.as_millis() as u64,
                    "request timed out"
                );
                return (None, statements);
            };
            let status =
                if media.format == Format::GraphqlResponse && executed.failed_before_execution() {
                    StatusCode::BAD_REQUEST
                } else {
                    StatusCode::OK
                };
            let failed = match executed.response() {
                BatchResponse::Single(response) => response.is_err(),
                BatchResponse::Batch(responses) => responses.iter().any(|r| r.is_err()),
            };
            let cache = cache_control(executed.response(), method, request.viewer.is_some());
            let body = executed.into_body();
            (
                Some(Answer {
                    status,
                    failed,
                    cache,
                    body,
                }),
                statements,
            )
        }
    });
    let (answer, statements) = executed.await;
    let record = |outcome| {
        let elapsed = started.elapsed();
        app.state
            .metrics
            .record(operation.clone(), outcome, elapsed, statements);
    };
    let served = Served {
        operation: operation.clone(),
        caller,
        statements,
    };
    let Some(Answer {
        status,
        failed,
        cache,
        body,
    }) = answer
    else {
        record(Outcome::Timeout);
        let error = timed_out(timeout);
        let status = if media.format == Format::GraphqlResponse {
            StatusCode::GATEWAY_TIMEOUT
        } else {
            StatusCode::OK
        };
        let mut response = error_response(status, media, vec![error]);
        response.extensions_mut().insert(served);
        return response;
    };
    record(if failed { Outcome::Error } else { Outcome::Ok });
    let mut response = (status, body).into_response();
    response.extensions_mut().insert(served);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type(media));
    if let Ok(value) = HeaderValue::from_str(&cache) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    // A shared cache must not hand an anonymous answer to a logged-in caller, whose
    // answer may differ (their organization, their data).
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    response
}

/// The caller as the request's log line names it.
fn caller(viewer: Option<&Viewer>) -> String {
    let Some(viewer) = viewer else {
        return "anonymous".into();
    };
    let role = auth::jwt::role_name(viewer.role);
    match &viewer.credential {
        Credential::AccessToken { .. } => format!("{role}:{}", viewer.user_id.get()),
        Credential::ApiToken { token_id } => {
            format!("{role}:{}/token:{}", viewer.user_id.get(), token_id.get())
        }
    }
}

/// An executed request, ready to send.
struct Answer {
    status: StatusCode,
    failed: bool,
    cache: String,
    body: Vec<u8>,
}

/// The error of an operation cancelled at `timeout` (HTTP and WebSocket alike).
pub(super) fn timed_out(timeout: std::time::Duration) -> ServerError {
    ErrorCode::RequestTimeout.server_error(Text::TimedOut {
        ms: timeout.as_millis().to_string(),
    })
}

/// Why a body was not read.
enum BodyRefusal {
    /// Larger than the caller's limit.
    TooLarge,
    Unreadable(axum::Error),
}

/// The body, read up to `limit` bytes: a `Content-Length` past it is refused before any
/// byte is read, and a body that grows past it while read is dropped there.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, BodyRefusal> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyRefusal::TooLarge);
    }
    let mut stream = body.into_data_stream();
    let mut read = Vec::with_capacity(declared.map_or(0, |l| l as usize));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(BodyRefusal::Unreadable)?;
        if read.len() + chunk.len() > limit {
            return Err(BodyRefusal::TooLarge);
        }
        read.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(read))
}

/// The body limit of a caller: `LIMIT_BODY_BYTES` for anyone, and the larger
/// `LIMIT_AUTHENTICATED_BODY_BYTES` once the credentials are checked, for the files a
/// logged-in caller sends (a 10,000-line bank statement is a few megabytes). The
/// credentials are therefore checked before the body is read: a request with a body
/// larger than the anonymous limit is read only for a known caller.
fn body_limit(app: &App, viewer: Option<&Viewer>) -> usize {
    let limits = &app.state.config.limits;
    match viewer {
        Some(_) => limits
            .max_authenticated_body_bytes
            .max(limits.max_body_bytes),
        None => limits.max_body_bytes,
    }
}

pub async fn post(
    State(app): State<App>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(ClientAddress(ip)): Extension<ClientAddress>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let media = negotiate(&headers);
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.essence_str() == "application/json");
    if !is_json {
        let error = ErrorCode::BadRequest.server_error(Text::SendJson);
        return error_response(StatusCode::UNSUPPORTED_MEDIA_TYPE, media, vec![error]);
    }
    let viewer = match viewer(&app, &headers, &request_id, media).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    let limit = body_limit(&app, viewer.as_ref());
    let body = match read_body(&headers, body, limit).await {
        Ok(body) => body,
        Err(BodyRefusal::TooLarge) => {
            let error = ErrorCode::PayloadTooLarge.server_error(Text::BodyTooLarge {
                max: limit.to_string(),
            });
            return error_response(StatusCode::PAYLOAD_TOO_LARGE, media, vec![error]);
        }
        Err(BodyRefusal::Unreadable(err)) => {
            let error = ErrorCode::BadRequest.server_error(Text::BodyUnreadable {
                why: err.to_string(),
            });
            return error_response(StatusCode::BAD_REQUEST, media, vec![error]);
        }
    };
    let mut batch = match parse_body(&body) {
        Ok(batch) => batch,
        Err(err) => {
            let error = ErrorCode::BadRequest.server_error(Text::NotAGraphqlRequest {
                shape: REQUEST_SHAPE.to_string(),
                why: err.to_string(),
            });
            return error_response(StatusCode::BAD_REQUEST, media, vec![error]);
        }
    };
    for request in batch.iter_mut() {
        if let Err(refusal) = app.state.persisted.resolve(request) {
            return persisted_refusal(media, refusal);
        }
    }
    // A misspelt key (`qeury`) leaves the document empty: say so rather than report a
    // syntax error in a document the client did not mean to send.
    if batch.iter().any(|request| request.query.trim().is_empty()) {
        let error = ErrorCode::BadRequest.server_error(Text::NoQuery);
        return error_response(StatusCode::BAD_REQUEST, media, vec![error]);
    }
    execute(
        &app,
        viewer,
        &headers,
        ip,
        request_id,
        media,
        Method::Post,
        batch,
    )
    .await
}

/// A persisted document refused or unknown, with Apollo's codes: 400, except the
/// `PERSISTED_QUERY_NOT_FOUND` of `application/json`, answered 200 as Apollo's clients
/// expect before they send the text.
fn persisted_refusal(media: Media, refusal: Refusal) -> Response {
    let status = if refusal == Refusal::NotFound && media.format == Format::Json {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let error = match refusal {
        Refusal::NotFound => {
            // Not a sentence of a catalogue: the same words in every language, those
            // Apollo's clients look for.
            let mut error = ServerError::new(NOT_FOUND_MESSAGE, None);
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::PersistedQueryNotFound.as_str());
            error
        }
        Refusal::NotInList => {
            ErrorCode::PersistedQueryNotInList.server_error(crate::persisted::Text::NotInList)
        }
        Refusal::NotInSafelist => {
            ErrorCode::QueryNotInSafelist.server_error(crate::persisted::Text::NotInSafelist)
        }
        Refusal::Malformed(why) => ErrorCode::BadRequest.server_error(why),
    };
    error_response(status, media, vec![error])
}

/// A JSON array is a batch (an empty one is refused as such), anything else one request.
/// Deciding by the first character keeps serde from reading `[]` as a request whose
/// fields all took their defaults.
fn parse_body(body: &[u8]) -> serde_json::Result<BatchRequest> {
    let is_array = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'[');
    if is_array {
        serde_json::from_slice(body).map(BatchRequest::Batch)
    } else {
        serde_json::from_slice(body).map(BatchRequest::Single)
    }
}

#[derive(serde::Deserialize)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

pub async fn get(
    State(app): State<App>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    Extension(ClientAddress(ip)): Extension<ClientAddress>,
    headers: HeaderMap,
    params: Result<Query<GetParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let media = negotiate(&headers);
    let bad = |message: Text| {
        error_response(
            StatusCode::BAD_REQUEST,
            media,
            vec![ErrorCode::BadRequest.server_error(message)],
        )
    };
    let Ok(Query(params)) = params else {
        return bad(Text::MalformedQueryString);
    };
    let mut request = async_graphql::Request::new(params.query.unwrap_or_default());
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        match serde_json::from_str(&variables) {
            Ok(vars) => request = request.variables(async_graphql::Variables::from_json(vars)),
            Err(err) => {
                return bad(Text::VariablesNotJson {
                    why: err.to_string(),
                });
            }
        }
    }
    if let Some(extensions) = params.extensions {
        match serde_json::from_str(&extensions) {
            Ok(ext) => request.extensions = ext,
            Err(err) => {
                return bad(Text::ExtensionsNotJson {
                    why: err.to_string(),
                });
            }
        }
    }
    // A persisted document comes as its hash alone: GET can then be cached by URL.
    if let Err(refusal) = app.state.persisted.resolve(&mut request) {
        return persisted_refusal(media, refusal);
    }
    if request.query.trim().is_empty() {
        return bad(Text::NoQueryParameter);
    }
    // The limits first: parsing text they refuse could cost more than answering it.
    let within_limits = check_text(&request.query, &app.state.config.limits).is_ok();
    if within_limits && is_mutation(&request.query, request.operation_name.as_deref()) {
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            vec![ErrorCode::BadRequest.server_error(Text::MutationsNeedPost)],
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let viewer = match viewer(&app, &headers, &request_id, media).await {
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    execute(
        &app,
        viewer,
        &headers,
        ip,
        request_id,
        media,
        Method::Get,
        BatchRequest::Single(request),
    )
    .await
}

/// True when the operation a GET would run is a mutation. Unparsable queries are left to
/// the executor, which reports them properly.
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    doc.operations.iter().any(|(name, op)| {
        let selected = match operation_name {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        };
        selected && op.node.ty == OperationType::Mutation
    })
}
