//! Common content (the Leasy REST API's "Commons"): public lists with the REST API's
//! examples, the tips filter in the organization's timezone, ADMIN-only changes,
//! isolation between organizations, input validation and HTTP caching.

use axum::http::header;
use chrono::{TimeZone, Utc};
use gateway::{
    domain::commons::Clock,
    entities::{faq, plan, tip, tip_category, user::Role},
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, the_review_day},
    db_test,
};

const DEMO: &str = "leasy-demo";

/// Every list at once, as the playground's example asks for it.
const ALL_LISTS: &str = "query($org: String) {
  plans(organization: $org) { name code discountPercent description }
  expenseCategories(organization: $org) { name code icon }
  emergencyContacts(organization: $org) { case name description contacts { case contactName phoneNumber description } }
  supportContacts(organization: $org) {
    mechanical { kind contactName phoneNumber }
    emergency { kind contactName phoneNumber }
    rideHailingAffiliation { kind contactName phoneNumber } }
  serviceContactChannels(organization: $org) { label code value }
  faqs(organization: $org) { totalCount nodes { title paragraphs createdOn } }
  tipCategories(organization: $org) { name code description }
  tips(organization: $org, first: 20) { totalCount nodes { title paragraphs isPopular publishedOn category { code } } }
}";

/// The global IDs of the demo content.
const IDS: &str = "query($org: String) {
  plans(organization: $org) { id code }
  expenseCategories(organization: $org) { id code }
  emergencyContacts(organization: $org) { id case contacts { id } }
  supportContacts(organization: $org) { mechanical { id } emergency { id } rideHailingAffiliation { id } }
  serviceContactChannels(organization: $org) { id code }
  faqs(organization: $org) { nodes { id title } }
  tipCategories(organization: $org) { id code }
  tips(organization: $org, first: 100) { nodes { id category { code } } }
}";

/// Runs `name(input: $input) { selection userErrors {...} }` and returns the whole body.
async fn mutate(
    app: &TestApp,
    token: Option<&str>,
    name: &str,
    input: Value,
    selection: &str,
) -> Value {
    let input_type = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
    let query = format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field message code }} }} }}"
    );
    app.gql(&query, json!({ "input": input }), token).await
}

/// The payload of a mutation that must have succeeded.
async fn mutate_ok(app: &TestApp, token: &str, name: &str, input: Value, selection: &str) -> Value {
    let body = mutate(app, Some(token), name, input, selection).await;
    let payload = body["data"][name].clone();
    assert_eq!(payload["userErrors"], json!([]), "{name}: {body}");
    payload
}

