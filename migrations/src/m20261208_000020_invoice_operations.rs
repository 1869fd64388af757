//! The back office's invoice operations (issue 19): an invoice may be SPLIT into
//! fractions that name it as their parent, or CANCELLED; a discount remembers when it was
//! granted, so that a statement of account can date it.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{
        DatabaseExecutor, DbBackend,
        sqlx::{self, Row, SqliteConnection},
    },
};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Invoices {
    Table,
    ParentId,
}

#[derive(DeriveIden)]
enum InvoiceDiscounts {
    Table,
    CreatedAt,
}

const OLD_STATUSES: &str = "'PENDING', 'FRACTION', 'FROZEN', 'PAID'";
const NEW_STATUSES: &str = "'PENDING', 'FRACTION', 'FROZEN', 'PAID', 'SPLIT', 'CANCELLED'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "ALTER TABLE invoices DROP CONSTRAINT invoices_status_check; \
                     ALTER TABLE invoices ADD CONSTRAINT invoices_status_check \
                     CHECK (status IN ({NEW_STATUSES}))"
                ))
                .await?;
            }
            _ => rebuild_sqlite_invoices(manager).await?,
        }
        // SQLite cannot add a foreign key to an existing table: a fraction's parent is an
        // invoice of the same contract, checked by the domain, and invoices are never
        // deleted but with their contract.
        manager
            .alter_table(
                Table::alter()
                    .table(Invoices::Table)
                    .add_column(big_integer_null(Invoices::ParentId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_invoices_parent",
            Invoices::Table,
            vec![Invoices::ParentId.into_iden()],
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(InvoiceDiscounts::Table)
                    .add_column(timestamp_with_time_zone_null(InvoiceDiscounts::CreatedAt))
                    .to_owned(),
            )
            .await
    }
}

fn sqlite_error(e: sqlx::Error) -> DbErr {
    DbErr::Migration(format!("rebuilding the invoices table: {e}"))
}

/// SQLite cannot alter a CHECK constraint: the invoices table is rebuilt as its
/// documentation says (create the new table, copy, drop, rename, recreate the indexes),
/// on one connection with foreign keys off, so that dropping the old table does not
/// cascade to the payments and discounts that name its rows.
async fn rebuild_sqlite_invoices(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let DatabaseExecutor::Connection(db) = manager.get_connection() else {
        return Err(DbErr::Migration(
            "the invoices table is rebuilt outside a transaction".into(),
        ));
    };
    let mut conn = db
        .get_sqlite_connection_pool()
        .acquire()
        .await
        .map_err(sqlite_error)?;
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(sqlite_error)?;
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *conn)
        .await
        .map_err(sqlite_error)?;
    let rebuilt = rebuild(&mut conn).await;
    let end = if rebuilt.is_ok() {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    let ended = sqlx::query(end).execute(&mut *conn).await;
    let restored = sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await;
    rebuilt?;
    ended.map_err(sqlite_error)?;
    restored.map_err(sqlite_error)?;
    Ok(())
}

async fn rebuild(conn: &mut SqliteConnection) -> Result<(), DbErr> {
    let table: String =
        sqlx::query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'invoices'")
            .fetch_one(&mut *conn)
            .await
            .map_err(sqlite_error)?
            .get(0);
    let old_check = format!("IN ({OLD_STATUSES})");
    if !table.contains(&old_check) {
        return Err(DbErr::Migration(format!(
            "the invoices table's status constraint is not the one expected: {table}"
        )));
    }
    let create = table
        .replacen(&old_check, &format!("IN ({NEW_STATUSES})"), 1)
        .replacen("\"invoices\"", "\"invoices_rebuilt\"", 1);
    if !create.contains("invoices_rebuilt") {
        return Err(DbErr::Migration(format!(
            "the invoices table's definition is not the one expected: {table}"
        )));
    }
    let indexes: Vec<String> = sqlx::query(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'invoices' \
         AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(sqlite_error)?
    .iter()
    .map(|row| row.get(0))
    .collect();
    for statement in [
        create.as_str(),
        "INSERT INTO invoices_rebuilt SELECT * FROM invoices",
        "DROP TABLE invoices",
        "ALTER TABLE invoices_rebuilt RENAME TO invoices",
    ]
    .into_iter()
    .chain(indexes.iter().map(String::as_str))
    {
        // Our own definitions, read back from the database.
        sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&mut *conn)
            .await
            .map_err(sqlite_error)?;
    }
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(sqlite_error)?;
    if !broken.is_empty() {
        return Err(DbErr::Migration(format!(
            "rebuilding the invoices table broke {} foreign keys",
            broken.len()
        )));
    }
    Ok(())
}
