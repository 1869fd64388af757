//! The audit trail of API tokens: a staff member's `createApiToken` and `revokeApiToken`
//! leave one record each, which never holds the secret, its hash or its shown prefix; a
//! driver's own tokens are no staff write, and a refused write leaves nothing.

use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER,
        audit::{assert_record, change, record_count, records_of, shown},
        error_code, mutation, ok, refused,
    },
    db_test,
};

const CREATE: &str = "apiToken { id prefix } secret";
const REVOKE: &str = "apiToken { id revokedAt }";

db_test!(
    a_staff_members_api_tokens_are_recorded_without_their_secret,
    |app| {
        let admin = app.login(ADMIN).await;
        let collector = app.login(COLLECTOR).await;
        let before = record_count(&app).await;
        let created = ok(
            &app,
            &collector,
            &mutation("createApiToken", CREATE),
            json!({ "name": "Caja" }),
        )
        .await;
        assert_eq!(record_count(&app).await, before + 1);
        let id = created["apiToken"]["id"].clone();
        let secret = created["secret"].as_str().unwrap();
        let prefix = created["apiToken"]["prefix"].as_str().unwrap();
        let records = records_of(&app, &admin, &id).await;
        assert_eq!(records.len(), 1, "{records:?}");
        assert_record(&records[0], "createApiToken", "ApiToken", &id, COLLECTOR.0);
        assert_eq!(
            change(&records[0], "name"),
            (Value::Null, shown(json!("Caja")))
        );
        let text = records[0].to_string();
        for hidden in [secret, prefix, "token_hash", "token_prefix"] {
            assert!(!text.contains(hidden), "the record holds {hidden}: {text}");
        }

        let revoked = ok(
            &app,
            &collector,
            &mutation("revokeApiToken", REVOKE),
            json!({ "id": id }),
        )
        .await;
        let revoked_at = revoked["apiToken"]["revokedAt"].as_str().unwrap();
        let records = records_of(&app, &admin, &id).await;
        assert_eq!(records.len(), 2, "{records:?}");
        assert_record(&records[1], "revokeApiToken", "ApiToken", &id, COLLECTOR.0);
        let (was, is) = change(&records[1], "revoked_at");
        assert_eq!(was, shown(Value::Null));
        let is: String = serde_json::from_str(is.as_str().unwrap()).unwrap();
        let (is, revoked_at): (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) =
            (is.parse().unwrap(), revoked_at.parse().unwrap());
        assert_eq!(is, revoked_at);

        // Revoking twice is harmless, and recorded once.
        ok(
            &app,
            &collector,
            &mutation("revokeApiToken", REVOKE),
            json!({ "id": id }),
        )
        .await;
        assert_eq!(records_of(&app, &admin, &id).await.len(), 2);
    }
);

db_test!(a_drivers_tokens_and_refused_writes_leave_no_record, |app| {
    let admin = app.login(ADMIN).await;
    let driver = app.login(DRIVER).await;
    let before = record_count(&app).await;

    // A driver's own token is no staff write.
    let created = ok(
        &app,
        &driver,
        &mutation("createApiToken", CREATE),
        json!({ "name": "Mi app" }),
    )
    .await;
    ok(
        &app,
        &driver,
        &mutation("revokeApiToken", REVOKE),
        json!({ "id": created["apiToken"]["id"] }),
    )
    .await;

    // Refused: a name taken, no name, and an API token creating one.
    let mine = ok(
        &app,
        &admin,
        &mutation("createApiToken", CREATE),
        json!({ "name": "ERP" }),
    )
    .await;
    let after_mine = record_count(&app).await;
    assert_eq!(after_mine, before + 1, "the driver's tokens were recorded");
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("createApiToken", CREATE),
            json!({ "name": "ERP" })
        )
        .await,
        ("name".into(), "DUPLICATE".into())
    );
    assert_eq!(
        refused(
            &app,
            &admin,
            &mutation("createApiToken", CREATE),
            json!({ "name": " " })
        )
        .await,
        ("name".into(), "REQUIRED".into())
    );
    let through_token = app
        .post_json(
            json!({
                "query": mutation("revokeApiToken", REVOKE),
                "variables": { "input": { "id": mine["apiToken"]["id"] } },
            }),
            Some(&format!("Token token={}", mine["secret"].as_str().unwrap())),
        )
        .await;
    assert_eq!(
        through_token.code(),
        Some("FORBIDDEN"),
        "{}",
        through_token.text
    );
    // Another staff member's token is not theirs to revoke.
    let collector = app.login(COLLECTOR).await;
    assert_eq!(
        error_code(
            &app,
            &collector,
            &mutation("revokeApiToken", REVOKE),
            json!({ "id": mine["apiToken"]["id"] })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        record_count(&app).await,
        after_mine,
        "a refused write was recorded"
    );
});
