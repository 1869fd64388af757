//! `GET /metrics`: the registry of [`crate::metrics`], in Prometheus' text format.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{app::App, metrics::pool_state};

pub async fn metrics(State(app): State<App>) -> Response {
    let pool = pool_state(&app.state.db, app.state.config.db_max_connections);
    let mut response = app.state.metrics.render(pool).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
