//! What syncing a book's change log costs as it grows: 100,000 changes of the demo
//! driver's book (50,000 transactions recorded, then each one changed), read from the
//! start in pages of 1,000 through the real HTTP router, each change with its transaction.
//!
//! `cargo bench --bench changes` (SQLite in a temporary file); with `BENCH_DATABASE_URL`
//! set to an empty PostgreSQL database it measures there. Figures go to
//! `docs/benchmarks.md`. Targets (issue 23): the statements of a page do not depend on
//! where in the log it is, and its time stays flat from the first page to the last.

use std::time::{Duration, Instant};

use gateway::{app::App, entities::book_transaction};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set, Statement,
};
use serde_json::json;

mod common;
use common::{Bench, DRIVER};

const TRANSACTIONS: usize = 50_000;
const PAGE_SIZE: usize = 1_000;

const PAGE: &str = "query($since: String) { book { changes(since: $since, first: 1000) { cursor hasMore changes { cursor kind operation id node { ... on Transaction { id amount description date } } } } } }";

/// Records `TRANSACTIONS` copies of one of the book's transactions, then changes them
/// all: twice as many changes, logged by the database as any write's are.
async fn add_changes(app: &App, book_id: i64) -> Duration {
    let db = &app.state.db;
    let model = book_transaction::Entity::find()
        .filter(book_transaction::Column::BookId.eq(book_id))
        .filter(book_transaction::Column::TransferId.is_null())
        .one(db)
        .await
        .expect("a transaction")
        .expect("the demo book has transactions");
    let start = Instant::now();
    for chunk in 0..TRANSACTIONS / 500 {
        let rows = (0..500).map(|i| {
            let mut row = model.clone().into_active_model();
            row.id = sea_orm::ActiveValue::NotSet;
            row.external_id = Set(None);
            row.description = Set(format!("bench {}", chunk * 500 + i));
            row
        });
        book_transaction::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await
            .expect("transactions");
    }
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        format!(
            "UPDATE book_transactions SET amount_minor = amount_minor + 1 \
             WHERE book_id = {book_id} AND description LIKE 'bench %'"
        ),
    ))
    .await
    .expect("changes");
    start.elapsed()
}

#[tokio::main]
async fn main() {
    let bench = Bench::start(|_| {}).await;
    let (app, backend) = (&bench.app, bench.backend);
    let token = bench.login(DRIVER).await;
    let db = &app.state.db;
    let book_id: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT b.id FROM books b JOIN users u ON u.id = b.owner_id \
             WHERE u.document = '10442008642'",
        ))
        .await
        .expect("the book")
        .expect("the driver's book")
        .try_get("", "id")
        .expect("an id");
    let writing = add_changes(app, book_id).await;

    let mut since: Option<String> = None;
    let mut pages: Vec<(Duration, u64, usize)> = Vec::new();
    let whole = Instant::now();
    loop {
        let before = app.state.statements.get();
        let start = Instant::now();
        let reply = bench
            .post(
                json!({ "query": PAGE, "variables": { "since": since } }),
                Some(&token),
            )
            .await;
        let took = start.elapsed();
        assert!(reply["errors"].is_null(), "{reply}");
        let page = &reply["data"]["book"]["changes"];
        let changes = page["changes"].as_array().map_or(0, Vec::len);
        pages.push((took, app.state.statements.get() - before, changes));
        since = page["cursor"].as_str().map(str::to_string);
        if page["hasMore"] == false {
            break;
        }
    }
    let total = whole.elapsed();
    let changes: usize = pages.iter().map(|p| p.2).sum();
    println!("backend: {backend}");
    println!(
        "writing {TRANSACTIONS} transactions and changing each: {:.1} s",
        writing.as_secs_f64()
    );
    println!(
        "synced {changes} changes in {} pages of up to {PAGE_SIZE} in {:.1} s",
        pages.len(),
        total.as_secs_f64()
    );
    println!("| page | changes | SQL statements | time |");
    println!("|---|---|---|---|");
    let last = pages.len() - 1;
    for i in [0, 1, last / 4, last / 2, 3 * last / 4, last - 1, last] {
        let (took, statements, changes) = pages[i];
        println!(
            "| {} | {changes} | {statements} | {:.1} ms |",
            i + 1,
            took.as_secs_f64() * 1e3
        );
    }
    let full: Vec<_> = pages.iter().filter(|p| p.2 == PAGE_SIZE).collect();
    let mut times: Vec<_> = full.iter().map(|p| p.0).collect();
    times.sort();
    let statements: Vec<_> = full.iter().map(|p| p.1).collect();
    println!(
        "full pages: time min {:.1} ms, median {:.1} ms, max {:.1} ms; statements {}..{}",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        statements.iter().min().expect("pages"),
        statements.iter().max().expect("pages"),
    );
}
