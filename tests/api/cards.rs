//! Saved cards: the demo driver's cards masked, saving a processor token (and never a card
//! number), the one-default rule, isolation between drivers and tenants, staff read-only.

use gateway::entities::{card, card::CardBrand, user, user::Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp},
    db_test,
};

const CARDS: &str = "{ me { ... on Client { cards { id brand brandName maskedNumber last4 expirationMonth expirationYear processorSubscriptionId isProcessorCard isDefault createdAt } } } }";

const SAVE: &str = "mutation($input: SaveCardTokenInput!) { saveCardToken(input: $input) {
    card { id brand brandName maskedNumber last4 expirationMonth expirationYear processorSubscriptionId isProcessorCard isDefault }
    cards { id isDefault }
    userErrors { field message code } } }";

const REMOVE: &str = "mutation($id: ID!) { removeCard(input: { cardId: $id }) { removedCardId cards { id isDefault } userErrors { field code } } }";

const SET_DEFAULT: &str = "mutation($id: ID!) { setDefaultCard(input: { cardId: $id }) { card { id isDefault } cards { id isDefault } userErrors { field code } } }";

const NODE: &str =
    "query($id: ID!) { node(id: $id) { __typename id ... on Card { maskedNumber } } }";

/// A valid input; tests change one field at a time.
fn input(token: &str) -> Value {
    json!({ "token": token, "brand": "visa", "bin": "411111", "last4": "1111", "expirationMonth": "07", "expirationYear": "2029" })
}

fn with(mut base: Value, field: &str, value: Value) -> Value {
    base[field] = value;
    base
}

