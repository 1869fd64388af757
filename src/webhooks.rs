//! The webhook worker: it makes the deliveries of the business books' changes
//! (`domain::webhooks::deliveries::fan_out`, with the objects read through the schema by
//! `graphql::webhooks::render`) and sends them, signed, over HTTP.
//!
//! It runs beside the API, never in a request: a receiver that is slow or down holds only
//! the worker's own places (`WEBHOOK_CONCURRENCY` sends at once, each bounded by
//! `WEBHOOK_TIMEOUT_MS`), and its own HTTP client. Each tick (every `WEBHOOK_PERIOD_MS`)
//! fans out what the change log has new, then claims as many due deliveries as it has
//! free places and sends each on a task of its own, without waiting for them: a slow
//! receiver does not delay the next tick's deliveries to the others.
//!
//! Several replicas may run it: one fans out at a time (a job lease, taken only when
//! there is something to fan out), and every delivery is claimed before it is sent.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use bytes::Bytes;
use chrono::{DateTime, TimeDelta, Utc};
use http_body_util::Full;
use hyper::{Request, header};
use hyper_util::rt::TokioIo;
use tokio::{
    net::TcpStream,
    sync::{Notify, Semaphore},
    task::JoinSet,
};

use crate::{
    config::WebhookSettings,
    domain::{
        DomainResult,
        commons::lease,
        webhooks::{
            deliveries::{self, Due, Outcome},
            is_public, parse_url,
            signing::{self, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER},
        },
    },
    entities::webhook_delivery::DeliveryStatus,
    graphql::webhooks::render::Renderer,
    state::AppState,
};

/// The fan-out's lease: one replica fans out at a time.
const FAN_OUT_JOB: &str = "webhooks-fan-out";
/// How long the fan-out's lease lasts; a tick's fan-out takes far less.
const FAN_OUT_LEASE: TimeDelta = TimeDelta::seconds(60);
/// Changes one endpoint's fan-out takes at a time (a `nodes(ids:)` page).
const FAN_OUT_BATCH: u64 = 100;
/// The User-Agent of deliveries.
const USER_AGENT: &str = concat!("Leasy-Webhooks/", env!("CARGO_PKG_VERSION"));

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Deliveries made from the change log.
    pub made: usize,
    /// Deliveries claimed and being sent.
    pub sending: usize,
}

/// The worker: the renderer of objects, the HTTP sender, and the places for sends.
#[derive(Clone)]
pub struct Worker {
    state: AppState,
    renderer: Arc<Renderer>,
    sender: Arc<Sender>,
    places: Arc<Semaphore>,
    /// Told when a send ends, so that its place takes the next due delivery at once
    /// rather than at the next tick.
    freed: Arc<Notify>,
    settings: WebhookSettings,
}

impl Worker {
    /// A worker over `state`, with its configuration's settings.
    pub async fn new(state: AppState) -> Result<Self, String> {
        let settings = state.config.webhooks.clone();
        let renderer = Renderer::new(state.clone()).await?;
        Ok(Self {
            state,
            renderer: Arc::new(renderer),
            sender: Arc::new(Sender::new(settings.timeout, settings.loopback)),
            places: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            freed: Arc::new(Notify::new()),
            settings,
        })
    }

    fn now(&self) -> DateTime<Utc> {
        self.state.config.clock.now()
    }

