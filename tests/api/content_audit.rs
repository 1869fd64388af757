//! The audit trail of common content: every create, update and delete of plans, expense
//! categories, emergency contact groups and contacts, support contacts, service contact
//! channels, FAQs, tip categories and tips leaves exactly one record, in the
//! transaction of the change, that the organization's ADMIN reads through `auditLog`; a
//! refused input or caller leaves none.

use gateway::entities::user::Role;
use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, TestApp,
        audit::{assert_record, change, record_count, records_of, shown},
        error_code, mutation, ok, refused,
    },
    db_test,
};

/// One kind of content and how the test changes it: created, then one field updated
/// (`field` as the record names it, from `created` to `updated`), then deleted.
pub(crate) struct Kind {
    pub(crate) object_type: &'static str,
    /// The payload's field holding the object.
    pub(crate) payload: &'static str,
    pub(crate) create: &'static str,
    pub(crate) create_input: Value,
    pub(crate) update: &'static str,
    /// The input of the update, without the `id`.
    pub(crate) update_input: Value,
    pub(crate) delete: &'static str,
    pub(crate) field: &'static str,
    pub(crate) created: Value,
    pub(crate) updated: Value,
}

/// Every kind, in an order where what a kind needs exists before it (a contact needs its
/// case's group, a tip its category); deletes go in the reverse order.
pub(crate) fn kinds(tip_category: Option<&Value>) -> Vec<Kind> {
    vec![
        Kind {
            object_type: "Plan",
            payload: "plan",
            create: "createPlan",
            create_input: json!({ "name": "Oro", "discountPercent": "5" }),
            update: "updatePlan",
            update_input: json!({ "name": "Platino" }),
            delete: "deletePlan",
            field: "name",
            created: json!("Oro"),
            updated: json!("Platino"),
        },
        Kind {
            object_type: "ExpenseCategory",
            payload: "expenseCategory",
            create: "createExpenseCategory",
            create_input: json!({ "name": "Peajes", "icon": "toll" }),
            update: "updateExpenseCategory",
            update_input: json!({ "icon": "road" }),
            delete: "deleteExpenseCategory",
            field: "icon",
            created: json!("toll"),
            updated: json!("road"),
        },
        Kind {
            object_type: "EmergencyContactGroup",
            payload: "group",
            create: "createEmergencyContactGroup",
            create_input: json!({ "case": "THEFT", "name": "Robo" }),
            update: "updateEmergencyContactGroup",
            update_input: json!({ "case": "ACCIDENT" }),
            delete: "deleteEmergencyContactGroup",
            field: "emergency_case",
            created: json!("THEFT"),
            updated: json!("ACCIDENT"),
        },
        Kind {
            object_type: "EmergencyContact",
            payload: "contact",
            create: "createEmergencyContact",
            create_input: json!({ "case": "THEFT", "contactName": "Ana", "phoneNumber": "987654321" }),
            update: "updateEmergencyContact",
            update_input: json!({ "phoneNumber": "912345678" }),
            delete: "deleteEmergencyContact",
            field: "phone_number",
            created: json!("987654321"),
            updated: json!("912345678"),
        },
        Kind {
            object_type: "SupportContact",
            payload: "supportContact",
            create: "createSupportContact",
            create_input: json!({ "kind": "MECHANICAL", "contactName": "Taller", "phoneNumber": "987654321" }),
            update: "updateSupportContact",
            update_input: json!({ "kind": "RIDE_HAILING_AFFILIATION" }),
            delete: "deleteSupportContact",
            field: "kind",
            created: json!("MECHANICAL"),
            updated: json!("RIDE_HAILING_AFFILIATION"),
        },
        Kind {
            object_type: "ServiceContactChannel",
            payload: "channel",
            create: "createServiceContactChannel",
            create_input: json!({ "label": "Web", "code": "website", "value": "https://leasy.pe" }),
            update: "updateServiceContactChannel",
            update_input: json!({ "value": "https://leasy.pe/ayuda" }),
            delete: "deleteServiceContactChannel",
            field: "value",
            created: json!("https://leasy.pe"),
            updated: json!("https://leasy.pe/ayuda"),
        },
        Kind {
            object_type: "Faq",
            payload: "faq",
            create: "createFaq",
            create_input: json!({ "title": "¿Qué?", "paragraphs": ["Esto."] }),
            update: "updateFaq",
            update_input: json!({ "title": "¿Cómo?" }),
            delete: "deleteFaq",
            field: "title",
            created: json!("¿Qué?"),
            updated: json!("¿Cómo?"),
        },
        Kind {
            object_type: "TipCategory",
            payload: "tipCategory",
            create: "createTipCategory",
            create_input: json!({ "name": "Limpieza" }),
            update: "updateTipCategory",
            update_input: json!({ "description": "Auto limpio" }),
            delete: "deleteTipCategory",
            field: "description",
            created: json!(""),
            updated: json!("Auto limpio"),
        },
        Kind {
            object_type: "Tip",
            payload: "tip",
            create: "createTip",
            create_input: json!({
                "categoryId": tip_category.cloned().unwrap_or(Value::Null),
                "paragraphs": ["Aspira los asientos"],
                "publishedOn": "2027-01-04",
            }),
            update: "updateTip",
            update_input: json!({ "isPopular": true }),
            delete: "deleteTip",
            field: "is_popular",
            created: json!(false),
            updated: json!(true),
        },
    ]
}

