//! Every request limit refuses with its own `extensions.code`, before any SQL runs.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{common::TestApp, db_test};

/// Sends a request and checks it was refused with `code` without touching the database.
async fn refused_before_sql(app: &TestApp, body: Value, code: &str) -> crate::common::Reply {
    let before = app.statements();
    let reply = app.post_json(body, None).await;
    assert_eq!(reply.code(), Some(code), "{}", reply.text);
    assert_eq!(
        app.statements(),
        before,
        "no SQL may run before a limit refuses ({code})"
    );
    reply
}

/// `levels` fields deep: the book, its categories, then parents of parents.
fn nested_categories(levels: usize) -> String {
    let parents = levels.saturating_sub(3);
    format!(
        "{{ book {{ categories {{ {}id{} }} }} }}",
        "parent { ".repeat(parents),
        " }".repeat(parents)
    )
}

db_test!(depth_over_ten_is_refused, |app| {
    let driver = app.login(crate::common::DRIVER).await;
    let ok = app
        .gql(&nested_categories(10), json!({}), Some(&driver))
        .await;
    assert!(ok["errors"].is_null(), "{ok}");
    let reply = refused_before_sql(
        &app,
        json!({ "query": nested_categories(11) }),
        "QUERY_TOO_DEEP",
    )
    .await;
    assert!(reply.text.contains("11 levels"), "{}", reply.text);
});

db_test!(complexity_counts_page_sizes, |app| {
    let query = |first: i32| {
        format!(
            "{{ apiTokens(first: {first}) {{ edges {{ cursor node {{ id name prefix createdAt lastUsedAt revokedAt }} }} nodes {{ id name prefix createdAt lastUsedAt revokedAt }} }} }}"
        )
    };
    refused_before_sql(&app, json!({ "query": query(100) }), "QUERY_TOO_COMPLEX").await;
    // The same shape with a small page is fine (it then fails only for lack of a token).
    let small = app.post_json(json!({ "query": query(10) }), None).await;
    assert_eq!(small.code(), Some("UNAUTHENTICATED"), "{}", small.text);
});

db_test!(staff_have_a_larger_complexity_budget_than_drivers, |app| {
    // About 5,000: past a driver's 3,000, within staff's 20,000.
    let listing = "{ clients(first: 50) { nodes { id contracts { invoices(first: 20) { nodes { id total dueDate } } } } } }";
    let admin = app.login(crate::common::ADMIN).await;
    let body = app.gql(listing, json!({}), Some(&admin)).await;
    assert!(body["errors"].is_null(), "{body}");
    let driver = app.login(crate::common::DRIVER).await;
    let body = app.gql(listing, json!({}), Some(&driver)).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
        "{body}"
    );
});

db_test!(
    a_driver_pages_by_a_hundred_of_their_own_transactions,
    |app| {
        // About 2,000: past an anonymous caller's 1,000, within a driver's 3,000.
        let page = "{ book { transactions(first: 100, filter: { period: { from: \"2026-01-01\", to: \"2026-12-31\" } }) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id kind amount date description paid status notes contactName externalId
                category { id name code } account { id name } tags { id name } } } } }";
        let driver = app.login(crate::common::DRIVER).await;
        let body = app.gql(page, json!({}), Some(&driver)).await;
        assert!(body["errors"].is_null(), "{body}");
        let anonymous = app.post_json(json!({ "query": page }), None).await;
        assert_eq!(
            anonymous.code(),
            Some("QUERY_TOO_COMPLEX"),
            "{}",
            anonymous.text
        );
    }
);

