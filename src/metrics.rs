//! What `GET /metrics` reports, in Prometheus' text format: GraphQL requests and their latency by
//! operation name and outcome, SQL statements per request, and the database pool.
//!
//! Operation names come from clients, so they are labels only after cleaning (letters,
//! digits and `_`, at most 64 characters) and only the first [`MAX_OPERATIONS`] distinct
//! ones: later names are counted as `other`, so a client cannot grow the registry without
//! bound.

use std::{collections::BTreeMap, fmt::Write, sync::Mutex, time::Duration};

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// Distinct operation names kept as labels.
pub const MAX_OPERATIONS: usize = 200;
const MAX_NAME_CHARS: usize = 64;
/// Latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];
/// SQL statements per request buckets.
const STATEMENT_BUCKETS: [u64; 8] = [0, 1, 2, 5, 10, 20, 50, 100];

/// How a GraphQL request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Executed without errors.
    Ok,
    /// Answered with errors (refused, invalid, or a resolver's error).
    Error,
    /// Cancelled at the request timeout.
    Timeout,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::Timeout => "timeout",
        }
    }
}

#[derive(Default)]
struct Series {
    count: u64,
    latency_buckets: [u64; LATENCY_BUCKETS.len()],
    latency_sum: f64,
    statement_buckets: [u64; STATEMENT_BUCKETS.len()],
    statements: u64,
}

/// The registry of request figures since the process started.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, Outcome), Series>>,
}

/// The operation name a request is counted under: its `operationName`, else the name in
/// its document, else `anonymous`; a batch is `batch`.
pub fn operation_label(operation_name: Option<&str>, query: &str) -> String {
    let name = operation_name
        .map(str::to_string)
        .or_else(|| document_name(query))
        .unwrap_or_default();
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(MAX_NAME_CHARS)
        .collect();
    if clean.is_empty() {
        "anonymous".into()
    } else {
        clean
    }
}

