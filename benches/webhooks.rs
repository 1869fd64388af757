//! Webhook throughput with a receiver that answers in 200 ms, and the API's own latency
//! meanwhile (issue 23).
//!
//! `cargo bench --bench webhooks` runs the server in process (SQLite in a temporary file,
//! demo data; `BENCH_DATABASE_URL=postgres://...` for PostgreSQL, a database it may
//! fill), served on a loopback port, with its webhook worker (`WEBHOOK_CONCURRENCY`
//! places, default 8) and a receiver that answers every delivery after 200 ms. It
//! measures, over HTTP, an ADMIN's `createTransaction` and a `{ me { id } }` read, one
//! request at a time:
//!
//! 1. with no endpoint registered (the worker idle): the baseline;
//! 2. with an endpoint receiving every transaction event, while the worker sends the
//!    events of those same mutations;
//!
//! and the webhook throughput: events delivered per second from the first change to the
//! last delivery. Figures go to `docs/benchmarks.md`.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, http::StatusCode, routing::post};
use gateway::webhooks::Worker;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
use common::{ADMIN, Bench};

const CHANGES: usize = 400;
const RECEIVER_DELAY: Duration = Duration::from_millis(200);

async fn http(addr: SocketAddr, body: &str, token: Option<&str>) -> Value {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept-Language: en\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n{auth}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("");
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {response}"))
}

async fn gql(addr: SocketAddr, query: &str, variables: Value, token: Option<&str>) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let answer = http(addr, &body, token).await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer
}

const SPEND: &str = "mutation($input: CreateTransactionInput!) { createTransaction(input: $input) { transaction { id } userErrors { code } } }";
const READ: &str = "{ me { id } }";

/// Latencies (ms) of `rounds` mutations and reads, alternated, one at a time.
async fn measure(addr: SocketAddr, token: &str, rounds: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut writes, mut reads) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        let started = Instant::now();
        let answer = gql(
            addr,
            SPEND,
            json!({ "input": { "kind": "OUT", "amount": format!("{}.00", 1 + i % 50), "description": "Bench" } }),
            Some(token),
        )
        .await;
        assert_eq!(answer["data"]["createTransaction"]["userErrors"], json!([]));
        writes.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        gql(addr, READ, json!({}), Some(token)).await;
        reads.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    (writes, reads)
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn row(what: &str, values: &[f64]) -> String {
    format!(
        "| {what} | {:.1} | {:.1} | {:.1} |",
        percentile(values, 0.5),
        percentile(values, 0.9),
        percentile(values, 0.99)
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let bench = Bench::start(|config| {
        config.webhooks.period = Some(Duration::from_millis(100));
    })
    .await;
    let app = &bench.app;
    let concurrency = app.state.config.webhooks.concurrency;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = bench.router.clone();
    tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });

    // The receiver: 200 ms per delivery, counting them.
    let delivered = Arc::new(AtomicUsize::new(0));
    let count = delivered.clone();
    let receiver = Router::new().route(
        "/hooks",
        post(move || {
            let count = count.clone();
            async move {
                tokio::time::sleep(RECEIVER_DELAY).await;
                count.fetch_add(1, Ordering::SeqCst);
                StatusCode::OK
            }
        }),
    );
    let hooks = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks_addr = hooks.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(hooks, receiver).await.unwrap() });

    let token = bench.login(ADMIN).await;

    let worker = Worker::new(app.state.clone()).await.unwrap();
    let running = worker.clone().spawn(Duration::from_millis(100));

    // Warm up, then the baseline: no endpoint, the worker idle.
    measure(addr, &token, 20).await;
    let (base_writes, base_reads) = measure(addr, &token, CHANGES).await;

    let registered = gql(
        addr,
        "mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { webhookEndpoint { id } userErrors { code } } }",
        json!({ "input": {
            "url": format!("http://{hooks_addr}/hooks"),
            "events": ["TRANSACTION_CREATED", "TRANSACTION_UPDATED", "TRANSACTION_DELETED"],
        } }),
        Some(&token),
    )
    .await;
    assert_eq!(
        registered["data"]["createWebhookEndpoint"]["userErrors"],
        json!([])
    );

    let started = Instant::now();
    let (hook_writes, hook_reads) = measure(addr, &token, CHANGES).await;
    let made_in = started.elapsed();
    while delivered.load(Ordering::SeqCst) < CHANGES {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "only {} of {CHANGES} delivered in 10 minutes",
            delivered.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all_in = started.elapsed();

    // The drain: the worker stopped while as many changes are made, then started again.
    running.abort();
    measure(addr, &token, CHANGES).await;
    let drain = Instant::now();
    worker.clone().spawn(Duration::from_millis(100));
    while delivered.load(Ordering::SeqCst) < 2 * CHANGES {
        assert!(
            drain.elapsed() < Duration::from_secs(600),
            "the drain took 10 minutes"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let drained_in = drain.elapsed();

    let backend = bench.backend;
    println!(
        "\nWebhooks ({backend}, {CHANGES} changes, receiver answering in 200 ms, {concurrency} sends at once)\n"
    );
    println!("| request (ms) | p50 | p90 | p99 |");
    println!("|---|---|---|---|");
    println!("{}", row("createTransaction, no endpoint", &base_writes));
    println!(
        "{}",
        row("createTransaction, webhooks sending", &hook_writes)
    );
    println!("{}", row("`{ me { id } }`, no endpoint", &base_reads));
    println!("{}", row("`{ me { id } }`, webhooks sending", &hook_reads));
    println!(
        "\nWhile sending: {CHANGES} changes made in {:.1} s, all delivered {:.1} s after the first.",
        made_in.as_secs_f64(),
        all_in.as_secs_f64(),
    );
    println!(
        "Drain: {CHANGES} events waiting, delivered in {:.1} s: {:.1} events/s (the ceiling with {concurrency} places and 200 ms a delivery is {:.0}/s)",
        drained_in.as_secs_f64(),
        CHANGES as f64 / drained_in.as_secs_f64(),
        concurrency as f64 / RECEIVER_DELAY.as_secs_f64()
    );
}
