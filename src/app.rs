//! The application: its state with the schemas built over it, and how it starts.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    config::Config,
    db::{self, StatementCounter},
    events::Events,
    graphql::{self, Schemas},
    persisted::PersistedDocuments,
    seed,
    state::AppState,
    workers::Workers,
};

/// A ready application: state plus the schemas built over it.
#[derive(Clone)]
pub struct App {
    pub state: AppState,
    pub schemas: Schemas,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("demo data: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("listening for events from other replicas: {0}")]
    Events(#[from] sea_orm::sqlx::Error),
    #[error("starting the threads that run operations: {0}")]
    Workers(#[from] std::io::Error),
    #[error("persisted documents: {0}")]
    Persisted(#[from] crate::persisted::ManifestError),
    #[error("opening books: {0}")]
    Books(#[from] crate::domain::DomainError),
}

impl App {
    /// Builds the state and schema over an open read-write pool (and a read-only pool
    /// beside it, which connects when first used), with events for this process'
    /// subscribers only.
    pub async fn new(
        config: Config,
        db: DatabaseConnection,
        statements: StatementCounter,
    ) -> Result<Self, StartError> {
        let read_only = db::connect_read_only(&config, &db, &statements).await?;
        Self::with_events(config, db, read_only, statements, Events::default())
    }

    /// Builds the state and schema over the two pools and an event bus.
    fn with_events(
        config: Config,
        db: DatabaseConnection,
        read_only: DatabaseConnection,
        statements: StatementCounter,
        events: Events,
    ) -> Result<Self, StartError> {
        let auth = config.auth_settings();
        // A semaphore panics past MAX_PERMITS (about 2^61): past it is "no limit" anyway.
        let places = |n: usize| {
            Arc::new(tokio::sync::Semaphore::new(
                n.min(tokio::sync::Semaphore::MAX_PERMITS),
            ))
        };
        let executions = places(config.limits.max_concurrent);
        let ws_connections = places(config.limits.max_ws_connections);
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let persisted = Arc::new(match &config.persisted_documents {
            Some(path) => PersistedDocuments::from_manifest(path, config.persisted_documents_only)?,
            None => PersistedDocuments::learning(),
        });
        let state = AppState {
            db,
            read_only,
            auth: Arc::new(auth),
            config: Arc::new(config),
            statements,
            events,
            metrics: Arc::default(),
            shutdown: Default::default(),
            readiness: Default::default(),
            persisted,
            executions,
            ws_connections,
            workers: Workers::new(cpus)?,
        };
        let schemas = graphql::build_schemas(state.clone(), &state.config);
        Ok(Self { state, schemas })
    }

    /// Connects, migrates, and loads the demo data into a new database outside production.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        let statements = StatementCounter::default();
        let db = db::connect(&config, &statements).await?;
        db::migrate_then(&db, async || {
            if !config.is_production() && seed::is_empty(&db).await? {
                seed::seed_demo(&db, &config).await?;
                tracing::info!("new database: demo data loaded");
            }
            // Reads never write: every driver and organization needs its book before
            // reading it (books now open with sessions; these predate that).
            let opened = crate::domain::books::open_missing_books(&db, config.clock.now()).await?;
            if opened > 0 {
                tracing::info!(
                    opened,
                    "books opened for users and organizations without one"
                );
            }
            Ok::<_, StartError>(())
        })
        .await?;
        // The read-only pool connects at once, so that a database that refuses its
        // sessions' option stops the start rather than the first query.
        let read_only = db::connect_read_only(&config, &db, &statements).await?;
        read_only.ping().await?;
        let events = Events::for_database(&db).await?;
        let app = Self::with_events(config, db, read_only, statements, events)?;
        let jwt = &app.state.auth.jwt;
        jwt.ended().load(&app.state.db, jwt.ttl()).await?;
        app.state.listen_for_access_ends();
        Ok(app)
    }
}
