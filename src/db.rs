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
/// does not grow with row counts; and, apart, those sent through the read-only pool.
#[derive(Clone, Default)]
pub struct StatementCounter {
    all: Arc<AtomicU64>,
    read_only: Arc<AtomicU64>,
}

impl StatementCounter {
    /// Statements sent through either pool.
    pub fn get(&self) -> u64 {
        self.all.load(Ordering::Relaxed)
    }

    /// Statements sent through the read-only pool.
    pub fn read_only(&self) -> u64 {
        self.read_only.load(Ordering::Relaxed)
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

/// Which pool a connection belongs to: the read-write one (mutations, subscriptions'
/// setup, jobs, authentication, commands) or the read-only one (query operations), whose
/// connections the database itself keeps from writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// The settings both pools share, for `max` connections.
fn pool_options(url: &str, max: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings a connection on every checkout by default: a round trip per
        // statement. Only a connection idle long enough to have been dropped (by the
        // server, a proxy or a firewall) is pinged; a broken busy one fails its statement.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false);
    options
}

/// Counts the statements `db` sends into `counter` (and the request's own count).
fn count_statements_of(db: &mut DatabaseConnection, counter: &StatementCounter, access: Access) {
    let all = counter.all.clone();
    let read_only = (access == Access::ReadOnly).then(|| counter.read_only.clone());
    db.set_metric_callback(move |_| {
        all.fetch_add(1, Ordering::Relaxed);
        if let Some(read_only) = &read_only {
            read_only.fetch_add(1, Ordering::Relaxed);
        }
        let _ = REQUEST_STATEMENTS.try_with(|count| count.set(count.get() + 1));
    });
}

/// The read-write pool, of the read-write share of `DATABASE_MAX_CONNECTIONS`
/// ([`Config::pool_sizes`]); [`connect_read_only`] opens the other pool beside it.
pub async fn connect(
    config: &Config,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, DbErr> {
    let url = &config.database_url;
    let mut options = pool_options(url, config.pool_sizes().read_write);
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
    count_statements_of(&mut db, counter, Access::ReadWrite);
    Ok(db)
}

/// The read-only pool beside `read_write` (from [`connect`]), of the read-only share of
/// `DATABASE_MAX_CONNECTIONS`: the same database with the same connection settings, each
/// connection told by the database to refuse any write. On PostgreSQL every session
/// starts with `default_transaction_read_only=on` (a startup option: no statement, no
/// round trip), so every statement and every transaction on it is read-only and a write
/// fails with SQLSTATE 25006; on SQLite every connection runs `PRAGMA query_only=ON` when
/// it opens, and a write fails with SQLITE_READONLY. The options are copied from the
/// read-write pool's own rather than parsed again from the URL, so an in-memory SQLite
/// database (`sqlite::memory:`, which sqlx names anew at each parse) is the same one.
///
/// The pool connects lazily: connections open as queries need them (`App::start` checks
/// one at once).
pub async fn connect_read_only(
    config: &Config,
    read_write: &DatabaseConnection,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = pool_options(&config.database_url, config.pool_sizes().read_only);
    options.connect_lazy(true);
    match read_write.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let base = read_write.get_sqlite_connection_pool().connect_options();
            options.map_sqlx_sqlite_opts(move |_| {
                (*base)
                    .clone()
                    .create_if_missing(false)
                    .pragma("query_only", "ON")
            });
        }
        sea_orm::DbBackend::Postgres => {
            let base = read_write.get_postgres_connection_pool().connect_options();
            options.map_sqlx_postgres_opts(move |_| {
                (*base)
                    .clone()
                    .options([("default_transaction_read_only", "on")])
            });
        }
        other => {
            return Err(DbErr::Custom(format!(
                "no read-only pool for {other:?}: the gateway runs on SQLite or PostgreSQL"
            )));
        }
    }
    let mut db = Database::connect(options).await?;
    count_statements_of(&mut db, counter, Access::ReadOnly);
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
