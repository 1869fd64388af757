//! Issue 24's proof with real processes, as an operator runs them: two replicas of the
//! binary behind HAProxy, configured by the example in `docs/operations.md`, on one
//! PostgreSQL database. Each scenario checks that money moved exactly once and that every
//! event was heard, and is bounded in time (loopback only). PostgreSQL only: it is the
//! database replicas share. Without `TEST_DATABASE_URL` or `haproxy` (which `.ci/run`
//! installs) they say they were skipped.

use std::{
    collections::HashSet,
    net::SocketAddr,
    path::PathBuf,
    process::Stdio,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::future::join_all;
use gateway::entities::{
    auto_charge_attempt::{self, AttemptOutcome},
    invoice::InvoiceStatus,
};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Statement,
};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    process::{Child, Command},
    sync::watch,
    time::sleep,
};

use crate::common::{
    ADMIN, Replica, TestApp, WsSocket, drop_postgres_database, free_address, gateway_command, http,
    http_with_head, new_postgres_database, skip_or_fail,
    wallet::{Driver, PAY, allocations_of, assert_ledger, driver_with},
    ws_next, ws_silent, ws_subscribe,
};

const WALLET_CHANGED: &str =
    "subscription { walletChanged { balance kind payment { amount source } } }";
const INVOICE_PAID: &str = "subscription { invoicePaid { invoice { id status } } }";
const TYPENAME: &str = r#"{"query":"{ __typename }"}"#;

/// Whether HAProxy is installed; under CI its absence is a failure.
fn has_haproxy() -> bool {
    let installed = std::process::Command::new("haproxy")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        skip_or_fail("haproxy is not installed (.ci/run installs it)");
    }
    installed
}

/// `TEST_DATABASE_URL`, when it is set and HAProxy is installed.
fn postgres_and_haproxy() -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        skip_or_fail("TEST_DATABASE_URL is not set");
        return None;
    }
    has_haproxy().then_some(url?)
}

/// A test app on a new PostgreSQL database (to make the drivers with), when HAProxy is
/// installed.
async fn app_and_haproxy() -> Option<TestApp> {
    postgres_and_haproxy()?;
    TestApp::postgres(|_| {}).await
}

/// HAProxy in front of two replicas, run with `docs/operations.md`'s configuration: its
/// addresses replaced by the test's, and its checks every 200 ms rather than 2 s so that
/// the test waits less. Stopped when dropped.
struct Balancer {
    addr: SocketAddr,
    admin_socket: PathBuf,
    _dir: tempfile::TempDir,
    _process: Child,
}

impl Balancer {
    async fn start(replicas: [SocketAddr; 2]) -> Balancer {
        let documented = include_str!("../../docs/operations.md")
            .split("```haproxy\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("docs/operations.md shows an HAProxy configuration");
        let addr = free_address();
        let dir = tempfile::tempdir().unwrap();
        let admin_socket = dir.path().join("admin.sock");
        let mut config = documented.to_string();
        for (documented, ours) in [
            ("bind :80", format!("bind {addr}")),
            ("10.0.0.11:8000", replicas[0].to_string()),
            ("10.0.0.12:8000", replicas[1].to_string()),
            ("inter 2s", "inter 200ms".to_string()),
        ] {
            assert!(
                config.contains(documented),
                "the documented configuration has no `{documented}`"
            );
            config = config.replace(documented, &ours);
        }
        let config = format!(
            "global\n    stats socket {} level admin\n\n{config}",
            admin_socket.display()
        );
        let file = dir.path().join("haproxy.cfg");
        std::fs::write(&file, config).unwrap();
        let process = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&file)
            // What its checks saw is read from the admin socket; its log would only be noise.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("haproxy starts");
        let balancer = Balancer {
            addr,
            admin_socket,
            _dir: dir,
            _process: process,
        };
        for _ in 0..200 {
            if balancer.try_states().await.is_ok() {
                return balancer;
            }
            sleep(Duration::from_millis(50)).await;
        }
        panic!("HAProxy did not start");
    }

