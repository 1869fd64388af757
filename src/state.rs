//! What every request may use, shared by the HTTP layer, the schemas and the jobs. Apart
//! from [`crate::app`], which builds the schemas over it, so that the schemas can hold it
//! without depending on what builds them.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::AuthSettings, config::Config, db::StatementCounter, events::Events, metrics::Metrics,
    shutdown::Shutdown, workers::Workers,
};

/// Everything a request may use; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub auth: Arc<AuthSettings>,
    pub config: Arc<Config>,
    pub statements: StatementCounter,
    pub events: Events,
    pub metrics: Arc<Metrics>,
    /// Tells WebSocket connections to close when the server stops.
    pub shutdown: Shutdown,
    /// Turns for executing an operation, over HTTP or WebSocket
    /// (`LIMIT_CONCURRENT_REQUESTS`).
    pub executions: Arc<tokio::sync::Semaphore>,
    /// Places for WebSocket connections (`LIMIT_WS_CONNECTIONS`).
    pub ws_connections: Arc<tokio::sync::Semaphore>,
    /// The threads operations run on, apart from those that answer HTTP.
    pub workers: Workers,
}
