//! The staff's fleet page compiled into one PostgreSQL statement (`fast::fleet`):
//! its answers must be the resolvers' answers, field by field. Each query is asked as it
//! is and once more with one field the compiler does not know (`cards`, removed from
//! the answer before comparing), which leaves the whole page to the resolvers. On SQLite
//! both ways resolve; the statement counts say which way PostgreSQL took.

use chrono::NaiveDate;
use gateway::entities::{
    contract, invoice::InvoiceStatus, invoice_discount, invoice_type, user::Role,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set,
    Statement,
};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, DRIVER, TestApp, fixtures, ws_next, ws_subscribe},
    db_test,
};

/// Every field the compiler knows, with aliases, `__typename`, a fragment and both
/// spellings of an enum argument (a literal and a variable).
const WIDE: &str = "query($first: Int!, $status: InvoiceStatus) {
  clients(first: $first) {
    __typename
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      __typename id document firstName lastName fullName email role active name: fullName
      createdAt deactivatedAt address phoneNumber coins
      plan { __typename id name code discountPercent description }
      phones { __typename phoneNumber number: phoneNumber }
      wallet {
        __typename balance
        movements(first: 2) {
          totalCount pageInfo { hasNextPage endCursor } nodes { direction amount balanceAfter }
        }
      }
      contracts {
        __typename id hash status weeklyAmount autoCharge processorPublicKey createdAt
        state terminatedOn terminationReason
        summary { __typename totalInvoices totalInvoicesPaid totalInvoicesPending pendingPenalties }
        counts: summary { totalInvoices }
        car {
          __typename brand model licensePlate year
          documents { __typename kind label number owner dueDate fileUrl }
        }
        invoices(first: 4) {
          __typename totalCount
          nodes { ...InvoiceFields }
        }
        recent: invoices(last: 3) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { id status parent { id hash } fractions { id total parent { id } } } }
        }
        pending: invoices(first: 2, status: PENDING) { totalCount nodes { id total } }
        chosen: invoices(status: $status) { nodes { hash status } }
      }
    }
  }
}
fragment InvoiceFields on Invoice {
  __typename id hash status priority dueDate paidDate total observations totalWithDiscount
  createdAt
  type { __typename name code }
  discounts { __typename id amount observations type kind: type createdAt }
  parent { id hash }
  fractions { __typename id total status parent { id } }
}";

/// `query` asked as it is and with a field added to the drivers' `nodes` that only the
/// resolvers answer: the two answers, each with the statements it cost.
async fn both_ways(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
) -> ((Value, u64), (Value, u64)) {
    both_ways_at(app, token, query, variables, "nodes").await
}

/// [`both_ways`] for a page of drivers asked as `list`: `nodes`, or `edges` (the marker
/// goes into the first `node {`). A page that does not compile whole still compiles each
/// driver's `contracts` (one statement for the level, a subtree over the drivers' rows);
/// a [`MARKER`] in the first `contracts {` leaves the contracts to the resolvers, and
/// then each contract's `car` and `invoices` compile (subtrees over the contracts' rows);
/// markers in every `car` and `invoices` too leave everything to the resolvers. The
/// answer compared is the one resolved field by field, which must also be each other
/// way's answer (markers removed).
async fn both_ways_at(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    list: &str,
) -> ((Value, u64), (Value, u64)) {
    let anchor = if list == "edges" { "node {" } else { "nodes {" };
    let subtree_query = query.replacen(
        anchor,
        &format!("{anchor} resolvedMarker: cards {{ id }} "),
        1,
    );
    assert_ne!(
        subtree_query, query,
        "the query must select the drivers' nodes"
    );
    let contract_query =
        subtree_query.replacen("contracts {", &format!("contracts {{ {MARKER}"), 1);
    let resolved_query = mark_every(&mark_every(&contract_query, "car"), "invoices");
    let mut answers = Vec::new();
    for query in [query, &subtree_query, &contract_query, &resolved_query] {
        let before = app.statements();
        let body = app.gql(query, variables.clone(), Some(token)).await;
        let statements = app.statements() - before;
        assert!(body["errors"].is_null(), "{body}");
        answers.push((body, statements));
    }
    let mut answers = answers.into_iter();
    let compiled = answers.next().unwrap();
    let without_markers = |mut answer: Value| {
        for item in answer["data"]["clients"][list].as_array_mut().unwrap() {
            let node = if list == "edges" {
                &mut item["node"]
            } else {
                item
            };
            let marker = node.as_object_mut().unwrap().remove("resolvedMarker");
            assert!(marker.is_some(), "{node}");
        }
        without_marks(answer, &compiled.0)
    };
    let ways: Vec<_> = answers.collect();
    let (resolved, resolved_statements) = ways[2].clone();
    let resolved = without_markers(resolved);
    for (way, (answer, statements)) in [
        ("compiled contracts", ways[0].clone()),
        ("compiled cars and invoices", ways[1].clone()),
    ] {
        assert_eq!(without_markers(answer), resolved, "{way}");
        if app.backend == "postgres" {
            assert!(
                statements <= resolved_statements,
                "{way}: {statements} against {resolved_statements}"
            );
        }
    }
    (compiled, (resolved, resolved_statements))
}

