use std::time::{Duration, Instant};

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::app::App;

/// Liveness: the process answers.
pub async fn health() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// How long a "not ready" answer is reused: while the database hangs, health checks from
/// several load balancers (or a retrying one) cost one timeout a second at most instead
/// of piling up. A "ready" answer is not reused, since a working database answers at once.
const NOT_READY_CACHE: Duration = Duration::from_secs(1);

/// Readiness: the database answers on both pools (read-write and read-only) within
/// `READY_TIMEOUT_MS`; 503 otherwise, so a load balancer stops sending. A database that hangs (down, unreachable, out of connections)
/// costs the check its timeout, not the database driver's own, longer one.
pub async fn ready(State(app): State<App>) -> impl IntoResponse {
    let state = &app.state;
    let mut failed = state.readiness.0.lock().await;
    let ready = match *failed {
        Some(at) if at.elapsed() < NOT_READY_CACHE => false,
        _ => {
            // Both pools: a query needs the read-only one as a mutation the other.
            let pings = async {
                futures_util::try_join!(state.db.ping(), state.read_only.ping()).map(|_| ())
            };
            let ready = match tokio::time::timeout(state.config.ready_timeout, pings).await {
                Ok(Ok(())) => true,
                Ok(Err(err)) => {
                    tracing::warn!(error = %err, "not ready: database unreachable");
                    false
                }
                Err(_) => {
                    tracing::warn!(
                        timeout_ms = state.config.ready_timeout.as_millis() as u64,
                        "not ready: the database did not answer in time"
                    );
                    false
                }
            };
            *failed = (!ready).then(Instant::now);
            ready
        }
    };
    if ready {
        (StatusCode::OK, Json(json!({ "status": "ready" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "reason": "database unreachable" })),
        )
    }
}
