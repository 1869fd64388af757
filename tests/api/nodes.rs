//! `node`/`nodes` with opaque IDs, tenant isolation, and connection paging.

use gateway::entities::user::Role;
use serde_json::json;

use crate::{
    common::{ADMIN, DRIVER},
    db_test,
};

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id ... on User { document } ... on Organization { name } } }";

db_test!(node_refetches_what_the_caller_may_see, |app| {
    let token = app.login(DRIVER).await;
    let me = app
        .gql("{ me { id organization { id } } }", json!({}), Some(&token))
        .await;
    let my_id = me["data"]["me"]["id"].as_str().unwrap().to_string();
    let org_id = me["data"]["me"]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!my_id.contains(':'), "IDs are opaque");

    let body = app.gql(NODE, json!({ "id": my_id }), Some(&token)).await;
    assert_eq!(body["data"]["node"]["document"], DRIVER.0, "{body}");
    let body = app.gql(NODE, json!({ "id": org_id }), Some(&token)).await;
    assert_eq!(body["data"]["node"]["name"], "Leasy Demo");

    let many = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [my_id, org_id] }),
            Some(&token),
        )
        .await;
    assert_eq!(many["data"]["nodes"].as_array().unwrap().len(), 2, "{many}");

    let bad = app.gql(NODE, json!({ "id": "bm9wZQ" }), Some(&token)).await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{bad}"
    );
    let anonymous = app.gql(NODE, json!({ "id": my_id }), None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let too_many = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": vec![my_id.clone(); 101] }),
            Some(&token),
        )
        .await;
    assert_eq!(
        too_many["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
});

db_test!(nobody_reaches_another_users_or_tenants_rows, |app| {
    let other_driver = app
        .add_user("leasy-demo", "20000001", "otro1234", Role::Client)
        .await;
    let foreign_driver = app
        .add_user("other-co", "30000001", "otro1234", Role::Client)
        .await;
    let foreign_admin = app
        .add_user("other-co", "30000002", "otro1234", Role::Admin)
        .await;
    let id = |kind: &str, n: i64| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{n}"))
    };

    // A driver sees neither a colleague nor anyone of another organization.
    let driver = app.login(DRIVER).await;
    for target in [
        id("Client", other_driver),
        id("Client", foreign_driver),
        id("Organization", 2),
        id("StaffUser", 2),
    ] {
        let body = app.gql(NODE, json!({ "id": target }), Some(&driver)).await;
        assert!(
            body["data"]["node"].is_null(),
            "driver reached {target}: {body}"
        );
    }

    // Staff see their organization's users, never another organization's.
    let admin = app.login(ADMIN).await;
    let body = app
        .gql(
            NODE,
            json!({ "id": id("Client", other_driver) }),
            Some(&admin),
        )
        .await;
    assert_eq!(body["data"]["node"]["document"], "20000001", "{body}");
    for target in [
        id("Client", foreign_driver),
        id("StaffUser", foreign_admin),
        id("Organization", 2),
    ] {
        let body = app.gql(NODE, json!({ "id": target }), Some(&admin)).await;
        assert!(
            body["data"]["node"].is_null(),
            "admin crossed the tenant: {target}: {body}"
        );
    }
    // An ID of the wrong kind for the row finds nothing.
    let demo_driver = app.user_id(DRIVER.0).await;
    let body = app
        .gql(
            NODE,
            json!({ "id": id("StaffUser", demo_driver) }),
            Some(&admin),
        )
        .await;
    assert!(
        body["data"]["node"].is_null(),
        "the demo driver is a client, not staff: {body}"
    );

    // The other organization's admin cannot use the demo's tokens either.
    let foreign = app.login(("30000002", "otro1234")).await;
    let created = app
        .gql(
            "mutation { createApiToken(input: { name: \"x\" }) { apiToken { id } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let token_id = created["data"]["createApiToken"]["apiToken"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = app
        .gql(NODE, json!({ "id": token_id }), Some(&foreign))
        .await;
    assert!(body["data"]["node"].is_null(), "{body}");
    let body = app.gql(NODE, json!({ "id": token_id }), Some(&admin)).await;
    assert_eq!(body["data"]["node"]["__typename"], "ApiToken");
});

db_test!(
    a_document_in_two_organizations_needs_the_organization,
    |app| {
        app.add_user("other-co", DRIVER.0, "otro1234", Role::Client)
            .await;
        let login = "mutation($input: LoginInput!) { login(input: $input) { session { user { organization { slug } } } userErrors { code } } }";
        let ambiguous = app
            .gql(
                login,
                json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } }),
                None,
            )
            .await;
        assert_eq!(
            ambiguous["data"]["login"]["userErrors"][0]["code"], "ORGANIZATION_REQUIRED",
            "{ambiguous}"
        );
        let chosen = app.gql(login, json!({ "input": { "document": DRIVER.0, "password": DRIVER.1, "organization": "leasy-demo" } }), None).await;
        assert_eq!(
            chosen["data"]["login"]["session"]["user"]["organization"]["slug"], "leasy-demo",
            "{chosen}"
        );
        let other = app.gql(login, json!({ "input": { "document": DRIVER.0, "password": "otro1234", "organization": "other-co" } }), None).await;
        assert_eq!(
            other["data"]["login"]["session"]["user"]["organization"]["slug"], "other-co",
            "{other}"
        );
    }
);

db_test!(
    connections_page_with_cursors_and_refuse_oversize_pages,
    |app| {
        let admin = app.login(ADMIN).await;
        for i in 0..5 {
            let body = app.gql("mutation($n: String!) { createApiToken(input: { name: $n }) { userErrors { code } } }", json!({ "n": format!("app {i}") }), Some(&admin)).await;
            assert_eq!(body["data"]["createApiToken"]["userErrors"], json!([]));
        }
        let page = "query($after: String) { apiTokens(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { name } } }";
        let mut after = serde_json::Value::Null;
        let mut names = Vec::new();
        loop {
            let body = app.gql(page, json!({ "after": after }), Some(&admin)).await;
            let connection = &body["data"]["apiTokens"];
            assert_eq!(connection["totalCount"], 5, "{body}");
            names.extend(
                connection["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["name"].as_str().unwrap().to_string()),
            );
            if !connection["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(
            names,
            ["app 4", "app 3", "app 2", "app 1", "app 0"],
            "newest first, each once"
        );

        let last = app
            .gql(
                "{ apiTokens(last: 2) { pageInfo { hasPreviousPage } nodes { name } } }",
                json!({}),
                Some(&admin),
            )
            .await;
        assert_eq!(
            last["data"]["apiTokens"]["nodes"],
            json!([{ "name": "app 1" }, { "name": "app 0" }]),
            "{last}"
        );

        for args in ["first: 101", "last: 101", "first: -1", "after: \"garbage\""] {
            let body = app
                .gql(
                    &format!("{{ apiTokens({args}) {{ totalCount }} }}"),
                    json!({}),
                    Some(&admin),
                )
                .await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
                "{args}: {body}"
            );
        }
    }
);
