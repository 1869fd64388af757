//! Leads (`createLead`, public; `leads`, staff only) and the driver's device token
//! (`updateDeviceToken`, write-only): every validation, the duplicate window, and
//! isolation between roles and organizations.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use gateway::domain::commons::Id;
use gateway::{
    domain::{
        clients::leads::{self, LeadInput},
        commons::Clock,
    },
    entities::{client_profile, lead, user::Role},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp},
    db_test,
};

/// 10:00 in Lima on 2026-11-20; the demo leads arrived 1, 6 and 45 days before.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap()
}

const CREATE: &str = "mutation($input: CreateLeadInput!) { createLead(input: $input) {
    lead { id firstName lastName fullName document phoneNumber email timeWorking utmSource utmMedium carOfInterest createdAt }
    userErrors { field message code } } }";

const LIST: &str = "query($filter: LeadFilter, $first: Int, $after: String) { leads(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id fullName document } } }";

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id ... on Lead { document } } }";

const DEVICE_TOKEN: &str = "mutation($token: String!) { updateDeviceToken(input: { token: $token }) { ok userErrors { field message code } } }";

/// A valid lead, written the way people type: spaces, capitals, a +51 prefix.
fn valid_input() -> Value {
    json!({
        "firstName": "  María   José ",
        "lastName": "Alcalá Pérez",
        "document": " 20123456789 ",
        "phoneNumber": "+51 987-654-321",
        "email": " Maria.Jose@Correo.PE ",
        "timeWorking": "MORE_THAN_8_MONTHS",
        "utmSource": "APP",
        "utmMedium": "Android",
        "carOfInterest": "SEMI_NEW",
    })
}

fn with(field: &str, value: Value) -> Value {
    let mut input = valid_input();
    input[field] = value;
    input
}

async fn create(app: &TestApp, input: Value, token: Option<&str>) -> Value {
    app.gql(CREATE, json!({ "input": input }), token).await
}

async fn demo_organization_id(app: &TestApp) -> i64 {
    use gateway::entities::organization;
    organization::Entity::find()
        .filter(organization::Column::Slug.eq("leasy-demo"))
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn leads_with_document(app: &TestApp, document: &str) -> Vec<lead::Model> {
    lead::Entity::find()
        .filter(lead::Column::Document.eq(document))
        .all(&app.app.state.db)
        .await
        .unwrap()
}

/// Stores a lead directly, as if it had arrived at `at`.
async fn insert_lead(app: &TestApp, organization_id: i64, document: &str, at: DateTime<Utc>) {
    leads::validate(LeadInput {
        first_name: "Antes".into(),
        last_name: "Registrado".into(),
        document: document.into(),
        phone_number: "999888777".into(),
        email: "antes@correo.pe".into(),
        time_working: None,
        utm_source: None,
        utm_medium: None,
        car_of_interest: lead::CarOfInterest::New,
    })
    .unwrap()
    .into_active_model(Id::new(organization_id), at)
    .insert(&app.app.state.db)
    .await
    .unwrap();
}

fn fixed_clock(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(now());
}

db_test!(
    a_valid_lead_is_stored_trimmed_and_normalised,
    |config| { fixed_clock(config) },
    |app| {
        let body = create(&app, valid_input(), None).await;
        let payload = &body["data"]["createLead"];
        assert_eq!(payload["userErrors"], json!([]), "{body}");
        let lead = &payload["lead"];
        assert_eq!(lead["fullName"], "María José Alcalá Pérez");
        assert_eq!(lead["document"], "20123456789");
        assert_eq!(lead["phoneNumber"], "987654321");
        assert_eq!(lead["email"], "maria.jose@correo.pe");
        assert_eq!(lead["timeWorking"], "MORE_THAN_8_MONTHS");
        assert_eq!(lead["carOfInterest"], "SEMI_NEW");
        assert_eq!(lead["createdAt"], "2026-11-20T15:00:00+00:00");

        let rows = leads_with_document(&app, "20123456789").await;
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.organization_id, demo_organization_id(&app).await);
        assert_eq!(
            (row.first_name.as_str(), row.last_name.as_str()),
            ("María José", "Alcalá Pérez")
        );
        assert_eq!(row.phone_number, "987654321");
        assert_eq!(row.email, "maria.jose@correo.pe");
        assert_eq!(row.time_working, Some(lead::TimeWorking::MoreThan8Months));
        assert_eq!(row.utm_source.as_deref(), Some("APP"));
        assert_eq!(row.utm_medium.as_deref(), Some("Android"));
        assert_eq!(row.car_of_interest, lead::CarOfInterest::SemiNew);
        assert_eq!(row.created_at, now());

        // The REST API's own example: no time working (it sends ""), the app's campaign
        // tags with their case kept; blank tags are stored as nothing.
        let mut rest_api_example = json!({
            "firstName": "Lou", "lastName": "Alcalá", "document": "1044200865",
            "phoneNumber": "987928878", "email": "hola@loualcala.com",
            "utmSource": "APP", "utmMedium": "iOs", "carOfInterest": "NEW",
            "organization": "leasy-demo",
        });
        let body = create(&app, rest_api_example.clone(), None).await;
        let lead = &body["data"]["createLead"]["lead"];
        assert_eq!(lead["timeWorking"], Value::Null, "{body}");
        assert_eq!(lead["utmMedium"], "iOs");
        rest_api_example["document"] = json!("1044200866");
        rest_api_example["utmSource"] = json!("   ");
        rest_api_example["utmMedium"] = Value::Null;
        let body = create(&app, rest_api_example, None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"],
            json!([]),
            "{body}"
        );
        let row = &leads_with_document(&app, "1044200866").await[0];
        assert_eq!(
            (row.utm_source.clone(), row.utm_medium.clone()),
            (None, None)
        );
    }
);