    /// What HAProxy's health checks say of each replica now ("UP", "DOWN", "UP 1/2"...),
    /// read from its admin socket.
    async fn try_states(&self) -> std::io::Result<Vec<String>> {
        let mut socket = tokio::net::UnixStream::connect(&self.admin_socket).await?;
        socket.write_all(b"show stat\n").await?;
        let mut csv = String::new();
        socket.read_to_string(&mut csv).await?;
        Ok(csv
            .lines()
            .filter(|line| line.starts_with("replicas,") && !line.starts_with("replicas,BACKEND"))
            .map(|line| line.split(',').nth(17).unwrap_or_default().to_string())
            .collect())
    }

    /// Waits until HAProxy says `state` of both replicas; fails after `limit`.
    async fn wait_for(&self, state: &str, limit: Duration) {
        let start = Instant::now();
        loop {
            let states = self.try_states().await.expect("HAProxy's admin socket");
            if states.len() == 2 && states.iter().all(|s| s == state) {
                return;
            }
            assert!(
                start.elapsed() < limit,
                "HAProxy says {states:?} after {limit:?}, not {state} for both"
            );
            sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A TCP relay between the replicas and PostgreSQL that the test cuts as if the database
/// server stopped (every connection closed, new ones refused) and restores as if it
/// started again on the same port. The suite's other tests share the real server, which
/// therefore stays up.
struct DatabaseRelay {
    addr: SocketAddr,
    up: watch::Sender<bool>,
}

impl DatabaseRelay {
    async fn start(database: SocketAddr) -> DatabaseRelay {
        let mut listener = Some(TcpListener::bind("127.0.0.1:0").await.unwrap());
        let addr = listener.as_ref().unwrap().local_addr().unwrap();
        let (up, mut watching) = watch::channel(true);
        tokio::spawn(async move {
            loop {
                let accepting = match listener.take() {
                    Some(listener) => listener,
                    None => {
                        if watching.wait_for(|up| *up).await.is_err() {
                            return;
                        }
                        TcpListener::bind(addr)
                            .await
                            .expect("the relay's port again")
                    }
                };
                loop {
                    let mut client = tokio::select! {
                        accepted = accepting.accept() => match accepted {
                            Ok((client, _)) => client,
                            Err(_) => continue,
                        },
                        // Cut: the listener is dropped, so connecting is refused.
                        _ = watching.wait_for(|up| !*up) => break,
                    };
                    let mut up = watching.clone();
                    tokio::spawn(async move {
                        let Ok(mut server) = TcpStream::connect(database).await else {
                            return;
                        };
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            _ = up.wait_for(|up| !*up) => {}
                        }
                    });
                }
            }
        });
        DatabaseRelay { addr, up }
    }

    /// `url` with the relay in place of the database server's address.
    fn url_through(&self, url: &str) -> String {
        let (user, rest) = url.split_once('@').expect("a URL with user@host");
        let (_, database) = rest.split_once('/').expect("a URL ending with /database");
        format!("{user}@{}/{database}", self.addr)
    }

    fn cut(&self) {
        self.up.send_replace(false);
    }

    fn restore(&self) {
        self.up.send_replace(true);
    }
}

/// The address of the database server in `url`.
async fn server_of(url: &str) -> SocketAddr {
    let host = url
        .split_once('@')
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(host, _)| host)
        .expect("a URL with user@host/database");
    tokio::net::lookup_host(host)
        .await
        .unwrap()
        .next()
        .expect("the database's address")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index(0).unwrap()
}

/// Pays `invoice` through `addr` as a client does that retries with the same idempotency
/// key until it gets the mutation's answer: a replica that is draining, stopped or out of
/// rotation answers with a transport error, a 502 or a 503. Fails after 15 s.
async fn pay_until_answered(addr: SocketAddr, token: &str, invoice: &str, key: &str) -> Value {
    let body = json!({ "query": PAY, "variables": { "ids": [invoice], "key": key } }).to_string();
    let bearer = format!("Bearer {token}");
    for _ in 0..300 {
        if let Ok((200, text)) = http(addr, "POST", "/graphql", Some(&body), Some(&bearer)).await
            && let Ok(reply) = serde_json::from_str::<Value>(&text)
            && reply["data"]["payInvoices"].is_object()
        {
            let paid = reply["data"]["payInvoices"].clone();
            assert_eq!(paid["userErrors"], json!([]), "{key}: {paid}");
            return paid;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!("{key} was not answered within 15 s");
}

/// The next `count` events of the subscription on `socket` (each within 5 s), then half a
/// second of silence: each event was heard exactly once.
async fn events(socket: &mut WsSocket, count: usize) -> Vec<Value> {
    let mut heard = Vec::new();
    while heard.len() < count {
        let message = ws_next(socket).await;
        assert_eq!(message["type"], "next", "{message}");
        heard.push(message["payload"]["data"].clone());
    }
    ws_silent(socket, 500).await;
    heard
}

/// The balances a driver's `walletChanged` events told, in order.
fn balances(heard: &[Value]) -> Vec<String> {
    heard
        .iter()
        .map(|event| {
            event["walletChanged"]["balance"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// The balances after each of `n` payments of 10.00 from a wallet of `n` x 10.00.
fn paying_down(n: usize) -> Vec<String> {
    (0..n)
        .rev()
        .map(|left| format!("{}.00", left * 10))
        .collect()
}

/// `count` drivers (documents `<prefix>0`, `<prefix>1`...), each with `invoices` pending
/// invoices of 10.00 and exactly the coins to pay them all.
async fn drivers_owing(
    app: &TestApp,
    prefix: &str,
    count: usize,
    invoices: usize,
    auto_charge: bool,
) -> Vec<Driver> {
    let specs = vec![(InvoiceStatus::Pending, 1_000, 0); invoices];
    let coins = format!("{}.00", invoices * 10);
    let mut drivers = Vec::new();
    for i in 0..count {
        let document = format!("{prefix}{i}");
        drivers.push(driver_with(app, &document, &specs, &coins, auto_charge).await);
    }
    drivers
}

/// Two replicas on `url`, started together, and HAProxy in front of them saying both are
/// up.
async fn two_replicas_behind_haproxy(
    url: &str,
    env: &[(&str, &str)],
) -> (Replica, Replica, Balancer) {
    let (a, b) = tokio::join!(Replica::start_with(url, env), Replica::start_with(url, env));
    let balancer = Balancer::start([a.addr, b.addr]).await;
    balancer.wait_for("UP", Duration::from_secs(10)).await;
    (a, b, balancer)
}

/// The invoices the `invoicePaid` events were about.
fn invoices_paid(heard: &[Value]) -> HashSet<String> {
    heard
        .iter()
        .map(|e| {
            e["invoicePaid"]["invoice"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Two replicas and `gateway migrate` started at once on `url`: all succeed, each
/// migration is applied once, the demo data is loaded once, and the balancer sends to
/// both replicas.
async fn start_together(url: &str, round: usize) {
    let (a, b, migrate) = tokio::join!(
        Replica::start(url),
        Replica::start(url),
        gateway_command(&["migrate"], url)
    );
    assert!(
        migrate.status.success(),
        "round {round}: {}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    let db = Database::connect(url).await.unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM seaql_migrations").await,
        Migrator::migrations().len() as i64,
        "round {round}: each migration applied once"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM organizations").await,
        1,
        "round {round}: the demo data loaded once"
    );
    db.close().await.unwrap();
    let balancer = Balancer::start([a.addr, b.addr]).await;
    balancer.wait_for("UP", Duration::from_secs(10)).await;
    for _ in 0..4 {
        let (status, body) = http(balancer.addr, "POST", "/graphql", Some(TYPENAME), None)
            .await
            .unwrap();
        assert_eq!(
            (status, body.as_str()),
            (200, r#"{"data":{"__typename":"Query"}}"#)
        );
    }
}

// Before the migration lock, one of two replicas started together on a new database
// failed on PostgreSQL's catalog and never became ready.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_and_migrate_started_together_on_a_new_database_all_serve() {
    let Some(admin_url) = postgres_and_haproxy() else {
        return;
    };
    for round in 0..5 {
        let (url, name) = new_postgres_database(&admin_url, "gw_replicas").await;
        start_together(&url, round).await;
        drop_postgres_database(&admin_url, &name).await;
    }
}

// A rolling deploy of a release that adds a migration: the database is as the previous
// release left it (its newest migration not applied yet) and the new replicas start at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_of_a_release_with_a_new_migration_started_together_apply_it_once() {
    let Some(admin_url) = postgres_and_haproxy() else {
        return;
    };
    for round in 0..5 {
        let (url, name) = new_postgres_database(&admin_url, "gw_replicas").await;
        let db = Database::connect(&url).await.unwrap();
        let previous_release = Migrator::migrations().len() as u32 - 1;
        Migrator::up(&db, Some(previous_release)).await.unwrap();
        assert_eq!(
            count(&db, "SELECT COUNT(*) FROM seaql_migrations").await,
            Migrator::migrations().len() as i64 - 1
        );
        db.close().await.unwrap();
        start_together(&url, round).await;
        drop_postgres_database(&admin_url, &name).await;
    }
}

// `gateway auto-charge`, run by a scheduler, is a process no client is connected to:
// drivers and staff on either replica hear each of its payments once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auto_charge_commands_payments_are_heard_on_both_replicas_once() {
    let Some(app) = app_and_haproxy().await else {
        return;
    };
    const DRIVERS: usize = 4;
    const INVOICES: usize = 3;
    let drivers = drivers_owing(&app, "7100010", DRIVERS, INVOICES, true).await;
    let url = &app.database_url;
    let (a, b, balancer) = two_replicas_behind_haproxy(url, &[]).await;
    let mut wallets = Vec::new();
    for d in &drivers {
        for replica in [&a, &b] {
            wallets.push(ws_subscribe(replica.addr, &d.token, WALLET_CHANGED).await);
        }
    }
    // Staff through the balancer: round robin puts one connection on each replica.
    let admin = app.login(ADMIN).await;
    let mut staff = Vec::new();
    for _ in 0..2 {
        staff.push(ws_subscribe(balancer.addr, &admin, INVOICE_PAID).await);
    }
    sleep(Duration::from_millis(500)).await;

    let out = gateway_command(&["auto-charge"], url).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for (i, socket) in wallets.iter_mut().enumerate() {
        let heard = events(socket, INVOICES).await;
        assert_eq!(
            balances(&heard),
            paying_down(INVOICES),
            "driver {i}: {heard:?}"
        );
        for event in &heard {
            assert_eq!(
                event["walletChanged"]["payment"],
                json!({ "amount": "10.00", "source": "AUTO_CHARGE" })
            );
        }
    }
    let all: HashSet<String> = drivers.iter().flat_map(|d| d.invoices.clone()).collect();
    for socket in &mut staff {
        let heard = events(socket, DRIVERS * INVOICES).await;
        let paid = invoices_paid(&heard);
        assert_eq!(paid, all);
    }

    for d in &drivers {
        assert_eq!(assert_ledger(&app, d.id).await, 0);
    }
    let ids: Vec<i64> = drivers.iter().flat_map(|d| d.invoice_ids.clone()).collect();
    assert_eq!(
        allocations_of(&app, &ids).await,
        (DRIVERS * INVOICES) as u64
    );
    let attempts = auto_charge_attempt::Entity::find()
        .filter(auto_charge_attempt::Column::Outcome.eq(AttemptOutcome::Paid))
        .count(&app.app.state.db)
        .await
        .unwrap();
    assert_eq!(
        attempts,
        (DRIVERS * INVOICES) as u64,
        "one PAID attempt each"
    );
}

// Before, a replica stopped while it paid answered every request but announced only 9 of
// the 24 payments it made while draining. Clients pay through the balancer and retry with
// the same key; one replica gets SIGTERM mid-way; the other's subscribers hear everything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stopped_while_it_pays_loses_no_payment_and_no_event() {
    let Some(app) = app_and_haproxy().await else {
        return;
    };
    const DRIVERS: usize = 6;
    const INVOICES: usize = 8;
    let drivers = drivers_owing(&app, "7100020", DRIVERS, INVOICES, false).await;
    let url = &app.database_url;
    let (mut a, b, balancer) = two_replicas_behind_haproxy(url, &[]).await;
    let mut wallets = Vec::new();
    for d in &drivers {
        wallets.push(ws_subscribe(b.addr, &d.token, WALLET_CHANGED).await);
    }
    let admin = app.login(ADMIN).await;
    let mut staff = ws_subscribe(b.addr, &admin, INVOICE_PAID).await;
    sleep(Duration::from_millis(500)).await;

    let answered = Arc::new(AtomicUsize::new(0));
    let clients = drivers.iter().map(|d| {
        let answered = answered.clone();
        let balancer = balancer.addr;
        async move {
            for (i, invoice) in d.invoices.iter().enumerate() {
                let key = format!("drain-{}-{i}", d.id);
                pay_until_answered(balancer, &d.token, invoice, &key).await;
                answered.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let total = DRIVERS * INVOICES;
    let stop = async {
        while answered.load(Ordering::SeqCst) < total / 4 {
            sleep(Duration::from_millis(10)).await;
        }
        a.terminate();
        let at_stop = answered.load(Ordering::SeqCst);
        (at_stop, a.exit(Duration::from_secs(20)).await)
    };
    let (_, (at_stop, exit)) = tokio::join!(join_all(clients), stop);
    assert!(exit.success(), "the stopped replica exits cleanly: {exit}");
    assert!(
        at_stop < total,
        "the replica was stopped while payments went on"
    );

    for (d, socket) in drivers.iter().zip(&mut wallets) {
        let heard = events(socket, INVOICES).await;
        assert_eq!(balances(&heard), paying_down(INVOICES), "driver {}", d.id);
    }
    let heard = events(&mut staff, total).await;
    let paid = invoices_paid(&heard);
    let all: HashSet<String> = drivers.iter().flat_map(|d| d.invoices.clone()).collect();
    assert_eq!(paid, all);
    for d in &drivers {
        assert_eq!(assert_ledger(&app, d.id).await, 0);
    }
    let ids: Vec<i64> = drivers.iter().flat_map(|d| d.invoice_ids.clone()).collect();
    assert_eq!(
        allocations_of(&app, &ids).await,
        total as u64,
        "each paid once"
    );
}

/// Polls `/ready` on each address every 100 ms for `during`: every answer's status, and
/// the slowest answer.
async fn poll_ready(addrs: &[SocketAddr], during: Duration) -> (Vec<u16>, Duration) {
    let start = Instant::now();
    let (mut statuses, mut slowest) = (Vec::new(), Duration::ZERO);
    while start.elapsed() < during {
        let polls = addrs.iter().map(|addr| async move {
            let asked = Instant::now();
            let (status, _) = http(*addr, "GET", "/ready", None, None)
                .await
                .unwrap_or((0, String::new()));
            (status, asked.elapsed())
        });
        for (status, took) in join_all(polls).await {
            statuses.push(status);
            slowest = slowest.max(took);
        }
        sleep(Duration::from_millis(100)).await;
    }
    (statuses, slowest)
}

/// Connections of `db`'s database that wait for events (`LISTEN`).
async fn listeners(db: &DatabaseConnection) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .await
}

// Before, `/ready` took the driver's 5 s to answer while PostgreSQL was down. The
// database server stops (through a relay the test cuts) while `/ready` is polled on each
// replica and through the balancer; then it starts again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_answers_in_time_while_postgresql_is_down_and_payments_wait_for_it() {
    let Some(app) = app_and_haproxy().await else {
        return;
    };
    let admin = app.login(ADMIN).await;
    let created = app
        .gql(
            "mutation { createApiToken(input: { name: \"Contabilidad\" }) { secret } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let api_token = format!(
        "Token token={}",
        created["data"]["createApiToken"]["secret"]
            .as_str()
            .unwrap()
    );
    let d = drivers_owing(&app, "7100030", 1, 2, false).await.remove(0);
    let relay = DatabaseRelay::start(server_of(&app.database_url).await).await;
    let url = relay.url_through(&app.database_url);
    let settings = [("READY_TIMEOUT_MS", "500")];
    let (a, b, balancer) = two_replicas_behind_haproxy(&url, &settings).await;
    let mut wallets = Vec::new();
    for replica in [&a, &b] {
        wallets.push(ws_subscribe(replica.addr, &d.token, WALLET_CHANGED).await);
    }
    let db = &app.app.state.db;
    let listening = listeners(db).await;
    sleep(Duration::from_millis(500)).await;

    let (status, body) = http(a.addr, "POST", "/graphql", Some(TYPENAME), Some(&api_token))
        .await
        .unwrap();
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"data":{"__typename":"Query"}}"#)
    );

    relay.cut();
    let (statuses, slowest) = poll_ready(&[a.addr, b.addr], Duration::from_secs(3)).await;
    assert!(
        statuses.iter().all(|s| *s == 503),
        "a replica without its database is not ready: {statuses:?}"
    );
    // READY_TIMEOUT_MS, and a margin for a loaded machine: never the driver's 5 s.
    assert!(slowest < Duration::from_millis(1_500), "{slowest:?}");
    balancer.wait_for("DOWN", Duration::from_secs(10)).await;
    let (status, _) = http(balancer.addr, "GET", "/ready", None, None)
        .await
        .unwrap();
    assert_eq!(status, 503, "the balancer has no replica to send to");
    // A payment meanwhile is refused with a code that says to try again, and pays nothing.
    let refused = a
        .gql(
            PAY,
            json!({ "ids": [&d.invoices[0]], "key": "outage-0" }),
            Some(&d.token),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{refused}"
    );
    // An API token is checked in the database: without it the caller is not told that
    // the token is wrong (a 401 would log a client out) but to try again.
    let (status, head, body) =
        http_with_head(a.addr, "POST", "/graphql", Some(TYPENAME), Some(&api_token))
            .await
            .unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(head.to_lowercase().contains("\r\nretry-after: 1"), "{head}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );

    relay.restore();
    balancer.wait_for("UP", Duration::from_secs(15)).await;
    let start = Instant::now();
    while listeners(db).await < listening {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the replicas listen for events again"
        );
        sleep(Duration::from_millis(100)).await;
    }
    let (statuses, slowest) = poll_ready(&[a.addr, b.addr], Duration::from_millis(500)).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert!(slowest < Duration::from_millis(1_500), "{slowest:?}");

    // The client retries with the same key: paid once, and heard on both replicas.
    let first = pay_until_answered(balancer.addr, &d.token, &d.invoices[0], "outage-0").await;
    assert_eq!(
        first["replayed"], false,
        "the refused try committed nothing"
    );
    pay_until_answered(balancer.addr, &d.token, &d.invoices[1], "outage-1").await;
    for socket in &mut wallets {
        assert_eq!(balances(&events(socket, 2).await), paying_down(2));
    }
    assert_eq!(assert_ledger(&app, d.id).await, 0);
    assert_eq!(allocations_of(&app, &d.invoice_ids).await, 2);
}
