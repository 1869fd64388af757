//! Runtime configuration, read once from the environment (and an optional `.env`).

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use thiserror::Error;

/// The embedded default database: a SQLite file next to the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/gateway.db?mode=rwc";
/// Only for development: every token signed with it is forgeable by anyone who reads this file.
const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-change-me-please-0123456789";
/// The highest `LIMIT_QUERY_NESTING` accepted: well under what a worker thread's stack
/// holds while the parser and validation recurse (about 1,300 levels of brackets crashed
/// it before the limit existed).
pub const MAX_NESTING_CEILING: usize = 256;
/// HS256 keys shorter than the hash output weaken the signature.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("JWT_SECRET must be set to at least {MIN_JWT_SECRET_BYTES} bytes in production")]
    WeakSecret,
}

/// The connections of each of the process' two database pools ([`Config::pool_sizes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSizes {
    pub read_write: u32,
    pub read_only: u32,
}

/// Where the gateway runs: development allows conveniences production refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Limits checked on every GraphQL request before any SQL runs.
#[derive(Debug, Clone)]
pub struct RequestLimits {
    /// The deepest field of data (introspection has its own limit).
    pub max_depth: usize,
    /// The deepest introspection query (`__schema`, `__type`): GraphiQL's and codegen's
    /// own queries nest about 15 levels, a shape fixed by the GraphQL spec.
    pub max_introspection_depth: usize,
    /// Brackets, selection sets and fragments nested, checked on the text before it is
    /// parsed and on variables: bounds every recursion over a request, far below what a
    /// thread's stack holds.
    pub max_nesting: usize,
    /// Fields of the operation once every fragment spread is expanded: refuses fragment
    /// fan-out (a few hundred characters that expand to millions of fields) before
    /// validation walks it.
    pub max_fields: usize,
    /// For anonymous callers.
    pub max_complexity: usize,
    /// For drivers, who page through their own transactions with their category,
    /// account and tags (a page of 100 costs about 2,000).
    pub max_client_complexity: usize,
    /// For staff, whose back-office listings (clients with their contracts and invoice pages)
    /// legitimately cost more; still bounded.
    pub max_staff_complexity: usize,
    pub max_aliases: usize,
    /// Money-moving and login fields allowed in one document (brute force and replay guard).
    pub max_sensitive_fields: usize,
    pub max_directives: usize,
    pub max_query_chars: usize,
    pub max_body_bytes: usize,
    /// The body of a `POST /graphql` whose credentials were checked: the files a
    /// logged-in caller sends (`importStatement`'s bank statements) are larger than any
    /// other request.
    pub max_authenticated_body_bytes: usize,
    pub max_batch: usize,
    /// Operations executing at once (HTTP and WebSocket); the others wait their turn,
    /// within their timeout. Past a few per CPU more at once only adds memory (each holds
    /// its answer while it is built) and waits for database connections.
    pub max_concurrent: usize,
    /// Argon2 hashes and verifies running at once, in the whole process (logins, password
    /// changes, seeding): each holds 19 MiB and a CPU; the others wait their turn, within
    /// their request's timeout.
    pub max_password_hashes: usize,
    pub timeout: Duration,
    /// Operations in flight on one WebSocket connection (subscriptions and queries or
    /// mutations not yet answered); one more is refused with TOO_MANY_OPERATIONS.
    pub max_ws_operations: usize,
    /// WebSocket connections this process serves at once; one more is refused with 503
    /// before the upgrade.
    pub max_ws_connections: usize,
    /// How long a new WebSocket connection may take to send `connection_init` before it
    /// is closed with 4408 (graphql-ws).
    pub ws_init_timeout: Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            max_depth: 10,
            max_introspection_depth: 20,
            max_nesting: 32,
            max_fields: 2_000,
            max_complexity: 1_000,
            max_client_complexity: 3_000,
            max_staff_complexity: 20_000,
            max_aliases: 15,
            max_sensitive_fields: 1,
            max_directives: 50,
            max_query_chars: 15_000,
            max_body_bytes: 256 * 1024,
            max_authenticated_body_bytes: 8 * 1024 * 1024,
            max_batch: 10,
            max_concurrent: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_password_hashes: std::thread::available_parallelism().map_or(2, |n| n.get()),
            timeout: Duration::from_secs(10),
            max_ws_operations: 16,
            max_ws_connections: 1_000,
            ws_init_timeout: Duration::from_secs(10),
        }
    }
}

