//! Issue 19, contracts: an ADMIN signs a contract with its car and its whole schedule of
//! weekly invoices in one transaction; the driver reads and pays what it produced.

use gateway::entities::{audit_record, car, contract, invoice};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, refused},
    db_test,
};

const CREATE_CLIENT: &str = "mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } invitation { token } userErrors { field code } } }";
const SIGN: &str = "mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id hash status weeklyAmount autoCharge car { brand model licensePlate year photos } invoices(first: 100) { totalCount nodes { total dueDate status priority observations type { code } } } } userErrors { field code message } } }";

/// A new driver of the demo organization: their ID and invitation token.
async fn new_driver(app: &TestApp, admin: &str, document: &str) -> (Value, String) {
    let payload = ok(
        app,
        admin,
        CREATE_CLIENT,
        json!({ "document": document, "firstName": "Ana", "lastName": "Torres", "phones": ["987654321"] }),
    )
    .await;
    (
        payload["client"]["id"].clone(),
        payload["invitation"]["token"].as_str().unwrap().to_string(),
    )
}

fn contract_input(client_id: &Value) -> Value {
    json!({
        "clientId": client_id, "weeklyAmount": "525.00", "firstDueDate": "2027-01-04",
        "weeks": 52, "autoCharge": true,
        "car": { "brand": "Toyota", "model": "Yaris", "licensePlate": "bxk 123", "year": 2024,
                 "photos": ["https://fotos.leasy.pe/bxk123.jpg"] },
    })
}

async fn rows(app: &TestApp) -> [u64; 4] {
    let db = &app.app.state.db;
    [
        contract::Entity::find().count(db).await.unwrap(),
        car::Entity::find().count(db).await.unwrap(),
        invoice::Entity::find().count(db).await.unwrap(),
        audit_record::Entity::find().count(db).await.unwrap(),
    ]
}

