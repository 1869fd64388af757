//! A page of a book's transactions compiled on PostgreSQL (`fast::books`): its answers
//! must be the resolvers' answers, field by field. Each query is asked as it is and once
//! more with a response key given twice in each transaction (which no compiler takes;
//! removed from the answer before comparing), which leaves the page to the resolvers. A book's own lists
//! (accounts, credit cards, categories, tags) compile too, compared the same way
//! (`common::compiled::both_ways`). On SQLite both ways resolve; the statement counts
//! say which way PostgreSQL took.

use serde_json::{Value, json};

use crate::{
    common::{TestApp, api_token_secret, compiled, mutation, ok, raw_id},
    db_test,
};

/// Every field of a transaction the compiler knows, its category (with its parent),
/// account, tags and credit card, with aliases, `__typename` and a fragment.
const FIELDS: &str = "fragment Fields on Transaction {
  __typename id kind amount signedAmount description date dueDate paid paidOn contactName
  notes barcode externalId bankData ofxId reconciledOn excluded private isTransfer
  createdAt updatedAt money: amount status installment totalInstallments recurring
  periodicity createdThrough
  category {
    __typename id kind name code colour icon archived isDefault createdAt updatedAt
    parent { __typename id name parent { id } }
  }
  account { __typename id kind name description archived isDefault createdAt updatedAt }
  tags { __typename id name label: name createdAt updatedAt }
  tagged: tags { name id }
  creditCard { __typename id name closingDay dueDay limit network isDefault }
}";

