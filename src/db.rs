//! Connecting to SQLite (embedded default) or PostgreSQL, and applying migrations.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Counts every SQL statement sent, so tests and `/metrics` can prove that request cost
/// does not grow with row counts.
#[derive(Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

tokio::task_local! {
    /// The statements sent by the request running in this task.
    static REQUEST_STATEMENTS: std::cell::Cell<u64>;
}

/// Runs `work` and counts the SQL statements it sends (for `/metrics`). A request runs in
/// one task (our DataLoader batches without spawning), so a task-local counter sees
/// exactly its own statements, whatever other requests do at the same time.
pub async fn count_statements<F: std::future::Future>(work: F) -> (F::Output, u64) {
    REQUEST_STATEMENTS
        .scope(std::cell::Cell::new(0), async move {
            let output = work.await;
            (output, REQUEST_STATEMENTS.with(|count| count.get()))
        })
        .await
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Creates the folder of a SQLite file, so that the default `./data/gateway.db` works on
/// a fresh checkout.
fn ensure_sqlite_folder(url: &str) -> std::io::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    match std::path::Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

/// How long PostgreSQL lets a session sit idle inside a transaction before ending it.
pub const IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

pub async fn connect(
    config: &Config,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, DbErr> {
    let url = &config.database_url;
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.db_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings a connection on every checkout by default: a round trip per
        // statement. Only a connection idle long enough to have been dropped (by the
        // server, a proxy or a firewall) is pinged; a broken busy one fails its statement.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false);
    if is_sqlite(url) {
        ensure_sqlite_folder(url)
            .map_err(|e| DbErr::Custom(format!("cannot create the SQLite folder: {e}")))?;
        // WAL lets readers work during a write; the busy timeout makes concurrent writers
        // queue instead of failing; SQLite enforces foreign keys only when asked.
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    }
    if !is_sqlite(url) {
        // A session left inside a transaction (a stuck or killed client of the pool)
        // would hold its row locks, and a job's wallet locks, for good: PostgreSQL ends it.
        options.map_sqlx_postgres_opts(|opts| {
            opts.options([(
                "idle_in_transaction_session_timeout",
                IDLE_IN_TRANSACTION_TIMEOUT,
            )])
        });
    }
    let mut db = Database::connect(options).await?;
    let counter = counter.0.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
        let _ = REQUEST_STATEMENTS.try_with(|count| count.set(count.get() + 1));
    });
    Ok(db)
}

/// The PostgreSQL advisory lock that one migrating process holds at a time: any number
/// of replicas and `gateway migrate` processes may start together ("lgw-migr" in ASCII).
const MIGRATION_LOCK: i64 = 0x6c67_772d_6d69_6772;

/// Applies the pending migrations, one process at a time. On PostgreSQL the process holds
/// an advisory lock on a session of its own while it migrates, so that a second one waits
/// and then finds nothing to do; the lock ends with that session, so a killed process
/// cannot keep it. (SQLite is one process's embedded database.) A database migrated by a
/// newer release is refused before anything is applied.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    migrate_then(db, async || Ok::<_, DbErr>(())).await
}

/// [`migrate`], then `then` (loading the demo data into a new database) under the same
/// lock: replicas started together on a new database would otherwise each find it empty
/// and load the demo data twice.
pub async fn migrate_then<T, E: From<DbErr>>(
    db: &DatabaseConnection,
    then: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<T, E> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        migrate_now(db).await?;
        return then().await;
    }
    use sea_orm::sqlx::{Connection, PgConnection};
    let lock_error = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("migration lock: {e}"));
    let options = db.get_postgres_connection_pool().connect_options();
    let mut holder = PgConnection::connect_with(&options)
        .await
        .map_err(lock_error)?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut holder)
        .await
        .map_err(lock_error)?;
    let done = match migrate_now(db).await {
        Ok(()) => then().await,
        Err(err) => Err(err.into()),
    };
    // Ending the session releases the lock whatever the work did.
    let released = holder.close().await.map_err(lock_error);
    let done = done?;
    released?;
    Ok(done)
}

async fn migrate_now(db: &DatabaseConnection) -> Result<(), DbErr> {
    refuse_a_newer_schema(db).await?;
    Migrator::up(db, None).await
}

/// Refuses a database holding a migration this binary does not have: a newer release
/// migrated it, and this one would misread its schema.
async fn refuse_a_newer_schema(db: &DatabaseConnection) -> Result<(), DbErr> {
    let known: std::collections::HashSet<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let unknown: Vec<String> = Migrator::get_migration_models(db)
        .await?
        .into_iter()
        .map(|m| m.version)
        .filter(|version| !known.contains(version))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(DbErr::Custom(format!(
        "this database was migrated by a newer release ({}): this release does not know \
         its schema and will not start on it; run that release or a newer one",
        unknown.join(", ")
    )))
}
