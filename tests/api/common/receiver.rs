//! A webhook receiver for tests: an HTTP server on a loopback port that keeps every
//! request it gets, answers with the status the test sets, and, while the test holds its
//! gate, keeps each request waiting for its answer (a slow receiver).

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, AtomicU16, AtomicUsize, Ordering},
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use serde_json::Value;

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
    pub json: Value,
    /// The status it was answered with.
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    held: Arc<AtomicBool>,
    opened: Arc<tokio::sync::Notify>,
    arrived: Arc<AtomicUsize>,
}

pub struct Receiver {
    pub addr: std::net::SocketAddr,
    shared: Shared,
}

async fn receive(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let body = String::from_utf8_lossy(&body).to_string();
    shared.arrived.fetch_add(1, Ordering::SeqCst);
    while shared.held.load(Ordering::SeqCst) {
        let opened = shared.opened.notified();
        if !shared.held.load(Ordering::SeqCst) {
            break;
        }
        opened.await;
    }
    let status = shared.status.load(Ordering::SeqCst);
    shared.received.lock().unwrap().push(Received {
        headers,
        json: serde_json::from_str(&body).unwrap_or(Value::Null),
        body,
        answered: status,
    });
    StatusCode::from_u16(status).unwrap()
}

impl Receiver {
    /// A receiver answering 200.
    pub async fn start() -> Receiver {
        let shared = Shared::default();
        shared.status.store(200, Ordering::SeqCst);
        let router = Router::new()
            .route("/hooks", post(receive))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver { addr, shared }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks", self.addr.port())
    }

    /// Answers every request from now on with `status`.
    pub fn answer(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    /// Keeps each request waiting for its answer until [`Receiver::open`].
    pub fn hold(&self) {
        self.shared.held.store(true, Ordering::SeqCst);
    }

    /// Answers the requests held, and the next ones at once.
    pub fn open(&self) {
        self.shared.held.store(false, Ordering::SeqCst);
        self.shared.opened.notify_waiters();
    }

    /// The requests answered so far, in the order they were answered.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// Waits until `count` requests were answered; fails after 10 s.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..1000 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!(
            "{count} requests expected within 10 s, got {}",
            self.received().len()
        );
    }

    /// Waits until `count` requests arrived (held or answered); fails after 10 s.
    pub async fn wait_for_arrivals(&self, count: usize) {
        for _ in 0..1000 {
            if self.shared.arrived.load(Ordering::SeqCst) >= count {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("{count} requests expected to arrive within 10 s");
    }
}
