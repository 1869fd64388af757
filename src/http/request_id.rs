//! Every request gets an id: taken from a well-formed `x-request-id` (so a load
//! balancer's id carries through) or made fresh. It is in every log line of the request,
//! in the response header, and in INTERNAL errors.

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// What a GraphQL request did, for its log line: its handler leaves it in the response's
/// extensions, and [`assign`] writes one line per request with it.
#[derive(Debug, Clone)]
pub struct Served {
    /// The operation's name (as in the metrics), or `batch`.
    pub operation: String,
    /// Who called: `anonymous`, or the role and user id (`CLIENT:3`), with the API token's
    /// id when it was one (`ADMIN:1/token:4`).
    pub caller: String,
    /// SQL statements it sent.
    pub statements: u64,
}

fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path());
    let started = std::time::Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let served = response.extensions_mut().remove::<Served>();
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            operation = served.as_ref().map(|s| s.operation.as_str()),
            caller = served.as_ref().map(|s| s.caller.as_str()),
            statements = served.as_ref().map(|s| s.statements),
            "served"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}
