//! Issue 19, forgotten passwords: `requestPasswordReset` answers the same whatever the
//! document, emails a one-hour code through the outbox at most 3 times a day per
//! account, and `resetPassword` sets the new password once and ends every other session.

use chrono::{TimeDelta, TimeZone, Utc};
use gateway::{
    domain::commons::{Clock, ManualClock},
    entities::email_outbox,
};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};

use crate::{
    common::{DRIVER, TestApp},
    db_test,
};

const REQUEST: &str = "mutation($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { accepted userErrors { field code } } }";
const RESET: &str = "mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { session { accessToken user { id } } userErrors { field code } } }";

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

async fn request(app: &TestApp, document: &str) -> Value {
    let body = app
        .gql(REQUEST, json!({ "input": { "document": document } }), None)
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["requestPasswordReset"].clone()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Value {
    let body = app
        .gql(
            RESET,
            json!({ "input": { "token": token, "password": password, "confirmation": password } }),
            None,
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["resetPassword"].clone()
}

async fn emails(app: &TestApp) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .order_by_asc(email_outbox::Column::Id)
        .all(&app.app.state.db)
        .await
        .unwrap()
}

/// The code in a reset email's body.
fn code_in(email: &email_outbox::Model) -> String {
    email
        .body
        .split_whitespace()
        .find(|word| word.starts_with("lgw_pr_"))
        .unwrap_or_else(|| panic!("no code in {:?}", email.body))
        .to_string()
}

db_test!(
    a_driver_resets_a_forgotten_password_with_the_emailed_code,
    |config| { manual_clock(config) },
    |app| {
        let old = app.login_session(DRIVER).await;
        let before = emails(&app).await.len();
        let answer = request(&app, DRIVER.0).await;
        assert_eq!(answer, json!({ "accepted": true, "userErrors": [] }));
        let sent = emails(&app).await;
        assert_eq!(sent.len(), before + 1);
        let email = sent.last().unwrap();
        assert_eq!(email.recipient, "hola@loualcala.com");
        let code = code_in(email);

        let weak = reset(&app, &code, "abc").await;
        assert!(weak["session"].is_null(), "{weak}");
        let done = reset(&app, &code, "nueva2027").await;
        assert_eq!(done["userErrors"], json!([]), "{done}");
        assert_eq!(done["session"]["user"]["id"], old["user"]["id"]);

        // Once only; the old password and the old session are gone.
        let again = reset(&app, &code, "otra2027").await;
        assert_eq!(again["userErrors"][0]["code"], "INVALID_TOKEN", "{again}");
        let login = app
            .gql(
                "mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }",
                json!({ "input": { "document": DRIVER.0, "password": DRIVER.1 } }),
                None,
            )
            .await;
        assert_eq!(
            login["data"]["login"]["userErrors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
        let renewed = app
            .gql(
                "mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { session { accessToken } } }",
                json!({ "input": { "refreshToken": old["refreshToken"] } }),
                None,
            )
            .await;
        assert!(
            renewed["data"]["refreshToken"]["session"].is_null(),
            "{renewed}"
        );
        app.login((DRIVER.0, "nueva2027")).await;

        // A code works for one hour.
        request(&app, DRIVER.0).await;
        let late = code_in(emails(&app).await.last().unwrap());
        clock(&app).advance(TimeDelta::hours(1) + TimeDelta::seconds(1));
        let expired = reset(&app, &late, "tarde2027").await;
        assert_eq!(expired["userErrors"][0]["code"], "INVALID_TOKEN");
    }
);

db_test!(
    the_answer_reveals_nothing_and_an_inbox_gets_three_codes_a_day,
    |config| { manual_clock(config) },
    |app| {
        let db = &app.app.state.db;
        let before = email_outbox::Entity::find().count(db).await.unwrap();
        let unknown = request(&app, "99999999").await;
        let known = request(&app, DRIVER.0).await;
        assert_eq!(
            unknown, known,
            "the answer tells whether the document exists"
        );
        for _ in 0..4 {
            request(&app, DRIVER.0).await;
        }
        assert_eq!(
            email_outbox::Entity::find().count(db).await.unwrap(),
            before + 3,
            "at most 3 reset emails a day"
        );
        // Only the newest code works.
        let sent = emails(&app).await;
        let codes: Vec<String> = sent.iter().rev().take(3).map(code_in).collect();
        assert_eq!(
            reset(&app, &codes[1], "nueva2027").await["userErrors"][0]["code"],
            "INVALID_TOKEN"
        );
        assert_eq!(
            reset(&app, &codes[0], "nueva2027").await["userErrors"],
            json!([])
        );

        clock(&app).advance(TimeDelta::hours(24) + TimeDelta::seconds(1));
        request(&app, DRIVER.0).await;
        assert_eq!(
            email_outbox::Entity::find().count(db).await.unwrap(),
            before + 4
        );

        let blank = request(&app, "  ").await;
        assert_eq!(blank["userErrors"][0]["code"], "REQUIRED");
        let invitation_as_reset = reset(&app, "lgw_it_whatever", "nueva2027").await;
        assert_eq!(
            invitation_as_reset["userErrors"][0]["code"],
            "INVALID_TOKEN"
        );
    }
);
