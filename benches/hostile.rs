//! What hostile requests cost the server: the worst document of each family, at or past
//! its limit, sent alone and 32 at once to the real release binary, with `/health`
//! probed every 10 ms meanwhile and the process' resident memory sampled.
//!
//! `cargo bench --bench hostile` (SQLite in a temporary file, demo data, development
//! settings so that introspection is on). Figures go to `docs/benchmarks.md`. Targets
//! (issue 17): every refusal answered in under 50 ms; the process grows by less than
//! 64 MiB under 32 concurrent hostile requests of each family and returns to its
//! baseline; `/health` p99 under 50 ms meanwhile.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

/// Requests per task in the 32-at-once run, and sent one by one in the alone run.
const ROUNDS: usize = 10;
const CONCURRENCY: usize = 32;

/// One HTTP/1.1 request on a fresh connection; the status and the body.
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
        return (0, String::new());
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return (0, String::new());
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A family's request: an HTTP body, or a WebSocket session of `subscribe` messages.
#[derive(Clone)]
enum Attack {
    Post(String),
    WebSocket(Vec<String>),
}

struct Family {
    name: &'static str,
    what: &'static str,
    attack: fn(usize) -> Attack,
}

fn post(query: String) -> Attack {
    Attack::Post(json!({ "query": query }).to_string())
}

fn doubling(levels: usize, leaf: &str) -> String {
    let mut query = String::from("{ ...F0 }");
    for level in 0..levels {
        let next = level + 1;
        query.push_str(&format!(
            " fragment F{level} on Query {{ ...F{next} ...F{next} }}"
        ));
    }
    query.push_str(&format!(" fragment F{levels} on Query {{ {leaf} }}"));
    query
}

fn login(document: &str) -> String {
    format!(
        "mutation {{ login(input: {{ document: \"{document}\", password: \"wrong-password\" }}) {{ userErrors {{ code }} }} }}"
    )
}

fn families() -> Vec<Family> {
    vec![
        Family {
            name: "deep values (1,500 levels)",
            what: "refused",
            attack: |_| {
                post(format!(
                    "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
                    "[".repeat(1_500),
                    "]".repeat(1_500)
                ))
            },
        },
        Family {
            name: "deep values at the limit (32 levels)",
            what: "answered",
            attack: |_| {
                post(format!(
                    "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
                    "[".repeat(30),
                    "]".repeat(30)
                ))
            },
        },
        Family {
            name: "fragment fan-out (2^24 fields)",
            what: "refused",
            attack: |_| post(doubling(24, "__typename")),
        },
        Family {
            name: "fragment fan-out with aliases (2^24)",
            what: "refused",
            attack: |_| post(doubling(24, "a: __typename b: __typename")),
        },
        Family {
            name: "fragment fan-out at the limit (2^10 fields)",
            what: "answered",
            attack: |_| post(doubling(10, "__typename")),
        },
        Family {
            name: "fragment chain (80 levels)",
            what: "refused",
            attack: |_| {
                let mut query = String::from("{ ...F0 }");
                for i in 0..80 {
                    query.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
                }
                query.push_str(" fragment F80 on Query { __typename }");
                post(query)
            },
        },
        Family {
            name: "NUL in a login",
            what: "refused",
            attack: |_| post(login("104\\u0000")),
        },
        Family {
            name: "GraphiQL's introspection query",
            what: "answered",
            attack: |_| post(include_str!("../tests/api/graphiql_introspection.graphql").into()),
        },
        Family {
            name: "batch of 10 failed logins",
            what: "answered",
            attack: |task| {
                let batch: Vec<Value> = (0..10)
                    .map(|i| json!({ "query": login(&format!("9{task:03}{i:04}")) }))
                    .collect();
                Attack::Post(Value::Array(batch).to_string())
            },
        },
        Family {
            name: "WebSocket: 100 logins on one connection",
            what: "answered",
            attack: |task| {
                Attack::WebSocket(
                    (0..100)
                        .map(|i| {
                            json!({ "id": i.to_string(), "type": "subscribe",
                                "payload": { "query": login(&format!("8{task:03}{i:04}")) } })
                            .to_string()
                        })
                        .collect(),
                )
            },
        },
    ]
}

