//! A fuzzer over the HTTP layer: the real documents and variables of the playground's
//! examples, mutated at random (spans cut and repeated, brackets nested, fragments,
//! directives, NULs, lone surrogates, huge numbers, wrong types in variables), sent as
//! POST or GET, anonymously, as the demo driver or as an admin. Whatever comes out, the
//! server answers: no 5xx, no INTERNAL error, nothing past the request's timeout.
//!
//! Bounded so that CI stays fast: `FUZZ_CASES` cases per database (400 unless set),
//! from a seed printed at the start (`FUZZ_SEED` replays a run).

use std::time::Duration;

use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, DRIVER, TestApp},
    db_test,
};

/// Text spliced into documents: pieces of GraphQL and of hostile input.
const SPLICES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "...",
    ":",
    "$",
    "@",
    "\"",
    "\"\"\"",
    "#",
    "!",
    "=",
    " ...F } fragment F on Query { __typename ",
    " ... on Query { __typename } ",
    "@include(if: true)",
    "@skip(if: $x)",
    "\\u0000",
    "\\uD800",
    "\\u{1F697}",
    "🚗",
    "1e400",
    "-9223372036854775809",
    "99999999999999999999999",
    "0.001",
    "first: 100000",
    "first: -1",
    "last: 5",
    "after: \"bm9wZQ==\"",
    "id: \"Q2xpZW50OjE=\"",
    "a: __typename",
    "__schema { types { name } }",
    "__type(name: \"Query\") { fields { name } }",
    "node(id: \"x\") { id }",
    "nodes(ids: [\"a\", \"b\"]) { id }",
    "mutation",
    "subscription",
    "query Q($x: Boolean = true)",
];

/// Values put in place of a variable's leaf.
fn hostile_values() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..60 {
        deep = json!([deep]);
    }
    vec![
        Value::Null,
        json!(""),
        json!("a\u{0}b"),
        json!("\u{1F697}"),
        json!("x".repeat(20_000)),
        json!(-1),
        json!(0),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e308),
        json!(-0.0),
        json!("9999999999999999999.999"),
        json!("-0.00"),
        json!("0.001"),
        json!("1e3"),
        json!("2026-02-30"),
        json!("2026-13-01"),
        json!("not a date"),
        json!("0000-00-00T00:00:00Z"),
        json!(true),
        json!([]),
        json!({}),
        json!({ "__proto__": 1 }),
        deep,
        json!("Q2xpZW50Ojk5OTk5OTk5OTk5OTk="),
        json!("00000000-0000-0000-0000-000000000000"),
    ]
}

fn mutate_text(rng: &mut StdRng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..rng.random_range(1..=4) {
        let len = chars.len();
        let at = rng.random_range(0..=len);
        match rng.random_range(0..5) {
            0 if len > 0 => {
                let end = (at + rng.random_range(1..=20)).min(len);
                chars.drain(at.min(len)..end);
            }
            1 if len > 0 => {
                let start = rng.random_range(0..len);
                let end = (start + rng.random_range(1..=80)).min(len);
                let span: Vec<char> = chars[start..end].to_vec();
                let times = rng.random_range(1..=30);
                for _ in 0..times {
                    chars.splice(at..at, span.iter().copied());
                }
            }
            2 => {
                let depth = rng.random_range(1..=120);
                let (open, close) = if rng.random_bool(0.5) {
                    ('[', ']')
                } else {
                    ('{', '}')
                };
                let end = (at + rng.random_range(0..=10)).min(chars.len());
                chars.splice(end..end, std::iter::repeat_n(close, depth));
                chars.splice(at..at, std::iter::repeat_n(open, depth));
            }
            _ => {
                let splice = SPLICES.choose(rng).copied().unwrap_or("{");
                chars.splice(at..at, splice.chars());
            }
        }
    }
    chars.into_iter().collect()
}

fn mutate_value(rng: &mut StdRng, value: &mut Value, replacements: &[Value]) {
    match value {
        Value::Object(fields) if !fields.is_empty() && rng.random_bool(0.8) => {
            let keys: Vec<String> = fields.keys().cloned().collect();
            let key = keys.choose(rng).cloned().unwrap_or_default();
            if rng.random_bool(0.1) {
                fields.remove(&key);
            } else if rng.random_bool(0.1) {
                fields.insert(format!("{key}X"), json!(1));
            } else if let Some(inner) = fields.get_mut(&key) {
                mutate_value(rng, inner, replacements);
            }
        }
        Value::Array(items) if !items.is_empty() && rng.random_bool(0.8) => {
            let index = rng.random_range(0..items.len());
            mutate_value(rng, &mut items[index], replacements);
        }
        _ => {
            if let Some(replacement) = replacements.choose(rng) {
                *value = replacement.clone();
            }
        }
    }
}

db_test!(
    mutated_documents_and_variables_never_crash_or_answer_internal,
    |config| {
        config.limits.timeout = Duration::from_secs(5);
    },
    |app| {
        fuzz(&app).await;
    }
);

async fn fuzz(app: &TestApp) {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/playground"));
    let examples = gateway::http::playground::examples(dir).expect("the examples");
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("fuzz on {}: {cases} cases, FUZZ_SEED={seed}", app.backend);
    let mut rng = StdRng::seed_from_u64(seed);
    let driver = format!("Bearer {}", app.login(DRIVER).await);
    let admin = format!("Bearer {}", app.login(ADMIN).await);
    let replacements = hostile_values();
    // A hang detector, not a speed test: past the server's own timeout plus slack, the
    // answer did not come in time.
    let patience = app.app.state.config.limits.timeout + Duration::from_secs(10);
    for case in 0..cases {
        let example = examples.choose(&mut rng).expect("examples");
        let mut query = example.query.clone();
        let mut variables: Value = serde_json::from_str(&example.variables).unwrap_or(json!({}));
        if rng.random_bool(0.7) {
            query = mutate_text(&mut rng, &query);
        }
        if rng.random_bool(0.6) {
            for _ in 0..rng.random_range(1..=3) {
                mutate_value(&mut rng, &mut variables, &replacements);
            }
        }
        let authorization = match rng.random_range(0..3) {
            0 => None,
            1 => Some(driver.as_str()),
            _ => Some(admin.as_str()),
        };
        let body = json!({ "query": query, "variables": variables });
        let get = rng.random_bool(0.2);
        let sent = async {
            if get {
                app.get_query(&query, variables.clone(), authorization.map(|a| &a[7..]))
                    .await
            } else {
                app.post_json(body.clone(), authorization).await
            }
        };
        let reply = tokio::time::timeout(patience, sent)
            .await
            .unwrap_or_else(|_| {
                panic!("case {case} (FUZZ_SEED={seed}) did not answer in time: {body}")
            });
        let context = || {
            format!(
                "case {case} (FUZZ_SEED={seed}, GET {get}): {body}\n-> {} {}",
                reply.status, reply.text
            )
        };
        assert!(
            !reply.status.is_server_error() || reply.status == 504,
            "{}",
            context()
        );
        let responses = match &reply.body {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        for response in &responses {
            for error in response["errors"].as_array().into_iter().flatten() {
                let code = error["extensions"]["code"].as_str();
                assert!(code.is_some(), "an error without a code: {}", context());
                assert_ne!(code, Some("INTERNAL"), "{}", context());
                assert_ne!(code, Some("REQUEST_TIMEOUT"), "{}", context());
            }
        }
    }
}