db_test!(more_than_fifteen_aliases_are_refused, |app| {
    let aliases = |n: usize| {
        format!(
            "{{ {} }}",
            (0..n)
                .map(|i| format!("a{i}: __typename"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    let ok = app.post_json(json!({ "query": aliases(15) }), None).await;
    assert_eq!(ok.body["data"]["a14"], "Query", "{}", ok.text);
    refused_before_sql(&app, json!({ "query": aliases(16) }), "TOO_MANY_ALIASES").await;
});

db_test!(two_logins_in_one_document_are_refused, |app| {
    let query = r#"mutation {
        login(input: { document: "10442008642", password: "guess1" }) { session { accessToken } }
        again: login(input: { document: "10442008642", password: "guess2" }) { session { accessToken } }
    }"#;
    refused_before_sql(&app, json!({ "query": query }), "TOO_MANY_SENSITIVE_FIELDS").await;
    // Hidden behind a fragment is no way around it.
    let fragment = r#"mutation { ...L ...M }
        fragment L on Mutation { login(input: { document: "1", password: "a" }) { userErrors { code } } }
        fragment M on Mutation { b: refreshToken(input: { refreshToken: "x" }) { userErrors { code } } }"#;
    refused_before_sql(
        &app,
        json!({ "query": fragment }),
        "TOO_MANY_SENSITIVE_FIELDS",
    )
    .await;
});

db_test!(more_than_fifty_directives_are_refused, |app| {
    let query = format!(
        "{{ {} }}",
        vec!["__typename @include(if: true)"; 51].join(" ")
    );
    refused_before_sql(&app, json!({ "query": query }), "TOO_MANY_DIRECTIVES").await;
    let ok = format!(
        "{{ {} }}",
        vec!["__typename @include(if: true)"; 50].join(" ")
    );
    assert_eq!(
        app.post_json(json!({ "query": ok }), None).await.body["data"]["__typename"],
        "Query"
    );
});

db_test!(query_text_over_the_limit_is_refused, |app| {
    let query = format!("{{ __typename }}\n#{}", "x".repeat(15_000));
    refused_before_sql(&app, json!({ "query": query }), "QUERY_TOO_LONG").await;
});

db_test!(a_body_over_256_kib_is_413, |app| {
    let before = app.statements();
    let body = json!({ "query": "{ __typename }", "variables": { "pad": "x".repeat(256 * 1024) } });
    let reply = app.post_json(body, None).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), Some("PAYLOAD_TOO_LARGE"), "{}", reply.text);
    assert_eq!(app.statements(), before);
});

db_test!(a_batch_of_more_than_ten_is_refused, |app| {
    let op = json!({ "query": "{ __typename }" });
    let ten = app
        .post_json(Value::Array(vec![op.clone(); 10]), None)
        .await;
    assert_eq!(ten.body.as_array().map(Vec::len), Some(10), "{}", ten.text);
    let reply = refused_before_sql(&app, Value::Array(vec![op; 11]), "BATCH_TOO_LARGE").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
});

db_test!(
    a_slow_request_times_out_and_keeps_nothing,
    |config| {
        config.limits.timeout = std::time::Duration::from_millis(1);
    },
    |app| {
        // Login cannot finish in 1 ms, so sign the driver's token directly.
        let auth = &app.app.state.auth;
        let token = auth
            .jwt
            .issue(
                gateway::domain::commons::Id::new(1),
                gateway::domain::commons::Id::new(1),
                gateway::entities::user::Role::Client,
                "s",
                chrono::Utc::now(),
            )
            .unwrap()
            .token;
        let change = json!({
            "query": "mutation { changePassword(input: { currentPassword: \"demo1234\", newPassword: \"nuevo5678\", confirmNewPassword: \"nuevo5678\" }) { userErrors { code } } }"
        });
        let reply = app
            .post_json(change, Some(&format!("Bearer {token}")))
            .await;
        assert_eq!(reply.code(), Some("REQUEST_TIMEOUT"), "{}", reply.text);
        // The password did not change.
        let user =
            gateway::entities::user::Entity::find_by_id(app.user_id(crate::common::DRIVER.0).await)
                .one(&app.app.state.db)
                .await
                .unwrap()
                .unwrap();
        assert!(gateway::auth::password::verify(
            "demo1234",
            &user.password_hash
        ));
    }
);

db_test!(
    introspection_and_suggestions_are_off_in_production,
    |config| {
        config.introspection = false;
    },
    |app| {
        let reply = app
            .post_json(json!({ "query": "{ __schema { types { name } } }" }), None)
            .await;
        // async-graphql answers a disabled introspection with null, not an error.
        assert!(reply.body["data"]["__schema"].is_null(), "{}", reply.text);
        let typo = app
            .post_json(json!({ "query": "{ mee { id } }" }), None)
            .await;
        assert!(!typo.text.contains("Did you mean"), "{}", typo.text);
    }
);

use sea_orm::EntityTrait;

db_test!(
    operations_beyond_the_concurrency_limit_wait_their_turn_within_the_timeout,
    |config| {
        config.limits.max_concurrent = 1;
        config.limits.timeout = std::time::Duration::from_millis(300);
    },
    |app| {
        let executions = app.app.state.executions.clone();
        let typename = json!({ "query": "{ __typename }" });
        // Every turn taken (as by a long operation): the request waits, then times out.
        let busy = executions.clone().acquire_owned().await.unwrap();
        let reply = app.post_json(typename.clone(), None).await;
        assert_eq!(reply.code(), Some("REQUEST_TIMEOUT"), "{}", reply.text);
        // A turn freed while it waits: it runs.
        let waiting = app.post_json(typename.clone(), None);
        let release = async {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            drop(busy);
        };
        let (reply, ()) = tokio::join!(waiting, release);
        assert_eq!(reply.body["data"]["__typename"], "Query", "{}", reply.text);
        assert_eq!(executions.available_permits(), 1);
    }
);

/// GraphiQL's introspection query, verbatim (graphql-js `getIntrospectionQuery()` as
/// GraphiQL 3.9 sends it), and the one code generators send with every option on.
/// Both nest `ofType` to 15 levels, past the depth limit of data.
const INTROSPECTION_QUERIES: [(&str, &str); 2] = [
    ("GraphiQL", include_str!("graphiql_introspection.graphql")),
    ("codegen", include_str!("codegen_introspection.graphql")),
];

db_test!(
    graphiql_and_codegen_introspection_pass_the_default_limits,
    |app| {
        for (who, query) in INTROSPECTION_QUERIES {
            let reply = app
                .post_json(
                    json!({ "query": query, "operationName": "IntrospectionQuery" }),
                    None,
                )
                .await;
            assert!(reply.body["errors"].is_null(), "{who}: {}", reply.text);
            let types = reply.body["data"]["__schema"]["types"]
                .as_array()
                .unwrap_or_else(|| panic!("{who}: no types: {}", reply.text));
            let query_type = types
                .iter()
                .find(|t| t["name"] == "Query")
                .expect("the Query type");
            let pay_summary = query_type["fields"]
                .as_array()
                .and_then(|fields| fields.iter().find(|f| f["name"] == "paySummary"))
                .expect("paySummary");
            assert!(
                pay_summary["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("What paying these invoices would charge now")),
                "{who}: {pay_summary}"
            );
        }
    }
);

db_test!(introspection_is_bounded_by_its_own_depth_limit, |app| {
    // __schema { types { fields { type { ofType { ... { name } } } } } }
    let nested = |levels: usize| {
        let mut query = String::from("{ __schema { types { fields { type ");
        let mut close = String::from("} } } }");
        for _ in 0..levels.saturating_sub(5) {
            query.push_str("{ ofType ");
            close.push_str(" }");
        }
        format!("{query}{{ name }} {close}")
    };
    let ok = app.post_json(json!({ "query": nested(20) }), None).await;
    assert!(ok.body["errors"].is_null(), "{}", ok.text);
    let reply = refused_before_sql(&app, json!({ "query": nested(21) }), "QUERY_TOO_DEEP").await;
    assert!(reply.text.contains("introspection"), "{}", reply.text);
});

// A document sent again is not parsed again (`commons::documents`), but each request is
// still its own: its variables answer, its operation name chooses, and a value the limits
// refuse is refused in a document that passed them before.
db_test!(
    a_document_sent_again_answers_each_requests_variables,
    |app| {
        for document in ["70000011", "70000012"] {
            let role = gateway::entities::user::Role::Client;
            app.add_user("leasy-demo", document, "clave1234", role)
                .await;
        }
        let token = app.login(crate::common::ADMIN).await;
        let bearer = format!("Bearer {token}");
        let document = "query Few($n: Int) { clients(first: $n) { nodes { document } } }
                    query Count { clients { totalCount } }";
        let mut sizes = Vec::new();
        for n in [1, 2, 1] {
            let reply = app
                .post_json(
                    json!({ "query": document, "operationName": "Few", "variables": { "n": n } }),
                    Some(&bearer),
                )
                .await;
            let body = reply.body.clone();
            assert!(body["errors"].is_null(), "{body}");
            sizes.push(body["data"]["clients"]["nodes"].as_array().unwrap().len());
        }
        assert_eq!(sizes, [1, 2, 1]);
        let count = app
            .post_json(
                json!({ "query": document, "operationName": "Count" }),
                Some(&bearer),
            )
            .await
            .body;
        assert!(
            count["data"]["clients"]["totalCount"].is_number(),
            "{count}"
        );
        let document = "query($search: String) { clients(first: 1, filter: { search: $search }) { totalCount } }";
        let ok = app
            .post_json(
                json!({ "query": document, "variables": { "search": "a" } }),
                Some(&bearer),
            )
            .await
            .body;
        assert!(ok["errors"].is_null(), "{ok}");
        let before = app.statements();
        let reply = app
            .post_json(
                json!({ "query": document, "variables": { "search": "a\u{0}b" } }),
                Some(&bearer),
            )
            .await;
        assert_eq!(reply.code(), Some("BAD_USER_INPUT"), "{}", reply.text);
        assert_eq!(app.statements(), before, "refused before any SQL");
    }
);

// GraphiQL sends its whole editor with the name of the operation to run: that one runs
// alone, so the others' variables are not needed and their cost is not counted (both
// refused the light operation before: async-graphql costs every operation of a document
// and reads each one's arguments). The limits still refuse the heavy one when it is run.
db_test!(a_document_runs_the_operation_it_names_alone, |app| {
    let token = app.login(crate::common::ADMIN).await;
    let bearer = format!("Bearer {token}");
    let heavy = "query Heavy { clients(first: 100) { nodes { ...Driver contracts {
          invoices(first: 100) { nodes { id total discounts { id amount } } } } } } }
        query Few($n: Int!) { clients(first: $n) { nodes { ...Driver } } }
        query Count { clients { totalCount } }
        fragment Driver on Client { id document }";
    let run = |name: &str, variables: Value| {
        let body = json!({ "query": heavy, "operationName": name, "variables": variables });
        app.post_json(body, Some(&bearer))
    };
    let count = run("Count", json!({})).await;
    assert!(count.body["errors"].is_null(), "{}", count.text);
    assert!(
        count.body["data"]["clients"]["totalCount"].is_number(),
        "{}",
        count.text
    );
    let few = run("Few", json!({ "n": 1 })).await;
    assert!(few.body["errors"].is_null(), "{}", few.text);
    assert_eq!(
        few.body["data"]["clients"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let refused = run("Heavy", json!({})).await;
    assert_eq!(
        refused.code(),
        Some("QUERY_TOO_COMPLEX"),
        "{}",
        refused.text
    );
    let unknown = run("Other", json!({})).await;
    assert_eq!(unknown.code(), Some("BAD_REQUEST"), "{}", unknown.text);
    let message = unknown.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("\"Other\""), "{message}");
    let before = app.statements();
    let unnamed = app
        .post_json(json!({ "query": heavy }), Some(&bearer))
        .await;
    assert_eq!(unnamed.code(), Some("BAD_REQUEST"), "{}", unnamed.text);
    assert!(unnamed.text.contains("operationName"), "{}", unnamed.text);
    assert_eq!(app.statements(), before, "refused before any SQL");
});
