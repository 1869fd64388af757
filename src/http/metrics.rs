//! `GET /metrics`: the registry of [`crate::metrics`], in Prometheus' text format.

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{
    app::App,
    metrics::{PoolState, pool_state},
};

pub async fn metrics(State(app): State<App>) -> Response {
    let state = &app.state;
    let sizes = state.config.pool_sizes();
    let pools: Vec<(&str, PoolState)> = [
        ("read_write", pool_state(&state.db, sizes.read_write)),
        ("read_only", pool_state(&state.read_only, sizes.read_only)),
    ]
    .into_iter()
    .filter_map(|(name, pool)| Some((name, pool?)))
    .collect();
    let mut response = state.metrics.render(&pools).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
