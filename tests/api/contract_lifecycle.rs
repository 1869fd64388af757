//! Issue 19, a contract after signing: ADMINs change its terms, terminate it, correct its
//! car and set or remove the car's documents. A contract's state (ACTIVE, FINISHED,
//! TERMINATED) follows its invoices; every write is audited; other callers are refused.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp,
        audit::{operations, record_count, records_of},
        back_office::{balance, onboard, pay},
        error_code, mutation, ok, refused, the_review_day,
    },
    db_test,
};

fn update_contract() -> String {
    mutation(
        "updateContract",
        "contract { id autoCharge processorPublicKey state }",
    )
}
fn terminate() -> String {
    mutation(
        "terminateContract",
        "contract { id state status terminatedOn terminationReason } cancelledInvoices { id status dueDate }",
    )
}
fn update_car() -> String {
    mutation(
        "updateCar",
        "car { id brand model licensePlate year photos }",
    )
}
fn set_document() -> String {
    mutation(
        "setCarDocument",
        "document { kind label number owner dueDate fileUrl } car { id documents { kind number } }",
    )
}
fn remove_document() -> String {
    mutation("removeCarDocument", "car { id documents { kind } }")
}

/// The contract as its driver or staff read it.
async fn contract(app: &TestApp, token: &str, id: &str) -> Value {
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Contract { id state status terminatedOn terminationReason autoCharge summary { totalInvoicesPending } car { id brand licensePlate documents { kind number fileUrl } } invoices(first: 100) { nodes { id status dueDate } } } } }",
            json!({ "id": id }),
            Some(token),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

fn statuses(contract: &Value) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = contract["invoices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["dueDate"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    all.sort();
    all
}

db_test!(
    a_terminated_contract_keeps_what_was_due_and_cancels_the_rest,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        // Weekly invoices due 2026-11-02, 11-09, 11-16, 11-23 and 11-30.
        let d = onboard(&app, &admin, "71717171", "100.00", 5).await;
        let running = contract(&app, &d.token, &d.contract_id).await;
        assert_eq!(running["state"], "ACTIVE");
        assert_eq!(
            (&running["terminatedOn"], &running["terminationReason"]),
            (&Value::Null, &Value::Null),
            "a running contract has no termination"
        );
        pay(&app, &d.token, &d.invoices[0]).await;
        let done = ok(
            &app,
            &admin,
            &terminate(),
            json!({ "id": d.contract_id, "date": "2026-11-16", "reason": "Devolvió el auto" }),
        )
        .await;
        assert_eq!(done["contract"]["state"], "TERMINATED");
        assert_eq!(done["contract"]["status"], "contract_terminated");
        assert_eq!(done["contract"]["terminatedOn"], "2026-11-16");
        assert_eq!(done["contract"]["terminationReason"], "Devolvió el auto");
        let cancelled: Vec<&str> = done["cancelledInvoices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["dueDate"].as_str().unwrap())
            .collect();
        assert_eq!(cancelled, ["2026-11-23", "2026-11-30"]);
        let seen = contract(&app, &d.token, &d.contract_id).await;
        assert_eq!(
            statuses(&seen),
            [
                ("2026-11-02".into(), "PAID".into()),
                ("2026-11-09".into(), "PENDING".into()),
                ("2026-11-16".into(), "PENDING".into()),
                ("2026-11-23".into(), "CANCELLED".into()),
                ("2026-11-30".into(), "CANCELLED".into()),
            ]
        );
        assert_eq!(seen["summary"]["totalInvoicesPending"], 2);
        // What was due stays payable.
        let paid = pay(&app, &d.token, &d.invoices[1]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "10.00",
            "{paid}"
        );
        assert_eq!(balance(&app, &d.token).await, "80.00");

        // Once only, and its terms change no more.
        let other = onboard(&app, &admin, "72727272", "0.00", 1).await;
        let before = record_count(&app).await;
        assert_eq!(
            refused(
                &app,
                &admin,
                &terminate(),
                json!({ "id": d.contract_id, "date": "2026-11-16", "reason": "otra vez" })
            )
            .await,
            ("id".into(), "CONTRACT_TERMINATED".into())
        );
        assert_eq!(
            refused(
                &app,
                &admin,
                &update_contract(),
                json!({ "id": d.contract_id, "autoCharge": true })
            )
            .await,
            ("id".into(), "CONTRACT_TERMINATED".into())
        );
        for (date, reason, field, code) in [
            ("2029-01-01", "x", "date", "OUT_OF_RANGE"),
            ("2026-11-16", " ", "reason", "REQUIRED"),
        ] {
            assert_eq!(
                refused(
                    &app,
                    &admin,
                    &terminate(),
                    json!({ "id": other.contract_id, "date": date, "reason": reason })
                )
                .await,
                (field.into(), code.into())
            );
        }
        assert_eq!(
            record_count(&app).await,
            before,
            "a refused write was recorded"
        );
        let trail = records_of(&app, &admin, &json!(d.contract_id)).await;
        assert_eq!(operations(&trail), ["createContract", "terminateContract"]);
        let changes = trail[1]["changes"].to_string();
        assert!(changes.contains("Devolvió el auto"), "{changes}");
    }
);