db_test!(each_field_is_validated_on_its_own, |app| {
    let long = |n: usize| "a".repeat(n);
    let cases: Vec<(&str, Value, &str)> = vec![
        ("firstName", json!(""), "REQUIRED"),
        ("firstName", json!("   "), "REQUIRED"),
        ("firstName", json!("Lou2"), "INVALID_FORMAT"),
        ("firstName", json!(long(101)), "TOO_LONG"),
        ("lastName", json!(""), "REQUIRED"),
        ("lastName", json!("<script>"), "INVALID_FORMAT"),
        ("lastName", json!(long(101)), "TOO_LONG"),
        ("document", json!(""), "REQUIRED"),
        ("document", json!("1234567A"), "INVALID_FORMAT"),
        ("document", json!("12.345.678"), "INVALID_FORMAT"),
        ("document", json!("1234567"), "TOO_SHORT"),
        ("document", json!("1234567890123"), "TOO_LONG"),
        ("phoneNumber", json!(""), "REQUIRED"),
        ("phoneNumber", json!("887654321"), "INVALID_FORMAT"),
        ("phoneNumber", json!("98765432"), "INVALID_FORMAT"),
        ("phoneNumber", json!("9876543210"), "INVALID_FORMAT"),
        ("phoneNumber", json!("+52 987654321"), "INVALID_FORMAT"),
        ("phoneNumber", json!("98765432x"), "INVALID_FORMAT"),
        ("email", json!(""), "REQUIRED"),
        ("email", json!("sin-arroba.pe"), "INVALID_FORMAT"),
        ("email", json!("a@b"), "INVALID_FORMAT"),
        ("email", json!("a b@correo.pe"), "INVALID_FORMAT"),
        (
            "email",
            json!(format!("{}@correo.pe", long(250))),
            "TOO_LONG",
        ),
        ("utmSource", json!(long(51)), "TOO_LONG"),
        ("utmSource", json!("A P P"), "INVALID_FORMAT"),
        ("utmMedium", json!("<iOs>"), "INVALID_FORMAT"),
        ("utmMedium", json!(long(51)), "TOO_LONG"),
    ];
    for (field, value, code) in cases {
        let body = create(&app, with(field, value.clone()), None).await;
        let payload = &body["data"]["createLead"];
        assert_eq!(payload["lead"], Value::Null, "{field}={value}: {body}");
        let errors = payload["userErrors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{field}={value}: {body}");
        assert_eq!(errors[0]["field"], json!([field]), "{field}={value}");
        assert_eq!(errors[0]["code"], code, "{field}={value}: {body}");
        assert!(!errors[0]["message"].as_str().unwrap().is_empty());
    }

    // The value sets are enums: the REST API's Spanish text, an empty string or an
    // unknown value is refused by the schema before anything runs.
    for (field, value) in [
        ("timeWorking", json!("Menos de 4 meses")),
        ("timeWorking", json!("")),
        ("carOfInterest", json!("Nuevo")),
        ("carOfInterest", json!("USED")),
        ("carOfInterest", Value::Null),
    ] {
        let body = create(&app, with(field, value.clone()), None).await;
        assert!(body["errors"].is_array(), "{field}={value}: {body}");
        assert_eq!(body["data"], Value::Null, "{field}={value}: {body}");
    }

    // Every problem at once.
    let body = create(
        &app,
        json!({ "firstName": "", "lastName": "1", "document": "x", "phoneNumber": "1",
            "email": "@", "utmSource": "a b", "utmMedium": long(60), "carOfInterest": "NEW" }),
        None,
    )
    .await;
    let fields: Vec<&str> = body["data"]["createLead"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "firstName",
            "lastName",
            "document",
            "phoneNumber",
            "email",
            "utmSource",
            "utmMedium"
        ],
        "{body}"
    );

    let stored = lead::Entity::find().count(&app.app.state.db).await.unwrap();
    assert_eq!(
        stored, 4,
        "only the demo leads (the driver's own among them): nothing invalid was written"
    );
});