/// Which web pages, by origin, may call the API from a browser (CORS): a front end served
/// from another origin than the API's needs its origin here. The playground is served by
/// the API itself (same origin) and needs nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Exactly these origins (`CORS_ORIGINS`, e.g. `https://app.example.com`); none by
    /// default in production.
    Exact(Vec<String>),
    /// Development without `CORS_ORIGINS`: pages served from this machine over HTTP
    /// (`http://localhost`, `http://127.0.0.1`, `http://[::1]`, any port), so that a front
    /// end's development server works at once.
    Loopback,
}

impl CorsOrigins {
    /// Whether a page of `origin` (the browser's `Origin` header) may call the API.
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            CorsOrigins::Exact(origins) => origins.iter().any(|o| o == origin),
            CorsOrigins::Loopback => origin.strip_prefix("http://").is_some_and(|authority| {
                let host = match authority.rsplit_once(':') {
                    Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                    _ => authority,
                };
                matches!(host, "localhost" | "127.0.0.1" | "[::1]")
            }),
        }
    }

    /// `CORS_ORIGINS`: origins separated by commas, each `http(s)://host[:port]` as a
    /// browser sends it (no path, no trailing slash, no wildcard).
    fn parse(raw: &str) -> Result<Self, ConfigError> {
        let mut origins = Vec::new();
        for origin in raw.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let well_formed = authority.is_some_and(|a| {
                !a.is_empty()
                    && a.bytes().all(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                    })
            });
            if !well_formed {
                return Err(ConfigError::Invalid {
                    name: "CORS_ORIGINS",
                    reason: format!(
                        "{origin:?} is not an origin: write it as a browser sends it, \
                         scheme://host[:port], with no path, trailing slash or wildcard \
                         (e.g. https://app.example.com)"
                    ),
                });
            }
            origins.push(origin.to_ascii_lowercase());
        }
        Ok(CorsOrigins::Exact(origins))
    }
}