/// Runs one attack; its latency (for a WebSocket, until every operation answered or
/// the connection closed).
async fn run(addr: SocketAddr, attack: &Attack) -> Duration {
    let started = Instant::now();
    match attack {
        Attack::Post(body) => {
            let (status, _) = http(addr, "POST", "/graphql", body).await;
            assert!(status != 0, "the server did not answer");
        }
        Attack::WebSocket(messages) => {
            let mut request = format!("ws://{addr}/graphql/ws")
                .into_client_request()
                .expect("request");
            request.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                "graphql-transport-ws".parse().expect("header"),
            );
            let Ok((mut socket, _)) = tokio_tungstenite::connect_async(request).await else {
                return started.elapsed();
            };
            let init = json!({ "type": "connection_init", "payload": {} }).to_string();
            let _ = socket.send(Message::text(init)).await;
            let _ = socket.next().await;
            for message in messages {
                if socket.send(Message::text(message.clone())).await.is_err() {
                    break;
                }
            }
            let mut completed = 0;
            while completed < messages.len() {
                match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
                    Ok(Some(Ok(Message::Text(text)))) if text.contains("\"complete\"") => {
                        completed += 1
                    }
                    Ok(Some(Ok(Message::Text(_)))) => {}
                    _ => break,
                }
            }
        }
    }
    started.elapsed()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Probes `/health` every 10 ms until stopped; its latencies.
fn probe_health(addr: SocketAddr, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<Duration>> {
    tokio::spawn(async move {
        let mut samples = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let started = Instant::now();
            http(addr, "GET", "/health", "").await;
            samples.push(started.elapsed());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        samples
    })
}

/// Samples the resident memory every 10 ms until stopped; the peak.
fn sample_rss(pid: u32, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<u64> {
    tokio::spawn(async move {
        let mut peak = 0;
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(rss_kib(pid));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        peak
    })
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("its address")
    };
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/hostile.db?mode=rwc", dir.path().display()),
        )
        .env("BIND", addr.to_string())
        .env("APP_ENV", "development")
        .env("AUTO_CHARGE_PERIOD_SECS", "0")
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the release gateway starts");
    let pid = server.id().expect("its pid");
    for _ in 0..400 {
        if http(addr, "GET", "/ready", "").await.0 == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!(
        "| family | outcome | alone p50 / max ms | 32 at once p50 / p99 / max ms | RSS before / peak / 3 s after MiB | /health p99 / max ms |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for family in families() {
        // Alone: one after another.
        let mut alone = Vec::new();
        for round in 0..ROUNDS {
            alone.push(run(addr, &(family.attack)(round)).await);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_kib(pid);
        let stop = Arc::new(AtomicBool::new(false));
        let health = probe_health(addr, stop.clone());
        let peak = sample_rss(pid, stop.clone());
        let latencies = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..CONCURRENCY)
            .map(|task| {
                let attack = (family.attack)(100 + task);
                let latencies = latencies.clone();
                tokio::spawn(async move {
                    for _ in 0..ROUNDS {
                        let took = run(addr, &attack).await;
                        latencies.lock().expect("latencies").push(took);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a task");
        }
        stop.store(true, Ordering::Relaxed);
        let mut health = health.await.expect("health probe");
        let peak = peak.await.expect("rss sampler");
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = rss_kib(pid);
        let mut together = latencies.lock().expect("latencies").clone();
        println!(
            "| {} | {} | {} / {} | {} / {} / {} | {} / {} / {} | {} / {} |",
            family.name,
            family.what,
            ms(percentile(&mut alone, 0.5)),
            ms(percentile(&mut alone, 1.0)),
            ms(percentile(&mut together, 0.5)),
            ms(percentile(&mut together, 0.99)),
            ms(percentile(&mut together, 1.0)),
            before / 1024,
            peak.max(before) / 1024,
            after / 1024,
            ms(percentile(&mut health, 0.99)),
            ms(percentile(&mut health, 1.0)),
        );
    }
    let alive = http(addr, "GET", "/health", "").await.0;
    println!("\n/health after every family: {alive}");
    let _ = server.kill().await;
}
