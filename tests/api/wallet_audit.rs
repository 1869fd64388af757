//! The audit trail of recharges: `recordRecharge` leaves one record, in the transaction
//! that credits the wallet, naming the staff member who recorded it; replaying its
//! idempotency key, a refused input and a driver's attempt leave none.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER,
        audit::{assert_record, audit_log, change, record_count, shown},
        error_code, mutation, ok, refused,
    },
    db_test,
};

const RECHARGE: &str = "recharge { amount method } balance replayed";

fn input(client: &Value, amount: &str, key: &str) -> Value {
    json!({
        "clientId": client,
        "amount": amount,
        "method": "Depósito BCP",
        "observation": "Voucher 123",
        "idempotencyKey": key,
    })
}

db_test!(a_recharge_is_recorded_once_whatever_its_replays, |app| {
    let admin = app.login(ADMIN).await;
    let collector = app.login_session(COLLECTOR).await;
    let collector_id = collector["user"]["id"].clone();
    let collector = collector["accessToken"].as_str().unwrap().to_string();
    let client = app.login_session(DRIVER).await["user"]["id"].clone();
    let before = record_count(&app).await;
    // The demo's collector recorded the demo driver's deposits already.
    let earlier = audit_log(&app, &admin, json!({ "userId": collector_id }))
        .await
        .len();

    let first = ok(
        &app,
        &collector,
        &mutation("recordRecharge", RECHARGE),
        input(&client, "12.50", "audit-recharge-0001"),
    )
    .await;
    assert_eq!(first["replayed"], false, "{first}");
    assert_eq!(record_count(&app).await, before + 1);

    // The same key again: the first result, nothing moved, nothing more recorded.
    let again = ok(
        &app,
        &collector,
        &mutation("recordRecharge", RECHARGE),
        input(&client, "12.50", "audit-recharge-0001"),
    )
    .await;
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(again["balance"], first["balance"]);
    assert_eq!(
        record_count(&app).await,
        before + 1,
        "a replay was recorded"
    );

    // A recharge is no node: its record has a type and no ID; it is found by its author.
    let records = audit_log(&app, &admin, json!({ "userId": collector_id })).await;
    assert_eq!(records.len(), earlier + 1, "{records:?}");
    let record = &records[earlier];
    assert_record(
        record,
        "recordRecharge",
        "Recharge",
        &Value::Null,
        COLLECTOR.0,
    );
    assert_eq!(
        change(record, "amount_minor"),
        (Value::Null, shown(json!(1250)))
    );
    assert_eq!(
        change(record, "method"),
        (Value::Null, shown(json!("Depósito BCP")))
    );
});

db_test!(refused_recharges_leave_no_record, |app| {
    let collector = app.login(COLLECTOR).await;
    let driver = app.login_session(DRIVER).await;
    let client = driver["user"]["id"].clone();
    let driver = driver["accessToken"].as_str().unwrap().to_string();
    let before = record_count(&app).await;
    assert_eq!(
        refused(
            &app,
            &collector,
            &mutation("recordRecharge", RECHARGE),
            input(&client, "0", "audit-recharge-0002"),
        )
        .await,
        ("amount".into(), "INVALID_AMOUNT".into())
    );
    assert_eq!(
        error_code(
            &app,
            &driver,
            &mutation("recordRecharge", RECHARGE),
            input(&client, "5", "audit-recharge-0003"),
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        record_count(&app).await,
        before,
        "a refused recharge was recorded"
    );
});
