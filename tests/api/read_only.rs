//! No query writes, and the database is what makes sure (issue 20): every statement of a
//! query operation goes through the read-only pool, whose connections refuse any write
//! (PostgreSQL sessions with `default_transaction_read_only`, SQLite connections with
//! `PRAGMA query_only`); mutations and subscriptions use the read-write pool.

use chrono::Utc;
use gateway::{
    domain::{error::write_refused, idempotency},
    entities::organization,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set, TransactionTrait};

use crate::{
    common::{
        playground::{Results, Users, all_examples, is_query, is_subscription, run_example},
        ws_init, ws_next, ws_send,
    },
    db_test,
};

/// An organization as the operator's command would add it, not yet stored.
fn new_organization(slug: &str) -> organization::ActiveModel {
    organization::ActiveModel {
        name: Set(format!("Org {slug}")),
        slug: Set(slug.into()),
        timezone: Set("America/Lima".into()),
        currency: Set("PEN".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Fails unless `result` is the database refusing a write on a read-only connection.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, DbErr>, what: &str) {
    match result {
        Ok(value) => panic!("{what}: the read-only pool wrote ({value:?})"),
        Err(err) => assert!(write_refused(&err), "{what}: refused otherwise: {err}"),
    }
}

db_test!(the_read_only_pool_refuses_every_write, |app| {
    let read_only = &app.app.state.read_only;
    let before = app.row_counts().await;

    // Through the entities, as the domain writes.
    refused(
        new_organization("read-only").insert(read_only).await,
        "an INSERT",
    );
    // Statements of every kind of write, whatever rows they would touch.
    for statement in [
        "UPDATE organizations SET name = 'Renamed'",
        "DELETE FROM faqs",
        "DELETE FROM faqs WHERE id < 0",
        "CREATE TABLE sneaked_in (id INTEGER)",
    ] {
        refused(read_only.execute_unprepared(statement).await, statement);
    }
    // Inside a transaction too: it is as read-only as the connection.
    let transaction = read_only.begin().await.unwrap();
    refused(
        new_organization("read-only").insert(&transaction).await,
        "an INSERT in a transaction",
    );
    drop(transaction);
    // A domain function that writes, handed the read-only pool by mistake.
    match idempotency::prune(read_only, Utc::now()).await {
        Ok(pruned) => panic!("the read-only pool pruned {pruned} keys"),
        Err(gateway::domain::DomainError::Database(err)) => {
            assert!(write_refused(&err), "{err}")
        }
        Err(other) => panic!("refused otherwise: {other:?}"),
    }
    // Reading is what it is for.
    let read = read_only
        .execute_unprepared("SELECT COUNT(*) FROM organizations")
        .await;
    assert!(read.is_ok(), "{read:?}");
    assert_eq!(app.row_counts().await, before, "nothing was written");

    // The same write goes through the read-write pool.
    new_organization("read-write")
        .insert(&app.app.state.db)
        .await
        .unwrap();
    let after = app.row_counts().await;
    assert_eq!(after["organizations"], before["organizations"] + 1);
});

db_test!(
    a_query_reads_through_the_read_only_pool_and_a_mutation_through_the_other,
    |app| {
        let users = Users::log_in(&app).await;
        let mut results = Results::new();
        let mut queries = 0;
        for example in all_examples() {
            // Mutations whose variables come from earlier mutations are left out: the
            // queries are what this test is about.
            // Subscriptions run over WebSocket, not through this request path.
            let query = is_query(&example);
            if !query && !example.fills.is_empty() || is_subscription(&example) {
                continue;
            }
            let (read_write, read_only) = app.statements_by_pool();
            let body = run_example(&app, &example, &users, &results).await;
            let (now_read_write, now_read_only) = app.statements_by_pool();
            let (read_write, read_only) = (now_read_write - read_write, now_read_only - read_only);
            if query {
                queries += 1;
                assert_eq!(
                    read_write, 0,
                    "{}: statements on the read-write pool",
                    example.file
                );
                assert!(read_only > 0, "{}: read nothing: {body}", example.file);
            } else {
                assert_eq!(
                    read_only, 0,
                    "{}: statements on the read-only pool",
                    example.file
                );
                assert!(read_write > 0, "{}: wrote nothing: {body}", example.file);
            }
            results.insert(example.name.clone(), body["data"].clone());
        }
        assert!(queries >= 20, "the playground's queries: {queries}");

        // Over WebSocket, where one connection runs both kinds.
        let addr = app.serve().await;
        let mut socket = ws_init(addr, Some(&users.driver)).await;
        let mut over_websocket = async |id: &str, operation: &str| {
            let (read_write, read_only) = app.statements_by_pool();
            ws_send(&mut socket, id, operation).await;
            let answer = ws_next(&mut socket).await;
            assert_eq!(answer["type"], "next", "{answer}");
            assert!(answer["payload"]["errors"].is_null(), "{answer}");
            assert_eq!(ws_next(&mut socket).await["type"], "complete");
            let (now_read_write, now_read_only) = app.statements_by_pool();
            (now_read_write - read_write, now_read_only - read_only)
        };
        let (read_write, read_only) =
            over_websocket("1", "query { me { id fullName organization { name } } }").await;
        assert_eq!(read_write, 0);
        assert!(read_only > 0);
        let (read_write, read_only) = over_websocket(
            "2",
            "mutation { recordExpense(input: { amount: \"13.00\", category: \"combustible\", \
             idempotencyKey: \"3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c0e\" }) \
             { transaction { id amount category { name } } userErrors { code } } }",
        )
        .await;
        assert_eq!(read_only, 0);
        assert!(read_write > 0);
    }
);

// Fails while a query writes rows (recurring series' occurrences written when a period
// is read: issue 20), with INTERNAL errors where the read-only pool refused the write.
db_test!(
    every_query_of_the_playground_leaves_every_table_as_it_was,
    |app| {
        let users = Users::log_in(&app).await;
        let before = app.row_counts().await;
        let mut results = Results::new();
        let mut ran = Vec::new();
        for example in all_examples().into_iter().filter(is_query) {
            let body = run_example(&app, &example, &users, &results).await;
            assert!(body["errors"].is_null(), "{}: {body}", example.file);
            assert!(body["data"].is_object(), "{}: {body}", example.file);
            results.insert(example.name.clone(), body["data"].clone());
            ran.push(example.name);
        }
        assert!(ran.len() >= 20, "the playground's queries: {ran:?}");
        let after = app.row_counts().await;
        let changed: Vec<String> = after
            .iter()
            .filter(|(table, rows)| before.get(*table) != Some(rows))
            .map(|(table, rows)| format!("{table}: {:?} -> {rows}", before.get(table)))
            .collect();
        assert!(changed.is_empty(), "after {ran:?}: {changed:?}");
        assert_eq!(after, before);
    }
);

#[test]
fn the_test_reads_every_kind_of_operation_from_the_documents() {
    let examples = all_examples();
    let queries: Vec<&str> = examples
        .iter()
        .filter(|e| is_query(e))
        .map(|e| e.name.as_str())
        .collect();
    for query in [
        "MyProfile",
        "TransactionsPage",
        "CardStatement",
        "StaffClients",
    ] {
        assert!(queries.contains(&query), "{query}: {queries:?}");
    }
    for mutation in ["Login", "PayInvoices", "CreateTransfer"] {
        assert!(!queries.contains(&mutation), "{mutation}: {queries:?}");
    }
}