    /// Fans out what the change log has new, for every endpoint behind it. Returns the
    /// deliveries made.
    pub async fn fan_out(&self) -> DomainResult<usize> {
        let db = &self.state.db;
        let behind = deliveries::endpoints_behind(db).await?;
        if behind.is_empty() {
            return Ok(0);
        }
        let holder = uuid::Uuid::new_v4().to_string();
        if !lease::claim(db, FAN_OUT_JOB, &holder, self.now(), FAN_OUT_LEASE).await? {
            return Ok(0);
        }
        let mut made = 0;
        let mut failure = None;
        for endpoint in &behind {
            let render =
                async |events: &[deliveries::Event]| self.renderer.render(endpoint, events).await;
            match deliveries::fan_out(
                db,
                endpoint,
                FAN_OUT_BATCH,
                render,
                &self.settings.retry,
                self.now(),
            )
            .await
            {
                Ok(count) => made += count,
                // One endpoint's failure does not hold the others back.
                Err(err) => {
                    tracing::error!(endpoint = endpoint.id, "webhook fan-out failed: {err}");
                    failure = Some(err);
                }
            }
        }
        lease::release(db, FAN_OUT_JOB, &holder, self.now()).await?;
        match failure {
            Some(err) if made == 0 => Err(err),
            _ => Ok(made),
        }
    }

    /// One tick: fan out, then claim as many due deliveries as there are free places and
    /// send each on a task of its own (in `sends`, for a caller that waits for them).
    pub async fn tick(&self, sends: &mut JoinSet<()>) -> DomainResult<Tick> {
        let made = self.fan_out().await?;
        let sending = self.send_due(sends).await?;
        Ok(Tick { made, sending })
    }

    /// Claims as many due deliveries as there are free places and sends each on a task
    /// of its own; how many.
    async fn send_due(&self, sends: &mut JoinSet<()>) -> DomainResult<usize> {
        let free = self.places.available_permits();
        // Held until the attempt is recorded: a lapsed claim is sent again.
        let hold = TimeDelta::from_std(self.settings.timeout).unwrap_or(TimeDelta::MAX)
            + TimeDelta::minutes(1);
        let due = deliveries::claim_due(&self.state.db, free as u64, hold, self.now()).await?;
        let sending = due.len();
        for delivery in due {
            let Ok(place) = self.places.clone().try_acquire_owned() else {
                break;
            };
            let worker = self.clone();
            sends.spawn(async move {
                worker.send(delivery).await;
                drop(place);
                worker.freed.notify_one();
            });
        }
        Ok(sending)
    }

    /// Ticks, and waits for the tick's sends: for tests and benchmarks.
    pub async fn run_once(&self) -> DomainResult<Tick> {
        let mut sends = JoinSet::new();
        let tick = self.tick(&mut sends).await?;
        sends.join_all().await;
        Ok(tick)
    }

    async fn send(&self, due: Due) {
        let outcome = self.sender.send(&due, self.now().timestamp()).await;
        match deliveries::record(
            &self.state.db,
            &due,
            &outcome,
            &self.settings.retry,
            self.now(),
        )
        .await
        {
            Ok(DeliveryStatus::Failed) => tracing::warn!(
                delivery = due.delivery.id,
                endpoint = due.delivery.endpoint_id,
                "webhook delivery given up: {outcome:?}"
            ),
            Ok(_) => {}
            Err(err) => tracing::error!(
                delivery = due.delivery.id,
                "recording a webhook attempt failed (it will be sent again): {err}"
            ),
        }
    }

    /// Runs a tick every period until the process ends, and sends what is due whenever a
    /// send ends; a failed tick is logged and the next one tries again.
    pub fn spawn(self, period: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut sends = JoinSet::new();
            loop {
                let result = tokio::select! {
                    _ = ticks.tick() => self.tick(&mut sends).await.map(|_| ()),
                    _ = self.freed.notified() => self.send_due(&mut sends).await.map(|_| ()),
                };
                if let Err(err) = result {
                    tracing::error!("webhook tick failed: {err}");
                }
                // Forget the sends that ended.
                while sends.try_join_next().is_some() {}
            }
        })
    }
}

/// Sends deliveries over HTTP/1.1, a connection each, TLS for https (Mozilla's roots),
/// only to public addresses (and this machine's, when `loopback`).
pub struct Sender {
    tls: tokio_rustls::TlsConnector,
    timeout: Duration,
    loopback: bool,
}

impl Sender {
    pub fn new(timeout: Duration, loopback: bool) -> Self {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        Self {
            tls: tokio_rustls::TlsConnector::from(Arc::new(config)),
            timeout,
            loopback,
        }
    }