/// How the worker runs (`WEBHOOK_*` in the environment).
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// How often `serve` runs a tick; `None` (`WEBHOOK_PERIOD_MS=0`) turns the worker off.
    pub period: Option<Duration>,
    /// Deliveries sent at once.
    pub concurrency: usize,
    /// How long an attempt may take, connecting included.
    pub timeout: Duration,
    /// When failed attempts are tried again, and for how long.
    pub retry: crate::domain::webhooks::deliveries::RetryPolicy,
    /// Whether endpoints on this machine (127.0.0.1, ::1, localhost) are allowed, as
    /// receivers in development: never in production, where it would let an ADMIN make
    /// the gateway POST to the services beside it.
    pub loopback: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            period: Some(Duration::from_secs(1)),
            concurrency: 8,
            timeout: Duration::from_secs(10),
            retry: Default::default(),
            loopback: true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: String,
    pub bind: SocketAddr,
    pub jwt_secret: String,
    /// True when the secret is the built-in development one (logged loudly at start).
    pub jwt_secret_is_default: bool,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub limits: RequestLimits,
    /// How many proxies in front of the gateway append to `X-Forwarded-For` (a load
    /// balancer is one): the client address is the `trusted_proxies`-th entry from the
    /// right. 0 ignores the header (anyone can write it) and uses the TCP peer.
    pub trusted_proxies: usize,
    /// Which other origins' pages may call the API from a browser.
    pub cors_origins: CorsOrigins,
    /// A manifest of persisted documents (`{"<sha256>": "<document>"}`, as graphql-codegen's
    /// client preset writes it), known by hash from the start.
    pub persisted_documents: Option<PathBuf>,
    /// Run only the manifest's documents (`PERSISTED_DOCUMENTS_ONLY`).
    pub persisted_documents_only: bool,
    /// Introspection and "did you mean" suggestions; on in development, off in production.
    pub introspection: bool,
    /// Where `playground/` lives, to serve its installed npm packages.
    pub playground_dir: PathBuf,
    /// Connections the process keeps to the database, both pools together
    /// (`DATABASE_MAX_CONNECTIONS`, at least 2); see [`Config::pool_sizes`].
    pub db_max_connections: u32,
    /// How many of them are the read-only pool's, which query operations use
    /// (`DATABASE_READ_CONNECTIONS`); half when unset.
    pub db_read_connections: Option<u32>,
    /// How often `serve` runs the auto-charge job; `None` (AUTO_CHARGE_PERIOD_SECS=0) turns
    /// it off, e.g. when a scheduler runs `gateway auto-charge` instead.
    pub auto_charge_period: Option<Duration>,
    pub log_json: bool,
    /// The SMTP server invoices are emailed through (`smtp://user:pass@host:port`,
    /// `smtps://...`); without it emails wait in the outbox and say so.
    pub smtp_url: Option<String>,
    /// The sender of those emails.
    pub smtp_from: String,
    /// How often `serve` sends the outbox's queued emails (when `smtp_url` is set).
    pub outbox_period: Duration,
    /// How long `/ready` waits for the database before answering 503: shorter than a load
    /// balancer's health check timeout, so that a slow database reads as "not ready"
    /// rather than as a dead replica.
    pub ready_timeout: Duration,
    /// Where "now" comes from; the system clock unless a test fixes it. Not read from the
    /// environment: a server always runs on real time.
    pub clock: crate::domain::commons::Clock,
    /// The webhook worker's settings.
    pub webhooks: WebhookSettings,
}

impl Config {
    /// How tokens are signed and passwords hashed, as this configuration sets them: the
    /// server's, and the demo data's when it logs its users in.
    pub fn auth_settings(&self) -> crate::auth::AuthSettings {
        use crate::auth::{JwtKeys, password::HashLimit};
        crate::auth::AuthSettings {
            jwt: JwtKeys::new(
                self.jwt_secret.as_bytes(),
                &self.jwt_issuer,
                &self.jwt_audience,
                self.access_token_ttl,
            ),
            refresh_ttl: self.refresh_token_ttl,
            hash_limit: HashLimit::new(self.limits.max_password_hashes),
        }
    }

    /// A configuration for tests and tools: development defaults, the given database.
    pub fn for_database(database_url: &str) -> Result<Self, ConfigError> {
        let mut config = Self::from_lookup(|_| None)?;
        config.database_url = database_url.to_string();
        Ok(config)
    }

