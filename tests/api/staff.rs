//! Issue 19, staff: ADMINs create staff members who choose their password through a
//! one-time invitation, change them, deactivate them (every session and API token ends at
//! once) and reactivate them; the organization always keeps an active ADMIN; every step
//! is in the audit log, which nothing can change.

use chrono::{TimeDelta, TimeZone, Utc};
use gateway::{
    domain::commons::{Clock, ManualClock},
    entities::{audit_record, user},
};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, refused},
    db_test,
};

const CREATE: &str = "mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { staffUser { id document firstName role active } invitation { token expiresAt } userErrors { field code message } } }";
const UPDATE: &str = "mutation($input: UpdateStaffUserInput!) { updateStaffUser(input: $input) { staffUser { id role firstName email } userErrors { field code message } } }";
const DEACTIVATE: &str = "mutation($input: StaffUserIdInput!) { deactivateUser(input: $input) { staffUser { id active deactivatedAt } userErrors { field code message } } }";
const REACTIVATE: &str = "mutation($input: StaffUserIdInput!) { reactivateUser(input: $input) { staffUser { id active deactivatedAt } userErrors { field code message } } }";
const INVITE: &str = "mutation($input: StaffUserIdInput!) { inviteUser(input: $input) { staffUser { id } invitation { token expiresAt } userErrors { field code message } } }";
const ACCEPT: &str = "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken refreshToken user { ... on StaffUser { id role } } } userErrors { field code message } } }";
const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { session { accessToken refreshToken } userErrors { code } } }";
const AUDIT: &str = "query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 100) { totalCount nodes { operation objectId objectType requestId author { __typename ... on StaffUser { document } } changes { field before after } } } }";

fn manual_clock(config: &mut gateway::config::Config) {
    let start = Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
    config.clock = Clock::Manual(ManualClock::new(start));
}

fn clock(app: &TestApp) -> ManualClock {
    match &app.app.state.config.clock {
        Clock::Manual(clock) => clock.clone(),
        other => panic!("the test needs a manual clock, not {other:?}"),
    }
}

fn new_collector(document: &str) -> Value {
    json!({ "role": "COLLECTOR", "document": document, "firstName": "Rosa", "lastName": "Quispe", "email": "rosa@example.com" })
}

/// Creates a staff member as the demo ADMIN; their ID and invitation token.
async fn create(app: &TestApp, admin: &str, input: Value) -> (String, String) {
    let payload = ok(app, admin, CREATE, input).await;
    (
        payload["staffUser"]["id"].as_str().unwrap().to_string(),
        payload["invitation"]["token"].as_str().unwrap().to_string(),
    )
}

