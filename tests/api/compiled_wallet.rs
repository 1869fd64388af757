//! A driver's wallet history compiled on PostgreSQL (`fast::wallet`): `movements` (with
//! their recharges, payments and the invoices those settled) and `recharges`, whole
//! connections with `edges`, cursors, `pageInfo` and `totalCount`, must answer as the
//! resolvers do. Each query is asked both ways (`common::compiled::both_ways`); on SQLite
//! both ways resolve, and the statement counts say which way PostgreSQL took.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, TestApp,
        compiled::{self, both_ways},
        raw_cursor,
        wallet::{Spec, driver, pay, recharge},
    },
    db_test,
};
use gateway::entities::invoice::InvoiceStatus::{Fraction, Pending};

/// Two invoices and two fractions, as the REST API's example.
const INVOICES: [Spec; 4] = [
    (Pending, 52_400, 2_500),
    (Pending, 49_900, 0),
    (Fraction, 2_200, 0),
    (Fraction, 2_200, 0),
];

/// Every field of a movement, its recharge and its payment (with the invoices it
/// settled, their type and discounts), with aliases and `__typename`.
const MOVEMENT: &str = "__typename id direction amount balanceAfter createdAt
  money: amount
  recharge { __typename method amount createdAt observation type }
  payment { __typename id amount source message createdAt
    allocations { __typename amount invoice { __typename id total status dueDate
      type { name code } discounts { amount } } } }";

/// A driver whose wallet was recharged (by 1100.00, 0.01 and 5000.00, the last twice) and
/// paid two invoices and their fractions: five movements, four of them recharges.
async fn a_busy_wallet(app: &TestApp, document: &str) -> String {
    let d = driver(app, document, &INVOICES, "1100.00").await;
    let body = pay(app, &d.token, &[&d.invoices[0], &d.invoices[1]], &uuid()).await;
    assert_eq!(
        body["data"]["payInvoices"]["userErrors"],
        json!([]),
        "{body}"
    );
    let admin = app.login(ADMIN).await;
    for amount in ["0.01", "5000.00", "5000.00"] {
        let body = recharge(app, &admin, &d.gid, amount, &uuid()).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    d.token
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn history_query() -> String {
    format!(
        "query($first: Int, $after: String, $last: Int, $before: String) {{
          me {{ ... on Client {{ wallet {{
            movements(first: $first, after: $after, last: $last, before: $before) {{
              __typename MARK totalCount
              pageInfo {{ __typename hasNextPage hasPreviousPage startCursor endCursor }}
              edges {{ __typename cursor node {{ {MOVEMENT} }} at: cursor }}
            }}
            recharges(first: $first, after: $after, last: $last, before: $before) {{
              __typename MARK totalCount pageInfo {{ hasNextPage endCursor }}
              nodes {{ __typename method amount createdAt observation type }}
            }}
          }} }} }}
        }}"
    )
}

// Every way of cutting a page (forward, backward, both sizes, cursors past either end,
// the default size, an empty page) answers as the resolvers do.
db_test!(
    the_compiled_wallet_history_answers_as_the_resolvers_do,
    |app| {
        let token = a_busy_wallet(&app, "72000001").await;
        let query = history_query();
        let cursor = |p: u64| json!(raw_cursor(p));
        let mut counts = Vec::new();
        for variables in compiled::cuts() {
            let (answer, statements, resolved) =
                both_ways(&app, &token, &query, variables.clone()).await;
            let wallet = &answer["data"]["me"]["wallet"];
            assert_eq!(wallet["movements"]["totalCount"], 5, "{answer}");
            assert_eq!(wallet["recharges"]["totalCount"], 4, "{answer}");
            if app.backend == "postgres" {
                assert!(
                    statements < resolved,
                    "{variables}: {statements} against {resolved}"
                );
            }
            counts.push(statements);
        }
        if app.backend == "postgres" {
            // Whatever the page: the caller, then both connections in one statement.
            assert!(counts.iter().all(|c| *c == counts[0]), "{counts:?}");
        }
        // The newest first: the last recharge, then the payment's debit.
        let (answer, _, _) = both_ways(&app, &token, &query, json!({ "first": 6 })).await;
        let edges = answer["data"]["me"]["wallet"]["movements"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        let directions: Vec<&Value> = edges.iter().map(|e| &e["node"]["direction"]).collect();
        assert_eq!(
            directions,
            ["CREDIT", "CREDIT", "CREDIT", "DEBIT", "CREDIT"]
                .map(|d| json!(d))
                .iter()
                .collect::<Vec<_>>()
        );
        assert_eq!(edges[2]["node"]["amount"], "0.01");
        assert_eq!(
            edges[3]["node"]["payment"]["allocations"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(edges[0]["cursor"], cursor(0));
    }
);

// Arguments the resolvers refuse are refused the same way, with nothing compiled.
db_test!(a_wallet_page_the_resolvers_refuse_is_refused_alike, |app| {
    let token = a_busy_wallet(&app, "72000002").await;
    let query = "query($first: Int, $after: String) { me { ... on Client { wallet {
        movements(first: $first, after: $after) { totalCount nodes { id amount } } } } } }";
    for variables in [
        json!({ "first": -1 }),
        json!({ "first": 101 }),
        json!({ "after": "nope" }),
    ] {
        let body = app.gql(query, variables.clone(), Some(&token)).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
    }
});

// The staff's page of drivers with each one's wallet: compiled whole (the fleet page's
// compiler knows a driver's wallet), or, beside a driver's field it does not know
// (`cards`), the drivers resolve and the movements of every driver on the page are one
// statement; either way the same statements whatever the page's width.
db_test!(
    the_wallets_of_a_page_of_drivers_cost_the_same_statements_whatever_its_width,
    |app| {
        for document in ["72000003", "72000004", "72000005"] {
            a_busy_wallet(&app, document).await;
        }
        let admin = app.login(ADMIN).await;
        let query = format!(
            "query($first: Int) {{ clients(first: $first) {{ nodes {{ id document DRIVER
               wallet {{ balance movements(first: 3) {{ __typename MARK totalCount
                 nodes {{ {MOVEMENT} }} }} }} }} }} }}"
        );
        for driver_field in ["", "cards { id }"] {
            let query = query.replace("DRIVER", driver_field);
            let mut counts = Vec::new();
            for first in [1, 2, 5, 50] {
                let (answer, statements, resolved) =
                    both_ways(&app, &admin, &query, json!({ "first": first })).await;
                let nodes = answer["data"]["clients"]["nodes"].as_array().unwrap();
                assert_eq!(nodes.len(), first.min(nodes.len()));
                if app.backend == "postgres" {
                    assert!(statements < resolved, "{statements} against {resolved}");
                }
                counts.push(statements);
            }
            if app.backend == "postgres" {
                assert!(counts.iter().all(|c| *c == counts[0]), "{counts:?}");
                // The page, one statement; or the drivers, their cards, their profiles
                // (the wallets' balance), and the movements of all of them.
                let expected = if driver_field.is_empty() { 1 } else { 4 };
                assert_eq!(counts[0], expected, "{driver_field}");
            }
        }
        let query = query.replace("DRIVER", "");
        // The busy drivers' movements are there.
        let (answer, _, _) = both_ways(&app, &admin, &query, json!({ "first": 100 })).await;
        let busy: Vec<&Value> = answer["data"]["clients"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["document"].as_str().unwrap().starts_with("7200000"))
            .collect();
        assert_eq!(busy.len(), 3);
        for driver in busy {
            assert_eq!(driver["wallet"]["movements"]["totalCount"], 5, "{driver}");
        }
    }
);