/// `[(field, code)]` of a mutation's userErrors.
fn user_errors(body: &Value, name: &str) -> Vec<(String, String)> {
    body["data"][name]["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no userErrors: {body}"))
        .iter()
        .map(|e| {
            (
                e["field"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join("."),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn lists(app: &TestApp, token: Option<&str>) -> Value {
    let body = app.gql(ALL_LISTS, json!({ "org": DEMO }), token).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

async fn ids(app: &TestApp) -> Value {
    let body = app.gql(IDS, json!({ "org": DEMO }), None).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

/// The `id` of the item of `list` whose `key` is `value`.
fn id_where(list: &Value, key: &str, value: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn codes(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap().to_string())
        .collect()
}

/// 03:30 UTC on the 24th is still the 23rd, 22:30, in Lima: "today" is the 23rd there.
fn late_evening_in_lima(config: &mut gateway::config::Config) {
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 24, 3, 30, 0).unwrap());
}

// ---------------------------------------------------------------------------------------
// Public lists
// ---------------------------------------------------------------------------------------

db_test!(
    every_list_is_public_and_holds_rest_api_examples,
    |config| { the_review_day(config) },
    |app| {
        // No login, with the organization's slug and without it (the only organization).
        let with_slug = lists(&app, None).await;
        let body = app.gql(ALL_LISTS, json!({}), None).await;
        assert_eq!(body["data"], with_slug, "{body}");
        let data = with_slug;

        assert_eq!(
            data["plans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (
                    p["name"].as_str().unwrap(),
                    p["discountPercent"].as_str().unwrap()
                ))
                .collect::<Vec<_>>(),
            vec![
                ("Azul", "0.00"),
                ("Oro", "5.00"),
                ("Platino", "7.00"),
                ("Diamante", "10.00")
            ]
        );
        assert_eq!(
            data["expenseCategories"],
            json!([
                { "name": "Mantenimiento", "code": "mantenimiento", "icon": "" },
                { "name": "Gastos Personales", "code": "gastos_personales", "icon": "" },
                { "name": "Combustible", "code": "combustible", "icon": "" },
                { "name": "Otros", "code": "otros", "icon": "" },
            ])
        );
        assert_eq!(
            data["emergencyContacts"],
            json!([
                { "case": "ACCIDENT", "name": "Accidentes", "description": "En caso de accidentes",
                  "contacts": [{ "case": "ACCIDENT", "contactName": "Rigoberto", "phoneNumber": "953884777", "description": "" }] },
                { "case": "BLOCK", "name": "Bloqueo de vehículo", "description": "En caso de bloqueos por falta de pago",
                  "contacts": [{ "case": "BLOCK", "contactName": "Cobranzas", "phoneNumber": "991337801", "description": "" }] },
                { "case": "THEFT", "name": "Robo", "description": "En caso de robo de vehículo",
                  "contacts": [{ "case": "THEFT", "contactName": "Luis Gómez", "phoneNumber": "965448883", "description": "" }] },
            ])
        );
        assert_eq!(
            data["supportContacts"],
            json!({
                "mechanical": { "kind": "MECHANICAL", "contactName": "Soporte Mecánico", "phoneNumber": "+51987928878" },
                "emergency": { "kind": "EMERGENCY", "contactName": "Emergencias", "phoneNumber": "+51987928878" },
                "rideHailingAffiliation": { "kind": "RIDE_HAILING_AFFILIATION", "contactName": "Afiliaciones UBER", "phoneNumber": "+51987928878" },
            })
        );
        assert_eq!(
            data["serviceContactChannels"],
            json!([
                { "label": "Teléfono", "code": "phone_number", "value": "947 947 158" },
                { "label": "Correo electrónico", "code": "email_address", "value": "ventas@leasyauto.com" },
            ])
        );
        // Newest first, as the REST API lists them. Written by the ADMIN with the rest of
        // the content, 119 days before the review day (the REST API's are of 2023-07-19,
        // before the demo organization existed).
        assert_eq!(
            data["faqs"],
            json!({ "totalCount": 2, "nodes": [
            { "title": "Esto no lo es", "paragraphs": ["Hola a todos", "Hola a todos 2", "Hola a todos 3"], "createdOn": "2026-08-08" },
            { "title": "Hola a todos", "paragraphs": ["Si, esto es el primero content"], "createdOn": "2026-08-08" },
        ] })
        );
        assert_eq!(
            codes(&data["tipCategories"], "code"),
            vec![
                "mantenimiento",
                "reparaciones",
                "limpieza",
                "multas_y_transito",
                "seguridad_vehicular",
                "presupuesto_vehicular"
            ]
        );
        assert_eq!(data["tipCategories"][3]["name"], "Multas y tránsito");
        // The tip scheduled for the day after tomorrow is not public yet.
        let tips = &data["tips"];
        assert_eq!(tips["totalCount"], 7, "{tips}");
        for tip in tips["nodes"].as_array().unwrap() {
            assert!(tip["category"]["code"].is_string(), "{tip}");
            assert!(!tip["paragraphs"].as_array().unwrap().is_empty());
        }

        // A driver and staff read the same lists.
        let driver = app.login(DRIVER).await;
        assert_eq!(lists(&app, Some(&driver)).await["plans"], data["plans"]);

        // An unknown slug is the caller's mistake.
        let body = app
            .gql(
                "{ plans(organization: \"nope\") { name } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
    }
);

db_test!(each_organization_has_its_own_content, |app| {
    app.add_user("other-co", "30000001", "otro1234", Role::Admin)
        .await;
    // Two organizations: an anonymous caller must say which.
    let body = app.gql("{ tipCategories { code } }", json!({}), None).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    // The other organization has no content yet; the demo's is still all there.
    let other = app.gql(ALL_LISTS, json!({ "org": "other-co" }), None).await;
    let data = &other["data"];
    for list in [
        "plans",
        "expenseCategories",
        "emergencyContacts",
        "serviceContactChannels",
        "tipCategories",
    ] {
        assert_eq!(data[list], json!([]), "{list}: {other}");
    }
    assert_eq!(data["faqs"]["totalCount"], 0);
    assert_eq!(data["tips"]["totalCount"], 0);
    assert_eq!(data["supportContacts"]["mechanical"], Value::Null);
    // Logged in without a slug: the caller's organization.
    let token = app.login(("30000001", "otro1234")).await;
    let body = app
        .gql("{ tipCategories { code } }", json!({}), Some(&token))
        .await;
    assert_eq!(body["data"]["tipCategories"], json!([]), "{body}");
    assert_eq!(
        lists(&app, None).await["tipCategories"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
});

// ---------------------------------------------------------------------------------------
// Tips: filter, order, today in the organization's timezone
// ---------------------------------------------------------------------------------------

const TIPS: &str = "query($filter: TipFilter, $first: Int) { tips(organization: \"leasy-demo\", filter: $filter, first: $first) {
    totalCount nodes { id title isPopular publishedOn category { code } } } }";

async fn tips(app: &TestApp, filter: Value, token: Option<&str>) -> Vec<(String, String, bool)> {
    let body = app
        .gql(TIPS, json!({ "filter": filter, "first": 100 }), token)
        .await;
    let connection = &body["data"]["tips"];
    let nodes = connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{filter}: {body}"));
    assert_eq!(connection["totalCount"], nodes.len(), "{body}");
    nodes
        .iter()
        .map(|n| {
            (
                n["publishedOn"].as_str().unwrap().to_string(),
                n["category"]["code"].as_str().unwrap().to_string(),
                n["isPopular"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn tip(date: &str, category: &str, popular: bool) -> (String, String, bool) {
    (date.to_string(), category.to_string(), popular)
}

db_test!(
    tips_filter_by_category_popularity_and_today_newest_first,
    |config| {
        late_evening_in_lima(config);
    },
    |app| {
        let all = tips(&app, json!(null), None).await;
        assert_eq!(
            all,
            vec![
                tip("2026-11-23", "limpieza", false),
                tip("2026-11-23", "mantenimiento", false),
                tip("2026-11-22", "multas_y_transito", true),
                tip("2026-11-20", "reparaciones", true),
                tip("2026-11-18", "seguridad_vehicular", false),
                tip("2026-11-16", "presupuesto_vehicular", false),
                tip("2026-11-13", "mantenimiento", true),
            ],
            "newest publication first, the later-created first within a day"
        );
        // "Today" is the 23rd in Lima although it is already the 24th in UTC.
        assert_eq!(
            tips(&app, json!({ "today": true }), None).await,
            vec![
                tip("2026-11-23", "limpieza", false),
                tip("2026-11-23", "mantenimiento", false)
            ]
        );
        assert_eq!(tips(&app, json!({ "today": false }), None).await.len(), 5);
        assert_eq!(
            tips(&app, json!({ "popular": true }), None).await,
            vec![
                tip("2026-11-22", "multas_y_transito", true),
                tip("2026-11-20", "reparaciones", true),
                tip("2026-11-13", "mantenimiento", true),
            ]
        );
        assert_eq!(tips(&app, json!({ "popular": false }), None).await.len(), 4);
        let by_code = tips(&app, json!({ "categoryCode": "mantenimiento" }), None).await;
        assert_eq!(
            by_code,
            vec![
                tip("2026-11-23", "mantenimiento", false),
                tip("2026-11-13", "mantenimiento", true)
            ]
        );
        let maintenance = id_where(&ids(&app).await["tipCategories"], "code", "mantenimiento");
        assert_eq!(
            tips(&app, json!({ "category": maintenance }), None).await,
            by_code
        );
        assert_eq!(
            tips(
                &app,
                json!({ "category": maintenance, "popular": true, "today": false }),
                None
            )
            .await,
            vec![tip("2026-11-13", "mantenimiento", true)]
        );
        assert_eq!(
            tips(&app, json!({ "categoryCode": "no_such_category" }), None).await,
            vec![]
        );

        // Staff see the tip scheduled for the 25th; drivers do not.
        let admin = app.login(ADMIN).await;
        let staff_view = tips(
            &app,
            json!({ "categoryCode": "mantenimiento" }),
            Some(&admin),
        )
        .await;
        assert_eq!(staff_view[0], tip("2026-11-25", "mantenimiento", false));
        assert_eq!(staff_view.len(), 3);
        let driver = app.login(DRIVER).await;
        assert_eq!(tips(&app, json!(null), Some(&driver)).await, all);

        // Paging walks the same order.
        let page = app
            .gql(
                "{ tips(first: 2, after: null) { pageInfo { hasNextPage endCursor } nodes { publishedOn } } }",
                json!({}),
                None,
            )
            .await;
        let cursor = page["data"]["tips"]["pageInfo"]["endCursor"]
            .as_str()
            .unwrap();
        assert_eq!(page["data"]["tips"]["pageInfo"]["hasNextPage"], true);
        let next = app
            .gql(
                "query($after: String) { tips(first: 2, after: $after) { nodes { publishedOn } } }",
                json!({ "after": cursor }),
                None,
            )
            .await;
        assert_eq!(
            next["data"]["tips"]["nodes"],
            json!([{ "publishedOn": "2026-11-22" }, { "publishedOn": "2026-11-20" }])
        );

        // Not a tip category ID: the caller's mistake.
        let plan = id_where(&ids(&app).await["plans"], "code", "oro");
        let body = app
            .gql(TIPS, json!({ "filter": { "category": plan } }), None)
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{body}"
        );
    }
);

db_test!(
    a_new_tip_is_published_today_in_the_organizations_timezone,
    |config| {
        late_evening_in_lima(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        let category = id_where(&ids(&app).await["tipCategories"], "code", "limpieza");
        let created = mutate_ok(
            &app,
            &admin,
            "createTip",
            json!({ "categoryId": category, "paragraphs": ["  Aspira los asientos una vez por semana.  "], "isPopular": true }),
            "tip { id title paragraphs isPopular publishedOn category { code name } }",
        )
        .await;
        assert_eq!(
            created["tip"]["publishedOn"], "2026-11-23",
            "the organization's today, not UTC's 24th"
        );
        assert_eq!(created["tip"]["title"], Value::Null);
        assert_eq!(
            created["tip"]["paragraphs"],
            json!(["Aspira los asientos una vez por semana."])
        );
        assert_eq!(
            created["tip"]["category"],
            json!({ "code": "limpieza", "name": "Limpieza" })
        );
        let today = tips(&app, json!({ "today": true, "popular": true }), None).await;
        assert_eq!(today, vec![tip("2026-11-23", "limpieza", true)]);
        // The newest of the day comes first.
        let body = app
            .gql(
                TIPS,
                json!({ "filter": { "today": true }, "first": 1 }),
                None,
            )
            .await;
        assert_eq!(body["data"]["tips"]["nodes"][0]["id"], created["tip"]["id"]);
    }
);

// ---------------------------------------------------------------------------------------
// ADMINs change content; nobody else
// ---------------------------------------------------------------------------------------

db_test!(admin_creates_updates_and_deletes_plans, |app| {
    let admin = app.login(ADMIN).await;
    let created = mutate_ok(
        &app,
        &admin,
        "createPlan",
        json!({ "name": "  Esmeralda Plus ", "discountPercent": "12.50", "description": "Para los mejores." }),
        "plan { id name code discountPercent description }",
    )
    .await;
    let plan = &created["plan"];
    assert_eq!(plan["name"], "Esmeralda Plus");
    assert_eq!(plan["code"], "esmeralda_plus", "derived from the name");
    assert_eq!(plan["discountPercent"], "12.50");
    let id = plan["id"].as_str().unwrap().to_string();

    // Only the fields sent change.
    let updated = mutate_ok(
        &app,
        &admin,
        "updatePlan",
        json!({ "id": id, "discountPercent": "15" }),
        "plan { name code discountPercent description }",
    )
    .await;
    assert_eq!(
        updated["plan"],
        json!({ "name": "Esmeralda Plus", "code": "esmeralda_plus", "discountPercent": "15.00", "description": "Para los mejores." })
    );
    let listed = lists(&app, None).await["plans"].clone();
    assert_eq!(codes(&listed, "code").last().unwrap(), "esmeralda_plus");

    // Another plan's code is taken.
    let body = mutate(
        &app,
        Some(&admin),
        "updatePlan",
        json!({ "id": id, "code": "oro" }),
        "plan { code }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "updatePlan"),
        vec![("code".into(), "DUPLICATE".into())]
    );
    assert_eq!(body["data"]["updatePlan"]["plan"], Value::Null);

    let deleted = mutate_ok(&app, &admin, "deletePlan", json!({ "id": id }), "deletedId").await;
    assert_eq!(deleted["deletedId"], Value::String(id.clone()));
    assert_eq!(
        lists(&app, None).await["plans"].as_array().unwrap().len(),
        4
    );
    // Deleting again: it is gone.
    let again = mutate(
        &app,
        Some(&admin),
        "deletePlan",
        json!({ "id": id }),
        "deletedId",
    )
    .await;
    assert_eq!(
        again["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{again}"
    );

    // The demo driver is on "oro": refused, and nothing changes.
    let oro = id_where(&ids(&app).await["plans"], "code", "oro");
    let body = mutate(
        &app,
        Some(&admin),
        "deletePlan",
        json!({ "id": oro }),
        "deletedId",
    )
    .await;
    assert_eq!(
        user_errors(&body, "deletePlan"),
        vec![("id".into(), "IN_USE".into())]
    );
    let db = &app.app.state.db;
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::Code.eq("oro"))
            .count(db)
            .await
            .unwrap(),
        1
    );
});

db_test!(
    admin_creates_updates_and_deletes_expense_categories,
    |app| {
        let admin = app.login(ADMIN).await;
        let created = mutate_ok(
            &app,
            &admin,
            "createExpenseCategory",
            json!({ "name": "Peajes y cocheras", "icon": "toll-road" }),
            "expenseCategory { id name code icon }",
        )
        .await;
        let category = &created["expenseCategory"];
        assert_eq!(category["code"], "peajes_y_cocheras");
        assert_eq!(category["icon"], "toll-road");
        let id = category["id"].as_str().unwrap().to_string();
        let updated = mutate_ok(
            &app,
            &admin,
            "updateExpenseCategory",
            json!({ "id": id, "icon": "https://leasy.pe/static/icons/peaje.png" }),
            "expenseCategory { name code icon }",
        )
        .await;
        assert_eq!(
            updated["expenseCategory"],
            json!({ "name": "Peajes y cocheras", "code": "peajes_y_cocheras", "icon": "https://leasy.pe/static/icons/peaje.png" })
        );
        let body = mutate(
            &app,
            Some(&admin),
            "createExpenseCategory",
            json!({ "name": "Combustible" }),
            "expenseCategory { id }",
        )
        .await;
        assert_eq!(
            user_errors(&body, "createExpenseCategory"),
            vec![("code".into(), "DUPLICATE".into())]
        );
        mutate_ok(
            &app,
            &admin,
            "deleteExpenseCategory",
            json!({ "id": id }),
            "deletedId",
        )
        .await;
        assert_eq!(
            codes(&lists(&app, None).await["expenseCategories"], "code"),
            vec!["mantenimiento", "gastos_personales", "combustible", "otros"]
        );
    }
);

db_test!(admin_manages_emergency_groups_and_their_contacts, |app| {
    let admin = app.login(ADMIN).await;
    let demo = ids(&app).await;
    let groups = &demo["emergencyContacts"];
    let accident_group = id_where(groups, "case", "ACCIDENT");

    // A second contact for accidents.
    let created = mutate_ok(
        &app,
        &admin,
        "createEmergencyContact",
        json!({ "case": "ACCIDENT", "contactName": "Grúas Lima", "phoneNumber": "+51 1 555-0199", "description": "24 horas" }),
        "contact { id case contactName phoneNumber description }",
    )
    .await;
    let contact = created["contact"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["contact"]["case"], "ACCIDENT");
    let data = lists(&app, None).await;
    assert_eq!(
        data["emergencyContacts"][0]["contacts"][1],
        json!({ "case": "ACCIDENT", "contactName": "Grúas Lima", "phoneNumber": "+51 1 555-0199", "description": "24 horas" })
    );

    // Moving it to the block group; only the case changes.
    let moved = mutate_ok(
        &app,
        &admin,
        "updateEmergencyContact",
        json!({ "id": contact, "case": "BLOCK" }),
        "contact { case contactName phoneNumber }",
    )
    .await;
    assert_eq!(
        moved["contact"],
        json!({ "case": "BLOCK", "contactName": "Grúas Lima", "phoneNumber": "+51 1 555-0199" })
    );
    let data = lists(&app, None).await;
    assert_eq!(
        data["emergencyContacts"][0]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        data["emergencyContacts"][1]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A case has one group.
    let body = mutate(
        &app,
        Some(&admin),
        "createEmergencyContactGroup",
        json!({ "case": "THEFT", "name": "Robo 2" }),
        "group { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createEmergencyContactGroup"),
        vec![("case".into(), "DUPLICATE".into())]
    );
    // A group with contacts cannot go.
    let body = mutate(
        &app,
        Some(&admin),
        "deleteEmergencyContactGroup",
        json!({ "id": accident_group }),
        "deletedId",
    )
    .await;
    assert_eq!(
        user_errors(&body, "deleteEmergencyContactGroup"),
        vec![("id".into(), "IN_USE".into())]
    );
    // Renaming the group.
    let renamed = mutate_ok(
        &app,
        &admin,
        "updateEmergencyContactGroup",
        json!({ "id": accident_group, "description": "Choques y atropellos" }),
        "group { case name description contacts { contactName } }",
    )
    .await;
    assert_eq!(
        renamed["group"],
        json!({ "case": "ACCIDENT", "name": "Accidentes", "description": "Choques y atropellos", "contacts": [{ "contactName": "Rigoberto" }] })
    );

    // Emptied, the group can go; then contacts for that case have nowhere to be.
    let rigoberto = demo["emergencyContacts"][0]["contacts"][0]["id"].clone();
    mutate_ok(
        &app,
        &admin,
        "deleteEmergencyContact",
        json!({ "id": rigoberto }),
        "deletedId",
    )
    .await;
    mutate_ok(
        &app,
        &admin,
        "deleteEmergencyContactGroup",
        json!({ "id": accident_group }),
        "deletedId",
    )
    .await;
    let body = mutate(
        &app,
        Some(&admin),
        "createEmergencyContact",
        json!({ "case": "ACCIDENT", "contactName": "Rigoberto", "phoneNumber": "953884777" }),
        "contact { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createEmergencyContact"),
        vec![("case".into(), "NOT_FOUND".into())]
    );
    let created = mutate_ok(
        &app,
        &admin,
        "createEmergencyContactGroup",
        json!({ "case": "ACCIDENT", "name": "Accidentes", "description": "En caso de accidentes" }),
        "group { case contacts { id } }",
    )
    .await;
    assert_eq!(
        created["group"],
        json!({ "case": "ACCIDENT", "contacts": [] })
    );
    let cases: Vec<String> = codes(&lists(&app, None).await["emergencyContacts"], "case");
    assert_eq!(cases, vec!["BLOCK", "THEFT", "ACCIDENT"]);
});

db_test!(admin_manages_support_contacts, |app| {
    let admin = app.login(ADMIN).await;
    let demo = ids(&app).await;
    let mechanical = demo["supportContacts"]["mechanical"]["id"].clone();
    let body = mutate(
        &app,
        Some(&admin),
        "createSupportContact",
        json!({ "kind": "MECHANICAL", "contactName": "Taller", "phoneNumber": "987654321" }),
        "supportContact { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createSupportContact"),
        vec![("kind".into(), "DUPLICATE".into())]
    );
    let updated = mutate_ok(
        &app,
        &admin,
        "updateSupportContact",
        json!({ "id": mechanical, "phoneNumber": "+51 999 888 777" }),
        "supportContact { kind contactName phoneNumber }",
    )
    .await;
    assert_eq!(
        updated["supportContact"],
        json!({ "kind": "MECHANICAL", "contactName": "Soporte Mecánico", "phoneNumber": "+51 999 888 777" })
    );
    mutate_ok(
        &app,
        &admin,
        "deleteSupportContact",
        json!({ "id": mechanical }),
        "deletedId",
    )
    .await;
    let data = lists(&app, None).await;
    assert_eq!(data["supportContacts"]["mechanical"], Value::Null);
    let created = mutate_ok(
        &app,
        &admin,
        "createSupportContact",
        json!({ "kind": "MECHANICAL", "contactName": "Taller Leasy", "phoneNumber": "987654321" }),
        "supportContact { kind contactName phoneNumber }",
    )
    .await;
    assert_eq!(created["supportContact"]["contactName"], "Taller Leasy");
    assert_eq!(
        lists(&app, None).await["supportContacts"]["mechanical"]["contactName"],
        "Taller Leasy"
    );
});

db_test!(admin_manages_service_contact_channels, |app| {
    let admin = app.login(ADMIN).await;
    let created = mutate_ok(
        &app,
        &admin,
        "createServiceContactChannel",
        json!({ "label": "WhatsApp", "code": "whatsapp", "value": "+51 947 947 158" }),
        "channel { id label code value }",
    )
    .await;
    let id = created["channel"]["id"].as_str().unwrap().to_string();
    // The value is checked against the code the channel ends up with.
    let body = mutate(
        &app,
        Some(&admin),
        "updateServiceContactChannel",
        json!({ "id": id, "code": "email_address" }),
        "channel { code }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "updateServiceContactChannel"),
        vec![("value".into(), "INVALID_FORMAT".into())]
    );
    let updated = mutate_ok(
        &app,
        &admin,
        "updateServiceContactChannel",
        json!({ "id": id, "label": "Web", "code": "website", "value": "https://leasy.pe/ayuda" }),
        "channel { label code value }",
    )
    .await;
    assert_eq!(
        updated["channel"],
        json!({ "label": "Web", "code": "website", "value": "https://leasy.pe/ayuda" })
    );
    let body = mutate(
        &app,
        Some(&admin),
        "createServiceContactChannel",
        json!({ "label": "Otro teléfono", "code": "phone_number", "value": "999 999 999" }),
        "channel { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createServiceContactChannel"),
        vec![("code".into(), "DUPLICATE".into())]
    );
    mutate_ok(
        &app,
        &admin,
        "deleteServiceContactChannel",
        json!({ "id": id }),
        "deletedId",
    )
    .await;
    assert_eq!(
        codes(&lists(&app, None).await["serviceContactChannels"], "code"),
        vec!["phone_number", "email_address"]
    );
});

db_test!(admin_manages_faqs, |app| {
    let admin = app.login(ADMIN).await;
    let created = mutate_ok(
        &app,
        &admin,
        "createFaq",
        json!({ "title": "¿Cómo pago mi cuota?", "paragraphs": ["Desde la app, con tus coins.", "O con tarjeta."] }),
        "faq { id title paragraphs createdAt }",
    )
    .await;
    let id = created["faq"]["id"].as_str().unwrap().to_string();
    let data = lists(&app, None).await;
    assert_eq!(data["faqs"]["totalCount"], 3);
    assert_eq!(
        data["faqs"]["nodes"][0]["title"], "¿Cómo pago mi cuota?",
        "newest first"
    );
    let updated = mutate_ok(
        &app,
        &admin,
        "updateFaq",
        json!({ "id": id, "title": "¿Cómo pago mi cuota semanal?" }),
        "faq { title paragraphs }",
    )
    .await;
    assert_eq!(
        updated["faq"],
        json!({ "title": "¿Cómo pago mi cuota semanal?", "paragraphs": ["Desde la app, con tus coins.", "O con tarjeta."] })
    );
    mutate_ok(&app, &admin, "deleteFaq", json!({ "id": id }), "deletedId").await;
    assert_eq!(lists(&app, None).await["faqs"]["totalCount"], 2);
    let db = &app.app.state.db;
    assert_eq!(faq::Entity::find().count(db).await.unwrap(), 2);
});

db_test!(admin_manages_tip_categories_and_tips, |app| {
    let admin = app.login(ADMIN).await;
    let created = mutate_ok(
        &app,
        &admin,
        "createTipCategory",
        json!({ "name": "Atención al pasajero", "description": "Cómo ganar buenas calificaciones" }),
        "tipCategory { id name code description }",
    )
    .await;
    let category = created["tipCategory"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["tipCategory"]["code"], "atencion_al_pasajero");

    let created_tip = mutate_ok(
        &app,
        &admin,
        "createTip",
        json!({ "categoryId": category, "title": "Saluda", "paragraphs": ["Saluda y confirma el destino."], "publishedOn": "2020-01-01" }),
        "tip { id title publishedOn isPopular category { code } }",
    )
    .await["tip"]
        .clone();
    assert_eq!(created_tip["publishedOn"], "2020-01-01");
    assert_eq!(created_tip["isPopular"], false);
    let id = created_tip["id"].as_str().unwrap().to_string();

    // Null removes the title; omitted fields stay.
    let updated = mutate_ok(
        &app,
        &admin,
        "updateTip",
        json!({ "id": id, "title": null, "isPopular": true }),
        "tip { title paragraphs isPopular publishedOn category { code } }",
    )
    .await;
    assert_eq!(
        updated["tip"],
        json!({ "title": null, "paragraphs": ["Saluda y confirma el destino."], "isPopular": true, "publishedOn": "2020-01-01", "category": { "code": "atencion_al_pasajero" } })
    );
    let by_code = tips(
        &app,
        json!({ "categoryCode": "atencion_al_pasajero" }),
        None,
    )
    .await;
    assert_eq!(
        by_code,
        vec![tip("2020-01-01", "atencion_al_pasajero", true)]
    );

    // A category with tips cannot go.
    let body = mutate(
        &app,
        Some(&admin),
        "deleteTipCategory",
        json!({ "id": category }),
        "deletedId",
    )
    .await;
    assert_eq!(
        user_errors(&body, "deleteTipCategory"),
        vec![("id".into(), "IN_USE".into())]
    );
    let renamed = mutate_ok(
        &app,
        &admin,
        "updateTipCategory",
        json!({ "id": category, "name": "Pasajeros" }),
        "tipCategory { name code description }",
    )
    .await;
    assert_eq!(
        renamed["tipCategory"],
        json!({ "name": "Pasajeros", "code": "atencion_al_pasajero", "description": "Cómo ganar buenas calificaciones" })
    );
    mutate_ok(&app, &admin, "deleteTip", json!({ "id": id }), "deletedId").await;
    mutate_ok(
        &app,
        &admin,
        "deleteTipCategory",
        json!({ "id": category }),
        "deletedId",
    )
    .await;
    let db = &app.app.state.db;
    assert_eq!(tip::Entity::find().count(db).await.unwrap(), 8);
    assert_eq!(tip_category::Entity::find().count(db).await.unwrap(), 6);
});

/// One call of every content mutation, with valid input and the demo's IDs.
fn every_mutation(demo: &Value) -> Vec<(&'static str, Value)> {
    let plan = id_where(&demo["plans"], "code", "azul");
    let expense = id_where(&demo["expenseCategories"], "code", "otros");
    let group = id_where(&demo["emergencyContacts"], "case", "THEFT");
    let contact = demo["emergencyContacts"][2]["contacts"][0]["id"].clone();
    let support = demo["supportContacts"]["emergency"]["id"].clone();
    let channel = id_where(&demo["serviceContactChannels"], "code", "phone_number");
    let faq = demo["faqs"]["nodes"][0]["id"].clone();
    let category = id_where(&demo["tipCategories"], "code", "limpieza");
    let tip = demo["tips"]["nodes"][0]["id"].clone();
    vec![
        (
            "createPlan",
            json!({ "name": "Nuevo", "discountPercent": "1" }),
        ),
        ("updatePlan", json!({ "id": plan, "name": "Celeste" })),
        ("deletePlan", json!({ "id": plan })),
        ("createExpenseCategory", json!({ "name": "Peajes" })),
        (
            "updateExpenseCategory",
            json!({ "id": expense, "name": "Varios" }),
        ),
        ("deleteExpenseCategory", json!({ "id": expense })),
        (
            "createEmergencyContactGroup",
            json!({ "case": "THEFT", "name": "Robo" }),
        ),
        (
            "updateEmergencyContactGroup",
            json!({ "id": group, "name": "Hurto" }),
        ),
        ("deleteEmergencyContactGroup", json!({ "id": group })),
        (
            "createEmergencyContact",
            json!({ "case": "THEFT", "contactName": "Ana", "phoneNumber": "987654321" }),
        ),
        (
            "updateEmergencyContact",
            json!({ "id": contact, "contactName": "Luis" }),
        ),
        ("deleteEmergencyContact", json!({ "id": contact })),
        (
            "createSupportContact",
            json!({ "kind": "EMERGENCY", "contactName": "Ana", "phoneNumber": "987654321" }),
        ),
        (
            "updateSupportContact",
            json!({ "id": support, "contactName": "Ana" }),
        ),
        ("deleteSupportContact", json!({ "id": support })),
        (
            "createServiceContactChannel",
            json!({ "label": "Web", "code": "website", "value": "https://leasy.pe" }),
        ),
        (
            "updateServiceContactChannel",
            json!({ "id": channel, "label": "Fono" }),
        ),
        ("deleteServiceContactChannel", json!({ "id": channel })),
        (
            "createFaq",
            json!({ "title": "¿Qué?", "paragraphs": ["Esto."] }),
        ),
        ("updateFaq", json!({ "id": faq, "title": "¿Cómo?" })),
        ("deleteFaq", json!({ "id": faq })),
        ("createTipCategory", json!({ "name": "Nueva" })),
        (
            "updateTipCategory",
            json!({ "id": category, "name": "Aseo" }),
        ),
        ("deleteTipCategory", json!({ "id": category })),
        (
            "createTip",
            json!({ "categoryId": category, "paragraphs": ["Hola"] }),
        ),
        ("updateTip", json!({ "id": tip, "isPopular": true })),
        ("deleteTip", json!({ "id": tip })),
    ]
}

db_test!(only_admins_change_content, |app| {
    let before = lists(&app, None).await;
    let demo = ids(&app).await;
    let collector = app.login(COLLECTOR).await;
    let driver = app.login(DRIVER).await;
    for (name, input) in every_mutation(&demo) {
        for (token, expected) in [
            (Some(collector.as_str()), "FORBIDDEN"),
            (Some(driver.as_str()), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ] {
            let body = mutate(&app, token, name, input.clone(), "__typename").await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], expected,
                "{name} as {token:?}: {body}"
            );
            assert_eq!(body["data"], Value::Null, "{name}: {body}");
        }
    }
    assert_eq!(lists(&app, None).await, before, "nothing changed");
});

db_test!(another_organizations_ids_are_not_found, |app| {
    app.add_user("other-co", "30000001", "otro1234", Role::Admin)
        .await;
    let outsider = app.login(("30000001", "otro1234")).await;
    let before = lists(&app, None).await;
    let demo = ids(&app).await;
    for (name, input) in every_mutation(&demo) {
        if name.starts_with("create") {
            continue;
        }
        let body = mutate(&app, Some(&outsider), name, input.clone(), "__typename").await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{name} across organizations: {body}"
        );
    }
    // References inside an input are checked too: the demo's category is not theirs, and
    // they have no group for the case yet.
    let category = id_where(&demo["tipCategories"], "code", "limpieza");
    let body = mutate(
        &app,
        Some(&outsider),
        "createTip",
        json!({ "categoryId": category, "paragraphs": ["Hola"] }),
        "tip { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createTip"),
        vec![("categoryId".into(), "NOT_FOUND".into())]
    );
    let body = mutate(
        &app,
        Some(&outsider),
        "createEmergencyContact",
        json!({ "case": "THEFT", "contactName": "Ana", "phoneNumber": "987654321" }),
        "contact { id }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "createEmergencyContact"),
        vec![("case".into(), "NOT_FOUND".into())]
    );
    // Their own content is theirs: the same code the demo uses is free in their org.
    let mine = mutate_ok(
        &app,
        &outsider,
        "createTipCategory",
        json!({ "name": "Limpieza" }),
        "tipCategory { id code }",
    )
    .await;
    assert_eq!(mine["tipCategory"]["code"], "limpieza");
    let body = app
        .gql("{ tipCategories { code } }", json!({}), Some(&outsider))
        .await;
    assert_eq!(
        body["data"]["tipCategories"],
        json!([{ "code": "limpieza" }])
    );

    // node(id:) shows content to its organization only.
    let node = "query($id: ID!) { node(id: $id) { id ... on Tip { category { code } } ... on Plan { code } } }";
    let tip = demo["tips"]["nodes"][0]["id"].clone();
    let plan = id_where(&demo["plans"], "code", "oro");
    let driver = app.login(DRIVER).await;
    for id in [tip.clone(), json!(plan), json!(category)] {
        let theirs = app.gql(node, json!({ "id": id }), Some(&outsider)).await;
        assert_eq!(theirs["data"]["node"], Value::Null, "{id}: {theirs}");
        let ours = app.gql(node, json!({ "id": id }), Some(&driver)).await;
        assert_eq!(ours["data"]["node"]["id"], id, "{ours}");
    }
    let ours = app.gql(node, json!({ "id": tip }), Some(&driver)).await;
    assert!(
        ours["data"]["node"]["category"]["code"].is_string(),
        "{ours}"
    );
    assert_eq!(
        lists(&app, None).await,
        before,
        "the demo's content is untouched"
    );
});

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

/// A mutation, its input and the `(field, code)` of each userError it must give.
type Case = (&'static str, Value, Vec<(&'static str, &'static str)>);

db_test!(invalid_input_is_refused_with_user_errors, |app| {
    let admin = app.login(ADMIN).await;
    let demo = ids(&app).await;
    let category = id_where(&demo["tipCategories"], "code", "limpieza");
    let long = "x".repeat(101);
    let cases: Vec<Case> = vec![
        (
            "createPlan",
            json!({ "name": "  ", "discountPercent": "5" }),
            vec![("name", "REQUIRED"), ("code", "REQUIRED")],
        ),
        (
            "createPlan",
            json!({ "name": long, "discountPercent": "5" }),
            vec![("name", "TOO_LONG")],
        ),
        (
            "createPlan",
            json!({ "name": "Oro VIP", "code": "Oro-VIP", "discountPercent": "5" }),
            vec![("code", "INVALID_FORMAT")],
        ),
        (
            "createPlan",
            json!({ "name": "Oro VIP", "discountPercent": "100.01" }),
            vec![("discountPercent", "OUT_OF_RANGE")],
        ),
        (
            "createPlan",
            json!({ "name": "Oro VIP", "discountPercent": "-1" }),
            vec![("discountPercent", "OUT_OF_RANGE")],
        ),
        (
            "createPlan",
            json!({ "name": "Oro VIP", "discountPercent": "1", "description": "d".repeat(501) }),
            vec![("description", "TOO_LONG")],
        ),
        (
            "createExpenseCategory",
            json!({ "name": "Peajes", "icon": "<svg onload=x>" }),
            vec![("icon", "INVALID_FORMAT")],
        ),
        (
            "createExpenseCategory",
            json!({ "name": "Peajes", "icon": "javascript://alert(1)" }),
            vec![("icon", "INVALID_FORMAT")],
        ),
        (
            "createEmergencyContactGroup",
            json!({ "case": "THEFT", "name": "" }),
            vec![("name", "REQUIRED")],
        ),
        (
            "createEmergencyContact",
            json!({ "case": "THEFT", "contactName": "Ana", "phoneNumber": "llámame" }),
            vec![("phoneNumber", "INVALID_FORMAT")],
        ),
        (
            "createEmergencyContact",
            json!({ "case": "THEFT", "contactName": "", "phoneNumber": "12345" }),
            vec![
                ("contactName", "REQUIRED"),
                ("phoneNumber", "INVALID_FORMAT"),
            ],
        ),
        (
            "createSupportContact",
            json!({ "kind": "EMERGENCY", "contactName": "Ana", "phoneNumber": "" }),
            vec![("phoneNumber", "REQUIRED")],
        ),
        (
            "createServiceContactChannel",
            json!({ "label": "Correo", "code": "email_address", "value": "ventas@" }),
            vec![("value", "INVALID_FORMAT")],
        ),
        (
            "createServiceContactChannel",
            json!({ "label": "Web", "code": "website", "value": "leasy.pe" }),
            vec![("value", "INVALID_FORMAT")],
        ),
        (
            "createServiceContactChannel",
            json!({ "label": "Fax", "code": "fax", "value": " " }),
            vec![("value", "REQUIRED")],
        ),
        (
            "createServiceContactChannel",
            json!({ "label": "", "code": "", "value": "x" }),
            vec![("label", "REQUIRED"), ("code", "REQUIRED")],
        ),
        (
            "createFaq",
            json!({ "title": "¿Qué?", "paragraphs": [] }),
            vec![("paragraphs", "REQUIRED")],
        ),
        (
            "createFaq",
            json!({ "title": "¿Qué?", "paragraphs": ["Sí", "   "] }),
            vec![("paragraphs", "REQUIRED")],
        ),
        (
            "createFaq",
            json!({ "title": "t".repeat(201), "paragraphs": ["p".repeat(2001)] }),
            vec![("title", "TOO_LONG"), ("paragraphs", "TOO_LONG")],
        ),
        (
            "createTipCategory",
            json!({ "name": "¡!" }),
            vec![("code", "REQUIRED")],
        ),
        (
            "createTip",
            json!({ "categoryId": category, "title": "t".repeat(201), "paragraphs": [] }),
            vec![("title", "TOO_LONG"), ("paragraphs", "REQUIRED")],
        ),
    ];
    let before = lists(&app, Some(&admin)).await;
    for (name, input, expected) in cases {
        let body = mutate(&app, Some(&admin), name, input.clone(), "__typename").await;
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(user_errors(&body, name), expected, "{name} {input}: {body}");
    }
    // Updates check only what they are sent.
    let plan = id_where(&demo["plans"], "code", "azul");
    let body = mutate(
        &app,
        Some(&admin),
        "updatePlan",
        json!({ "id": plan, "name": " ", "code": "" }),
        "plan { name }",
    )
    .await;
    assert_eq!(
        user_errors(&body, "updatePlan"),
        vec![
            ("name".into(), "REQUIRED".into()),
            ("code".into(), "REQUIRED".into())
        ]
    );
    // A Decimal that is not one never reaches the resolver.
    let body = mutate(
        &app,
        Some(&admin),
        "createPlan",
        json!({ "name": "X", "discountPercent": 5 }),
        "__typename",
    )
    .await;
    assert!(body["errors"].is_array(), "{body}");
    // An ID of the wrong kind is the caller's mistake.
    let body = mutate(
        &app,
        Some(&admin),
        "deleteTip",
        json!({ "id": plan }),
        "deletedId",
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        lists(&app, Some(&admin)).await,
        before,
        "nothing was written"
    );
});

// ---------------------------------------------------------------------------------------
// DataLoaders and HTTP caching
// ---------------------------------------------------------------------------------------

db_test!(
    relations_load_in_batches_whatever_the_number_of_rows,
    |app| {
        let query = "query($first: Int) { emergencyContacts(organization: \"leasy-demo\") { name contacts { case contactName } }
        tips(organization: \"leasy-demo\", first: $first) { nodes { category { name } } } }";
        let cost = |first: i64| {
            let app = &app;
            async move {
                let before = app.statements();
                let body = app.gql(query, json!({ "first": first }), None).await;
                assert!(body["errors"].is_null(), "{body}");
                (app.statements() - before, body)
            }
        };
        let (few, _) = cost(1).await;
        // Many more contacts and tips across every category.
        let db = &app.app.state.db;
        let categories = tip_category::Entity::find().all(db).await.unwrap();
        let now = Utc::now();
        for i in 0..40 {
            let category = &categories[i % categories.len()];
            tip::ActiveModel {
                organization_id: Set(category.organization_id),
                category_id: Set(category.id),
                title: Set(None),
                paragraphs: Set("[\"x\"]".into()),
                is_popular: Set(false),
                published_on: Set(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
        }
        let admin = app.login(ADMIN).await;
        for case in ["ACCIDENT", "BLOCK", "THEFT"] {
            for n in 0..5 {
                mutate_ok(
                &app,
                &admin,
                "createEmergencyContact",
                json!({ "case": case, "contactName": format!("Contacto {n}"), "phoneNumber": "987654321" }),
                "contact { id }",
            )
            .await;
            }
        }
        let (many, body) = cost(45).await;
        assert_eq!(body["data"]["tips"]["nodes"].as_array().unwrap().len(), 45);
        assert_eq!(
            body["data"]["emergencyContacts"][0]["contacts"]
                .as_array()
                .unwrap()
                .len(),
            6
        );
        assert_eq!(many, few, "statements depend on depth, not on rows");
        // Per root field: the organization, the rows (and the count), one batch per relation.
        assert!(few <= 7, "{few} statements");
    }
);

db_test!(
    anonymous_content_gets_are_publicly_cacheable_and_nothing_else,
    |app| {
        let cache = |reply: &crate::common::Reply| {
            reply
                .headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap().to_string())
        };
        let content = "{ plans { name } tips { nodes { category { name } } } faqs { totalCount } supportContacts { mechanical { phoneNumber } } }";
        let reply = app.get_query(content, json!({}), None).await;
        assert!(reply.body["errors"].is_null(), "{}", reply.text);
        assert_eq!(cache(&reply).as_deref(), Some("public, max-age=300"));
        assert_eq!(reply.headers.get(header::VARY).unwrap(), "Authorization");

        // Mixed with `me`: as the logged-in caller it is theirs, never stored.
        let token = app.login(DRIVER).await;
        let mixed = "{ plans { name } me { id } }";
        let reply = app.get_query(mixed, json!({}), Some(&token)).await;
        assert!(reply.body["data"]["me"]["id"].is_string(), "{}", reply.text);
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
        // Content alone, logged in: not public either.
        let reply = app.get_query(content, json!({}), Some(&token)).await;
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
        // Anonymous `me` fails: errors are not cached.
        let reply = app.get_query(mixed, json!({}), None).await;
        assert_eq!(
            reply.body["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
        // Nor is a bad slug, a POST, or a query with no cache policy.
        let reply = app
            .get_query(
                "{ plans(organization: \"nope\") { name } }",
                json!({}),
                None,
            )
            .await;
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
        let reply = app.post_json(json!({ "query": content }), None).await;
        assert!(reply.body["errors"].is_null(), "{}", reply.text);
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
        let reply = app.get_query("{ __typename }", json!({}), None).await;
        assert_eq!(cache(&reply).as_deref(), Some("no-store"));
    }
);
