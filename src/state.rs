//! What every request may use, shared by the HTTP layer, the schemas and the jobs. Apart
//! from [`crate::app`], which builds the schemas over it, so that the schemas can hold it
//! without depending on what builds them.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::AuthSettings,
    config::Config,
    db::StatementCounter,
    domain::commons::Id,
    entities::user,
    events::{AccessEnded, Event, Events},
    metrics::Metrics,
    shutdown::Shutdown,
    workers::Workers,
};

/// Everything a request may use; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The read-write pool: mutations, subscriptions' setup, jobs, authentication.
    pub db: DatabaseConnection,
    /// The read-only pool, whose connections the database keeps from writing: every
    /// statement of a query operation goes through it (`ContextExt::db`, the loaders of
    /// a query), so that a query that tried to write would fail instead.
    pub read_only: DatabaseConnection,
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
    /// `/ready`'s last failure, shared by the health checks that arrive together.
    pub readiness: Arc<Readiness>,
    /// Documents known by hash (persisted queries, the manifest).
    pub persisted: Arc<crate::persisted::PersistedDocuments>,
}

/// When the last readiness check failed (`None` when it passed). Held while a check runs,
/// so that checks arriving meanwhile wait for its answer instead of each trying the
/// database on its own.
#[derive(Default)]
pub struct Readiness(pub tokio::sync::Mutex<Option<std::time::Instant>>);

impl AppState {
    /// Voids `user`'s access tokens issued up to their `access_ended_at`: at once on this
    /// replica (before the mutation that ended them answers), and on the others through
    /// the event bus. Nothing when their access never ended.
    pub fn announce_access_end(&self, user: &user::Model) {
        let Some(ended) = AccessEnded::of(user) else {
            return;
        };
        let jwt = &self.auth.jwt;
        jwt.ended().record(Id::new(user.id), ended.at, jwt.ttl());
        self.events.publish([Event::AccessEnded(ended)]);
    }

    /// Records in this replica's `auth::EndedAccess` every access end announced by any
    /// replica, for as long as the runtime runs.
    pub fn listen_for_access_ends(&self) {
        let mut heard = self.events.subscribe_access_ended();
        let auth = self.auth.clone();
        tokio::spawn(async move {
            loop {
                match heard.recv().await {
                    Ok(event) => {
                        auth.jwt
                            .ended()
                            .record(Id::new(event.user_id), event.at, auth.jwt.ttl())
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
    }
}