/// The name of the document's first operation, read without parsing the whole document.
fn document_name(query: &str) -> Option<String> {
    let mut rest = query.trim_start();
    while let Some(comment) = rest.strip_prefix('#') {
        rest = comment.split_once('\n').map_or("", |(_, r)| r).trim_start();
    }
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

impl Metrics {
    /// Counts one request.
    pub fn record(&self, operation: String, outcome: Outcome, elapsed: Duration, statements: u64) {
        let Ok(mut series) = self.series.lock() else {
            return;
        };
        let known = series.keys().any(|(name, _)| *name == operation);
        let distinct = || {
            let mut names: Vec<&String> = series.keys().map(|(name, _)| name).collect();
            names.dedup();
            names.len()
        };
        let operation = if known || distinct() < MAX_OPERATIONS {
            operation
        } else {
            "other".to_string()
        };
        let entry = series.entry((operation, outcome)).or_default();
        entry.count += 1;
        let seconds = elapsed.as_secs_f64();
        entry.latency_sum += seconds;
        for (bucket, bound) in entry.latency_buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        entry.statements += statements;
        for (bucket, bound) in entry.statement_buckets.iter_mut().zip(STATEMENT_BUCKETS) {
            if statements <= bound {
                *bucket += 1;
            }
        }
    }

    /// The registry in Prometheus' text exposition format, with the state of each
    /// database pool named in `pools` (`read_write`, `read_only`).
    pub fn render(&self, pools: &[(&str, PoolState)]) -> String {
        let mut out = String::new();
        let series = match self.series.lock() {
            Ok(series) => series,
            Err(poisoned) => poisoned.into_inner(),
        };
        let labels = |op: &str, outcome: Outcome| {
            format!("operation=\"{op}\",outcome=\"{}\"", outcome.label())
        };
        let _ = writeln!(
            out,
            "# HELP graphql_requests_total GraphQL requests by operation name and outcome.\n\
             # TYPE graphql_requests_total counter"
        );
        for ((op, outcome), s) in series.iter() {
            let _ = writeln!(
                out,
                "graphql_requests_total{{{}}} {}",
                labels(op, *outcome),
                s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP graphql_request_duration_seconds Time to answer a GraphQL request.\n\
             # TYPE graphql_request_duration_seconds histogram"
        );
        for ((op, outcome), s) in series.iter() {
            let l = labels(op, *outcome);
            for (count, bound) in s.latency_buckets.iter().zip(LATENCY_BUCKETS) {
                let _ = writeln!(
                    out,
                    "graphql_request_duration_seconds_bucket{{{l},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "graphql_request_duration_seconds_bucket{{{l},le=\"+Inf\"}} {}\n\
                 graphql_request_duration_seconds_sum{{{l}}} {}\n\
                 graphql_request_duration_seconds_count{{{l}}} {}",
                s.count, s.latency_sum, s.count
            );
        }
        let _ = writeln!(
            out,
            "# HELP graphql_sql_statements_per_request SQL statements one GraphQL request sent.\n\
             # TYPE graphql_sql_statements_per_request histogram"
        );
        for ((op, outcome), s) in series.iter() {
            let l = labels(op, *outcome);
            for (count, bound) in s.statement_buckets.iter().zip(STATEMENT_BUCKETS) {
                let _ = writeln!(
                    out,
                    "graphql_sql_statements_per_request_bucket{{{l},le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "graphql_sql_statements_per_request_bucket{{{l},le=\"+Inf\"}} {}\n\
                 graphql_sql_statements_per_request_sum{{{l}}} {}\n\
                 graphql_sql_statements_per_request_count{{{l}}} {}",
                s.count, s.statements, s.count
            );
        }
        if !pools.is_empty() {
            let _ = writeln!(
                out,
                "# HELP db_pool_connections Database connections by pool and state.\n\
                 # TYPE db_pool_connections gauge"
            );
            for (name, pool) in pools {
                let _ = writeln!(
                    out,
                    "db_pool_connections{{pool=\"{name}\",state=\"in_use\"}} {}\n\
                     db_pool_connections{{pool=\"{name}\",state=\"idle\"}} {}",
                    pool.in_use, pool.idle
                );
            }
            let _ = writeln!(
                out,
                "# HELP db_pool_max_connections Each pool's size limit.\n\
                 # TYPE db_pool_max_connections gauge"
            );
            for (name, pool) in pools {
                let _ = writeln!(
                    out,
                    "db_pool_max_connections{{pool=\"{name}\"}} {}",
                    pool.max
                );
            }
        }
        out
    }
}

/// The database pool at one moment.
#[derive(Debug, Clone, Copy)]
pub struct PoolState {
    pub in_use: u64,
    pub idle: u64,
    pub max: u64,
}

pub fn pool_state(db: &DatabaseConnection, max: u32) -> Option<PoolState> {
    let (size, idle) = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return None,
    };
    let idle = idle as u64;
    Some(PoolState {
        in_use: u64::from(size).saturating_sub(idle),
        idle,
        max: u64::from(max),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_come_from_the_request_or_the_document() {
        assert_eq!(operation_label(Some("MyBooks"), "{ a }"), "MyBooks");
        assert_eq!(
            operation_label(None, "# comment\n  query Dashboard($x: Int) { a }"),
            "Dashboard"
        );
        assert_eq!(operation_label(None, "mutation Pay{ a }"), "Pay");
        assert_eq!(operation_label(None, "{ a }"), "anonymous");
        assert_eq!(operation_label(Some("x\"} 1\ny"), ""), "x1y");
    }

    #[test]
    fn names_past_the_limit_are_counted_as_other() {
        let metrics = Metrics::default();
        for i in 0..MAX_OPERATIONS + 5 {
            metrics.record(format!("Op{i}"), Outcome::Ok, Duration::from_millis(3), 2);
        }
        metrics.record("Op0".into(), Outcome::Error, Duration::from_millis(30), 7);
        let text = metrics.render(&[]);
        assert!(text.contains("graphql_requests_total{operation=\"other\",outcome=\"ok\"} 5"));
        assert!(text.contains("graphql_requests_total{operation=\"Op0\",outcome=\"error\"} 1"));
        assert!(text.contains(
            "graphql_sql_statements_per_request_sum{operation=\"Op0\",outcome=\"error\"} 7"
        ));
        assert!(text.contains(
            "graphql_request_duration_seconds_bucket{operation=\"Op0\",outcome=\"ok\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "graphql_request_duration_seconds_bucket{operation=\"Op0\",outcome=\"error\",le=\"0.025\"} 0"
        ));
    }
}
