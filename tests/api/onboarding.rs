//! Issue 19, drivers: ADMINs create drivers' accounts, directly or from a lead (once),
//! change, deactivate, reactivate and re-invite them; the driver chooses their password
//! with the invitation and logs in; every step is in the audit log; nobody else may.

use gateway::entities::{audit_record, client_phone, client_profile, lead, user};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, refused, run},
    db_test,
};

const CREATE: &str = "mutation($input: CreateClientInput!) { createClient(input: $input) { client { id document fullName email address phoneNumber phones { phoneNumber } plan { code } coins active } invitation { token expiresAt } userErrors { field code message } } }";
const CONVERT: &str = "mutation($input: ConvertLeadInput!) { convertLead(input: $input) { client { id document firstName lastName email phoneNumber plan { code } } invitation { token } lead { id convertedAt client { id } } userErrors { field code message } } }";
const UPDATE: &str = "mutation($input: UpdateClientInput!) { updateClient(input: $input) { client { id firstName email address phoneNumber phones { phoneNumber } plan { code } } userErrors { field code message } } }";
const DEACTIVATE: &str = "mutation($input: ClientIdInput!) { deactivateClient(input: $input) { client { id active deactivatedAt } userErrors { field code message } } }";
const REACTIVATE: &str = "mutation($input: ClientIdInput!) { reactivateClient(input: $input) { client { id active } userErrors { field code message } } }";
const INVITE: &str = "mutation($input: ClientIdInput!) { inviteClient(input: $input) { client { id } invitation { token } userErrors { field code message } } }";
const ACCEPT: &str = "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken } userErrors { field code } } }";
const CREATE_LEAD: &str = "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } userErrors { field code } } }";
const AUDIT: &str = "query($filter: AuditLogFilter) { auditLog(filter: $filter) { nodes { operation objectType objectId changes { field before after } } } }";

/// A plan of the demo organization, by code.
async fn plan_id(app: &TestApp, code: &str) -> Value {
    let body = app.gql("{ plans { id code } }", json!({}), None).await;
    body["data"]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("no plan {code}: {body}"))["id"]
        .clone()
}

fn new_client(document: &str) -> Value {
    json!({
        "document": document, "firstName": "Jorge", "lastName": "Ramos",
        "email": "jorge@example.com", "phones": ["987 654 321", "+51 912345678"],
        "address": "Av. Arequipa 123, Lima",
    })
}

async fn accept(app: &TestApp, token: &str, password: &str) -> Value {
    let body = app
        .gql(
            ACCEPT,
            json!({ "input": { "token": token, "password": password, "confirmation": password } }),
            None,
        )
        .await;
    body["data"]["acceptInvitation"].clone()
}