fn nodes_query() -> String {
    format!(
        "query($first: Int, $after: String, $last: Int, $before: String,
               $order: TransactionOrder! = DATE_DESC) {{
          book {{
            transactions(first: $first, after: $after, last: $last, before: $before,
                         orderBy: $order,
                         filter: {{ period: {{ from: \"2026-01-01\", to: \"2026-12-31\" }} }}) {{
              __typename totalCount
              pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
              nodes {{ ...Fields }}
            }}
          }}
        }}
        {FIELDS}"
    )
}

fn edges_query() -> String {
    format!(
        "query($first: Int, $after: String, $last: Int, $before: String,
               $order: TransactionOrder! = DATE_DESC) {{
          book {{
            transactions(first: $first, after: $after, last: $last, before: $before,
                         orderBy: $order,
                         filter: {{ period: {{ from: \"2026-01-01\", to: \"2026-12-31\" }} }}) {{
              totalCount
              pageInfo {{ hasNextPage startCursor endCursor }}
              edges {{ __typename cursor node {{ ...Fields }} at: cursor }}
            }}
          }}
        }}
        {FIELDS}"
    )
}

/// The transactions of a page (a `transactions` answer), whether it lists `nodes` or
/// `edges`.
fn nodes_of(page: &Value) -> Vec<&Value> {
    match page["nodes"].as_array() {
        Some(nodes) => nodes.iter().collect(),
        None => page["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| &edge["node"])
            .collect(),
    }
}

/// `query` asked as it is and with a response key given twice (which no compiler takes)
/// added to each transaction: the two answers, each with the statements it cost.
async fn both_ways(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
) -> ((Value, u64), (Value, u64)) {
    let edges = query.contains("edges {");
    let anchor = if edges { "node {" } else { "nodes {" };
    let resolved_query = query.replacen(
        anchor,
        &format!("{anchor} resolvedMarker: __typename resolvedMarker: __typename "),
        1,
    );
    assert_ne!(resolved_query, query);
    let mut answers = Vec::new();
    for query in [query, resolved_query.as_str()] {
        let before = app.statements();
        let body = app.gql(query, variables.clone(), Some(token)).await;
        let statements = app.statements() - before;
        assert!(body["errors"].is_null(), "{body}");
        answers.push((body, statements));
    }
    let (mut resolved, resolved_statements) = answers.pop().unwrap();
    let list = if edges { "edges" } else { "nodes" };
    // The one connection the query asks of the book.
    let book = resolved["data"]["book"].as_object_mut().unwrap();
    assert_eq!(book.len(), 1, "{book:?}");
    let connection = book.values_mut().next().unwrap();
    for item in connection[list].as_array_mut().unwrap() {
        let node = if edges { &mut item["node"] } else { item };
        let marker = node.as_object_mut().unwrap().remove("resolvedMarker");
        assert!(marker.is_some(), "{node}");
    }
    (answers.pop().unwrap(), (resolved, resolved_statements))
}

/// The `data` of a query's answer, which must have no error.
fn data(body: &Value) -> &Value {
    assert!(body["errors"].is_null(), "{body}");
    &body["data"]
}

/// A driver's book with the rows a resolver could answer differently from SQL: awkward
/// text and amounts, a subcategory, a transfer (no category), a card purchase (no
/// account), tags whose names sort differently by letter case and accents, a recurring
/// series whose later occurrences have no row (negative ids) but carry its tags, a
/// purchase in installments, rows paid, overdue and pending (`status`), one recorded
/// through an API token, and optional dates both set and not.
async fn awkward_book(app: &TestApp) -> String {
    let (token, _) = app.new_driver("71000001").await;
    // `create<Kind>`, whose payload holds `object`: the new record's ID.
    let create = |kind: &'static str, object: &'static str, input: Value| {
        let token = token.clone();
        async move {
            let mutation = mutation(kind, &format!("{object} {{ id }}"));
            ok(app, &token, &mutation, input).await[object]["id"].clone()
        }
    };
    let category = create(
        "createCategory",
        "category",
        json!({ "kind": "EXPENSE", "name": "Taller \"Ñandú\"", "icon": "tools_2" }),
    )
    .await;
    let subcategory = create(
        "createCategory",
        "category",
        json!({ "kind": "EXPENSE", "name": "llantas", "parentId": category }),
    )
    .await;
    let account = create(
        "createAccount",
        "account",
        json!({ "name": "Caja \\ chica", "kind": "CASH", "description": "it's\n\ttabbed" }),
    )
    .await;
    let bank = create(
        "createAccount",
        "account",
        json!({ "name": "Banco", "kind": "CHECKING" }),
    )
    .await;
    let card = create(
        "createCreditCard",
        "creditCard",
        json!({ "name": "Visa", "closingDay": 5, "dueDay": 15 }),
    )
    .await;
    for input in [
        json!({ "kind": "OUT", "amount": "0.01", "date": "2026-02-01",
                "description": "it's 1 céntimo: ñandú \\ / \n \"tab\"\t",
                "categoryId": subcategory, "tagNames": ["zeta", "Árbol", "alfa", "Beta"] }),
        json!({ "kind": "IN", "amount": "999999999.99", "date": "2026-02-02",
                "dueDate": "2026-03-01", "paid": false, "externalId": "ext-1",
                "contactName": "Ana", "notes": "n", "barcode": "123", "bankData": "bcp",
                "ofxId": "ofx-9", "reconciledOn": "2026-02-03", "excluded": true,
                "accountId": account, "tagNames": ["alfa"] }),
        json!({ "kind": "OUT", "amount": "12.30", "date": "2026-02-03",
                "creditCardId": card, "description": "card" }),
        json!({ "kind": "OUT", "amount": "45.00", "date": "2026-03-15",
                "description": "seguro", "recurrence": { "periodicity": "MONTHLY" },
                "tagNames": ["seguro", "Alfa2", "árbol"] }),
        json!({ "kind": "OUT", "amount": "100.00", "date": "2026-04-10",
                "description": "llantas en cuotas", "installments": { "total": 3, "periodicity": "WEEKLY" },
                "paid": true }),
        json!({ "kind": "OUT", "amount": "3.00", "date": "2026-01-20",
                "dueDate": "2099-01-01", "paid": false, "description": "pending" }),
    ] {
        create("createTransaction", "transaction", input).await;
    }
    // Recorded through an application's API token: `createdThrough` names it.
    let secret = api_token_secret(app, &token, "App \"cobranza\"").await;
    let through = app
        .post_json(
            json!({
                "query": mutation("createTransaction", "transaction { id }"),
                "variables": { "input": { "kind": "IN", "amount": "8.00",
                                          "date": "2026-02-05" } }
            }),
            Some(&format!("Token token={secret}")),
        )
        .await;
    assert!(through.body["errors"].is_null(), "{}", through.text);
    create(
        "createTransfer",
        "transfer",
        json!({ "amount": "7.00", "date": "2026-02-04", "fromAccountId": account,
                "toAccountId": bank }),
    )
    .await;
    token
}

db_test!(the_compiled_book_page_answers_as_the_resolvers_do, |app| {
    let token = awkward_book(&app).await;
    for (query, variables) in [
        (nodes_query(), json!({ "first": 20 })),
        (nodes_query(), json!({ "first": 3, "order": "AMOUNT_ASC" })),
        // Backward: the page read from its oldest row, tags included.
        (nodes_query(), json!({ "last": 6 })),
        (edges_query(), json!({ "first": 20 })),
        (edges_query(), json!({ "first": 4 })),
        // Each sort key makes the cursors of its order: the compiled page reads only
        // the row's id and that key beside its text.
        (
            edges_query(),
            json!({ "first": 5, "order": "CREATED_DESC" }),
        ),
        (edges_query(), json!({ "last": 5, "order": "AMOUNT_DESC" })),
    ] {
        let ((compiled, statements), (resolved, resolved_statements)) =
            both_ways(&app, &token, &query, variables.clone()).await;
        assert_eq!(compiled, resolved, "{variables}");
        let page = &compiled["data"]["book"]["transactions"];
        if variables["first"] == 20 {
            // The recurring series' occurrences without a row are on the page, with
            // their series' tags.
            let nodes = nodes_of(page);
            let unstored = nodes
                .iter()
                .filter(|t| t["description"] == "seguro")
                .count();
            assert_eq!(unstored, 10, "{page}");
            // The card purchase's card was compared, not only nulls.
            let card = nodes.iter().find(|t| t["description"] == "card").unwrap();
            assert_eq!(card["creditCard"]["name"], "Visa", "{card}");
        }
        if app.backend == "postgres" {
            assert!(
                statements + 2 < resolved_statements,
                "{statements} against {resolved_statements}"
            );
        }
        // The next page, after the cursor this one ended at (backward: the page before
        // the one it started at).
        let backward = !variables["last"].is_null();
        let mut next = variables.clone();
        if !backward {
            next["after"] = page["pageInfo"]["endCursor"].clone();
        } else {
            next["before"] = page["pageInfo"]["startCursor"].clone();
        }
        let ((compiled, _), (resolved, _)) = both_ways(&app, &token, &query, next).await;
        assert_eq!(compiled, resolved);
        if backward {
            // Both backward pages carry tags, so that their gathering was compared.
            for answer in [page, &compiled["data"]["book"]["transactions"]] {
                let tagged = nodes_of(answer)
                    .iter()
                    .filter(|t| t["tags"] != json!([]))
                    .count();
                assert!(tagged > 0, "{answer}");
            }
        }
    }
});

// The driver's quick lists (`incomes`, `expenses`: every date, newest first) compile the
// same way, recurring occurrences included.
db_test!(
    the_quick_lists_compile_as_the_resolvers_answer_them,
    |app| {
        let token = awkward_book(&app).await;
        for list in ["incomes", "expenses"] {
            for (selection, first) in [
                ("nodes { ...Fields }", 20),
                ("edges { cursor node { ...Fields } }", 2),
            ] {
                let query = format!(
                    "query($first: Int, $after: String) {{ book {{ {list}(first: $first, after: $after) {{ totalCount pageInfo {{ endCursor }} {selection} }} }} }} {FIELDS}"
                );
                let ((compiled, statements), (resolved, resolved_statements)) =
                    both_ways(&app, &token, &query, json!({ "first": first })).await;
                assert_eq!(compiled, resolved, "{list}");
                if app.backend == "postgres" && list == "expenses" {
                    assert!(
                        statements < resolved_statements,
                        "{statements} against {resolved_statements}"
                    );
                }
                let page = &compiled["data"]["book"][list];
                let mut next = json!({ "first": first });
                next["after"] = page["pageInfo"]["endCursor"].clone();
                let ((compiled, _), (resolved, _)) = both_ways(&app, &token, &query, next).await;
                assert_eq!(compiled, resolved, "{list}, second page");
            }
        }
    }
);

db_test!(
    a_compiled_book_page_costs_the_same_statements_whatever_its_width,
    |app| {
        let token = awkward_book(&app).await;
        let query = nodes_query();
        let mut counts = Vec::new();
        for first in [1, 2, 20] {
            let before = app.statements();
            let body = app
                .gql(&query, json!({ "first": first }), Some(&token))
                .await;
            counts.push(app.statements() - before);
            // Which pages hold a stored row (a positive id; an occurrence of a recurring
            // series without a row has a negative one) decides the count below.
            let stored = nodes_of(&data(&body)["book"]["transactions"])
                .iter()
                .filter(|node| raw_id(&node["id"]) > 0)
                .count();
            assert_eq!(stored > 0, first == 20, "{first}: {body}");
        }
        if app.backend == "postgres" {
            // The caller's book, its recurring series, the page and its count; then the
            // tags of the page's stored rows, for the whole page in one statement (the
            // first two pages hold only occurrences of recurring series, which carry
            // their series' tags in the page's own statement).
            assert_eq!(counts, [4, 4, 5]);
        } else {
            // Resolved: a statement per relation level, which rows need it (a subcategory's
            // parent, a recurring series' tags, a card purchase's card) adding theirs,
            // never one per row.
            assert!(counts.iter().all(|c| *c <= 13), "{counts:?}");
        }
    }
);

// A selection the compiler does not know (a field it leaves out, an argument of a
// relation, a directive) resolves as before, with the same rows.
db_test!(book_pages_it_cannot_compile_resolve_as_before, |app| {
    let token = awkward_book(&app).await;
    let list = |selection: &str| {
        format!(
            "{{ book {{ transactions(first: 50, filter: {{ period: {{ from: \"2026-01-01\", to: \"2026-12-31\" }} }}) {{ nodes {{ {selection} }} }} }} }}"
        )
    };
    let plain = app.gql(&list("id"), json!({}), Some(&token)).await;
    let ids: Vec<Value> = data(&plain)["book"]["transactions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(ids.len(), 20);
    for selection in [
        "id creator { __typename }",
        "id account { id balance }",
        "id creditCard { id outstanding }",
        "id transfer { id }",
        "id category @skip(if: false) { id }",
        "id ... on Transaction { tags { id } }",
    ] {
        let body = app.gql(&list(selection), json!({}), Some(&token)).await;
        let got: Vec<Value> = data(&body)["book"]["transactions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].clone())
            .collect();
        assert_eq!(got, ids, "{selection}");
    }
});

// `status` follows today in the organization's timezone, not the database's date: due
// yesterday is OVERDUE, due today (in Lima, while it is already tomorrow in UTC) is still
// PENDING, on the compiled page as through its resolver.
db_test!(
    a_compiled_status_follows_the_organizations_today,
    // 03:00 UTC on Dec 6 2026: still Dec 5, 22:00, in Lima.
    |config| {
        config.clock = gateway::domain::commons::Clock::Fixed(
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 6, 3, 0, 0).unwrap(),
        );
    },
    |app| {
        let (token, _) = app.new_driver("71000002").await;
        let create = mutation("createTransaction", "transaction { id }");
        for (description, due, paid) in [
            ("due yesterday", Some("2026-12-04"), false),
            ("due today", Some("2026-12-05"), false),
            ("due tomorrow", Some("2026-12-06"), false),
            ("dated today", None, false),
            ("paid late", Some("2026-12-01"), true),
        ] {
            let mut input = json!({ "kind": "OUT", "amount": "1.00", "date": "2026-12-01",
                                    "description": description, "paid": paid });
            if let Some(due) = due {
                input["dueDate"] = json!(due);
            }
            if due.is_none() {
                input["date"] = json!("2026-12-05");
            }
            ok(&app, &token, &create, input).await;
        }
        let query = "query { book { transactions(first: 10, orderBy: AMOUNT_ASC,
            filter: { period: { from: \"2026-12-01\", to: \"2026-12-31\" } }) {
            nodes { description status category { name } } } } }";
        let ((compiled, statements), (resolved, resolved_statements)) =
            both_ways(&app, &token, query, json!({})).await;
        assert_eq!(compiled, resolved);
        if app.backend == "postgres" {
            assert!(
                statements < resolved_statements,
                "{statements} against {resolved_statements}"
            );
        }
        let mut statuses: Vec<(String, String)> = data(&compiled)["book"]["transactions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["description"].as_str().unwrap().to_string(),
                    n["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        statuses.sort();
        let expected = [
            ("dated today", "PENDING"),
            ("due today", "PENDING"),
            ("due tomorrow", "PENDING"),
            ("due yesterday", "OVERDUE"),
            ("paid late", "PAID"),
        ]
        .map(|(d, s)| (d.to_string(), s.to_string()));
        assert_eq!(statuses, expected);
    }
);

// A book's own lists (accounts, credit cards, categories with their parents, tags),
// with their arguments and archived rows, answer as the resolvers do; compiled, each is
// one statement whatever its length.
db_test!(
    a_books_own_lists_compiled_answer_as_the_resolvers_do,
    |app| {
        let token = awkward_book(&app).await;
        // Archived rows, left out unless asked for; a card with a limit and a network.
        let ids = data(
            &app.gql(
                "{ book { accounts { id name } categories { id name } } }",
                json!({}),
                Some(&token),
            )
            .await,
        )["book"]
            .clone();
        let named = |list: &str, name: &str| {
            ids[list]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == name)
                .unwrap_or_else(|| panic!("{name}: {ids}"))["id"]
                .clone()
        };
        let archive = [
            ("updateAccount", "account", named("accounts", "Banco")),
            ("updateCategory", "category", named("categories", "llantas")),
        ];
        for (kind, object, id) in archive {
            let mutation = mutation(kind, &format!("{object} {{ id }}"));
            ok(
                &app,
                &token,
                &mutation,
                json!({ "id": id, "archived": true }),
            )
            .await;
        }
        ok(
            &app,
            &token,
            &mutation("createCreditCard", "creditCard { id }"),
            json!({ "name": "Master \"oro\"", "closingDay": 28, "dueDay": 3, "limit": "1500.50",
                "network": "MasterCard", "makeDefault": true }),
        )
        .await;
        let query = "query($archived: Boolean!, $kind: CategoryKind) { book {
        accounts(includeArchived: $archived) { __typename MARK id kind name description
          archived isDefault createdAt updatedAt alias: name }
        creditCards(includeArchived: $archived) { __typename MARK id name description
          network closingDay dueDay limit archived isDefault createdAt updatedAt }
        categories(kind: $kind, includeArchived: $archived) { __typename MARK id kind name
          code colour icon archived isDefault createdAt updatedAt parent { id name } }
        tags { __typename MARK id name createdAt updatedAt }
    } }";
        let mut fewer = Vec::new();
        for variables in [
            json!({ "archived": false }),
            json!({ "archived": true, "kind": "EXPENSE" }),
            json!({ "archived": false, "kind": "INCOME" }),
        ] {
            let (answer, statements, resolved) =
                compiled::both_ways(&app, &token, query, variables.clone()).await;
            let book = &answer["data"]["book"];
            for list in ["accounts", "creditCards", "categories", "tags"] {
                assert!(
                    !book[list].as_array().unwrap().is_empty(),
                    "{list}: {answer}"
                );
            }
            let archived = |list: &str| {
                book[list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["archived"] == true)
            };
            assert_eq!(archived("accounts"), variables["archived"] == true);
            assert!(statements <= resolved, "{statements} against {resolved}");
            // Resolving reads the subcategories' parents as one more statement; compiled,
            // the categories are one.
            let parents = book["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| !c["parent"].is_null());
            fewer.push(parents);
            if app.backend == "postgres" {
                assert_eq!(statements < resolved, parents, "{variables}");
            }
        }
        assert!(fewer.contains(&true), "no subcategory was compared");
        // The new card is the default, first; the archived subcategory keeps its parent.
        let (answer, _, _) = compiled::both_ways(
            &app,
            &token,
            query,
            json!({ "archived": true, "kind": "EXPENSE" }),
        )
        .await;
        let book = &answer["data"]["book"];
        assert_eq!(book["creditCards"][0]["limit"], "1500.50");
        assert_eq!(book["creditCards"][0]["network"], "mastercard");
        let llantas = book["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "llantas")
            .unwrap();
        assert_eq!(llantas["parent"]["name"], "Taller \"Ñandú\"");
    }
);
