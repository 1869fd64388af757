//! The HTTP surface: GraphQL over HTTP and WebSocket, the documents and exports beside
//! it, the playground, health checks and metrics.

mod client_address;
mod cors;
mod documents;
mod exports;
mod graphql;
mod health;
mod metrics;
pub mod playground;
mod request_id;
mod text;
mod ws;

use axum::{Router, extract::DefaultBodyLimit, middleware, routing::get};

use crate::app::App;

pub use client_address::ClientAddress;
pub use request_id::RequestId;

pub fn router(app: App) -> Router {
    let body_limit = app.state.config.limits.max_body_bytes;
    let vendor = playground::vendor_service(&app.state.config.playground_dir);
    let operations = playground::operations_service(&app.state.config.playground_dir);
    // What a web front end on another origin calls, behind CORS.
    let cross_origin = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/documents/invoices/{file}", get(documents::invoice_pdf))
        .route("/exports/transactions.csv", get(exports::transactions_csv))
        .layer(cors::layer(&app.state.config.cors_origins));
    Router::new()
        .merge(cross_origin)
        .route("/graphql/ws", get(ws::upgrade))
        .route("/playground", get(playground::page))
        .route("/favicon.ico", get(playground::favicon))
        .nest_service("/playground/vendor", vendor)
        .nest_service("/playground/operations", operations)
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .route("/metrics", get(metrics::metrics))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            client_address::assign,
        ))
        .layer(middleware::from_fn(request_id::assign))
        .with_state(app)
}