db_test!(
    a_contract_with_nothing_owed_is_finished,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "73737373", "10.00", 2).await;
        pay(&app, &d.token, &d.invoices[0]).await;
        assert_eq!(
            contract(&app, &d.token, &d.contract_id).await["state"],
            "ACTIVE"
        );
        ok(
        &app,
        &admin,
        "mutation($input: InvoiceReasonInput!) { cancelInvoice(input: $input) { invoice { id } userErrors { field code message } } }",
        json!({ "invoiceId": d.invoices[1], "reason": "Condonada" }),
    )
    .await;
        let seen = contract(&app, &d.token, &d.contract_id).await;
        assert_eq!(seen["state"], "FINISHED", "{seen}");
        assert_eq!(seen["status"], "contract_active", "the stored code is kept");
    }
);

db_test!(
    the_terms_the_car_and_its_documents_change_with_their_record,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "74747474", "0.00", 1).await;
        let updated = ok(
            &app,
            &admin,
            &update_contract(),
            json!({ "id": d.contract_id, "autoCharge": true, "processorPublicKey": "pk_live_123" }),
        )
        .await;
        assert_eq!(updated["contract"]["autoCharge"], true);
        assert_eq!(updated["contract"]["processorPublicKey"], "pk_live_123");
        // The same terms again change nothing, so they leave no record (the trail below
        // has one updateContract).
        let again = ok(
            &app,
            &admin,
            &update_contract(),
            json!({ "id": d.contract_id, "autoCharge": true, "processorPublicKey": "pk_live_123" }),
        )
        .await;
        assert_eq!(again["contract"]["autoCharge"], true);
        assert_eq!(
            refused(
                &app,
                &admin,
                &update_contract(),
                json!({ "id": d.contract_id, "processorPublicKey": "k".repeat(201) })
            )
            .await,
            ("processorPublicKey".into(), "TOO_LONG".into())
        );

        let car_id = contract(&app, &d.token, &d.contract_id).await["car"]["id"].clone();
        let car = ok(
        &app,
        &admin,
        &update_car(),
        json!({ "carId": car_id, "brand": "Toyota", "licensePlate": "abc 987", "photos": ["https://fotos.example/1.jpg"] }),
    )
    .await;
        assert_eq!(
            car["car"],
            json!({ "id": car_id, "brand": "Toyota", "model": "Rio", "licensePlate": "ABC987", "year": 2025, "photos": ["https://fotos.example/1.jpg"] })
        );
        for (input, field, code) in [
            (
                json!({ "carId": car_id, "licensePlate": "ÑÑ-1" }),
                "licensePlate",
                "INVALID_FORMAT",
            ),
            (
                json!({ "carId": car_id, "photos": ["http://fotos.example/1.jpg"] }),
                "photos.0",
                "INVALID_FORMAT",
            ),
            (
                json!({ "carId": car_id, "year": 1970 }),
                "year",
                "OUT_OF_RANGE",
            ),
            (
                json!({ "carId": car_id, "brand": " " }),
                "brand",
                "REQUIRED",
            ),
        ] {
            assert_eq!(
                refused(&app, &admin, &update_car(), input).await,
                (field.into(), code.into())
            );
        }

        let soat = json!({
            "carId": car_id, "kind": "SOAT", "number": "S-1", "owner": "Luz Mora",
            "dueDate": "2027-06-30", "fileUrl": "https://docs.example/soat-1.pdf",
        });
        let set = ok(&app, &admin, &set_document(), soat.clone()).await;
        assert_eq!(
            set["document"],
            json!({ "kind": "SOAT", "label": "SOAT", "number": "S-1", "owner": "Luz Mora", "dueDate": "2027-06-30", "fileUrl": "https://docs.example/soat-1.pdf" })
        );
        // A second SOAT replaces the first.
        let mut renewed = soat.clone();
        renewed["number"] = json!("S-2");
        let set = ok(&app, &admin, &set_document(), renewed).await;
        assert_eq!(
            set["car"]["documents"],
            json!([{ "kind": "SOAT", "number": "S-2" }])
        );
        let mut insecure = soat.clone();
        insecure["fileUrl"] = json!("http://docs.example/soat.pdf");
        assert_eq!(
            refused(&app, &admin, &set_document(), insecure).await,
            ("fileUrl".into(), "INVALID_FORMAT".into())
        );
        // The driver sees it on their car.
        let seen = contract(&app, &d.token, &d.contract_id).await;
        assert_eq!(
            seen["car"]["documents"],
            json!([{ "kind": "SOAT", "number": "S-2", "fileUrl": "https://docs.example/soat-1.pdf" }])
        );
        let removed = ok(
            &app,
            &admin,
            &remove_document(),
            json!({ "carId": car_id, "kind": "SOAT" }),
        )
        .await;
        assert_eq!(removed["car"]["documents"], json!([]));
        assert_eq!(
            refused(
                &app,
                &admin,
                &remove_document(),
                json!({ "carId": car_id, "kind": "SOAT" })
            )
            .await,
            ("kind".into(), "NOT_FOUND".into())
        );

        let trail = records_of(&app, &admin, &json!(d.contract_id)).await;
        assert_eq!(operations(&trail), ["createContract", "updateContract"]);
        let trail = records_of(&app, &admin, &car_id).await;
        assert_eq!(
            operations(&trail),
            [
                "updateCar",
                "setCarDocument",
                "setCarDocument",
                "removeCarDocument"
            ]
        );
        assert!(
            trail[2]["changes"].to_string().contains("S-1"),
            "the replaced document is kept"
        );
    }
);