async fn user_id(app: &TestApp, document: &str) -> i64 {
    user::Entity::find()
        .filter(user::Column::Document.eq(document))
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn rows(app: &TestApp, client_id: i64) -> Vec<card::Model> {
    card::Entity::find()
        .filter(card::Column::ClientId.eq(client_id))
        .order_by_asc(card::Column::Id)
        .all(&app.app.state.db)
        .await
        .unwrap()
}

async fn defaults(app: &TestApp, client_id: i64) -> Vec<i64> {
    rows(app, client_id)
        .await
        .into_iter()
        .filter(|c| c.is_default)
        .map(|c| c.id)
        .collect()
}

async fn my_cards(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app.gql(CARDS, json!({}), Some(token)).await;
    body["data"]["me"]["cards"]
        .as_array()
        .unwrap_or_else(|| panic!("no cards: {body}"))
        .clone()
}

async fn save(app: &TestApp, token: &str, input: Value) -> Value {
    let body = app.gql(SAVE, json!({ "input": input }), Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["saveCardToken"].clone()
}

/// Saves a card and returns its ID.
async fn saved_id(app: &TestApp, token: &str, card_token: &str) -> String {
    let payload = save(app, token, input(card_token)).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["card"]["id"].as_str().unwrap().to_string()
}

fn codes(payload: &Value) -> Vec<(String, String)> {
    payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field: Vec<&str> = e["field"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            (field.join("."), e["code"].as_str().unwrap().to_string())
        })
        .collect()
}

fn strip_ids(cards: &[Value]) -> Vec<Value> {
    cards
        .iter()
        .map(|c| {
            let mut c = c.clone();
            let object = c.as_object_mut().unwrap();
            object.remove("id");
            object.remove("createdAt");
            c
        })
        .collect()
}

db_test!(the_demo_driver_sees_the_rest_apis_cards_masked, |app| {
    let token = app.login(DRIVER).await;
    let body = app.gql(CARDS, json!({}), Some(&token)).await;
    let cards = body["data"]["me"]["cards"].as_array().unwrap();
    assert_eq!(
        strip_ids(cards),
        vec![
            json!({ "brand": "MASTERCARD", "brandName": "MASTERCARD", "maskedNumber": "545195XXXXXX5480", "last4": "5480",
                    "expirationMonth": null, "expirationYear": null, "processorSubscriptionId": "1676385575463000",
                    "isProcessorCard": true, "isDefault": true }),
            json!({ "brand": "VISA", "brandName": "visa", "maskedNumber": "454775XXXXXX6006", "last4": "6006",
                    "expirationMonth": "03", "expirationYear": "22", "processorSubscriptionId": null,
                    "isProcessorCard": true, "isDefault": false }),
        ],
        "{body}"
    );
    // The token is write-only: no field of Card returns it, by any name.
    let fields = app
        .gql(
            "{ __type(name: \"Card\") { fields { name } } }",
            json!({}),
            Some(&token),
        )
        .await;
    let names = fields["data"]["__type"]["fields"]
        .to_string()
        .to_lowercase();
    assert!(names.contains("maskednumber"), "{fields}");
    assert!(
        !names.contains("token"),
        "a Card field exposes the token: {names}"
    );
    let stored = rows(&app, user_id(&app, DRIVER.0).await).await;
    let demo_token = stored[0].processor_token.clone().unwrap();
    assert!(!body.to_string().contains(&demo_token));
});

db_test!(
    saving_a_card_stores_the_token_and_display_data_only,
    |app| {
        let token = app.login(DRIVER).await;
        let driver = user_id(&app, DRIVER.0).await;
        let card_token = "tok_9f8e7d6c5b4a39281706";
        let payload = save(
        &app,
        &token,
        json!({ "token": card_token, "brand": "Visa", "bin": "411111", "last4": "1111",
                "expirationMonth": "7", "expirationYear": "2029", "subscriptionId": "1676385575463111" }),
    )
    .await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        let card = &payload["card"];
        assert_eq!(card["maskedNumber"], "411111XXXXXX1111", "{payload}");
        assert_eq!(card["brand"], "VISA");
        assert_eq!(card["brandName"], "Visa");
        assert_eq!(card["expirationMonth"], "07");
        assert_eq!(card["expirationYear"], "29");
        assert_eq!(card["processorSubscriptionId"], "1676385575463111");
        assert_eq!(card["isProcessorCard"], true);
        // The demo driver already has a default card; a new one does not take it.
        assert_eq!(card["isDefault"], false);
        assert_eq!(payload["cards"].as_array().unwrap().len(), 3);
        assert!(
            !payload.to_string().contains(card_token),
            "the response shows the token: {payload}"
        );

        let stored = rows(&app, driver).await;
        let row = stored.last().unwrap();
        assert_eq!(row.processor_token.as_deref(), Some(card_token));
        assert_eq!(row.brand, CardBrand::Visa);
        assert_eq!(row.bin.as_deref(), Some("411111"));
        assert_eq!(row.last4, "1111");
        assert_eq!(
            (row.expiration_month, row.expiration_year),
            (Some(7), Some(2029))
        );
        assert_eq!(row.organization_id, 1);
        assert!(row.is_processor_card);

        // With no brand, the BIN names it; with no BIN, only the last four show.
        let bare = save(
            &app,
            &token,
            json!({ "token": "tok_bare", "bin": "545195", "last4": "0004" }),
        )
        .await;
        assert_eq!(bare["card"]["brand"], "MASTERCARD", "{bare}");
        assert_eq!(bare["card"]["maskedNumber"], "545195XXXXXX0004");
        let no_bin = save(
            &app,
            &token,
            json!({ "token": "tok_no_bin", "brand": "amex", "last4": "0005" }),
        )
        .await;
        assert_eq!(
            no_bin["card"]["maskedNumber"], "XXXXXXXXXXX0005",
            "{no_bin}"
        );
        assert_eq!(my_cards(&app, &token).await.len(), 5);
    }
);

db_test!(a_card_number_is_refused_in_every_field, |app| {
    let token = app.login(DRIVER).await;
    let driver = user_id(&app, DRIVER.0).await;
    let before = rows(&app, driver).await;
    // Luhn-valid test numbers, written as people write them.
    let numbers = [
        "4111111111111111",
        "5555 5555 5555 4444",
        "3782-822463-10005",
    ];
    for field in [
        "token",
        "brand",
        "bin",
        "last4",
        "expirationMonth",
        "expirationYear",
        "subscriptionId",
    ] {
        for number in numbers {
            let payload = save(&app, &token, with(input("tok_ok"), field, json!(number))).await;
            assert_eq!(
                codes(&payload),
                vec![(field.to_string(), "LOOKS_LIKE_CARD_NUMBER".to_string())],
                "{field} = {number}: {payload}"
            );
            assert!(payload["card"].is_null());
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            let text = payload.to_string();
            assert!(
                !text.contains(number) && !text.contains(&digits),
                "the number is echoed: {text}"
            );
        }
    }
    // Nothing was stored, and nowhere in the table is there a card number.
    assert_eq!(rows(&app, driver).await, before);
    let everything = format!(
        "{:?}",
        card::Entity::find().all(&app.app.state.db).await.unwrap()
    );
    for number in ["4111111111111111", "5555555555554444", "378282246310005"] {
        assert!(!everything.contains(number));
    }
});

db_test!(each_rule_is_checked_on_its_own_field, |app| {
    let token = app.login(DRIVER).await;
    let driver = user_id(&app, DRIVER.0).await;
    let before = rows(&app, driver).await;
    let base = input("tok_rules");
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(base.clone(), "token", json!("  ")),
            "token",
            "REQUIRED",
        ),
        (
            with(base.clone(), "token", json!("t".repeat(201))),
            "token",
            "TOO_LONG",
        ),
        (
            with(base.clone(), "token", json!("tok en!")),
            "token",
            "INVALID_FORMAT",
        ),
        (with(base.clone(), "last4", json!("")), "last4", "REQUIRED"),
        (
            with(base.clone(), "last4", json!("11111")),
            "last4",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "last4", json!("1a11")),
            "last4",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "bin", json!("41111")),
            "bin",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "bin", json!("4111111")),
            "bin",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "brand", json!("visa<b>")),
            "brand",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "brand", json!("v".repeat(51))),
            "brand",
            "TOO_LONG",
        ),
        (
            with(base.clone(), "expirationMonth", json!("13")),
            "expirationMonth",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "expirationMonth", json!("00")),
            "expirationMonth",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "expirationMonth", json!("1x")),
            "expirationMonth",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "expirationYear", json!("202")),
            "expirationYear",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "expirationYear", json!("1999")),
            "expirationYear",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "expirationYear", Value::Null),
            "expirationYear",
            "REQUIRED",
        ),
        (
            with(base.clone(), "expirationMonth", Value::Null),
            "expirationMonth",
            "REQUIRED",
        ),
        (
            with(base.clone(), "subscriptionId", json!("sub 1")),
            "subscriptionId",
            "INVALID_FORMAT",
        ),
        (
            with(base.clone(), "subscriptionId", json!("s".repeat(65))),
            "subscriptionId",
            "TOO_LONG",
        ),
    ];
    for (case, field, code) in cases {
        let payload = save(&app, &token, case.clone()).await;
        assert_eq!(
            codes(&payload),
            vec![(field.to_string(), code.to_string())],
            "{case}: {payload}"
        );
        assert!(payload["card"].is_null() && payload["cards"].is_null());
    }
    assert_eq!(
        rows(&app, driver).await,
        before,
        "a refused input stored something"
    );

    // Several problems at once are all reported.
    let many = save(
        &app,
        &token,
        json!({ "token": "", "last4": "1", "bin": "x" }),
    )
    .await;
    assert_eq!(codes(&many).len(), 3, "{many}");

    // The same token twice, and more cards than allowed.
    saved_id(&app, &token, "tok_once").await;
    let twice = save(&app, &token, input("tok_once")).await;
    assert_eq!(codes(&twice), vec![("token".into(), "DUPLICATE".into())]);
    for n in rows(&app, driver).await.len()..10 {
        saved_id(&app, &token, &format!("tok_fill_{n}")).await;
    }
    let eleventh = save(&app, &token, input("tok_eleventh")).await;
    assert_eq!(codes(&eleventh), vec![("".into(), "LIMIT_REACHED".into())]);
    assert_eq!(rows(&app, driver).await.len(), 10);
});