async fn accept(app: &TestApp, token: &str, password: &str) -> Value {
    let body = app
        .gql(
            ACCEPT,
            json!({ "input": { "token": token, "password": password, "confirmation": password } }),
            None,
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["acceptInvitation"].clone()
}

async fn login_code(app: &TestApp, document: &str, password: &str) -> Option<String> {
    let body = app
        .gql(
            LOGIN,
            json!({ "input": { "document": document, "password": password } }),
            None,
        )
        .await;
    body["data"]["login"]["userErrors"][0]["code"]
        .as_str()
        .map(str::to_string)
}

async fn audit(app: &TestApp, admin: &str, filter: Value) -> Vec<Value> {
    let body = app
        .gql(AUDIT, json!({ "filter": filter }), Some(admin))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

async fn counts(app: &TestApp) -> (u64, u64) {
    let db = &app.app.state.db;
    (
        user::Entity::find().count(db).await.unwrap(),
        audit_record::Entity::find().count(db).await.unwrap(),
    )
}

db_test!(
    an_invited_collector_chooses_a_password_once_and_logs_in,
    |config| { manual_clock(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let payload = ok(&app, &admin, CREATE, new_collector("44556677")).await;
        let staff = &payload["staffUser"];
        assert_eq!(staff["role"], "COLLECTOR");
        assert_eq!(staff["active"], true);
        let invitation = &payload["invitation"];
        let token = invitation["token"].as_str().unwrap();
        assert!(token.starts_with("lgw_it_"), "{invitation}");
        let expires: chrono::DateTime<Utc> =
            invitation["expiresAt"].as_str().unwrap().parse().unwrap();
        assert_eq!(expires, clock(&app).now() + TimeDelta::hours(72));

        // Before accepting, no password logs them in.
        assert_eq!(
            login_code(&app, "44556677", "").await.as_deref(),
            Some("REQUIRED")
        );
        assert_eq!(
            login_code(&app, "44556677", "abc123").await.as_deref(),
            Some("INVALID_CREDENTIALS")
        );

        // The password rules, every one at once.
        let weak = app
            .gql(
                ACCEPT,
                json!({ "input": { "token": token, "password": "abc", "confirmation": "abd" } }),
                None,
            )
            .await;
        let codes: Vec<&str> = weak["data"]["acceptInvitation"]["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["TOO_SHORT", "PASSWORD_NEEDS_DIGIT", "CONFIRMATION_MISMATCH"]
        );

        let accepted = accept(&app, token, "cobra2027").await;
        assert_eq!(accepted["userErrors"], json!([]), "{accepted}");
        assert_eq!(accepted["session"]["user"]["id"], staff["id"]);
        assert_eq!(accepted["session"]["user"]["role"], "COLLECTOR");
        let session_token = accepted["session"]["accessToken"].as_str().unwrap();
        let me = app
            .gql(
                "{ me { ... on StaffUser { document } } }",
                json!({}),
                Some(session_token),
            )
            .await;
        assert_eq!(me["data"]["me"]["document"], "44556677", "{me}");

        // Once only.
        let again = accept(&app, token, "otra2027").await;
        assert_eq!(again["userErrors"][0]["code"], "INVALID_TOKEN", "{again}");
        assert_eq!(
            login_code(&app, "44556677", "otra2027").await.as_deref(),
            Some("INVALID_CREDENTIALS")
        );
        assert_eq!(login_code(&app, "44556677", "cobra2027").await, None);

        // The trail: who created whom, and what.
        let records = audit(&app, &admin, json!({ "objectId": staff["id"] })).await;
        assert_eq!(records.len(), 1, "{records:?}");
        let record = &records[0];
        assert_eq!(record["operation"], "createStaffUser");
        assert_eq!(record["objectType"], "StaffUser");
        assert_eq!(record["author"]["document"], ADMIN.0);
        assert!(
            record["requestId"]
                .as_str()
                .is_some_and(|id| !id.is_empty()),
            "{record}"
        );
        let role = record["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == "role")
            .unwrap();
        assert_eq!(role["before"], Value::Null);
        assert_eq!(role["after"], "\"COLLECTOR\"");
    }
);

db_test!(
    an_invitation_expires_after_72_hours_and_a_new_one_replaces_it,
    |config| { manual_clock(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let (id, first) = create(&app, &admin, new_collector("55667788")).await;
        clock(&app).advance(TimeDelta::hours(72) + TimeDelta::seconds(1));
        let late = accept(&app, &first, "cobra2027").await;
        assert_eq!(late["userErrors"][0]["code"], "INVALID_TOKEN", "{late}");

        let second = ok(&app, &admin, INVITE, json!({ "id": id })).await;
        let second = second["invitation"]["token"].as_str().unwrap().to_string();
        let third = ok(&app, &admin, INVITE, json!({ "id": id })).await;
        let third = third["invitation"]["token"].as_str().unwrap().to_string();
        let replaced = accept(&app, &second, "cobra2027").await;
        assert_eq!(replaced["userErrors"][0]["code"], "INVALID_TOKEN");
        let accepted = accept(&app, &third, "cobra2027").await;
        assert_eq!(accepted["userErrors"], json!([]), "{accepted}");

        let unknown = accept(&app, "lgw_it_nothing", "cobra2027").await;
        assert_eq!(unknown["userErrors"][0]["code"], "INVALID_TOKEN");
    }
);

// An offset listing's forward page comes with its count in one statement; a backward
// page, and a forward one past the end (no row to carry the count), count on their own.
// The answers are the same: the count, the page and where it sits.
db_test!(
    a_forward_page_of_a_listing_is_one_statement_with_its_count,
    |app| {
        let admin = app.login(ADMIN).await;
        let query = "query($first: Int, $after: String, $last: Int) {
        staffUsers(first: $first, after: $after, last: $last) {
          totalCount pageInfo { hasNextPage hasPreviousPage } nodes { document } } }";
        let all = app.gql(query, json!({ "first": 50 }), Some(&admin)).await;
        let total = all["data"]["staffUsers"]["totalCount"].as_u64().unwrap();
        assert!(total >= 2, "{all}");
        for (variables, statements, nodes) in [
            (json!({ "first": 1 }), 1, 1),
            (json!({ "last": 1 }), 2, 1),
            (
                json!({ "first": 1, "after": crate::common::raw_cursor(1000) }),
                2,
                0,
            ),
        ] {
            let before = app.statements();
            let body = app.gql(query, variables.clone(), Some(&admin)).await;
            assert_eq!(app.statements() - before, statements, "{variables} {body}");
            let page = &body["data"]["staffUsers"];
            assert_eq!(page["totalCount"], total, "{body}");
            assert_eq!(page["nodes"].as_array().unwrap().len(), nodes, "{body}");
        }
    }
);

db_test!(staff_are_listed_and_searched_by_staff_only, |app| {
    let admin = app.login(ADMIN).await;
    create(&app, &admin, new_collector("66778899")).await;
    let list = "query($filter: StaffUserFilter) { staffUsers(filter: $filter, first: 50) { totalCount nodes { document role active } } }";
    for token in [&admin, &app.login(COLLECTOR).await] {
        let all = app.gql(list, json!({}), Some(token)).await;
        let documents: Vec<&str> = all["data"]["staffUsers"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["document"].as_str().unwrap())
            .collect();
        assert!(documents.contains(&ADMIN.0), "{all}");
        assert!(documents.contains(&COLLECTOR.0), "{all}");
        assert!(documents.contains(&"66778899"), "{all}");
        assert!(
            !documents.contains(&DRIVER.0),
            "drivers are not staff: {all}"
        );
    }
    let found = app
        .gql(
            list,
            json!({ "filter": { "search": "QUISP" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(found["data"]["staffUsers"]["totalCount"], 1, "{found}");
    assert_eq!(
        found["data"]["staffUsers"]["nodes"][0]["document"],
        "66778899"
    );

    let driver = app.login(DRIVER).await;
    let refused = app.gql(list, json!({}), Some(&driver)).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
    let anonymous = app.gql(list, json!({}), None).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
});

db_test!(
    deactivating_ends_every_session_and_api_token_at_once,
    |app| {
        let admin = app.login(ADMIN).await;
        let session = app.login_session(COLLECTOR).await;
        let access = session["accessToken"].as_str().unwrap().to_string();
        let refresh = session["refreshToken"].as_str().unwrap().to_string();
        let collector_id = session["user"]["id"].clone();
        let created = ok(
        &app,
        &access,
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret userErrors { code } } }",
        json!({ "name": "caja" }),
    )
    .await;
        let api_token = created["secret"].as_str().unwrap().to_string();
        let me = "{ me { id } }";
        assert!(app.gql(me, json!({}), Some(&api_token)).await["errors"].is_null());

        let deactivated = ok(&app, &admin, DEACTIVATE, json!({ "id": collector_id })).await;
        assert_eq!(deactivated["staffUser"]["active"], false);
        assert!(deactivated["staffUser"]["deactivatedAt"].is_string());

        for (token, what) in [(&access, "access token"), (&api_token, "API token")] {
            let body = app.gql(me, json!({}), Some(token)).await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "the {what} still works: {body}"
            );
        }
        let renewed = app
        .gql(
            "mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { session { accessToken } } }",
            json!({ "input": { "refreshToken": refresh } }),
            None,
        )
        .await;
        assert!(
            renewed["data"]["refreshToken"]["session"].is_null(),
            "{renewed}"
        );
        assert_eq!(
            login_code(&app, COLLECTOR.0, COLLECTOR.1).await.as_deref(),
            Some("INVALID_CREDENTIALS")
        );
        // Twice is harmless, and recorded once.
        ok(&app, &admin, DEACTIVATE, json!({ "id": collector_id })).await;

        let reactivated = ok(&app, &admin, REACTIVATE, json!({ "id": collector_id })).await;
        assert_eq!(reactivated["staffUser"]["active"], true);
        assert_eq!(reactivated["staffUser"]["deactivatedAt"], Value::Null);
        assert_eq!(login_code(&app, COLLECTOR.0, COLLECTOR.1).await, None);
        let body = app.gql(me, json!({}), Some(&api_token)).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "a revoked API token stays revoked: {body}"
        );

        let operations: Vec<String> = audit(&app, &admin, json!({ "objectId": collector_id }))
            .await
            .iter()
            .map(|r| r["operation"].as_str().unwrap().to_string())
            .collect();
        // The demo's ADMIN created the collector: the trail starts there.
        assert_eq!(
            operations,
            ["createStaffUser", "deactivateUser", "reactivateUser"]
        );
    }
);

db_test!(the_organization_keeps_an_active_admin, |app| {
    let admin_session = app.login_session(ADMIN).await;
    let admin = admin_session["accessToken"].as_str().unwrap().to_string();
    let admin_id = admin_session["user"]["id"].clone();
    assert_eq!(
        refused(&app, &admin, DEACTIVATE, json!({ "id": admin_id })).await,
        ("id".into(), "LAST_ADMIN".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            UPDATE,
            json!({ "id": admin_id, "role": "COLLECTOR" })
        )
        .await,
        ("role".into(), "LAST_ADMIN".into())
    );

    // With a second ADMIN, the first may step down; the second then cannot.
    let (second_id, token) = create(
        &app,
        &admin,
        json!({ "role": "ADMIN", "document": "77889900", "firstName": "Luis", "lastName": "Soto" }),
    )
    .await;
    accept(&app, &token, "jefe2027").await;
    let demoted = ok(
        &app,
        &admin,
        UPDATE,
        json!({ "id": admin_id, "role": "COLLECTOR" }),
    )
    .await;
    assert_eq!(demoted["staffUser"]["role"], "COLLECTOR");
    // The role is in every access token: the demoted ADMIN's session ended.
    let body = app.gql("{ me { id } }", json!({}), Some(&admin)).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );

    let second = app.login(("77889900", "jefe2027")).await;
    assert_eq!(
        refused(&app, &second, DEACTIVATE, json!({ "id": second_id })).await,
        ("id".into(), "LAST_ADMIN".into())
    );
    let records = audit(&app, &second, json!({ "objectId": admin_id })).await;
    let change = &records.last().unwrap()["changes"];
    assert_eq!(
        change,
        &json!([{ "field": "role", "before": "\"ADMIN\"", "after": "\"COLLECTOR\"" }])
    );
});

db_test!(
    staff_input_is_checked_and_changes_nothing_when_refused,
    |app| {
        let admin = app.login(ADMIN).await;
        let before = counts(&app).await;
        let duplicate = json!({ "role": "COLLECTOR", "document": COLLECTOR.0, "firstName": "A", "lastName": "B" });
        assert_eq!(
            refused(&app, &admin, CREATE, duplicate).await,
            ("document".into(), "DUPLICATE".into())
        );
        let driver_role =
            json!({ "role": "CLIENT", "document": "12121212", "firstName": "A", "lastName": "B" });
        assert_eq!(
            refused(&app, &admin, CREATE, driver_role).await,
            ("role".into(), "INVALID_FORMAT".into())
        );
        let bad = json!({ "role": "ADMIN", "document": "12 34", "firstName": " ", "lastName": "B", "email": "nope" });
        let payload = crate::common::run(&app, &admin, CREATE, bad).await;
        let fields: Vec<&str> = payload["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"][0].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["document", "firstName", "email"], "{payload}");
        assert_eq!(
            counts(&app).await,
            before,
            "a refused input wrote something"
        );
    }
);

db_test!(only_the_organizations_admins_manage_staff, |app| {
    let admin = app.login(ADMIN).await;
    let (target, _) = create(&app, &admin, new_collector("88990011")).await;
    app.add_user("otra-empresa", "90909090", "clave1234", user::Role::Admin)
        .await;
    let stranger = app.login(("90909090", "clave1234")).await;
    let collector = app.login(COLLECTOR).await;
    let driver = app.login(DRIVER).await;
    let before = counts(&app).await;

    for (token, expected) in [(&collector, "FORBIDDEN"), (&driver, "FORBIDDEN")] {
        assert_eq!(
            error_code(&app, token, CREATE, new_collector("12312312")).await,
            expected
        );
        assert_eq!(
            error_code(
                &app,
                token,
                UPDATE,
                json!({ "id": target, "firstName": "X" })
            )
            .await,
            expected
        );
        assert_eq!(
            error_code(&app, token, DEACTIVATE, json!({ "id": target })).await,
            expected
        );
        assert_eq!(
            error_code(&app, token, REACTIVATE, json!({ "id": target })).await,
            expected
        );
        assert_eq!(
            error_code(&app, token, INVITE, json!({ "id": target })).await,
            expected
        );
        let body = app.gql(AUDIT, json!({}), Some(token)).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], expected, "{body}");
    }
    // Another organization's ADMIN: the staff member does not exist for them.
    for mutation in [UPDATE, DEACTIVATE, REACTIVATE, INVITE] {
        let input = if mutation == UPDATE {
            json!({ "id": target, "firstName": "X" })
        } else {
            json!({ "id": target })
        };
        assert_eq!(
            refused(&app, &stranger, mutation, input).await,
            ("id".into(), "NOT_FOUND".into())
        );
    }
    let theirs = audit(&app, &stranger, json!({})).await;
    assert!(
        theirs.is_empty(),
        "another organization's trail leaked: {theirs:?}"
    );
    for mutation in [CREATE, UPDATE, DEACTIVATE, REACTIVATE, INVITE] {
        let body = app
            .gql(mutation, json!({ "input": { "id": target } }), None)
            .await;
        assert!(body["errors"].is_array(), "{body}");
    }
    assert_eq!(
        counts(&app).await,
        before,
        "a refused caller wrote something"
    );
});

db_test!(audit_records_cannot_be_changed_or_removed, |app| {
    let admin = app.login(ADMIN).await;
    create(&app, &admin, new_collector("99001122")).await;
    let db = &app.app.state.db;
    let before = audit_record::Entity::find().count(db).await.unwrap();
    assert!(before > 0);
    for statement in [
        "UPDATE audit_records SET operation = 'nothing'",
        "DELETE FROM audit_records",
    ] {
        let result = db.execute_unprepared(statement).await;
        assert!(result.is_err(), "{statement} was allowed");
    }
    assert_eq!(
        audit_record::Entity::find().count(db).await.unwrap(),
        before
    );
    let records = audit(&app, &admin, json!({})).await;
    assert!(records.iter().all(|r| r["operation"] != "nothing"));
});