db_test!(
    a_termination_and_payments_of_its_invoices_never_both_win,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        // 20 invoices due weekly from 2026-11-02 to 2027-03-15; the ten after 2027-01-04 end.
        let d = onboard(&app, &admin, "75757575", "500.00", 20).await;
        let payments = d.invoices.iter().map(|id| pay(&app, &d.token, id));
        let query = terminate();
        let termination = app.gql(
        &query,
        json!({ "input": { "id": d.contract_id, "date": "2027-01-04", "reason": "Fin anticipado" } }),
        Some(&admin),
    );
        let (payments, termination) =
            futures_util::join!(futures_util::future::join_all(payments), termination);
        let done = &termination["data"]["terminateContract"];
        assert_eq!(done["userErrors"], json!([]), "{termination}");
        let seen = contract(&app, &admin, &d.contract_id).await;
        let ended = statuses(&seen);
        let mut charged = 0;
        for (id, payment) in d.invoices.iter().zip(&payments) {
            let paid = payment["data"]["payInvoices"]["payment"].is_object();
            let due = seen["invoices"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == *id)
                .unwrap();
            let after_end = due["dueDate"].as_str().unwrap() > "2027-01-04";
            if paid {
                charged += 1;
                assert_eq!(due["status"], "PAID", "{id}");
            } else {
                assert!(
                    after_end,
                    "an invoice due before the end was not paid: {payment}"
                );
                assert_eq!(due["status"], "CANCELLED", "{id}");
            }
            if !after_end {
                assert!(paid, "{payment}");
            }
        }
        let cancelled = done["cancelledInvoices"].as_array().unwrap().len();
        assert_eq!(charged + cancelled, 20, "{ended:?}");
        let left = rust_decimal::Decimal::new(50_000 - 1_000 * charged as i64, 2);
        assert_eq!(balance(&app, &d.token).await, left.to_string());
    }
);

