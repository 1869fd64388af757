use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::app::App;

/// Liveness: the process answers.
pub async fn health() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the database answers; 503 otherwise, so a load balancer stops sending.
pub async fn ready(State(app): State<App>) -> impl IntoResponse {
    match app.state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ready" }))),
        Err(err) => {
            tracing::warn!(error = %err, "not ready: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "reason": "database unreachable" })),
            )
        }
    }
}

/// Counters in the Prometheus text format: how many SQL statements this process has sent
/// (the benchmark reads it around one request to report statements per request).
pub async fn metrics(State(app): State<App>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        format!(
            "# HELP gateway_sql_statements_total SQL statements sent to the database.\n# TYPE gateway_sql_statements_total counter\ngateway_sql_statements_total {}\n",
            app.state.statements.get()
        ),
    )
}