db_test!(a_driver_has_exactly_one_default_card, |app| {
    app.add_user("leasy-demo", "20000001", "otro1234", Role::Client)
        .await;
    let token = app.login(("20000001", "otro1234")).await;
    let client = user_id(&app, "20000001").await;
    assert!(my_cards(&app, &token).await.is_empty());

    let first = saved_id(&app, &token, "tok_first").await;
    let second = saved_id(&app, &token, "tok_second").await;
    let third = saved_id(&app, &token, "tok_third").await;
    let default_of = |cards: &[Value]| -> Vec<String> {
        cards
            .iter()
            .filter(|c| c["isDefault"] == true)
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        default_of(&my_cards(&app, &token).await),
        vec![first.as_str()]
    );
    assert_eq!(defaults(&app, client).await.len(), 1);

    let moved = app
        .gql(SET_DEFAULT, json!({ "id": second }), Some(&token))
        .await;
    let payload = &moved["data"]["setDefaultCard"];
    assert_eq!(payload["card"]["isDefault"], true, "{moved}");
    assert_eq!(
        default_of(payload["cards"].as_array().unwrap()),
        vec![second.as_str()]
    );
    assert_eq!(
        default_of(&my_cards(&app, &token).await),
        vec![second.as_str()]
    );
    assert_eq!(defaults(&app, client).await.len(), 1);
    // Again is harmless.
    let again = app
        .gql(SET_DEFAULT, json!({ "id": second }), Some(&token))
        .await;
    assert_eq!(again["data"]["setDefaultCard"]["card"]["isDefault"], true);
    assert_eq!(defaults(&app, client).await.len(), 1);

    // Removing the default makes the newest remaining card the default.
    let removed = app.gql(REMOVE, json!({ "id": second }), Some(&token)).await;
    let payload = &removed["data"]["removeCard"];
    assert_eq!(payload["removedCardId"], json!(second), "{removed}");
    assert_eq!(
        default_of(payload["cards"].as_array().unwrap()),
        vec![third.as_str()]
    );
    // Removing another card leaves the default alone.
    app.gql(REMOVE, json!({ "id": first }), Some(&token)).await;
    assert_eq!(
        default_of(&my_cards(&app, &token).await),
        vec![third.as_str()]
    );
    // Saving with makeDefault moves it.
    let payload = save(
        &app,
        &token,
        with(input("tok_fourth"), "makeDefault", json!(true)),
    )
    .await;
    assert_eq!(payload["card"]["isDefault"], true, "{payload}");
    assert_eq!(defaults(&app, client).await.len(), 1);
    assert_eq!(rows(&app, client).await.len(), 2);
    // The last card removed leaves none; the next one saved is the default.
    for card in my_cards(&app, &token).await {
        app.gql(REMOVE, json!({ "id": card["id"] }), Some(&token))
            .await;
    }
    assert!(rows(&app, client).await.is_empty());
    let payload = save(&app, &token, input("tok_fresh")).await;
    assert_eq!(payload["card"]["isDefault"], true);

    // The database refuses a second default even if the domain were bypassed.
    let row = rows(&app, client).await.remove(0);
    let second_default = card::ActiveModel {
        organization_id: Set(row.organization_id),
        client_id: Set(client),
        brand: Set(CardBrand::Visa),
        brand_name: Set("visa".into()),
        bin: Set(None),
        last4: Set("4242".into()),
        expiration_month: Set(None),
        expiration_year: Set(None),
        processor_token: Set(None),
        processor_subscription_id: Set(None),
        is_processor_card: Set(false),
        is_default: Set(true),
        created_at: Set(row.created_at),
        ..Default::default()
    }
    .insert(&app.app.state.db)
    .await;
    assert!(second_default.is_err(), "two default cards were stored");
});