/// `__typename` given twice, a response key given twice: no compiler takes the selection
/// that holds it. (Unaliased, so that it adds no alias to the document's count.)
const MARKER: &str = "__typename __typename ";

/// `query` with [`MARKER`] in the selection of every field named `field`.
fn mark_every(query: &str, field: &str) -> String {
    let mut marked = String::new();
    let mut rest = query;
    while let Some(at) = rest.find(field) {
        let (before, after) = rest.split_at(at + field.len());
        let word = !before[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        marked.push_str(before);
        match after.find('{').filter(|_| word) {
            Some(open) => {
                marked.push_str(&after[..=open]);
                marked.push_str(MARKER);
                rest = &after[open + 1..];
            }
            None => rest = after,
        }
    }
    marked.push_str(rest);
    marked
}

/// `answer` without the `__typename`s the [`MARKER`]s added: those `unmarked` (the answer
/// to the query without markers) does not have at the same place.
fn without_marks(mut answer: Value, unmarked: &Value) -> Value {
    fn strip(answer: &mut Value, unmarked: &Value) {
        match (answer, unmarked) {
            (Value::Object(object), Value::Object(like)) => {
                if !like.contains_key("__typename") {
                    object.remove("__typename");
                }
                for (key, value) in object.iter_mut() {
                    strip(value, like.get(key).unwrap_or(&Value::Null));
                }
            }
            (Value::Array(items), Value::Array(like)) => {
                for (item, like) in items.iter_mut().zip(like) {
                    strip(item, like);
                }
            }
            _ => {}
        }
    }
    strip(&mut answer, unmarked);
    answer
}

/// Drivers the demo data lacks: one with no email and no contract, one whose contract
/// has no car and invoices with awkward amounts and observations, and who has a
/// terminated contract (with a pending penalty) and a finished one (every invoice paid,
/// cancelled or split, the split one into two paid fractions).
async fn add_unusual_drivers(app: &TestApp) {
    let db = &app.app.state.db;
    app.add_user("leasy-demo", "70000001", "clave1234", Role::Client)
        .await;
    let driver = app
        .add_user("leasy-demo", "70000002", "clave1234", Role::Client)
        .await;
    let contract = fixtures::add_contract(db, driver, true).await;
    let day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
    // Discounts: none, one, more than the total (nothing left to pay), two.
    for (total, observations, discounts) in [
        (1, "it's 1 céntimo: ñandú \\ / \n \"tab\"\t", &[][..]),
        (999_999_999_999, "", &[1][..]),
        (0, "zero", &[][..]),
        (10, "ten", &[3, 20][..]),
    ] {
        let mut invoice = fixtures::new_invoice(contract.id, InvoiceStatus::Pending, total, day);
        invoice.observations = Set(observations.into());
        // Timestamps with no fraction, milliseconds, microseconds, one microsecond.
        let created = chrono::DateTime::from_timestamp(1_767_323_045, 0).unwrap()
            + chrono::TimeDelta::microseconds([0, 120_000, 123_456, 1][total as usize % 4]);
        invoice.created_at = Set(created);
        let invoice = invoice.insert(db).await.unwrap();
        for (n, amount) in discounts.iter().enumerate() {
            invoice_discount::ActiveModel {
                invoice_id: Set(invoice.id),
                amount_minor: Set(*amount),
                observations: Set(format!("bono {n}: \"ñ\"")),
                kind: Set("bonus".into()),
                created_at: Set((n == 1).then_some(created)),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
    }
    let penalty = invoice_type::Entity::find()
        .filter(invoice_type::Column::Code.eq("penalty"))
        .one(db)
        .await
        .unwrap()
        .expect("the demo's penalty type");
    let mut terminated: contract::ActiveModel =
        fixtures::add_contract(db, driver, false).await.into();
    terminated.terminated_on = Set(Some(day));
    terminated.termination_reason = Set("Choque \"grave\"".into());
    let terminated = terminated.update(db).await.unwrap();
    let mut fine = fixtures::new_invoice(terminated.id, InvoiceStatus::Pending, 5_000, day);
    fine.type_id = Set(penalty.id);
    fine.insert(db).await.unwrap();
    fixtures::new_invoice(terminated.id, InvoiceStatus::Paid, 50_000, day)
        .insert(db)
        .await
        .unwrap();
    let finished = fixtures::add_contract(db, driver, false).await;
    let mut split = None;
    for status in [
        InvoiceStatus::Paid,
        InvoiceStatus::Cancelled,
        InvoiceStatus::Split,
    ] {
        let row = fixtures::new_invoice(finished.id, status, 50_000, day)
            .insert(db)
            .await
            .unwrap();
        split = Some(row.id);
    }
    // The split invoice's two fractions, both paid.
    for total in [20_000, 30_000] {
        let mut fraction = fixtures::new_invoice(finished.id, InvoiceStatus::Paid, total, day);
        fraction.parent_id = Set(split);
        fraction.insert(db).await.unwrap();
    }
}

// A contract's invoices cut every way (forward as `PageArgs::forward` cuts them, from the
// cursor even past the end; backward as `PageArgs::window` does; of a status with no
// invoice at all), with `pageInfo`, `totalCount` and edges, answer as the resolvers do,
// and the whole page stays one statement (two with the drivers' count).
db_test!(
    a_contracts_invoices_cut_every_way_answer_as_the_resolvers_do,
    |app| {
        add_unusual_drivers(&app).await;
        let token = app.login(ADMIN).await;
        let query = "query($first: Int, $after: String, $last: Int, $before: String,
                      $status: InvoiceStatus) {
      clients(first: 10) { nodes { document contracts { id
        invoices(status: $status, first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { id status total } } }
        bare: invoices(status: $status, first: $first, after: $after, last: $last,
                       before: $before) { nodes { id } }
      } } } }";
        for status in [json!(null), json!("FROZEN")] {
            for cut in crate::common::compiled::cuts() {
                let mut variables = cut.clone();
                variables["status"] = status.clone();
                let ((compiled, statements), (resolved, _)) =
                    both_ways(&app, &token, query, variables.clone()).await;
                assert_eq!(compiled, resolved, "{variables}");
                if app.backend == "postgres" {
                    assert_eq!(statements, 1, "{variables}");
                }
            }
        }
    }
);

db_test!(the_compiled_fleet_page_answers_as_the_resolvers_do, |app| {
    add_unusual_drivers(&app).await;
    let token = app.login(ADMIN).await;
    for (first, status) in [
        (50, json!("PAID")),
        (1, json!(null)),
        (2, json!("FROZEN")),
        (0, json!(null)),
    ] {
        let variables = json!({ "first": first, "status": status });
        let ((compiled, statements), (resolved, resolved_statements)) =
            both_ways(&app, &token, WIDE, variables).await;
        assert_eq!(compiled, resolved, "first: {first}");
        if app.backend == "postgres" {
            // The page and its count, at the same time.
            assert_eq!(statements, 2, "first: {first}");
        }
        if first > 0 {
            assert!(resolved_statements > 2, "{resolved_statements}");
        }
        let clients = &compiled["data"]["clients"];
        assert_eq!(clients["totalCount"], 3, "{compiled}");
        let nodes = clients["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), first.min(3), "{compiled}");
        assert_eq!(clients["pageInfo"]["hasNextPage"], first < 3, "{compiled}");
    }

    // What the awkward rows look like (the same both ways, as compared above).
    let body = app.gql(WIDE, json!({ "first": 50 }), Some(&token)).await;
    let nodes = body["data"]["clients"]["nodes"].as_array().unwrap();
    // The demo's driver has a plan and phones: both compared above, not only nulls.
    assert!(
        nodes
            .iter()
            .any(|n| n["plan"]["discountPercent"].is_string()),
        "{body}"
    );
    assert!(
        nodes
            .iter()
            .any(|n| n["phones"][0]["phoneNumber"].is_string()),
        "{body}"
    );
    // The demo's car has its five documents, some without a number or an owner.
    let documents = nodes
        .iter()
        .flat_map(|n| n["contracts"].as_array().unwrap())
        .filter_map(|c| c["car"]["documents"].as_array())
        .flatten()
        .collect::<Vec<_>>();
    assert!(documents.len() >= 5, "{body}");
    assert!(documents.iter().any(|d| d["dueDate"].is_string()), "{body}");
    let no_email = nodes.iter().find(|n| n["document"] == "70000001").unwrap();
    assert_eq!(no_email["email"], Value::Null);
    assert_eq!(no_email["contracts"], json!([]));
    assert_eq!(no_email["role"], "CLIENT");
    let carless = nodes.iter().find(|n| n["document"] == "70000002").unwrap();
    let states: Vec<&Value> = carless["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["state"])
        .collect();
    assert_eq!(
        states,
        [&json!("ACTIVE"), &json!("TERMINATED"), &json!("FINISHED")]
    );
    let ended = &carless["contracts"][1];
    assert_eq!(ended["terminationReason"], "Choque \"grave\"");
    assert_eq!(
        ended["summary"],
        json!({ "__typename": "ContractSummary", "totalInvoices": 2, "totalInvoicesPaid": 1,
                "totalInvoicesPending": 1, "pendingPenalties": 1 })
    );
    // The finished contract's last three invoices, a backward page: the split one and
    // its two fractions.
    let recent = &carless["contracts"][2]["recent"];
    assert_eq!(recent["totalCount"], 5, "{recent}");
    assert_eq!(recent["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(recent["pageInfo"]["hasNextPage"], false);
    assert_eq!(recent["edges"][0]["cursor"], crate::common::raw_cursor(2));
    let split = &recent["edges"][0]["node"];
    assert_eq!(split["status"], "SPLIT");
    assert_eq!(split["fractions"][1]["total"], "300.00");
    assert_eq!(split["fractions"][0]["parent"]["id"], split["id"]);
    assert_eq!(recent["edges"][2]["node"]["parent"]["id"], split["id"]);
    assert_eq!(carless["contracts"][0]["terminationReason"], Value::Null);
    let contract = &carless["contracts"][0];
    assert_eq!(contract["car"], Value::Null);
    assert_eq!(contract["weeklyAmount"], "500.00");
    assert_eq!(contract["autoCharge"], true);
    assert_eq!(contract["invoices"]["totalCount"], 4);
    let totals: Vec<&Value> = contract["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["total"])
        .collect();
    assert_eq!(
        totals,
        [
            &json!("0.01"),
            &json!("9999999999.99"),
            &json!("0.00"),
            &json!("0.10")
        ]
    );
    let to_pay: Vec<&Value> = contract["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["totalWithDiscount"])
        .collect();
    assert_eq!(
        to_pay,
        [
            &json!("0.01"),
            &json!("9999999999.98"),
            &json!("0.00"),
            &json!("0.00")
        ]
    );
    assert_eq!(
        contract["invoices"]["nodes"][3]["discounts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        contract["invoices"]["nodes"][1]["discounts"][0]["amount"],
        "0.01"
    );
    assert_eq!(
        contract["invoices"]["nodes"][0]["observations"],
        "it's 1 céntimo: ñandú \\ / \n \"tab\"\t"
    );
    assert_eq!(contract["invoices"]["nodes"][0]["dueDate"], "2026-02-28");
});

/// The fleet page asked as a client generated for Relay asks it: edges with cursors,
/// at every level, and a page after a cursor.
const EDGES: &str = "query($first: Int!, $after: String, $status: InvoiceStatus) {
  clients(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      __typename cursor at: cursor
      node {
        __typename id fullName
        contracts {
          hash
          invoices(first: 3, status: $status) {
            totalCount
            edges { __typename cursor node { __typename id total totalWithDiscount dueDate } }
          }
          all: invoices { edges { cursor } }
        }
      }
    }
  }
}";

db_test!(
    edges_and_their_cursors_compile_as_the_resolvers_answer_them,
    |app| {
        add_unusual_drivers(&app).await;
        let token = app.login(ADMIN).await;
        let second = crate::common::raw_cursor(0);
        for (first, after, status) in [
            (50, json!(null), json!(null)),
            (1, json!(second), json!("PENDING")),
            (2, json!(null), json!("PAID")),
            (0, json!(null), json!(null)),
        ] {
            let variables = json!({ "first": first, "after": after, "status": status });
            let ((compiled, statements), (resolved, resolved_statements)) =
                both_ways_at(&app, &token, EDGES, variables, "edges").await;
            assert_eq!(compiled, resolved, "first: {first}, after: {after}");
            if app.backend == "postgres" {
                // The page and its count, at the same time, whatever the page's width.
                assert_eq!(statements, 2, "first: {first}");
            }
            if first > 0 {
                assert!(resolved_statements > 2, "{resolved_statements}");
            }
            let edges = compiled["data"]["clients"]["edges"].as_array().unwrap();
            assert_eq!(edges.len(), first.min(3), "{compiled}");
        }
        // A page after the first driver starts at the second: its first cursor is the
        // position 1.
        let body = app
            .gql(EDGES, json!({ "first": 1, "after": second }), Some(&token))
            .await;
        assert_eq!(
            body["data"]["clients"]["edges"][0]["cursor"],
            crate::common::raw_cursor(1),
            "{body}"
        );
    }
);

db_test!(the_nested_page_of_the_benchmark_is_one_statement, |app| {
    let token = app.login(ADMIN).await;
    let query = "query { clients(first: 50) { nodes { __typename id fullName contracts { hash car { model } invoices(first: 10) { nodes { total dueDate } } } } } }";
    let ((compiled, statements), (resolved, resolved_statements)) =
        both_ways(&app, &token, query, json!({})).await;
    assert_eq!(compiled, resolved);
    let expected = if app.backend == "postgres" { 1 } else { 4 };
    assert_eq!(statements, expected, "{compiled}");
    // Drivers, contracts, cars, invoice pages and the cards the driver's marker reads.
    assert_eq!(resolved_statements, 5);
    // With a driver's field the compiler does not know, the drivers resolve and their
    // contracts compile: drivers, cards, then every driver's contracts at once.
    let with_profile = query.replacen("nodes {", "nodes { cards { id } ", 1);
    let before = app.statements();
    let body = app.gql(&with_profile, json!({}), Some(&token)).await;
    assert!(body["errors"].is_null(), "{body}");
    let expected = if app.backend == "postgres" { 3 } else { 5 };
    assert_eq!(app.statements() - before, expected);
});

// A field the compiler does not know deep in the page (a car's photos) leaves only its
// own subtree to the resolvers: the drivers, their contracts and cars resolve, and each
// contract's invoices (with their type, discounts and fractions) still compile, one
// statement for every contract of the level, however wide the page.
db_test!(
    a_field_that_does_not_compile_leaves_only_its_own_subtree,
    |app| {
        add_unusual_drivers(&app).await;
        let token = app.login(ADMIN).await;
        let query = "query($first: Int!) { clients(first: $first) { nodes { id contracts { hash car { model photos } invoices(first: 10) { totalCount nodes { total type { name } discounts { amount } fractions { id total } } } } } } }";
        let resolved_query = mark_every(query, "invoices");
        let mut counts = Vec::new();
        for first in [5, 50] {
            let variables = json!({ "first": first });
            let before = app.statements();
            let answer = app.gql(query, variables.clone(), Some(&token)).await;
            let statements = app.statements() - before;
            let before = app.statements();
            let resolved = app.gql(&resolved_query, variables, Some(&token)).await;
            let resolved_statements = app.statements() - before;
            assert!(answer["errors"].is_null(), "{answer}");
            assert_eq!(answer, without_marks(resolved, &answer), "first: {first}");
            let contracts = answer["data"]["clients"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|n| n["contracts"].as_array().unwrap().clone())
                .collect::<Vec<_>>();
            assert!(
                contracts.iter().any(|c| c["car"]["photos"].is_array()),
                "{answer}"
            );
            assert!(
                contracts
                    .iter()
                    .any(|c| !c["invoices"]["nodes"].as_array().unwrap().is_empty()),
                "{answer}"
            );
            if app.backend == "postgres" {
                // The drivers' page, their contracts, the cars, then every contract's
                // invoices at once.
                assert_eq!(statements, 4, "first: {first}");
                assert!(resolved_statements > statements, "{resolved_statements}");
            }
            counts.push((statements, resolved_statements));
        }
        assert_eq!(counts[0], counts[1], "statements at 5 and at 50 drivers");
    }
);

/// A caller's `me` with fragments on each of its possible types: under the same response
/// key (`name`) a `Client` answers its last name and a `StaffUser` its first name, so a
/// fragment read on the wrong type shows. An argument's variable takes its default.
const ME: &str = "query($status: InvoiceStatus = PENDING, $first: Int) {
  me {
    __typename MARK
    id
    ...Person
    ... on Node { nodeId: id }
    ... on StaffUser { name: firstName }
    ... on Client {
      name: lastName fullName document phoneNumber address coins active deactivatedAt
      plan { __typename name code discountPercent }
      wallet { balance movements(first: 2) { totalCount nodes { direction amount } } }
      phones { number: phoneNumber }
      contracts {
        hash car { model }
        invoices(status: $status, first: $first) { totalCount nodes { total dueDate status } }
      }
    }
  }
}
fragment Person on User { email role createdAt ... on Client { firstName } }";

// A driver's `me` (a dashboard's caller, plan, wallet, contracts and invoices) is one
// statement on PostgreSQL, and answers as the resolvers do, fragments read on the
// driver's type only: for drivers with and without a profile, plan, contract or car.
db_test!(
    a_drivers_me_is_one_statement_with_their_fragments_only,
    |app| {
        add_unusual_drivers(&app).await;
        for driver in [
            crate::common::DRIVER,
            ("70000001", "clave1234"),
            ("70000002", "clave1234"),
        ] {
            let token = app.login(driver).await;
            for variables in [json!({}), json!({ "status": null, "first": 1 })] {
                let (answer, statements, resolved) =
                    crate::common::compiled::both_ways(&app, &token, ME, variables.clone()).await;
                let me = &answer["data"]["me"];
                assert_eq!(me["__typename"], "Client", "{answer}");
                assert_eq!(me["document"], driver.0, "{answer}");
                let (name, full) = (
                    me["name"].as_str().unwrap(),
                    me["fullName"].as_str().unwrap(),
                );
                assert!(
                    full.ends_with(name) && me["name"] != me["firstName"],
                    "{answer}"
                );
                assert_eq!(me["nodeId"], me["id"], "{answer}");
                if app.backend == "postgres" {
                    assert_eq!(statements, 1, "{driver:?} {variables}: {answer}");
                    assert!(resolved > 1, "{resolved}");
                }
            }
        }
        // Staff answer their own type, resolved.
        let token = app.login(ADMIN).await;
        let body = app
            .gql(&ME.replace("MARK", ""), json!({}), Some(&token))
            .await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(body["data"]["me"]["__typename"], "StaffUser", "{body}");
        assert_eq!(body["data"]["me"]["name"], "Ana", "{body}");
        assert!(body["data"]["me"]["contracts"].is_null(), "{body}");
    }
);

// Selections the compiler leaves to the resolvers still answer, and refusals keep their
// codes and words.
db_test!(selections_it_cannot_compile_resolve_as_before, |app| {
    let token = app.login(ADMIN).await;
    for query in [
        // edges and nodes at once, a relation it does not know, a repeated key (and a
        // backward page of invoices, which compiles, compared here too).
        "{ clients(first: 5) { __typename edges { cursor node { id } } nodes { id } } }",
        "{ clients(first: 5) { __typename nodes { id cards { id } coins } } }",
        "{ clients(first: 5) { __typename nodes { contracts { invoices(last: 2) { nodes { id } } } } } }",
        "{ clients(first: 5) { __typename nodes { id ... on Client { id fullName } } } }",
        "{ clients(first: 5) { __typename nodes { organization { name } contracts { createdAt } } } }",
    ] {
        let ((compiled, _), (resolved, _)) = both_ways(&app, &token, query, json!({})).await;
        assert_eq!(compiled, resolved, "{query}");
        assert!(
            compiled["data"]["clients"]["nodes"][0].is_object(),
            "{compiled}"
        );
    }
    // `nodes` twice, under two response keys: each with its own selection.
    let body = app
        .gql(
            "{ clients(first: 5) { a: nodes { id } nodes { fullName } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let keys = |list: &str| {
        body["data"]["clients"][list][0]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
    };
    assert_eq!(keys("a"), Some(vec!["id".to_string()]), "{body}");
    assert_eq!(keys("nodes"), Some(vec!["fullName".to_string()]), "{body}");
    for query in [
        "{ clients(first: 5) { nodes { contracts { invoices(first: 101) { nodes { id } } } } } }",
        "{ clients(first: 5) { nodes { contracts { invoices(first: -1) { nodes { id } } } } } }",
    ] {
        let body = app.gql(query, json!({}), Some(&token)).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
    }
    // Only staff list drivers, compiled or not.
    let (driver, _) = app.new_driver("70000003").await;
    let body = app
        .gql(
            "{ clients(first: 5) { nodes { id } } }",
            json!({}),
            Some(&driver),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
});

// Over WebSockets the compiled JSON is read into the answer's values (no splice into an
// HTTP body): the answer is the same as over HTTP.
db_test!(over_websockets_the_compiled_page_answers_the_same, |app| {
    let token = app.login(ADMIN).await;
    let query = "{ clients(first: 50) { nodes { __typename id fullName contracts { hash car { model } invoices(first: 3) { totalCount nodes { total dueDate status } } } } } }";
    let http = app.gql(query, json!({}), Some(&token)).await;
    assert!(http["errors"].is_null(), "{http}");
    assert!(
        http["data"]["clients"]["nodes"][0]["contracts"][0]["invoices"]["nodes"][0]["total"]
            .is_string(),
        "{http}"
    );
    let addr = app.serve().await;
    // The whole page compiled, and only each driver's contracts (beside a profile field).
    let with_profile = query.replacen("nodes {", "nodes { cards { id } ", 1);
    for query in [query, with_profile.as_str()] {
        let http = app.gql(query, json!({}), Some(&token)).await;
        assert!(http["errors"].is_null(), "{http}");
        let mut socket = ws_subscribe(addr, &token, query).await;
        let next = ws_next(&mut socket).await;
        assert_eq!(next["type"], "next", "{next}");
        assert_eq!(next["payload"]["data"], http["data"]);
    }
});

// Two selections of a resolved driver's contracts under two aliases compile to two
// subtrees, both read for every driver at once (one statement for the level, not one per
// driver or per selection), and answer as the resolvers do.
db_test!(
    two_contract_subtrees_of_one_level_are_one_statement,
    |app| {
        let token = app.login(ADMIN).await;
        let query = "{ clients(first: 50) { nodes { id cards { id } a: contracts { hash } b: contracts { id car { model } invoices(first: 2) { nodes { total } } } } } }";
        let before = app.statements();
        let compiled = app.gql(query, json!({}), Some(&token)).await;
        let statements = app.statements() - before;
        assert!(compiled["errors"].is_null(), "{compiled}");
        // A response key given twice, which no compiler takes, leaves both subtrees to
        // the resolvers.
        let resolved_query = query
            .replace(
                "a: contracts {",
                "a: contracts { marker: __typename marker: __typename ",
            )
            .replace(
                "b: contracts {",
                "b: contracts { marker: __typename marker: __typename ",
            );
        let mut resolved = app.gql(&resolved_query, json!({}), Some(&token)).await;
        assert!(resolved["errors"].is_null(), "{resolved}");
        for node in resolved["data"]["clients"]["nodes"].as_array_mut().unwrap() {
            for key in ["a", "b"] {
                for contract in node[key].as_array_mut().unwrap() {
                    assert!(contract.as_object_mut().unwrap().remove("marker").is_some());
                }
            }
        }
        assert_eq!(compiled, resolved);
        assert!(
            compiled["data"]["clients"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| !n["b"].as_array().unwrap().is_empty()),
            "{compiled}"
        );
        // Drivers and cards, then both subtrees; SQLite resolves a, and b's contracts,
        // cars and invoice pages.
        let expected = if app.backend == "postgres" { 3 } else { 5 };
        assert_eq!(statements, expected);
    }
);

// A page's LIMIT and OFFSET are written into its statement, not bound
// (`domain::reads::window`): PostgreSQL plans a prepared page once and keeps the plan.
// With a bound LIMIT it planned the page again at every request, since its generic
// plan, costed for a limit it cannot see, never won: a third of a millisecond per request
// on the benchmark's page of 50 drivers. The read pool has one connection here, so the
// plans counted are those of every request's statements.
//
// SQLite plans every statement anew: there is no plan to keep, so this runs on
// PostgreSQL only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_is_planned_once_and_its_plan_kept() {
    let Some(app) = TestApp::postgres(|config| config.db_read_connections = Some(1)).await else {
        crate::common::skip_or_fail("TEST_DATABASE_URL is not set: the test did not run");
        return;
    };
    let staff = app.login(ADMIN).await;
    let driver = app.login(DRIVER).await;
    // Each page compiled, then read as rows (a field that does not compile): the
    // drivers page is a listing's window, a book's page of transactions a keyset one.
    let pages = [
        (&staff, "{ clients(first: 2) { nodes { id fullName } } }"),
        (
            &staff,
            "{ clients(first: 2) { nodes { id cards { id } } } }",
        ),
        (
            &driver,
            "{ book { transactions(first: 3) { nodes { id description } } } }",
        ),
        (
            &driver,
            "{ book { transactions(first: 3) { nodes { id transfer { id } } } } }",
        ),
    ];
    // And the contracts' invoice pages read by the resolvers' batch (`MARKER` keeps
    // them from compiling), the driver having one contract more at each round.
    let driver = app.user_id(DRIVER.0).await;
    let invoices = format!(
        "{{ clients(first: 4) {{ nodes {{ contracts {{ \
         invoices(first: 2) {{ {MARKER} nodes {{ id }} }} }} }} }} }}"
    );
    for _ in 0..8 {
        for (token, query) in pages {
            let body = app.gql(query, json!({}), Some(token)).await;
            assert!(body["errors"].is_null(), "{body}");
        }
        fixtures::add_contract(&app.app.state.db, driver, false).await;
        let body = app.gql(&invoices, json!({}), Some(&staff)).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let invoice_page = "statement LIKE '%FROM invoices WHERE contract_id = parent.id%'";
    // Five pages (the last query's drivers page is a fifth).
    let filter = format!("statement LIKE '% LIMIT %' AND NOT {invoice_page}");
    let plans = prepared_statements(&app, &filter).await;
    assert_eq!(plans.len(), 5, "{plans:#?}");
    for (statement, generic, custom) in plans {
        // PostgreSQL tries five custom plans before it weighs the generic one.
        assert_eq!((generic, custom), (3, 5), "{statement}");
    }
    // One statement for batches of eight sizes, so that PostgreSQL can keep its plan.
    // (It keeps it from a few dozen contracts on: below, a plan made for the batch's
    // known size costs less than the generic one, and it plans each.)
    let pages = prepared_statements(&app, invoice_page).await;
    assert_eq!(pages.len(), 1, "{pages:#?}");
    assert_eq!(pages[0].1 + pages[0].2, 8, "{pages:#?}");
}

// A loader's batch binds its keys as one value (`domain::reads::one_of`): its statement
// is the same text whatever the number of keys, so each connection prepares it once.
// With a placeholder per key, batches of 1, 2, 3 and 4 drivers' cards were four
// statements, each prepared apart and planned five times before PostgreSQL weighs
// keeping a plan. SQLite does not report what it prepared: this runs on PostgreSQL
// only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loaders_statement_is_one_text_for_every_batch_size() {
    let Some(app) = TestApp::postgres(|config| config.db_read_connections = Some(1)).await else {
        crate::common::skip_or_fail("TEST_DATABASE_URL is not set: the test did not run");
        return;
    };
    for n in 1..=3 {
        let document = format!("7000000{n}");
        app.add_user("leasy-demo", &document, "clave1234", Role::Client)
            .await;
    }
    let staff = app.login(ADMIN).await;
    let driver = app.login(DRIVER).await;
    for first in 1..=4 {
        // A driver's cards are read by the resolvers' batch (one key per driver), and
        // so are a book page's tags when `MARKER` keeps the page from compiling.
        let cards = format!("{{ clients(first: {first}) {{ nodes {{ id cards {{ id }} }} }} }}");
        let body = app.gql(&cards, json!({}), Some(&staff)).await;
        let drivers = body["data"]["clients"]["nodes"].as_array().unwrap();
        assert_eq!(drivers.len(), first, "{body}");
        let tags = format!(
            "{{ book {{ transactions(first: {first}) {{ {MARKER} nodes {{ id tags {{ id }} }} }} }} }}"
        );
        let body = app.gql(&tags, json!({}), Some(&driver)).await;
        let transactions = body["data"]["book"]["transactions"]["nodes"].as_array();
        assert_eq!(transactions.map(Vec::len), Some(first), "{body}");
    }
    for loader in [
        r#"statement LIKE '%FROM "cards" WHERE%'"#,
        r#"statement LIKE '%FROM "book_tags" INNER JOIN "book_transaction_tags"%'"#,
    ] {
        let prepared = prepared_statements(&app, loader).await;
        assert_eq!(prepared.len(), 1, "{loader}: {prepared:#?}");
    }
}

/// The statements the read pool's connection prepared that `filter` (SQL over
/// `pg_prepared_statements`) keeps: each one's text and its generic and custom plans.
async fn prepared_statements(app: &TestApp, filter: &str) -> Vec<(String, i64, i64)> {
    let sql = format!(
        "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements \
         WHERE {filter} AND statement NOT LIKE '%pg_prepared_statements%'"
    );
    let rows = app
        .app
        .state
        .read_only
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            let column = |name| row.try_get::<i64>("", name).unwrap();
            let statement = row.try_get("", "statement").unwrap();
            (statement, column("generic_plans"), column("custom_plans"))
        })
        .collect()
}

// A cursor far past any listing (a client's, or a hostile one) is an empty page, read
// or compiled: its offset is written into the page's statement, where neither database
// takes a number past i64.
db_test!(a_cursor_past_every_row_is_an_empty_page, |app| {
    let token = app.login(ADMIN).await;
    for position in [u64::MAX - 1, i64::MAX as u64, 1 << 40] {
        let after = crate::common::raw_cursor(position);
        for nodes in ["id fullName", "id cards { id }"] {
            let query = format!(
                "{{ clients(first: 2, after: \"{after}\") {{ nodes {{ {nodes} }} \
                 pageInfo {{ hasNextPage hasPreviousPage }} }} }}"
            );
            let body = app.gql(&query, json!({}), Some(&token)).await;
            assert_eq!(
                body["data"]["clients"],
                json!({ "nodes": [], "pageInfo": { "hasNextPage": false, "hasPreviousPage": true } }),
                "{position}: {body}"
            );
        }
        // A contract's invoices, compiled (their offset is SQL's) and resolved.
        for more in ["", "cards { id }"] {
            let query = format!(
                "{{ clients(first: 50) {{ nodes {{ {more} contracts {{ \
                 invoices(first: 2, after: \"{after}\") {{ nodes {{ id }} \
                 pageInfo {{ hasNextPage hasPreviousPage }} }} }} }} }} }}"
            );
            let body = app.gql(&query, json!({}), Some(&token)).await;
            assert!(body["errors"].is_null(), "{position}: {body}");
            let pages: Vec<&Value> = body["data"]["clients"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|n| n["contracts"].as_array().unwrap())
                .map(|c| &c["invoices"])
                .collect();
            assert!(!pages.is_empty(), "{body}");
            for page in pages {
                assert_eq!(page["nodes"], json!([]), "{position}: {body}");
                assert_eq!(page["pageInfo"]["hasNextPage"], json!(false), "{body}");
            }
        }
    }
});