async fn audit(app: &TestApp, admin: &str, object_id: &Value) -> Vec<Value> {
    let body = app
        .gql(
            AUDIT,
            json!({ "filter": { "objectId": object_id } }),
            Some(admin),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

async fn counts(app: &TestApp) -> [u64; 5] {
    let db = &app.app.state.db;
    [
        user::Entity::find().count(db).await.unwrap(),
        client_profile::Entity::find().count(db).await.unwrap(),
        client_phone::Entity::find().count(db).await.unwrap(),
        audit_record::Entity::find().count(db).await.unwrap(),
        lead::Entity::find().count(db).await.unwrap(),
    ]
}

async fn new_lead(app: &TestApp, document: &str) -> Value {
    let body = app
        .gql(
            CREATE_LEAD,
            json!({ "input": {
                "firstName": "Carla", "lastName": "Díaz", "document": document,
                "phoneNumber": "+51 955 444 333", "email": "Carla@Correo.pe",
                "carOfInterest": "NEW",
            } }),
            None,
        )
        .await;
    let lead = &body["data"]["createLead"]["lead"];
    assert!(lead.is_object(), "{body}");
    lead["id"].clone()
}

db_test!(an_admin_onboards_a_driver_who_then_logs_in, |app| {
    let admin = app.login(ADMIN).await;
    let mut input = new_client("71717171");
    input["planId"] = plan_id(&app, "oro").await;
    let payload = ok(&app, &admin, CREATE, input).await;
    let client = &payload["client"];
    assert_eq!(client["fullName"], "Jorge Ramos");
    assert_eq!(client["phoneNumber"], "987 654 321");
    assert_eq!(
        client["phones"],
        json!([{ "phoneNumber": "987 654 321" }, { "phoneNumber": "+51 912345678" }])
    );
    assert_eq!(client["plan"]["code"], "oro");
    assert_eq!(client["coins"], "0.00");
    assert_eq!(client["active"], true);

    let token = payload["invitation"]["token"].as_str().unwrap();
    let session = accept(&app, token, "maneja2027").await;
    let driver = session["session"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{session}"))
        .to_string();
    let me = app
        .gql(
            "{ me { ... on Client { id document address wallet { balance } contracts { id } } } }",
            json!({}),
            Some(&driver),
        )
        .await;
    assert_eq!(me["data"]["me"]["id"], client["id"], "{me}");
    assert_eq!(me["data"]["me"]["address"], "Av. Arequipa 123, Lima");
    assert_eq!(me["data"]["me"]["contracts"], json!([]));
    // Their password logs them in from now on (`login` panics otherwise).
    app.login(("71717171", "maneja2027")).await;

    let records = audit(&app, &admin, &client["id"]).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["operation"], "createClient");
    let fields: Vec<&str> = records[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for field in ["document", "phones", "address", "planId", "role"] {
        assert!(fields.contains(&field), "{field} not recorded: {fields:?}");
    }
});

db_test!(a_lead_becomes_a_driver_once, |app| {
    let admin = app.login(ADMIN).await;
    let lead_id = new_lead(&app, "45454545").await;
    let payload = ok(
        &app,
        &admin,
        CONVERT,
        json!({ "leadId": lead_id, "planId": plan_id(&app, "azul").await, "address": "Jr. Cusco 5" }),
    )
    .await;
    let client = &payload["client"];
    assert_eq!(client["document"], "45454545");
    assert_eq!(client["firstName"], "Carla");
    assert_eq!(client["email"], "carla@correo.pe");
    assert_eq!(client["phoneNumber"], "955444333");
    assert_eq!(client["plan"]["code"], "azul");
    assert_eq!(payload["lead"]["client"]["id"], client["id"]);
    assert!(payload["lead"]["convertedAt"].is_string());
    assert!(payload["invitation"]["token"].is_string());

    let before = counts(&app).await;
    assert_eq!(
        refused(&app, &admin, CONVERT, json!({ "leadId": lead_id })).await,
        ("leadId".into(), "ALREADY_CONVERTED".into())
    );
    assert_eq!(counts(&app).await, before);

    // A lead whose document is already a driver's is refused too.
    let again = new_lead(&app, DRIVER.0).await;
    assert_eq!(
        refused(&app, &admin, CONVERT, json!({ "leadId": again })).await,
        ("document".into(), "DUPLICATE".into())
    );
    let leads = "query($id: ID!) { node(id: $id) { ... on Lead { client { id } convertedAt } } }";
    let unconverted = app.gql(leads, json!({ "id": again }), Some(&admin)).await;
    assert_eq!(
        unconverted["data"]["node"]["client"],
        Value::Null,
        "{unconverted}"
    );

    let operations: Vec<(String, String)> = audit(&app, &admin, &lead_id)
        .await
        .iter()
        .map(|r| {
            (
                r["operation"].as_str().unwrap().into(),
                r["objectType"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        operations,
        [("convertLead".to_string(), "Lead".to_string())]
    );
    assert_eq!(
        audit(&app, &admin, &client["id"]).await[0]["operation"],
        "convertLead"
    );
});

db_test!(ten_admins_converting_one_lead_make_one_driver, |app| {
    let admin = app.login(ADMIN).await;
    let lead_id = new_lead(&app, "46464646").await;
    let attempts = (0..10).map(|_| {
        app.gql(
            CONVERT,
            json!({ "input": { "leadId": lead_id } }),
            Some(&admin),
        )
    });
    let results = futures_util::future::join_all(attempts).await;
    let mut converted = 0;
    for body in &results {
        let payload = &body["data"]["convertLead"];
        if payload["client"].is_object() {
            converted += 1;
        } else {
            let code = payload["userErrors"][0]["code"].as_str();
            assert!(
                matches!(code, Some("ALREADY_CONVERTED" | "DUPLICATE")),
                "{body}"
            );
        }
    }
    assert_eq!(converted, 1);
    let db = &app.app.state.db;
    use sea_orm::{ColumnTrait, QueryFilter};
    let drivers = user::Entity::find()
        .filter(user::Column::Document.eq("46464646"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(drivers, 1);
});

db_test!(a_driver_is_changed_deactivated_and_reactivated, |app| {
    let admin = app.login(ADMIN).await;
    let payload = ok(&app, &admin, CREATE, new_client("72727272")).await;
    let id = payload["client"]["id"].clone();
    let token = payload["invitation"]["token"].as_str().unwrap().to_string();
    let driver = accept(&app, &token, "maneja2027").await["session"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string();

    let changed = ok(
        &app,
        &admin,
        UPDATE,
        json!({ "id": id, "firstName": "Jorge Luis", "email": null, "phones": ["999 888 777"], "planId": plan_id(&app, "platino").await }),
    )
    .await;
    let client = &changed["client"];
    assert_eq!(client["firstName"], "Jorge Luis");
    assert_eq!(client["email"], Value::Null);
    assert_eq!(client["phoneNumber"], "999 888 777");
    assert_eq!(client["phones"], json!([{ "phoneNumber": "999 888 777" }]));
    assert_eq!(client["address"], "Av. Arequipa 123, Lima", "untouched");
    assert_eq!(client["plan"]["code"], "platino");
    let cleared = ok(&app, &admin, UPDATE, json!({ "id": id, "planId": null })).await;
    assert_eq!(cleared["client"]["plan"], Value::Null);

    let deactivated = ok(&app, &admin, DEACTIVATE, json!({ "id": id })).await;
    assert_eq!(deactivated["client"]["active"], false);
    let me = app.gql("{ me { id } }", json!({}), Some(&driver)).await;
    assert_eq!(
        me["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{me}"
    );
    let login = app
        .gql(
            "mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }",
            json!({ "input": { "document": "72727272", "password": "maneja2027" } }),
            None,
        )
        .await;
    assert_eq!(
        login["data"]["login"]["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    assert_eq!(
        refused(&app, &admin, INVITE, json!({ "id": id })).await,
        ("id".into(), "DEACTIVATED".into())
    );
    // Staff still read the driver.
    let read = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Client { active contracts { id } } } }",
            json!({ "id": id }),
            Some(&admin),
        )
        .await;
    assert_eq!(read["data"]["node"]["active"], false, "{read}");

    ok(&app, &admin, REACTIVATE, json!({ "id": id })).await;
    app.login(("72727272", "maneja2027")).await;
    let reinvited = ok(&app, &admin, INVITE, json!({ "id": id })).await;
    assert!(reinvited["invitation"]["token"].is_string());

    let operations: Vec<String> = audit(&app, &admin, &id)
        .await
        .iter()
        .map(|r| r["operation"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        operations,
        [
            "createClient",
            "updateClient",
            "updateClient",
            "deactivateClient",
            "reactivateClient",
            "inviteClient"
        ]
    );
    let records = audit(&app, &admin, &id).await;
    let first_name = records[1]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "firstName")
        .unwrap()
        .clone();
    assert_eq!(
        first_name,
        json!({ "field": "firstName", "before": "\"Jorge\"", "after": "\"Jorge Luis\"" })
    );
});

db_test!(
    driver_input_is_checked_and_changes_nothing_when_refused,
    |app| {
        let admin = app.login(ADMIN).await;
        let before = counts(&app).await;
        assert_eq!(
            refused(&app, &admin, CREATE, new_client(DRIVER.0)).await,
            ("document".into(), "DUPLICATE".into())
        );
        let mut no_phone = new_client("73737373");
        no_phone["phones"] = json!([]);
        assert_eq!(
            refused(&app, &admin, CREATE, no_phone).await,
            ("phones".into(), "REQUIRED".into())
        );
        let mut bad_phone = new_client("73737373");
        bad_phone["phones"] = json!(["987654321", "call me"]);
        assert_eq!(
            refused(&app, &admin, CREATE, bad_phone).await,
            ("phones.1".into(), "INVALID_FORMAT".into())
        );
        app.add_user("otra-empresa", "90909090", "clave1234", user::Role::Admin)
            .await;
        let mut foreign_plan = new_client("73737373");
        let theirs = {
            use gateway::entities::plan;
            use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, Set};
            let db = &app.app.state.db;
            let org = gateway::entities::organization::Entity::find()
                .filter(gateway::entities::organization::Column::Slug.eq("otra-empresa"))
                .one(db)
                .await
                .unwrap()
                .unwrap();
            plan::ActiveModel {
                organization_id: Set(org.id),
                name: Set("Suya".into()),
                code: Set("suya".into()),
                discount_basis_points: Set(0),
                description: Set(String::new()),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap()
            .id
        };
        use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
        foreign_plan["planId"] = json!(URL_SAFE_NO_PAD.encode(format!("Plan:{theirs}")));
        assert_eq!(
            refused(&app, &admin, CREATE, foreign_plan).await,
            ("planId".into(), "NOT_FOUND".into())
        );
        let mut bad = new_client("7373 7373");
        bad["firstName"] = json!("");
        bad["email"] = json!("nope");
        let payload = run(&app, &admin, CREATE, bad).await;
        let fields: Vec<&str> = payload["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"][0].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["document", "firstName", "email"], "{payload}");
        let mut after = counts(&app).await;
        after[0] -= 1; // the other organization's ADMIN
        assert_eq!(after, before, "a refused input wrote something");
    }
);

db_test!(only_the_organizations_admins_onboard_drivers, |app| {
    let admin = app.login(ADMIN).await;
    let created = ok(&app, &admin, CREATE, new_client("74747474")).await;
    let id = created["client"]["id"].clone();
    let lead_id = new_lead(&app, "47474747").await;
    app.add_user("otra-empresa", "90909090", "clave1234", user::Role::Admin)
        .await;
    let stranger = app.login(("90909090", "clave1234")).await;
    let collector = app.login(COLLECTOR).await;
    let driver = app.login(DRIVER).await;
    let before = counts(&app).await;
    let inputs = [
        (CREATE, new_client("75757575")),
        (CONVERT, json!({ "leadId": lead_id })),
        (UPDATE, json!({ "id": id, "firstName": "X" })),
        (DEACTIVATE, json!({ "id": id })),
        (REACTIVATE, json!({ "id": id })),
        (INVITE, json!({ "id": id })),
    ];
    for (mutation, input) in &inputs {
        for token in [&collector, &driver] {
            assert_eq!(
                error_code(&app, token, mutation, input.clone()).await,
                "FORBIDDEN"
            );
        }
        let anonymous = app.gql(mutation, json!({ "input": input }), None).await;
        assert_eq!(
            anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{anonymous}"
        );
    }
    // Another organization's ADMIN: the driver and the lead do not exist for them.
    for (mutation, input) in &inputs[1..] {
        let (_, code) = refused(&app, &stranger, mutation, input.clone()).await;
        assert_eq!(code, "NOT_FOUND", "{mutation}");
    }
    assert_eq!(
        counts(&app).await,
        before,
        "a refused caller wrote something"
    );
});