db_test!(concurrent_first_cards_still_make_one_default, |app| {
    app.add_user("leasy-demo", "20000001", "otro1234", Role::Client)
        .await;
    let token = app.login(("20000001", "otro1234")).await;
    let client = user_id(&app, "20000001").await;
    let saves = (0..5).map(|n| {
        let token = token.clone();
        let app = &app;
        async move {
            app.gql(
                SAVE,
                json!({ "input": input(&format!("tok_race_{n}")) }),
                Some(&token),
            )
            .await
        }
    });
    for body in futures_util::future::join_all(saves).await {
        assert_eq!(
            body["data"]["saveCardToken"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    assert_eq!(rows(&app, client).await.len(), 5);
    assert_eq!(defaults(&app, client).await.len(), 1);
});

db_test!(nobody_reaches_another_drivers_cards, |app| {
    app.add_user("leasy-demo", "20000001", "otro1234", Role::Client)
        .await;
    app.add_user("other-co", "30000001", "otro1234", Role::Client)
        .await;
    app.add_user("other-co", "30000002", "otro1234", Role::Admin)
        .await;
    let driver = app.login(DRIVER).await;
    let driver_id = user_id(&app, DRIVER.0).await;
    let demo_cards = my_cards(&app, &driver).await;
    let demo_ids: Vec<String> = demo_cards
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let before = rows(&app, driver_id).await;

    let colleague = app.login(("20000001", "otro1234")).await;
    let foreigner = app.login(("30000001", "otro1234")).await;
    let foreign_admin = app.login(("30000002", "otro1234")).await;
    for (token, who) in [
        (&colleague, "another driver"),
        (&foreigner, "another organization's driver"),
    ] {
        // A card of their own, so that "not found" is not just "has no cards".
        saved_id(&app, token, "tok_theirs").await;
        for id in &demo_ids {
            for mutation in [REMOVE, SET_DEFAULT] {
                let body = app.gql(mutation, json!({ "id": id }), Some(token)).await;
                assert_eq!(
                    body["errors"][0]["extensions"]["code"], "NOT_FOUND",
                    "{who} touched {id}: {body}"
                );
            }
            let body = app.gql(NODE, json!({ "id": id }), Some(token)).await;
            assert!(body["data"]["node"].is_null(), "{who} reached {id}: {body}");
        }
        let own = my_cards(&app, token).await;
        assert_eq!(own.len(), 1, "{who} sees only their card");
        assert!(!demo_ids.contains(&own[0]["id"].as_str().unwrap().to_string()));
    }
    for id in &demo_ids {
        let body = app
            .gql(NODE, json!({ "id": id }), Some(&foreign_admin))
            .await;
        assert!(
            body["data"]["node"].is_null(),
            "admin crossed the tenant: {body}"
        );
    }
    assert_eq!(
        rows(&app, driver_id).await,
        before,
        "another's request changed the cards"
    );

    // The driver cannot touch the colleague's card either; an ID of another kind is
    // refused as such.
    let colleague_card = my_cards(&app, &colleague).await[0]["id"].clone();
    let body = app
        .gql(REMOVE, json!({ "id": colleague_card }), Some(&driver))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{body}"
    );
    let me = app.gql("{ me { id } }", json!({}), Some(&driver)).await;
    let body = app
        .gql(
            REMOVE,
            json!({ "id": me["data"]["me"]["id"] }),
            Some(&driver),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["message"], "`cardId` is not a card ID",
        "{body}"
    );

    // The owner refetches their card by ID.
    let body = app
        .gql(NODE, json!({ "id": demo_ids[0] }), Some(&driver))
        .await;
    assert_eq!(body["data"]["node"]["__typename"], "Card", "{body}");
    assert_eq!(body["data"]["node"]["maskedNumber"], "545195XXXXXX5480");
});

db_test!(staff_read_cards_but_cannot_change_them, |app| {
    let driver = app.login(DRIVER).await;
    let card_id = my_cards(&app, &driver).await[0]["id"].clone();
    let driver_id = user_id(&app, DRIVER.0).await;
    let before = rows(&app, driver_id).await;
    for credentials in [ADMIN, COLLECTOR] {
        let staff = app.login(credentials).await;
        let body = app
            .gql(SAVE, json!({ "input": input("tok_staff") }), Some(&staff))
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{body}"
        );
        for mutation in [REMOVE, SET_DEFAULT] {
            let body = app
                .gql(mutation, json!({ "id": card_id }), Some(&staff))
                .await;
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{body}"
            );
        }
        let body = app.gql(NODE, json!({ "id": card_id }), Some(&staff)).await;
        assert_eq!(
            body["data"]["node"]["maskedNumber"], "545195XXXXXX5480",
            "{body}"
        );
        let listing = app
            .gql(
                "{ clients(first: 10) { nodes { document cards { maskedNumber isDefault } } } }",
                json!({}),
                Some(&staff),
            )
            .await;
        assert_eq!(
            listing["data"]["clients"]["nodes"][0]["cards"],
            json!([{ "maskedNumber": "545195XXXXXX5480", "isDefault": true },
                   { "maskedNumber": "454775XXXXXX6006", "isDefault": false }]),
            "{listing}"
        );
    }
    let anonymous = app
        .gql(SAVE, json!({ "input": input("tok_anon") }), None)
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(rows(&app, driver_id).await, before);
});

