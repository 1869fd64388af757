//! Migrations applied to a database that already holds data, as an upgrade meets it.
//! The invoice operations migration rebuilds SQLite's invoices table (SQLite cannot alter
//! a CHECK constraint): every invoice, and every payment and discount naming one, must
//! come through, with the table's indexes.

use migration::{Migrator, MigratorTrait};

use crate::common::{drop_postgres_database, gateway_command, new_postgres_database};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

const TS: &str = "2026-01-01T00:00:00+00:00";

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index(0)
        .unwrap()
}

async fn invoice_indexes(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY name",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

#[tokio::test]
async fn upgrading_a_sqlite_database_keeps_every_invoice_payment_and_discount() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("upgrade.db").display()
    );
    let db = Database::connect(&url).await.unwrap();
    // The schema before the invoice operations, with a paid and a discounted invoice.
    Migrator::up(&db, Some(19)).await.unwrap();
    for statement in [
        format!(
            "INSERT INTO organizations VALUES (1, 'Org', 'org', 'America/Lima', 'PEN', '{TS}')"
        ),
        format!(
            "INSERT INTO users VALUES (1, 1, 'CLIENT', '123', 'x', 'A', 'B', NULL, '{TS}', '{TS}', NULL, NULL)"
        ),
        format!(
            "INSERT INTO contracts VALUES (1, 1, 1, 'c1', 'contract_active', 1000, 0, '', '{TS}')"
        ),
        "INSERT INTO invoice_types VALUES (1, 1, 'Cuota semanal', 'weekly')".into(),
        format!(
            "INSERT INTO invoices VALUES (1, 1, 'i1', 'PAID', 1, '2026-01-05', '2026-01-05', 1000, '', 1, '{TS}')"
        ),
        format!(
            "INSERT INTO invoices VALUES (2, 1, 'i2', 'PENDING', 1, '2026-01-12', NULL, 1000, '', 1, '{TS}')"
        ),
        "INSERT INTO invoice_discounts VALUES (1, 2, 100, 'Plan oro', 'plan')".into(),
        format!("INSERT INTO payments VALUES (1, 1, 1, 1000, 'WALLET', 'pagado', NULL, '{TS}')"),
        "INSERT INTO payment_allocations VALUES (1, 1, 1, 1000)".into(),
    ] {
        db.execute_unprepared(&statement).await.unwrap();
    }
    let indexes = invoice_indexes(&db).await;
    assert!(indexes.len() >= 3, "{indexes:?}");

    Migrator::up(&db, None).await.unwrap();

    assert_eq!(count(&db, "SELECT count(*) FROM invoices").await, 2);
    assert_eq!(
        count(&db, "SELECT count(*) FROM invoice_discounts").await,
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM payment_allocations").await,
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM invoices WHERE id = 1 AND status = 'PAID' AND paid_date = '2026-01-05'").await,
        1
    );
    let mut after = invoice_indexes(&db).await;
    after.retain(|name| name != "ix_invoices_parent");
    assert_eq!(after, indexes, "the invoices table lost an index");
    let broken = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA foreign_key_check",
        ))
        .await
        .unwrap();
    assert!(broken.is_empty(), "{} broken foreign keys", broken.len());

    // The new statuses are accepted, anything else still refused; ids keep growing.
    db.execute_unprepared(&format!(
        "INSERT INTO invoices (contract_id, hash, status, priority, due_date, total_minor, type_id, created_at, parent_id) \
         VALUES (1, 'i3', 'SPLIT', 1, '2026-01-19', 1000, 1, '{TS}', NULL)"
    ))
    .await
    .unwrap();
    assert_eq!(count(&db, "SELECT max(id) FROM invoices").await, 3);
    let bogus = db
        .execute_unprepared(&format!(
            "INSERT INTO invoices (contract_id, hash, status, priority, due_date, total_minor, type_id, created_at) \
             VALUES (1, 'i4', 'BOGUS', 1, '2026-01-19', 1000, 1, '{TS}')"
        ))
        .await;
    assert!(bogus.is_err(), "an unknown status was stored");
    // Foreign keys are enforced again: an invoice of no contract is refused, and the
    // payment still holds its invoice.
    let orphan = db
        .execute_unprepared(&format!(
            "INSERT INTO invoices (contract_id, hash, status, priority, due_date, total_minor, type_id, created_at) \
             VALUES (99, 'i5', 'PENDING', 1, '2026-01-19', 1000, 1, '{TS}')"
        ))
        .await;
    assert!(orphan.is_err(), "foreign keys are off after the migration");
    assert!(
        db.execute_unprepared("DELETE FROM invoices WHERE id = 1")
            .await
            .is_err(),
        "a paid invoice was deleted from under its payment"
    );
}

fn test_database_url() -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        crate::common::skip_or_fail("TEST_DATABASE_URL is not set");
    }
    url
}

// Issue 24: replicas of a rolling deploy (or autoscaling) start together and each
// migrates; before the advisory lock one of them failed on PostgreSQL's catalog
// (`pg_type_typname_nsp_index`) and never became ready.
#[tokio::test]
async fn processes_migrating_a_new_postgres_database_together_all_succeed_once() {
    let Some(admin_url) = test_database_url() else {
        return;
    };
    for round in 0..5 {
        let (url, name) = new_postgres_database(&admin_url, "gw_migrate").await;
        let (a, b, c) = tokio::join!(
            gateway_command(&["migrate"], &url),
            gateway_command(&["migrate"], &url),
            gateway_command(&["migrate"], &url)
        );
        for out in [a, b, c] {
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let db = Database::connect(&url).await.unwrap();
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM seaql_migrations").await,
            Migrator::migrations().len() as i64,
            "each migration applied once"
        );
        db.close().await.unwrap();
        drop_postgres_database(&admin_url, &name).await;
    }
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_release_is_refused() {
    let Some(admin_url) = test_database_url() else {
        return;
    };
    let (url, name) = new_postgres_database(&admin_url, "gw_migrate").await;
    assert!(gateway_command(&["migrate"], &url).await.status.success());
    let db = Database::connect(&url).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_from_the_future', 0)",
    )
    .await
    .unwrap();
    let tables = count(
        &db,
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .await;
    let out = gateway_command(&["migrate"], &url).await;
    assert!(!out.status.success(), "a newer schema was accepted");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("migrated by a newer release (m29991231_000001_from_the_future)"),
        "{said}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        .await,
        tables,
        "nothing was applied"
    );
    db.close().await.unwrap();
    drop_postgres_database(&admin_url, &name).await;
}