db_test!(
    a_52_week_contract_has_52_invoices_that_sum_to_27300,
    |app| {
        let admin = app.login(ADMIN).await;
        let (client_id, token) = new_driver(&app, &admin, "81818181").await;
        let payload = ok(&app, &admin, SIGN, contract_input(&client_id)).await;
        let contract = &payload["contract"];
        assert_eq!(contract["status"], "contract_active");
        assert_eq!(contract["weeklyAmount"], "525.00");
        assert_eq!(contract["autoCharge"], true);
        assert!(uuid::Uuid::parse_str(contract["hash"].as_str().unwrap()).is_ok());
        assert_eq!(
            contract["car"],
            json!({ "brand": "Toyota", "model": "Yaris", "licensePlate": "BXK123", "year": 2024,
                "photos": ["https://fotos.leasy.pe/bxk123.jpg"] })
        );
        let invoices = contract["invoices"]["nodes"].as_array().unwrap();
        assert_eq!(contract["invoices"]["totalCount"], 52);
        assert_eq!(invoices.len(), 52);
        let sum: rust_decimal::Decimal = invoices
            .iter()
            .map(|i| {
                i["total"]
                    .as_str()
                    .unwrap()
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
            })
            .sum();
        assert_eq!(sum.to_string(), "27300.00");
        let mut dates: Vec<chrono::NaiveDate> = invoices
            .iter()
            .map(|i| i["dueDate"].as_str().unwrap().parse().unwrap())
            .collect();
        dates.sort();
        assert_eq!(dates[0].to_string(), "2027-01-04");
        assert_eq!(dates[51].to_string(), "2027-12-27");
        assert!(dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
        assert!(invoices.iter().all(|i| i["status"] == "PENDING"
            && i["type"]["code"] == "weekly"
            && i["total"] == "525.00"));

        // The driver reads the schedule the back office produced.
        let accepted = app
        .gql(
            "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken } } }",
            json!({ "input": { "token": token, "password": "maneja2027", "confirmation": "maneja2027" } }),
            None,
        )
        .await;
        let driver = accepted["data"]["acceptInvitation"]["session"]["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
        let mine = app
            .gql(
                "{ me { ... on Client { contracts { hash invoices { totalCount } } } } }",
                json!({}),
                Some(&driver),
            )
            .await;
        assert_eq!(
            mine["data"]["me"]["contracts"][0]["hash"], contract["hash"],
            "{mine}"
        );
        assert_eq!(
            mine["data"]["me"]["contracts"][0]["invoices"]["totalCount"],
            52
        );

        let trail = app
        .gql(
            "query($id: ID!) { auditLog(filter: { objectId: $id }) { nodes { operation objectType } } }",
            json!({ "id": contract["id"] }),
            Some(&admin),
        )
        .await;
        assert_eq!(
            trail["data"]["auditLog"]["nodes"],
            json!([{ "operation": "createContract", "objectType": "Contract" }]),
            "{trail}"
        );
    }
);

db_test!(
    contract_terms_are_checked_and_nothing_is_half_signed,
    |app| {
        let admin = app.login(ADMIN).await;
        let (client_id, _) = new_driver(&app, &admin, "82828282").await;
        let before = rows(&app).await;
        let with = |path: &[&str], value: Value| {
            let mut input = contract_input(&client_id);
            let mut target = &mut input;
            for key in &path[..path.len() - 1] {
                target = &mut target[*key];
            }
            target[path[path.len() - 1]] = value;
            input
        };
        for (input, field, code) in [
            (with(&["weeks"], json!(0)), "weeks", "OUT_OF_RANGE"),
            (with(&["weeks"], json!(261)), "weeks", "OUT_OF_RANGE"),
            (with(&["weeks"], json!(-3)), "weeks", "OUT_OF_RANGE"),
            (
                with(&["weeklyAmount"], json!("0.00")),
                "weeklyAmount",
                "INVALID_AMOUNT",
            ),
            (
                with(&["weeklyAmount"], json!("-525.00")),
                "weeklyAmount",
                "INVALID_AMOUNT",
            ),
            (
                with(&["car", "year"], json!(1980)),
                "car.year",
                "OUT_OF_RANGE",
            ),
            (
                with(&["car", "licensePlate"], json!("BXK_123!")),
                "car.licensePlate",
                "INVALID_FORMAT",
            ),
            (
                with(&["car", "photos"], json!(["http://fotos.leasy.pe/a.jpg"])),
                "car.photos.0",
                "INVALID_FORMAT",
            ),
            (
                with(
                    &["clientId"],
                    json!(crate::common::raw_global("Client", 999_999)),
                ),
                "clientId",
                "NOT_FOUND",
            ),
        ] {
            assert_eq!(
                refused(&app, &admin, SIGN, input).await,
                (field.to_string(), code.to_string())
            );
        }
        assert_eq!(
            rows(&app).await,
            before,
            "a refused contract wrote something"
        );
    }
);

db_test!(only_the_organizations_admins_sign_contracts, |app| {
    let admin = app.login(ADMIN).await;
    let (client_id, _) = new_driver(&app, &admin, "83838383").await;
    app.add_user(
        "otra-empresa",
        "90909090",
        "clave1234",
        gateway::entities::user::Role::Admin,
    )
    .await;
    let stranger = app.login(("90909090", "clave1234")).await;
    let before = rows(&app).await;
    for token in [app.login(COLLECTOR).await, app.login(DRIVER).await] {
        assert_eq!(
            error_code(&app, &token, SIGN, contract_input(&client_id)).await,
            "FORBIDDEN"
        );
    }
    assert_eq!(
        refused(&app, &stranger, SIGN, contract_input(&client_id)).await,
        ("clientId".into(), "NOT_FOUND".into())
    );
    let anonymous = app
        .gql(SIGN, json!({ "input": contract_input(&client_id) }), None)
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(rows(&app).await, before);
});