db_test!(
    listing_many_drivers_cards_is_one_statement_per_level,
    |app| {
        let db = &app.app.state.db;
        for n in 0..20 {
            let client = app
                .add_user("leasy-demo", &format!("6{n:07}"), "fleet1234", Role::Client)
                .await;
            for last4 in ["1111", "2222"] {
                card::ActiveModel {
                    organization_id: Set(1),
                    client_id: Set(client),
                    brand: Set(CardBrand::Visa),
                    brand_name: Set("visa".into()),
                    bin: Set(Some("411111".into())),
                    last4: Set(last4.into()),
                    expiration_month: Set(None),
                    expiration_year: Set(None),
                    processor_token: Set(Some(format!("tok_{n}_{last4}"))),
                    processor_subscription_id: Set(None),
                    is_processor_card: Set(true),
                    is_default: Set(last4 == "1111"),
                    created_at: Set(chrono::Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        assert_eq!(card::Entity::find().count(db).await.unwrap(), 42);
        let staff = app.login(ADMIN).await;
        let query =
            "query($n: Int!) { clients(first: $n) { nodes { cards { maskedNumber isDefault } } } }";
        let mut counts = Vec::new();
        for n in [3, 21] {
            let before = app.statements();
            let body = app.gql(query, json!({ "n": n }), Some(&staff)).await;
            counts.push(app.statements() - before);
            let nodes = body["data"]["clients"]["nodes"].as_array().unwrap();
            assert_eq!(nodes.len(), n as usize, "{body}");
            assert!(
                nodes
                    .iter()
                    .all(|c| c["cards"].as_array().unwrap().len() == 2)
            );
        }
        assert_eq!(
            counts[0], counts[1],
            "statements for 3 and 21 drivers: {counts:?}"
        );
    }
);