db_test!(
    only_the_organizations_admins_change_contracts_and_cars,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "76767676", "0.00", 2).await;
        let car_id = contract(&app, &admin, &d.contract_id).await["car"]["id"].clone();
        ok(
            &app,
            &admin,
            &set_document(),
            json!({ "carId": car_id, "kind": "INSURANCE", "number": "P-1" }),
        )
        .await;
        let attempts: Vec<(String, Value)> = vec![
            (
                update_contract(),
                json!({ "id": d.contract_id, "autoCharge": true }),
            ),
            (
                terminate(),
                json!({ "id": d.contract_id, "date": "2026-11-02", "reason": "x" }),
            ),
            (update_car(), json!({ "carId": car_id, "brand": "Otro" })),
            (
                set_document(),
                json!({ "carId": car_id, "kind": "SOAT", "number": "X" }),
            ),
            (
                remove_document(),
                json!({ "carId": car_id, "kind": "INSURANCE" }),
            ),
        ];
        app.add_user(
            "otra-empresa",
            "70707070",
            "clave1234",
            gateway::entities::user::Role::Admin,
        )
        .await;
        let stranger = app.login(("70707070", "clave1234")).await;
        let before = record_count(&app).await;
        let seen_before = contract(&app, &admin, &d.contract_id).await;
        for (m, input) in &attempts {
            for token in [
                app.login(COLLECTOR).await,
                app.login(DRIVER).await,
                d.token.clone(),
            ] {
                assert_eq!(
                    error_code(&app, &token, m, input.clone()).await,
                    "FORBIDDEN",
                    "{m}"
                );
            }
            let (field, code) = refused(&app, &stranger, m, input.clone()).await;
            assert_eq!(code, "NOT_FOUND", "{m}");
            assert!(field == "id" || field == "carId", "{field}");
            let anonymous = app.gql(m, json!({ "input": input }), None).await;
            assert_eq!(
                anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "{m}"
            );
        }
        // Nor can they read the car.
        let node = app
            .gql(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": car_id }),
                Some(&stranger),
            )
            .await;
        assert_eq!(node["data"]["node"], Value::Null, "{node}");
        assert_eq!(
            record_count(&app).await,
            before,
            "a refused write was recorded"
        );
        assert_eq!(contract(&app, &admin, &d.contract_id).await, seen_before);
    }
);

db_test!(
    a_terminated_contracts_car_leaves_the_expiring_papers,
    |config| { the_review_day(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let d = onboard(&app, &admin, "77777777", "0.00", 1).await;
        let car_id = contract(&app, &admin, &d.contract_id).await["car"]["id"].clone();
        ok(
        &app,
        &admin,
        &set_document(),
        json!({ "carId": car_id, "kind": "SOAT", "number": "VENCE-1", "dueDate": "2020-01-01" }),
    )
    .await;
        assert!(
            expiring(&app, &admin)
                .await
                .contains(&"VENCE-1".to_string())
        );
        ok(
            &app,
            &admin,
            &terminate(),
            json!({ "id": d.contract_id, "date": "2026-11-02", "reason": "Devolvió el auto" }),
        )
        .await;
        assert!(
            !expiring(&app, &admin)
                .await
                .contains(&"VENCE-1".to_string())
        );
    }
);

/// The document numbers `carDocumentsExpiring(days: 30)` lists to `admin`.
async fn expiring(app: &TestApp, admin: &str) -> Vec<String> {
    let body = app
        .gql(
            "{ carDocumentsExpiring(days: 30, first: 100) { nodes { document { number } } } }",
            json!({}),
            Some(admin),
        )
        .await;
    body["data"]["carDocumentsExpiring"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| {
            n["document"]["number"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}