/// An ADMIN of an organization of their own, whose content starts empty (the demo's
/// takes every emergency case and support line); their document and access token.
async fn fresh_admin(app: &TestApp) -> (&'static str, String) {
    let document = "30000009";
    app.add_user("contenidos-sac", document, "clave1234", Role::Admin)
        .await;
    (document, app.login((document, "clave1234")).await)
}

db_test!(every_content_write_leaves_one_record, |app| {
    let (document, admin) = fresh_admin(&app).await;
    let mut ids: Vec<Value> = Vec::new();

    // Created: no field before, every field after.
    let mut tip_category = None;
    for index in 0..kinds(None).len() {
        let kind = kinds(tip_category.as_ref()).remove(index);
        let selection = format!("{} {{ id }}", kind.payload);
        let created = ok(
            &app,
            &admin,
            &mutation(kind.create, &selection),
            kind.create_input.clone(),
        )
        .await;
        let id = created[kind.payload]["id"].clone();
        assert!(id.is_string(), "{created}");
        if kind.object_type == "TipCategory" {
            tip_category = Some(id.clone());
        }
        let records = records_of(&app, &admin, &id).await;
        assert_eq!(records.len(), 1, "{}: {records:?}", kind.create);
        assert_record(&records[0], kind.create, kind.object_type, &id, document);
        assert_eq!(
            change(&records[0], kind.field),
            (Value::Null, shown(kind.created.clone())),
            "{}",
            kind.create
        );
        ids.push(id);
    }

    // Updated: the field sent, from before to after.
    for (kind, id) in kinds(tip_category.as_ref()).iter().zip(&ids) {
        let selection = format!("{} {{ id }}", kind.payload);
        let mut input = kind.update_input.clone();
        input["id"] = id.clone();
        ok(&app, &admin, &mutation(kind.update, &selection), input).await;
        let records = records_of(&app, &admin, id).await;
        assert_eq!(records.len(), 2, "{}: {records:?}", kind.update);
        assert_record(&records[1], kind.update, kind.object_type, id, document);
        assert_eq!(
            change(&records[1], kind.field),
            (shown(kind.created.clone()), shown(kind.updated.clone())),
            "{}",
            kind.update
        );
    }

    // Deleted: every field before, none after; the record outlives the object.
    for (kind, id) in kinds(tip_category.as_ref()).iter().zip(&ids).rev() {
        let deleted = ok(
            &app,
            &admin,
            &mutation(kind.delete, "deletedId"),
            json!({ "id": id }),
        )
        .await;
        assert_eq!(&deleted["deletedId"], id);
        let records = records_of(&app, &admin, id).await;
        let operations: Vec<&str> = records
            .iter()
            .map(|r| r["operation"].as_str().unwrap())
            .collect();
        assert_eq!(operations, [kind.create, kind.update, kind.delete]);
        assert_record(&records[2], kind.delete, kind.object_type, id, document);
        assert_eq!(
            change(&records[2], kind.field),
            (shown(kind.updated.clone()), Value::Null),
            "{}",
            kind.delete
        );
    }
});

db_test!(refused_content_writes_leave_no_record, |app| {
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let faq = ok(
        &app,
        &admin,
        &mutation("createFaq", "faq { id }"),
        json!({ "title": "¿Dónde?", "paragraphs": ["Aquí."] }),
    )
    .await["faq"]["id"]
        .clone();
    let before = record_count(&app).await;

    // Input the ADMIN can fix: nothing is written, record included.
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("createPlan", "plan { id }"),
            json!({ "name": "Mucho", "discountPercent": "150" }),
        )
        .await,
        ("discountPercent".into(), "OUT_OF_RANGE".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("updateFaq", "faq { id }"),
            json!({ "id": faq, "title": " " }),
        )
        .await,
        ("title".into(), "REQUIRED".into())
    );
    // A caller who may not write, and an object of another organization.
    assert_eq!(
        error_code(
            &app,
            &collector,
            &mutation("deleteFaq", "deletedId"),
            json!({ "id": faq }),
        )
        .await,
        "FORBIDDEN"
    );
    app.add_user("otra-sac", "30000010", "clave1234", Role::Admin)
        .await;
    let stranger = app.login(("30000010", "clave1234")).await;
    assert_eq!(
        error_code(
            &app,
            &stranger,
            &mutation("deleteFaq", "deletedId"),
            json!({ "id": faq }),
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        record_count(&app).await,
        before,
        "a refused write was recorded"
    );
    assert_eq!(records_of(&app, &admin, &faq).await.len(), 1);
});