db_test!(
    the_same_document_within_30_days_is_a_duplicate,
    |config| { fixed_clock(config) },
    |app| {
        let body = create(&app, valid_input(), None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"],
            json!([]),
            "{body}"
        );
        // Same person, typed differently.
        let mut again = with("document", json!("20123456789"));
        again["phoneNumber"] = json!("987654321");
        let body = create(&app, again, None).await;
        let payload = &body["data"]["createLead"];
        assert_eq!(payload["lead"], Value::Null, "{body}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["document"]));
        assert_eq!(payload["userErrors"][0]["code"], "DUPLICATE");
        assert_eq!(leads_with_document(&app, "20123456789").await.len(), 1);

        // 29 days ago is inside the window, 31 days ago outside.
        let org = demo_organization_id(&app).await;
        insert_lead(&app, org, "30000029", now() - TimeDelta::days(29)).await;
        insert_lead(&app, org, "30000031", now() - TimeDelta::days(31)).await;
        let body = create(&app, with("document", json!("30000029")), None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"][0]["code"], "DUPLICATE",
            "{body}"
        );
        let body = create(&app, with("document", json!("30000031")), None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"],
            json!([]),
            "{body}"
        );
        assert_eq!(leads_with_document(&app, "30000031").await.len(), 2);
        // The demo's 45-day-old lead does not block its document either.
        let body = create(&app, with("document", json!("70123456")), None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"],
            json!([]),
            "{body}"
        );

        // Another organization has its own leads: the same document is new there.
        app.add_user("other-co", "40000001", "otro1234", Role::Admin)
            .await;
        let mut elsewhere = valid_input();
        elsewhere["organization"] = json!("other-co");
        let body = create(&app, elsewhere, None).await;
        assert_eq!(
            body["data"]["createLead"]["userErrors"],
            json!([]),
            "{body}"
        );
        assert_eq!(leads_with_document(&app, "20123456789").await.len(), 2);
    }
);

db_test!(concurrent_duplicates_store_one_lead, |app| {
    let input = with("document", json!("55544433"));
    let replies =
        futures_util::future::join_all((0..8).map(|_| create(&app, input.clone(), None))).await;
    let stored = replies
        .iter()
        .filter(|b| b["data"]["createLead"]["lead"].is_object())
        .count();
    let duplicates = replies
        .iter()
        .filter(|b| b["data"]["createLead"]["userErrors"][0]["code"] == "DUPLICATE")
        .count();
    assert_eq!((stored, duplicates), (1, 7), "{replies:?}");
    assert_eq!(leads_with_document(&app, "55544433").await.len(), 1);
});

db_test!(
    create_lead_is_one_per_request_and_needs_a_known_organization,
    |app| {
        let aliased = "mutation($a: CreateLeadInput!, $b: CreateLeadInput!) {
        a: createLead(input: $a) { userErrors { code } } b: createLead(input: $b) { userErrors { code } } }";
        let body = app
            .gql(
                aliased,
                json!({ "a": valid_input(), "b": with("document", json!("20123456780")) }),
                None,
            )
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "TOO_MANY_SENSITIVE_FIELDS",
            "{body}"
        );
        assert!(leads_with_document(&app, "20123456789").await.is_empty());

        let body = create(&app, with("organization", json!("no-such-co")), None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
        // With several organizations, an anonymous caller must say which.
        app.add_user("other-co", "40000001", "otro1234", Role::Admin)
            .await;
        let body = create(&app, valid_input(), None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
        assert!(leads_with_document(&app, "20123456789").await.is_empty());
    }
);

db_test!(
    staff_list_and_search_leads_newest_first,
    |config| { fixed_clock(config) },
    |app| {
        let created = create(&app, valid_input(), None).await;
        assert_eq!(created["data"]["createLead"]["userErrors"], json!([]));
        for who in [ADMIN, COLLECTOR] {
            let token = app.login(who).await;
            let body = app.gql(LIST, json!({ "first": 10 }), Some(&token)).await;
            let leads = &body["data"]["leads"];
            assert_eq!(leads["totalCount"], 5, "{body}");
            let documents: Vec<&str> = leads["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["document"].as_str().unwrap())
                .collect();
            assert_eq!(
                documents,
                [
                    "20123456789",
                    "1044200864",
                    "45678912",
                    "70123456",
                    "10442008642"
                ],
                "newest first (the demo driver's own lead is the oldest)"
            );
        }
        let admin = app.login(ADMIN).await;
        let search = |filter: Value| {
            let app = &app;
            let admin = admin.clone();
            async move {
                let body = app
                    .gql(LIST, json!({ "filter": filter, "first": 10 }), Some(&admin))
                    .await;
                assert!(body["errors"].is_null(), "{filter}: {body}");
                body["data"]["leads"]["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["document"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        // Case- and accent-insensitive over names, document, email and phone.
        for text in ["ALCALÁ", "alcala", "Alcalá"] {
            assert_eq!(
                search(json!({ "search": text })).await,
                ["20123456789", "1044200864", "10442008642"],
                "{text}"
            );
        }
        assert_eq!(
            search(json!({ "search": "maría josé" })).await,
            ["20123456789"]
        );
        assert_eq!(search(json!({ "search": "4567891" })).await, ["45678912"]);
        assert_eq!(search(json!({ "search": "QUISPE@" })).await, ["45678912"]);
        assert_eq!(search(json!({ "search": "956123" })).await, ["45678912"]);
        assert!(
            search(json!({ "search": "%" })).await.is_empty(),
            "% is literal"
        );
        assert!(
            search(json!({ "search": "_" })).await.is_empty(),
            "_ is literal"
        );
        // Days in Lima, both ends included: the demo leads came on 11-19, 11-14, 10-06.
        assert_eq!(
            search(json!({ "from": "2026-11-14", "to": "2026-11-19" })).await,
            ["1044200864", "45678912"]
        );
        assert_eq!(
            search(json!({ "from": "2026-11-20" })).await,
            ["20123456789"]
        );
        assert_eq!(
            search(json!({ "to": "2026-11-13" })).await,
            ["70123456", "10442008642"]
        );
        assert_eq!(
            search(json!({ "search": "correo", "from": "2026-11-01" })).await,
            ["20123456789", "45678912"]
        );

        let backwards = app
            .gql(
                LIST,
                json!({ "filter": { "from": "2026-11-20", "to": "2026-11-19" } }),
                Some(&admin),
            )
            .await;
        assert_eq!(
            backwards["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{backwards}"
        );

        // Paging.
        let page = app.gql(LIST, json!({ "first": 3 }), Some(&admin)).await;
        let info = &page["data"]["leads"]["pageInfo"];
        assert_eq!(info["hasNextPage"], true);
        let rest = app
            .gql(
                LIST,
                json!({ "first": 3, "after": info["endCursor"] }),
                Some(&admin),
            )
            .await;
        let nodes = &rest["data"]["leads"]["nodes"];
        assert_eq!(
            nodes,
            &json!([
                { "id": nodes[0]["id"], "fullName": "Jorge Huamán Torres", "document": "70123456" },
                { "id": nodes[1]["id"], "fullName": "pruebas apellido", "document": "10442008642" }
            ])
        );
    }
);

db_test!(leads_do_not_cross_roles_or_organizations, |app| {
    let created = create(&app, valid_input(), None).await;
    let lead_id = created["data"]["createLead"]["lead"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.add_user("other-co", "40000001", "otro1234", Role::Admin)
        .await;
    let foreign_admin = app.login(("40000001", "otro1234")).await;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let driver = app.login(DRIVER).await;

    // The organization's staff see the lead.
    for token in [&admin, &collector] {
        let body = app.gql(NODE, json!({ "id": lead_id }), Some(token)).await;
        assert_eq!(body["data"]["node"]["__typename"], "Lead", "{body}");
        assert_eq!(body["data"]["node"]["document"], "20123456789");
    }
    // A driver: FORBIDDEN on the list, null for the node.
    let body = app.gql(LIST, json!({}), Some(&driver)).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );
    assert_eq!(body["data"], Value::Null);
    let body = app.gql(NODE, json!({ "id": lead_id }), Some(&driver)).await;
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
    // Nobody logged in: UNAUTHENTICATED for both.
    let body = app.gql(LIST, json!({}), None).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let body = app.gql(NODE, json!({ "id": lead_id }), None).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // Another organization's admin: an empty list, a null node, even searching for it.
    let body = app
        .gql(
            LIST,
            json!({ "filter": { "search": "20123456789" }, "first": 100 }),
            Some(&foreign_admin),
        )
        .await;
    assert_eq!(body["data"]["leads"]["totalCount"], 0, "{body}");
    let body = app
        .gql(LIST, json!({ "first": 100 }), Some(&foreign_admin))
        .await;
    assert_eq!(body["data"]["leads"]["totalCount"], 0, "{body}");
    let body = app
        .gql(NODE, json!({ "id": lead_id }), Some(&foreign_admin))
        .await;
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
    let body = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [lead_id] }),
            Some(&foreign_admin),
        )
        .await;
    assert_eq!(body["data"]["nodes"], json!([null]), "{body}");

    // A logged-in caller's lead lands in their own organization, seen by its staff only.
    let body = create(
        &app,
        with("document", json!("88877766")),
        Some(&foreign_admin),
    )
    .await;
    let foreign_lead = body["data"]["createLead"]["lead"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = app
        .gql(LIST, json!({ "first": 100 }), Some(&foreign_admin))
        .await;
    assert_eq!(
        body["data"]["leads"]["nodes"][0]["document"], "88877766",
        "{body}"
    );
    assert_eq!(body["data"]["leads"]["totalCount"], 1);
    let body = app
        .gql(
            LIST,
            json!({ "filter": { "search": "88877766" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(body["data"]["leads"]["totalCount"], 0, "{body}");
    let body = app
        .gql(NODE, json!({ "id": foreign_lead }), Some(&admin))
        .await;
    assert_eq!(body["data"]["node"], Value::Null, "{body}");
});

async fn device_token_of(app: &TestApp, user_id: i64) -> Option<Option<String>> {
    client_profile::Entity::find_by_id(user_id)
        .one(&app.app.state.db)
        .await
        .unwrap()
        .map(|p| p.firebase_token)
}

async fn user_id(app: &TestApp, token: &str) -> i64 {
    let body = app.gql("{ me { id } }", json!({}), Some(token)).await;
    let id = body["data"]["me"]["id"].as_str().unwrap();
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id)
        .unwrap();
    String::from_utf8(raw)
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

db_test!(
    a_driver_writes_their_device_token_and_nobody_reads_it,
    |app| {
        let driver = app.login(DRIVER).await;
        let driver_id = user_id(&app, &driver).await;
        let fcm = "fGx1:APA91bH-abc_DEF.123";

        let body = app
            .gql(
                DEVICE_TOKEN,
                json!({ "token": format!("  {fcm} ") }),
                Some(&driver),
            )
            .await;
        assert_eq!(
            body["data"]["updateDeviceToken"],
            json!({ "ok": true, "userErrors": [] }),
            "{body}"
        );
        assert_eq!(
            device_token_of(&app, driver_id).await,
            Some(Some(fcm.into()))
        );

        for (token, code) in [
            ("a".repeat(4097), "TOO_LONG"),
            ("abc def".to_string(), "INVALID_FORMAT"),
            ("tóken".to_string(), "INVALID_FORMAT"),
        ] {
            let body = app
                .gql(DEVICE_TOKEN, json!({ "token": token }), Some(&driver))
                .await;
            let payload = &body["data"]["updateDeviceToken"];
            assert_eq!(payload["ok"], false, "{body}");
            assert_eq!(payload["userErrors"][0]["field"], json!(["token"]));
            assert_eq!(payload["userErrors"][0]["code"], code, "{body}");
        }
        assert_eq!(
            device_token_of(&app, driver_id).await,
            Some(Some(fcm.into())),
            "a refused token changes nothing"
        );

        // A driver without a profile yet gets one; the demo driver's token is untouched.
        let other_id = app
            .add_user("leasy-demo", "20000001", "otro1234", Role::Client)
            .await;
        let other = app.login(("20000001", "otro1234")).await;
        let body = app
            .gql(
                DEVICE_TOKEN,
                json!({ "token": "other-phone" }),
                Some(&other),
            )
            .await;
        assert_eq!(body["data"]["updateDeviceToken"]["ok"], true, "{body}");
        assert_eq!(
            device_token_of(&app, other_id).await,
            Some(Some("other-phone".into()))
        );
        assert_eq!(
            device_token_of(&app, driver_id).await,
            Some(Some(fcm.into()))
        );

        // Blank clears it.
        let body = app
            .gql(DEVICE_TOKEN, json!({ "token": "   " }), Some(&driver))
            .await;
        assert_eq!(body["data"]["updateDeviceToken"]["ok"], true, "{body}");
        assert_eq!(device_token_of(&app, driver_id).await, Some(None));

        // Staff cannot, nobody logged in cannot.
        for who in [ADMIN, COLLECTOR] {
            let staff = app.login(who).await;
            let body = app
                .gql(DEVICE_TOKEN, json!({ "token": "x" }), Some(&staff))
                .await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{body}"
            );
        }
        let body = app.gql(DEVICE_TOKEN, json!({ "token": "x" }), None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{body}"
        );

        // No field returns it, to the driver or to staff.
        for token in [&driver, &app.login(ADMIN).await] {
            let body = app
                .gql(
                    "{ me { ... on Client { firebaseToken } } }",
                    json!({}),
                    Some(token),
                )
                .await;
            assert!(body["errors"].is_array(), "{body}");
        }
    }
);

#[test]
fn no_output_type_exposes_the_device_token() {
    let sdl = gateway::graphql::sdl();
    // The field names of every output type but Mutation (whose `updateDeviceToken` writes it).
    // An `Invitation`'s `token` is the invitation itself, shown once to staff.
    let mut output_type = false;
    let mut type_name = "";
    let mut in_description = false;
    for line in sdl.lines() {
        let trimmed = line.trim();
        if trimmed == "\"\"\"" {
            in_description = !in_description;
            continue;
        }
        if in_description {
            continue;
        }
        if !line.starts_with('\t') {
            let mut words = trimmed.split_whitespace();
            let (kind, name) = (words.next(), words.next());
            if kind.is_some_and(|k| !k.starts_with('}')) {
                output_type =
                    matches!(kind, Some("type" | "interface")) && name != Some("Mutation");
                type_name = name.unwrap_or_default();
            }
            continue;
        }
        if output_type {
            let field = trimmed
                .split(['(', ':'])
                .next()
                .unwrap_or_default()
                .to_lowercase();
            assert!(
                !field.contains("devicetoken")
                    && !field.contains("firebase")
                    && (field != "token" || type_name == "Invitation"),
                "an output field may return the device token: {trimmed}"
            );
        }
    }
}