    /// Reads `.env` (when present) and the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let environment = match get("APP_ENV")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("development") | Some("dev") | Some("test") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "APP_ENV",
                    reason: format!("expected development or production, got {other:?}"),
                });
            }
        };
        let (jwt_secret, jwt_secret_is_default) = match get("JWT_SECRET") {
            Some(secret) if secret.len() >= MIN_JWT_SECRET_BYTES => (secret, false),
            Some(_) | None if environment == Environment::Production => {
                return Err(ConfigError::WeakSecret);
            }
            Some(secret) => (secret, false),
            None => (DEVELOPMENT_JWT_SECRET.to_string(), true),
        };
        let persisted_documents = get("PERSISTED_DOCUMENTS")
            .filter(|p| !p.trim().is_empty())
            .map(PathBuf::from);
        let persisted_documents_only =
            parse::<bool>(&get, "PERSISTED_DOCUMENTS_ONLY")?.unwrap_or(false);
        if persisted_documents_only && persisted_documents.is_none() {
            return Err(ConfigError::Invalid {
                name: "PERSISTED_DOCUMENTS_ONLY",
                reason: "needs PERSISTED_DOCUMENTS, the manifest of the documents to run".into(),
            });
        }
        let mut limits = RequestLimits::default();
        macro_rules! limit {
            ($field:ident, $name:literal) => {
                if let Some(v) = parse::<usize>(&get, $name)? {
                    limits.$field = v;
                }
            };
        }
        limit!(max_depth, "LIMIT_QUERY_DEPTH");
        limit!(max_introspection_depth, "LIMIT_INTROSPECTION_DEPTH");
        limit!(max_nesting, "LIMIT_QUERY_NESTING");
        limit!(max_fields, "LIMIT_QUERY_FIELDS");
        if !(1..=MAX_NESTING_CEILING).contains(&limits.max_nesting) {
            return Err(ConfigError::Invalid {
                name: "LIMIT_QUERY_NESTING",
                reason: format!("must be between 1 and {}", MAX_NESTING_CEILING),
            });
        }
        limit!(max_complexity, "LIMIT_QUERY_COMPLEXITY");
        limit!(max_client_complexity, "LIMIT_CLIENT_QUERY_COMPLEXITY");
        limit!(max_staff_complexity, "LIMIT_STAFF_QUERY_COMPLEXITY");
        limit!(max_aliases, "LIMIT_QUERY_ALIASES");
        limit!(max_sensitive_fields, "LIMIT_SENSITIVE_FIELDS");
        limit!(max_directives, "LIMIT_QUERY_DIRECTIVES");
        limit!(max_query_chars, "LIMIT_QUERY_CHARS");
        limit!(max_body_bytes, "LIMIT_BODY_BYTES");
        limit!(
            max_authenticated_body_bytes,
            "LIMIT_AUTHENTICATED_BODY_BYTES"
        );
        limit!(max_batch, "LIMIT_BATCH");
        limit!(max_concurrent, "LIMIT_CONCURRENT_REQUESTS");
        limit!(max_password_hashes, "LIMIT_PASSWORD_HASHES");
        limit!(max_ws_operations, "LIMIT_WS_OPERATIONS");
        limit!(max_ws_connections, "LIMIT_WS_CONNECTIONS");
        for (value, name) in [
            (limits.max_concurrent, "LIMIT_CONCURRENT_REQUESTS"),
            (limits.max_password_hashes, "LIMIT_PASSWORD_HASHES"),
            (limits.max_ws_operations, "LIMIT_WS_OPERATIONS"),
            (limits.max_ws_connections, "LIMIT_WS_CONNECTIONS"),
        ] {
            if value == 0 {
                return Err(ConfigError::Invalid {
                    name,
                    reason: "must be at least 1".into(),
                });
            }
        }
        if let Some(ms) = parse::<u64>(&get, "LIMIT_REQUEST_TIMEOUT_MS")? {
            limits.timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = parse::<u64>(&get, "LIMIT_WS_INIT_TIMEOUT_MS")? {
            limits.ws_init_timeout = Duration::from_millis(ms);
        }
        let db_max_connections = parse::<u32>(&get, "DATABASE_MAX_CONNECTIONS")?.unwrap_or(10);
        if db_max_connections < 2 {
            return Err(ConfigError::Invalid {
                name: "DATABASE_MAX_CONNECTIONS",
                reason: "must be at least 2: one read-write and one read-only connection".into(),
            });
        }
        let db_read_connections = parse::<u32>(&get, "DATABASE_READ_CONNECTIONS")?;
        if let Some(read) = db_read_connections
            && !(1..db_max_connections).contains(&read)
        {
            return Err(ConfigError::Invalid {
                name: "DATABASE_READ_CONNECTIONS",
                reason: format!(
                    "must be between 1 and {} (DATABASE_MAX_CONNECTIONS less one, for the \
                     read-write pool)",
                    db_max_connections - 1
                ),
            });
        }
        let bind = get("BIND").unwrap_or_else(|| "127.0.0.1:8000".into());
        let bind = bind.parse().map_err(|e| ConfigError::Invalid {
            name: "BIND",
            reason: format!("{e}"),
        })?;
        let introspection = match parse::<bool>(&get, "INTROSPECTION")? {
            Some(v) => v,
            None => environment == Environment::Development,
        };
        Ok(Self {
            environment,
            database_url: get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind,
            jwt_secret,
            jwt_secret_is_default,
            jwt_issuer: get("JWT_ISSUER").unwrap_or_else(|| "leasy-gateway".into()),
            jwt_audience: get("JWT_AUDIENCE").unwrap_or_else(|| "leasy-gateway-api".into()),
            access_token_ttl: Duration::from_secs(
                parse(&get, "ACCESS_TOKEN_TTL_SECONDS")?.unwrap_or(15 * 60),
            ),
            refresh_token_ttl: Duration::from_secs(
                parse(&get, "REFRESH_TOKEN_TTL_SECONDS")?.unwrap_or(30 * 24 * 3600),
            ),
            limits,
            trusted_proxies: parse(&get, "TRUSTED_PROXIES")?.unwrap_or(0),
            persisted_documents,
            persisted_documents_only,
            cors_origins: match get("CORS_ORIGINS") {
                Some(raw) => CorsOrigins::parse(&raw)?,
                None if environment == Environment::Production => CorsOrigins::Exact(vec![]),
                None => CorsOrigins::Loopback,
            },
            introspection,
            playground_dir: get("PLAYGROUND_DIR").map(PathBuf::from).unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/playground"))
            }),
            db_max_connections,
            db_read_connections,
            auto_charge_period: match parse::<u64>(&get, "AUTO_CHARGE_PERIOD_SECS")?.unwrap_or(900)
            {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
            log_json: parse(&get, "LOG_JSON")?.unwrap_or(false),
            smtp_url: get("SMTP_URL"),
            smtp_from: get("SMTP_FROM").unwrap_or_else(|| "facturacion@leasy.pe".into()),
            outbox_period: Duration::from_secs(
                parse::<u64>(&get, "OUTBOX_PERIOD_SECS")?
                    .unwrap_or(15)
                    .max(1),
            ),
            ready_timeout: Duration::from_millis(
                parse::<u64>(&get, "READY_TIMEOUT_MS")?
                    .unwrap_or(1000)
                    .max(1),
            ),
            clock: Default::default(),
            webhooks: WebhookSettings {
                period: match parse::<u64>(&get, "WEBHOOK_PERIOD_MS")?.unwrap_or(1000) {
                    0 => None,
                    millis => Some(Duration::from_millis(millis)),
                },
                concurrency: parse::<usize>(&get, "WEBHOOK_CONCURRENCY")?
                    .unwrap_or(8)
                    .clamp(1, 1000),
                timeout: Duration::from_millis(
                    parse::<u64>(&get, "WEBHOOK_TIMEOUT_MS")?
                        .unwrap_or(10_000)
                        .max(1),
                ),
                retry: crate::domain::webhooks::deliveries::RetryPolicy {
                    first: chrono::TimeDelta::milliseconds(
                        parse::<i64>(&get, "WEBHOOK_FIRST_RETRY_MS")?
                            .unwrap_or(10_000)
                            .clamp(1, 3_600_000),
                    ),
                    window: chrono::TimeDelta::seconds(
                        parse::<i64>(&get, "WEBHOOK_RETRY_FOR_SECS")?
                            .unwrap_or(86_400)
                            .clamp(1, 30 * 86_400),
                    ),
                    ..Default::default()
                },
                loopback: environment == Environment::Development,
            },
        })
    }

    /// How `db_max_connections` is split between the read-write pool (mutations,
    /// subscriptions, jobs, authentication) and the read-only pool (query operations):
    /// `db_read_connections` for the reads, half by default (rounded down), and the rest
    /// for the writes; each pool gets at least one. The process opens at most their sum,
    /// `DATABASE_MAX_CONNECTIONS` (plus, on PostgreSQL, the one connection that listens
    /// for events).
    pub fn pool_sizes(&self) -> PoolSizes {
        let total = self.db_max_connections.max(2);
        let read_only = self
            .db_read_connections
            .unwrap_or(total / 2)
            .clamp(1, total - 1);
        PoolSizes {
            read_write: total - read_only,
            read_only,
        }
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

fn parse<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<T>, ConfigError>
where
    T::Err: std::fmt::Display,
{
    get(name)
        .map(|raw| {
            raw.trim().parse::<T>().map_err(|e| ConfigError::Invalid {
                name,
                reason: format!("{raw:?}: {e}"),
            })
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn development_uses_a_default_secret_and_says_so() {
        let config = Config::from_lookup(env(&[])).unwrap();
        assert!(config.jwt_secret_is_default);
        assert!(config.introspection);
        assert_eq!(config.bind.to_string(), "127.0.0.1:8000");
    }

    #[test]
    fn production_refuses_a_missing_or_short_secret() {
        let short = env(&[("APP_ENV", "production"), ("JWT_SECRET", "too-short")]);
        assert!(matches!(
            Config::from_lookup(short),
            Err(ConfigError::WeakSecret)
        ));
        let missing = env(&[("APP_ENV", "production")]);
        assert!(matches!(
            Config::from_lookup(missing),
            Err(ConfigError::WeakSecret)
        ));
        let good = env(&[("APP_ENV", "production"), ("JWT_SECRET", &"x".repeat(32))]);
        let config = Config::from_lookup(good).unwrap();
        assert!(!config.introspection, "introspection is off in production");
    }

    #[test]
    fn the_connections_are_split_between_the_two_pools_never_added() {
        let sizes =
            |pairs: &[(&str, &str)]| Config::from_lookup(env(pairs)).map(|c| c.pool_sizes());
        let default = sizes(&[]).unwrap();
        assert_eq!((default.read_write, default.read_only), (5, 5));
        let odd = sizes(&[("DATABASE_MAX_CONNECTIONS", "5")]).unwrap();
        assert_eq!((odd.read_write, odd.read_only), (3, 2));
        let reads = sizes(&[
            ("DATABASE_MAX_CONNECTIONS", "20"),
            ("DATABASE_READ_CONNECTIONS", "15"),
        ])
        .unwrap();
        assert_eq!((reads.read_write, reads.read_only), (5, 15));
        let least = sizes(&[("DATABASE_MAX_CONNECTIONS", "2")]).unwrap();
        assert_eq!((least.read_write, least.read_only), (1, 1));
        for (max, read) in [
            ("1", None),
            ("0", None),
            ("10", Some("10")),
            ("10", Some("0")),
        ] {
            let mut pairs = vec![("DATABASE_MAX_CONNECTIONS", max)];
            pairs.extend(read.map(|r| ("DATABASE_READ_CONNECTIONS", r)));
            assert!(
                matches!(sizes(&pairs), Err(ConfigError::Invalid { .. })),
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn password_hashes_default_to_the_cpus_and_can_be_set() {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let config = Config::from_lookup(env(&[])).unwrap();
        assert_eq!(config.limits.max_password_hashes, cpus);
        let one = Config::from_lookup(env(&[("LIMIT_PASSWORD_HASHES", "1")])).unwrap();
        assert_eq!(one.limits.max_password_hashes, 1);
        for bad in ["0", "-1", "many"] {
            assert!(
                matches!(
                    Config::from_lookup(env(&[("LIMIT_PASSWORD_HASHES", bad)])),
                    Err(ConfigError::Invalid {
                        name: "LIMIT_PASSWORD_HASHES",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn webhooks_reach_this_machine_only_in_development() {
        let production = Config::from_lookup(env(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", "a-secret-of-thirty-two-bytes-at-least"),
        ]))
        .unwrap();
        assert!(!production.webhooks.loopback);
        assert!(Config::from_lookup(env(&[])).unwrap().webhooks.loopback);
    }

    #[test]
    fn cors_allows_exact_origins_none_in_production_and_this_machine_in_development() {
        let production = Config::from_lookup(env(&[
            ("APP_ENV", "production"),
            ("JWT_SECRET", "a-secret-of-thirty-two-bytes-at-least"),
        ]))
        .unwrap();
        assert_eq!(production.cors_origins, CorsOrigins::Exact(vec![]));
        assert!(!production.cors_origins.allows("http://localhost:5173"));

        let development = Config::from_lookup(env(&[])).unwrap().cors_origins;
        for origin in [
            "http://localhost:5173",
            "http://127.0.0.1:3000",
            "http://[::1]:8080",
            "http://localhost",
        ] {
            assert!(development.allows(origin), "{origin}");
        }
        for origin in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example:80",
            "null",
        ] {
            assert!(!development.allows(origin), "{origin}");
        }

        let listed = Config::from_lookup(env(&[(
            "CORS_ORIGINS",
            "https://app.example.com, http://Localhost:5173",
        )]))
        .unwrap()
        .cors_origins;
        assert!(listed.allows("https://app.example.com"));
        assert!(listed.allows("http://localhost:5173"));
        assert!(!listed.allows("http://localhost:3000"));
        assert!(!listed.allows("https://app.example.com.evil.example"));

        for wrong in [
            "*",
            "app.example.com",
            "https://app.example.com/",
            "https://*.example.com",
        ] {
            assert!(
                matches!(
                    Config::from_lookup(env(&[("CORS_ORIGINS", wrong)])),
                    Err(ConfigError::Invalid {
                        name: "CORS_ORIGINS",
                        ..
                    })
                ),
                "{wrong}"
            );
        }
    }

    #[test]
    fn forwarded_for_is_ignored_unless_proxies_are_trusted() {
        assert_eq!(Config::from_lookup(env(&[])).unwrap().trusted_proxies, 0);
        let two = Config::from_lookup(env(&[("TRUSTED_PROXIES", "2")])).unwrap();
        assert_eq!(two.trusted_proxies, 2);
        assert!(matches!(
            Config::from_lookup(env(&[("TRUSTED_PROXIES", "yes")])),
            Err(ConfigError::Invalid {
                name: "TRUSTED_PROXIES",
                ..
            })
        ));
    }

    #[test]
    fn a_malformed_limit_is_an_error_not_a_default() {
        let bad = env(&[("LIMIT_QUERY_DEPTH", "ten")]);
        assert!(matches!(
            Config::from_lookup(bad),
            Err(ConfigError::Invalid {
                name: "LIMIT_QUERY_DEPTH",
                ..
            })
        ));
    }

    #[test]
    fn websocket_limits_have_defaults_and_are_read() {
        let defaults = Config::from_lookup(env(&[])).unwrap().limits;
        assert_eq!(defaults.max_ws_operations, 16);
        assert_eq!(defaults.max_ws_connections, 1_000);
        assert_eq!(defaults.ws_init_timeout, Duration::from_secs(10));
        let set = env(&[
            ("LIMIT_WS_OPERATIONS", "4"),
            ("LIMIT_WS_CONNECTIONS", "250"),
            ("LIMIT_WS_INIT_TIMEOUT_MS", "3000"),
        ]);
        let limits = Config::from_lookup(set).unwrap().limits;
        assert_eq!(limits.max_ws_operations, 4);
        assert_eq!(limits.max_ws_connections, 250);
        assert_eq!(limits.ws_init_timeout, Duration::from_millis(3000));
    }

    #[test]
    fn websocket_limits_of_zero_or_malformed_are_errors() {
        for name in ["LIMIT_WS_OPERATIONS", "LIMIT_WS_CONNECTIONS"] {
            assert!(
                matches!(
                    Config::from_lookup(env(&[(name, "0")])),
                    Err(ConfigError::Invalid { name: n, .. }) if n == name
                ),
                "{name}=0"
            );
            assert!(
                matches!(
                    Config::from_lookup(env(&[(name, "many")])),
                    Err(ConfigError::Invalid { name: n, .. }) if n == name
                ),
                "{name}=many"
            );
        }
        assert!(matches!(
            Config::from_lookup(env(&[("LIMIT_WS_INIT_TIMEOUT_MS", "-1")])),
            Err(ConfigError::Invalid {
                name: "LIMIT_WS_INIT_TIMEOUT_MS",
                ..
            })
        ));
    }
}