    /// One attempt of `due`, signed at `timestamp` (unix seconds).
    pub async fn send(&self, due: &Due, timestamp: i64) -> Outcome {
        match tokio::time::timeout(self.timeout, self.attempt(due, timestamp)).await {
            Ok(Ok(status)) => Outcome::Answered(status),
            Ok(Err(reason)) => Outcome::NoAnswer(reason),
            Err(_) => {
                Outcome::NoAnswer(format!("no answer within {} ms", self.timeout.as_millis()))
            }
        }
    }

    async fn attempt(&self, due: &Due, timestamp: i64) -> Result<u16, String> {
        let url = parse_url(&due.url).map_err(|_| format!("not a URL: {}", due.url))?;
        let body = &due.delivery.payload;
        let default_port = if url.https { 443 } else { 80 };
        let host = if url.host.contains(':') {
            format!("[{}]", url.host)
        } else {
            url.host.to_string()
        };
        let authority = if url.port == default_port {
            host
        } else {
            format!("{host}:{}", url.port)
        };
        let request = Request::post(url.request_target())
            .header(header::HOST, authority)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, USER_AGENT)
            .header(header::CONNECTION, "close")
            .header(
                SIGNATURE_HEADER,
                signing::signature_header(&due.secret, timestamp, body),
            )
            .header(EVENT_ID_HEADER, &due.delivery.event_id)
            .header(EVENT_TYPE_HEADER, &due.delivery.event_type)
            .body(Full::new(Bytes::from(body.clone())))
            .map_err(|e| format!("the request cannot be built: {e}"))?;
        let tcp = self.connect(url.host, url.port).await?;
        let _ = tcp.set_nodelay(true);
        if url.https {
            let name = rustls::pki_types::ServerName::try_from(url.host.to_string())
                .map_err(|e| format!("not a TLS server name: {e}"))?;
            let tls = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with {}: {e}", url.host))?;
            exchange(TokioIo::new(tls), request, self.timeout).await
        } else {
            exchange(TokioIo::new(tcp), request, self.timeout).await
        }
    }
}

impl Sender {
    /// A connection to the first address `host` resolves to that deliveries may go to.
    /// The name is resolved here, at each attempt, and the connection made to the address
    /// checked: a name that resolved to a public address when it was registered and to a
    /// private one now is refused.
    async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, String> {
        let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| format!("resolving {host}: {e}"))?
            .collect();
        let allowed = |ip: IpAddr| is_public(ip) || (self.loopback && ip.is_loopback());
        let mut failure = format!(
            "{host} resolves to no public address ({}): not sent",
            resolved
                .iter()
                .map(|a| a.ip().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for address in resolved.iter().filter(|a| allowed(a.ip())) {
            match TcpStream::connect(address).await {
                Ok(tcp) => return Ok(tcp),
                Err(e) => failure = format!("connecting to {address}: {e}"),
            }
        }
        Err(failure)
    }
}

/// Sends `request` on a new connection and gives the answer's status; the answer's body
/// is not read.
async fn exchange<I>(io: I, request: Request<Full<Bytes>>, limit: Duration) -> Result<u16, String>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = tokio::time::timeout(limit, connection).await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("sending: {e}"))?;
    Ok(response.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn deliveries_go_to_this_machine_only_in_development() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let production = Sender::new(Duration::from_secs(1), false);
        for host in [
            "127.0.0.1",
            "localhost",
            "10.0.0.1",
            "169.254.169.254",
            "::1",
        ] {
            let refused = production.connect(host, port).await.unwrap_err();
            assert!(refused.contains("no public address"), "{host}: {refused}");
        }
        let development = Sender::new(Duration::from_secs(1), true);
        assert!(development.connect("127.0.0.1", port).await.is_ok());
        let refused = development.connect("192.168.0.1", port).await.unwrap_err();
        assert!(refused.contains("no public address"), "{refused}");
    }
}
