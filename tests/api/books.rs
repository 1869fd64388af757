//! Books: the caller's book (a driver's own, the staff's business book) created on first
//! use with its defaults, CRUD of accounts, categories and tags on both kinds of book,
//! the one-default rules, category deletion with and without replacement, isolation
//! between owners and tenants, and the lazy creation under concurrency.

use gateway::domain::commons::Id;
use gateway::entities::{
    book, book_account, book_category, book_category::CategoryKind, user::Role,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{
    common::{ADMIN, COLLECTOR, DRIVER, TestApp, error_code, ok, refused},
    db_test,
};

const BOOK: &str = "{ book { isBusiness
    accounts(includeArchived: true) { id kind name description archived isDefault }
    categories(includeArchived: true) { id kind name code colour icon archived isDefault parent { id } }
    tags { id name } } }";

const CREATE_ACCOUNT: &str = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id kind name description archived isDefault } userErrors { field code } } }";
const UPDATE_ACCOUNT: &str = "mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { account { id kind name description archived isDefault } userErrors { field code } } }";
const DELETE_ACCOUNT: &str = "mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) { deletedId userErrors { field code } } }";
const SET_DEFAULT_ACCOUNT: &str = "mutation($input: SetDefaultAccountInput!) { setDefaultAccount(input: $input) { account { id isDefault archived } userErrors { field code } } }";
const CREATE_CATEGORY: &str = "mutation($input: CreateCategoryInput!) { createCategory(input: $input) { category { id kind name code colour icon archived isDefault parent { id } } userErrors { field code } } }";
const UPDATE_CATEGORY: &str = "mutation($input: UpdateCategoryInput!) { updateCategory(input: $input) { category { id kind name code colour icon archived isDefault parent { id } } userErrors { field code } } }";
const SET_DEFAULT_CATEGORY: &str = "mutation($input: SetDefaultCategoryInput!) { setDefaultCategory(input: $input) { category { id isDefault archived } userErrors { field code } } }";
const DELETE_CATEGORY: &str = "mutation($input: DeleteCategoryInput!) { deleteCategory(input: $input) { deletedId replacement { id code } userErrors { field code } } }";
const CREATE_TAG: &str = "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name } userErrors { field code } } }";
const UPDATE_TAG: &str = "mutation($input: UpdateTagInput!) { updateTag(input: $input) { tag { id name } userErrors { field code } } }";
const DELETE_TAG: &str = "mutation($input: DeleteTagInput!) { deleteTag(input: $input) { deletedId userErrors { field code } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

async fn book_of(app: &TestApp, token: &str) -> Value {
    let body = app.gql(BOOK, json!({}), Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["book"].clone()
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// Every book in the database has exactly one default account and one default category
/// of each kind.
async fn assert_one_default_each(app: &TestApp) {
    let db = &app.app.state.db;
    for b in book::Entity::find().all(db).await.unwrap() {
        let accounts = book_account::Entity::find()
            .filter(book_account::Column::BookId.eq(b.id))
            .filter(book_account::Column::IsDefault.eq(true))
            .count(db)
            .await
            .unwrap();
        assert_eq!(accounts, 1, "default accounts of book {}", b.id);
        for kind in [CategoryKind::Income, CategoryKind::Expense] {
            let categories = book_category::Entity::find()
                .filter(book_category::Column::BookId.eq(b.id))
                .filter(book_category::Column::Kind.eq(kind))
                .filter(book_category::Column::IsDefault.eq(true))
                .count(db)
                .await
                .unwrap();
            assert_eq!(
                categories, 1,
                "default {kind:?} categories of book {}",
                b.id
            );
        }
    }
}

db_test!(a_new_book_starts_with_its_defaults, |app| {
    let token = app.new_driver("70000001").await.0;
    let b = book_of(&app, &token).await;
    assert_eq!(b["isBusiness"], false);
    let accounts = b["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{b}");
    assert_eq!(accounts[0]["name"], "Efectivo");
    assert_eq!(accounts[0]["kind"], "CASH");
    assert_eq!(accounts[0]["isDefault"], true);
    let codes = |kind: &str| {
        let mut codes: Vec<String> = b["categories"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(
        codes("EXPENSE"),
        ["combustible", "gastos_personales", "mantenimiento", "otros"]
    );
    assert_eq!(codes("INCOME"), ["otros_ingresos", "viajes"]);
    assert_eq!(find(&b["categories"], "code", "otros")["isDefault"], true);
    assert_eq!(find(&b["categories"], "code", "viajes")["isDefault"], true);
    assert_eq!(b["tags"], json!([]));
    // Asking again reads the same book.
    assert_eq!(book_of(&app, &token).await, b);

    // The demo driver's book is seeded with two accounts; staff share the business book.
    let driver = app.login(DRIVER).await;
    let demo = book_of(&app, &driver).await;
    assert_eq!(
        find(&demo["accounts"], "name", "Cuenta BCP")["kind"],
        "CHECKING"
    );
    assert_eq!(
        find(&demo["accounts"], "name", "Efectivo")["isDefault"],
        true
    );
    let admin = book_of(&app, &app.login(ADMIN).await).await;
    let collector = book_of(&app, &app.login(COLLECTOR).await).await;
    assert_eq!(admin["isBusiness"], true);
    assert_eq!(admin, collector);
    assert_one_default_each(&app).await;
});

fn default_of<'a>(list: &'a Value, kind: Option<&str>) -> &'a Value {
    let defaults: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["isDefault"] == true && kind.is_none_or(|k| item["kind"] == k))
        .collect();
    assert_eq!(defaults.len(), 1, "{list}");
    defaults[0]
}

db_test!(accounts_crud_on_both_books, |app| {
    for who in [DRIVER, ADMIN] {
        let token = app.login(who).await;
        let before = book_of(&app, &token).await;
        let old_default = default_of(&before["accounts"], None)["id"].clone();

        let created = ok(
            &app,
            &token,
            CREATE_ACCOUNT,
            json!({ "kind": "SAVINGS", "name": "  Ahorros  ", "description": "Para el taller" }),
        )
        .await["account"]
            .clone();
        assert_eq!(created["name"], "Ahorros");
        assert_eq!(created["kind"], "SAVINGS");
        assert_eq!(created["isDefault"], false);
        assert_one_default_each(&app).await;

        // Only the fields sent change.
        let updated = ok(
            &app,
            &token,
            UPDATE_ACCOUNT,
            json!({ "id": created["id"], "name": "Ahorros BBVA" }),
        )
        .await["account"]
            .clone();
        assert_eq!(updated["name"], "Ahorros BBVA");
        assert_eq!(updated["description"], "Para el taller");
        assert_eq!(updated["kind"], "SAVINGS");
        let updated = ok(
            &app,
            &token,
            UPDATE_ACCOUNT,
            json!({ "id": created["id"], "kind": "OTHER", "description": "" }),
        )
        .await["account"]
            .clone();
        assert_eq!(updated["name"], "Ahorros BBVA");
        assert_eq!(updated["kind"], "OTHER");
        assert_eq!(updated["description"], "");

        // Moving the default keeps exactly one.
        let chosen = ok(
            &app,
            &token,
            SET_DEFAULT_ACCOUNT,
            json!({ "id": created["id"] }),
        )
        .await;
        assert_eq!(chosen["account"]["isDefault"], true);
        assert_one_default_each(&app).await;
        let now = book_of(&app, &token).await;
        assert_eq!(default_of(&now["accounts"], None)["id"], created["id"]);
        assert_eq!(
            find(&now["accounts"], "id", old_default.as_str().unwrap())["isDefault"],
            false
        );

        // A new default account takes over at creation.
        let third = ok(
            &app,
            &token,
            CREATE_ACCOUNT,
            json!({ "kind": "CHECKING", "name": "Interbank", "makeDefault": true }),
        )
        .await["account"]
            .clone();
        assert_eq!(third["isDefault"], true);
        assert_one_default_each(&app).await;

        // The default can be neither deleted nor archived.
        assert_eq!(
            refused(&app, &token, DELETE_ACCOUNT, json!({ "id": third["id"] })).await,
            ("id".into(), "IS_DEFAULT".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE_ACCOUNT,
                json!({ "id": third["id"], "archived": true })
            )
            .await,
            ("archived".into(), "IS_DEFAULT".into())
        );

        // Archived accounts leave the default list; an archived account made the default
        // comes back.
        ok(
            &app,
            &token,
            UPDATE_ACCOUNT,
            json!({ "id": created["id"], "archived": true }),
        )
        .await;
        let body = app
            .gql("{ book { accounts { id } } }", json!({}), Some(&token))
            .await;
        assert!(
            !body["data"]["book"]["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == created["id"]),
            "{body}"
        );
        let back = ok(
            &app,
            &token,
            SET_DEFAULT_ACCOUNT,
            json!({ "id": created["id"] }),
        )
        .await;
        assert_eq!(back["account"]["archived"], false);
        assert_one_default_each(&app).await;

        let deleted = ok(&app, &token, DELETE_ACCOUNT, json!({ "id": third["id"] })).await;
        assert_eq!(deleted["deletedId"], third["id"]);
        let now = book_of(&app, &token).await;
        assert!(
            !now["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == third["id"])
        );
        assert_one_default_each(&app).await;

        // Validations, one by one.
        assert_eq!(
            refused(
                &app,
                &token,
                CREATE_ACCOUNT,
                json!({ "kind": "CASH", "name": "   " })
            )
            .await,
            ("name".into(), "REQUIRED".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                CREATE_ACCOUNT,
                json!({ "kind": "CASH", "name": "x".repeat(101) })
            )
            .await,
            ("name".into(), "TOO_LONG".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                CREATE_ACCOUNT,
                json!({ "kind": "CASH", "name": "Caja", "description": "d".repeat(501) })
            )
            .await,
            ("description".into(), "TOO_LONG".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE_ACCOUNT,
                json!({ "id": created["id"], "name": "" })
            )
            .await,
            ("name".into(), "REQUIRED".into())
        );
        let body = app
            .gql(
                CREATE_ACCOUNT,
                json!({ "input": { "kind": "GOLD", "name": "Caja" } }),
                Some(&token),
            )
            .await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("AccountKind"),
            "{body}"
        );
    }
});

db_test!(the_last_account_stays, |app| {
    let token = app.new_driver("70000002").await.0;
    let b = book_of(&app, &token).await;
    let only = b["accounts"][0]["id"].clone();
    assert_eq!(
        refused(&app, &token, DELETE_ACCOUNT, json!({ "id": only })).await,
        ("id".into(), "LAST_RECORD".into())
    );
    assert_one_default_each(&app).await;
});

db_test!(categories_crud_on_both_books, |app| {
    for who in [DRIVER, ADMIN] {
        let token = app.login(who).await;
        let b = book_of(&app, &token).await;
        let otros = find(&b["categories"], "code", "otros").clone();
        let combustible = find(&b["categories"], "code", "combustible").clone();
        let viajes = find(&b["categories"], "code", "viajes").clone();

        let peajes = ok(&app, &token, CREATE_CATEGORY, json!({ "kind": "EXPENSE", "name": "Peajes y cocheras", "colour": "#1e88e5", "icon": "toll" })).await["category"].clone();
        assert_eq!(peajes["code"], "peajes_y_cocheras");
        assert_eq!(peajes["colour"], "#1E88E5");
        assert_eq!(peajes["isDefault"], false);
        assert_eq!(peajes["parent"], Value::Null);
        let grey = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "INCOME", "name": "Propinas", "code": "propinas" }),
        )
        .await["category"]
            .clone();
        assert_eq!(grey["colour"], "#9E9E9E");
        assert_eq!(grey["kind"], "INCOME");

        // A subcategory, then changes of only the fields sent.
        let evitamiento = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Vía Expresa", "parentId": peajes["id"] }),
        )
        .await["category"]
            .clone();
        assert_eq!(evitamiento["parent"]["id"], peajes["id"]);
        assert_eq!(evitamiento["code"], "via_expresa");
        let renamed = ok(
            &app,
            &token,
            UPDATE_CATEGORY,
            json!({ "id": evitamiento["id"], "name": "Vía Expresa Sur" }),
        )
        .await["category"]
            .clone();
        assert_eq!(renamed["name"], "Vía Expresa Sur");
        assert_eq!(renamed["code"], "via_expresa");
        assert_eq!(renamed["parent"]["id"], peajes["id"]);
        let top = ok(
            &app,
            &token,
            UPDATE_CATEGORY,
            json!({ "id": evitamiento["id"], "parentId": null, "colour": "00897b" }),
        )
        .await["category"]
            .clone();
        assert_eq!(top["parent"], Value::Null);
        assert_eq!(top["colour"], "#00897B");
        ok(
            &app,
            &token,
            UPDATE_CATEGORY,
            json!({ "id": evitamiento["id"], "parentId": peajes["id"] }),
        )
        .await;

        // Archiving: hidden by default, shown on request; the default stays.
        ok(
            &app,
            &token,
            UPDATE_CATEGORY,
            json!({ "id": grey["id"], "archived": true }),
        )
        .await;
        let body = app
            .gql(
                "{ book { categories(kind: INCOME) { id } } }",
                json!({}),
                Some(&token),
            )
            .await;
        let listed = body["data"]["book"]["categories"].as_array().unwrap();
        assert!(!listed.iter().any(|c| c["id"] == grey["id"]), "{body}");
        assert!(listed.iter().any(|c| c["id"] == viajes["id"]), "{body}");
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE_CATEGORY,
                json!({ "id": otros["id"], "archived": true })
            )
            .await,
            ("archived".into(), "IS_DEFAULT".into())
        );

        // Deleting: the rules for the replacement, then with one and without.
        assert_eq!(
            refused(&app, &token, DELETE_CATEGORY, json!({ "id": otros["id"] })).await,
            ("id".into(), "IS_DEFAULT".into())
        );
        assert_eq!(
            refused(&app, &token, DELETE_CATEGORY, json!({ "id": peajes["id"] })).await,
            ("id".into(), "IN_USE".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                DELETE_CATEGORY,
                json!({ "id": evitamiento["id"], "replacementId": evitamiento["id"] })
            )
            .await,
            ("replacementId".into(), "SAME_RECORD".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                DELETE_CATEGORY,
                json!({ "id": evitamiento["id"], "replacementId": viajes["id"] })
            )
            .await,
            ("replacementId".into(), "KIND_MISMATCH".into())
        );
        let deleted = ok(
            &app,
            &token,
            DELETE_CATEGORY,
            json!({ "id": evitamiento["id"], "replacementId": combustible["id"] }),
        )
        .await;
        assert_eq!(deleted["deletedId"], evitamiento["id"]);
        assert_eq!(deleted["replacement"]["code"], "combustible");
        let deleted = ok(&app, &token, DELETE_CATEGORY, json!({ "id": peajes["id"] })).await;
        assert_eq!(deleted["replacement"]["id"], otros["id"]);
        let deleted = ok(&app, &token, DELETE_CATEGORY, json!({ "id": grey["id"] })).await;
        assert_eq!(deleted["replacement"]["code"], "viajes");
        let after = book_of(&app, &token).await;
        for gone in [&peajes, &evitamiento, &grey] {
            assert!(
                !after["categories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["id"] == gone["id"]),
                "{after}"
            );
        }
        assert_eq!(
            default_of(&after["categories"], Some("EXPENSE"))["id"],
            otros["id"]
        );
        assert_eq!(
            default_of(&after["categories"], Some("INCOME"))["id"],
            viajes["id"]
        );
        assert_one_default_each(&app).await;

        // Moving the default of a kind: the other kind keeps its own, and a category
        // deleted without replacement now goes to the new default.
        let chosen = ok(
            &app,
            &token,
            SET_DEFAULT_CATEGORY,
            json!({ "id": combustible["id"] }),
        )
        .await;
        assert_eq!(chosen["category"]["isDefault"], true);
        assert_one_default_each(&app).await;
        let now = book_of(&app, &token).await;
        assert_eq!(
            default_of(&now["categories"], Some("EXPENSE"))["id"],
            combustible["id"]
        );
        assert_eq!(
            default_of(&now["categories"], Some("INCOME"))["id"],
            viajes["id"]
        );
        assert_eq!(
            refused(
                &app,
                &token,
                DELETE_CATEGORY,
                json!({ "id": combustible["id"] })
            )
            .await,
            ("id".into(), "IS_DEFAULT".into())
        );
        let lavado = ok(
            &app,
            &token,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Lavado" }),
        )
        .await["category"]
            .clone();
        let deleted = ok(&app, &token, DELETE_CATEGORY, json!({ "id": lavado["id"] })).await;
        assert_eq!(deleted["replacement"]["id"], combustible["id"]);
        ok(
            &app,
            &token,
            SET_DEFAULT_CATEGORY,
            json!({ "id": otros["id"] }),
        )
        .await;
        assert_one_default_each(&app).await;
    }
});

db_test!(category_rules_one_by_one, |app| {
    let token = app.login(DRIVER).await;
    let b = book_of(&app, &token).await;
    let viajes = find(&b["categories"], "code", "viajes").clone();
    let parent = ok(
        &app,
        &token,
        CREATE_CATEGORY,
        json!({ "kind": "EXPENSE", "name": "Seguros" }),
    )
    .await["category"]
        .clone();
    let child = ok(
        &app,
        &token,
        CREATE_CATEGORY,
        json!({ "kind": "EXPENSE", "name": "SOAT", "parentId": parent["id"] }),
    )
    .await["category"]
        .clone();
    let other = ok(
        &app,
        &token,
        CREATE_CATEGORY,
        json!({ "kind": "EXPENSE", "name": "Multas" }),
    )
    .await["category"]
        .clone();
    let cases = [
        (
            json!({ "kind": "EXPENSE", "name": " " }),
            "name",
            "REQUIRED",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "x".repeat(101) }),
            "name",
            "TOO_LONG",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Lavado", "colour": "#12345" }),
            "colour",
            "INVALID_FORMAT",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Lavado", "colour": "blue" }),
            "colour",
            "INVALID_FORMAT",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Lavado", "code": "Lavado Auto" }),
            "code",
            "INVALID_FORMAT",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Seguros" }),
            "code",
            "DUPLICATE",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Otra", "code": "combustible" }),
            "code",
            "DUPLICATE",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Lavado", "icon": "no spaces" }),
            "icon",
            "INVALID_FORMAT",
        ),
        (
            json!({ "kind": "EXPENSE", "name": "Rimac", "parentId": child["id"] }),
            "parentId",
            "INVALID_PARENT",
        ),
        (
            json!({ "kind": "INCOME", "name": "Reembolso", "parentId": parent["id"] }),
            "parentId",
            "KIND_MISMATCH",
        ),
    ];
    for (input, field, code) in cases {
        assert_eq!(
            refused(&app, &token, CREATE_CATEGORY, input.clone()).await,
            (field.into(), code.into()),
            "{input}"
        );
    }
    let updates = [
        (
            json!({ "id": other["id"], "code": "seguros" }),
            "code",
            "DUPLICATE",
        ),
        (json!({ "id": other["id"], "name": "" }), "name", "REQUIRED"),
        (
            json!({ "id": other["id"], "colour": "#GGGGGG" }),
            "colour",
            "INVALID_FORMAT",
        ),
        (
            json!({ "id": other["id"], "parentId": child["id"] }),
            "parentId",
            "INVALID_PARENT",
        ),
        (
            json!({ "id": other["id"], "parentId": other["id"] }),
            "parentId",
            "INVALID_PARENT",
        ),
        (
            json!({ "id": other["id"], "parentId": viajes["id"] }),
            "parentId",
            "KIND_MISMATCH",
        ),
        (
            json!({ "id": parent["id"], "parentId": other["id"] }),
            "parentId",
            "INVALID_PARENT",
        ),
    ];
    for (input, field, code) in updates {
        assert_eq!(
            refused(&app, &token, UPDATE_CATEGORY, input.clone()).await,
            (field.into(), code.into()),
            "{input}"
        );
    }
    // Nothing refused was written.
    let after = book_of(&app, &token).await;
    assert_eq!(
        find(&after["categories"], "id", other["id"].as_str().unwrap())["code"],
        "multas"
    );
    assert_eq!(
        find(&after["categories"], "id", other["id"].as_str().unwrap())["parent"],
        Value::Null
    );
    // An ID of another type is refused as a whole.
    assert_eq!(
        error_code(
            &app,
            &token,
            DELETE_CATEGORY,
            json!({ "id": b["accounts"][0]["id"] })
        )
        .await,
        "BAD_USER_INPUT"
    );
});

db_test!(tags_crud_on_both_books, |app| {
    // A new driver: the demo driver's book already has tags.
    let driver = app.new_driver("70000009").await.0;
    let admin = app.login(ADMIN).await;
    for token in [driver, admin] {
        let uber = ok(&app, &token, CREATE_TAG, json!({ "name": " Uber " })).await["tag"].clone();
        assert_eq!(uber["name"], "Uber");
        let cabify = ok(&app, &token, CREATE_TAG, json!({ "name": "Cabify" })).await["tag"].clone();
        assert_eq!(
            refused(&app, &token, CREATE_TAG, json!({ "name": "uber" })).await,
            ("name".into(), "DUPLICATE".into())
        );
        assert_eq!(
            refused(&app, &token, CREATE_TAG, json!({ "name": "" })).await,
            ("name".into(), "REQUIRED".into())
        );
        assert_eq!(
            refused(&app, &token, CREATE_TAG, json!({ "name": "t".repeat(51) })).await,
            ("name".into(), "TOO_LONG".into())
        );
        assert_eq!(
            refused(
                &app,
                &token,
                UPDATE_TAG,
                json!({ "id": cabify["id"], "name": "UBER" })
            )
            .await,
            ("name".into(), "DUPLICATE".into())
        );
        // Changing only the case of its own name is allowed.
        let renamed = ok(
            &app,
            &token,
            UPDATE_TAG,
            json!({ "id": uber["id"], "name": "UBER" }),
        )
        .await["tag"]
            .clone();
        assert_eq!(renamed["name"], "UBER");
        let tags = book_of(&app, &token).await["tags"].clone();
        assert_eq!(
            tags,
            json!([{ "id": cabify["id"], "name": "Cabify" }, { "id": uber["id"], "name": "UBER" }])
        );
        let deleted = ok(&app, &token, DELETE_TAG, json!({ "id": cabify["id"] })).await;
        assert_eq!(deleted["deletedId"], cabify["id"]);
        assert_eq!(
            book_of(&app, &token).await["tags"],
            json!([{ "id": uber["id"], "name": "UBER" }])
        );
    }
});

db_test!(no_one_reaches_a_book_that_is_not_theirs, |app| {
    let driver = app.login(DRIVER).await;
    let admin = app.login(ADMIN).await;
    let collector = app.login(COLLECTOR).await;
    let other_driver = app.new_driver("70000003").await.0;
    app.add_user("otra-org", "80000001", "clave1234", Role::Admin)
        .await;
    let stranger = app.login(("80000001", "clave1234")).await;

    let mine = book_of(&app, &driver).await;
    let business = book_of(&app, &admin).await;
    let my_account = find(&mine["accounts"], "name", "Cuenta BCP")["id"].clone();
    let my_category = find(&mine["categories"], "code", "combustible")["id"].clone();
    let my_tag = ok(&app, &driver, CREATE_TAG, json!({ "name": "Mío" })).await["tag"]["id"].clone();
    let business_account = business["accounts"][0]["id"].clone();
    let business_category = find(&business["categories"], "code", "combustible")["id"].clone();
    let business_otros = find(&business["categories"], "code", "otros")["id"].clone();

    // Nodes: the owner sees them; anyone else gets null.
    for (id, typename) in [
        (&my_account, "Account"),
        (&my_category, "Category"),
        (&my_tag, "Tag"),
    ] {
        let seen = app.gql(NODE, json!({ "id": id }), Some(&driver)).await;
        assert_eq!(seen["data"]["node"]["__typename"], typename, "{seen}");
        for other in [&other_driver, &admin, &collector, &stranger] {
            let body = app.gql(NODE, json!({ "id": id }), Some(other)).await;
            assert_eq!(body["data"]["node"], Value::Null, "{body}");
        }
    }
    let seen = app
        .gql(NODE, json!({ "id": business_account }), Some(&collector))
        .await;
    assert_eq!(seen["data"]["node"]["__typename"], "Account", "{seen}");
    for other in [&driver, &stranger] {
        let body = app
            .gql(NODE, json!({ "id": business_account }), Some(other))
            .await;
        assert_eq!(body["data"]["node"], Value::Null, "{body}");
    }

    // Mutations on another book's rows: NOT_FOUND, and nothing changes.
    for other in [&other_driver, &admin, &stranger] {
        assert_eq!(
            error_code(
                &app,
                other,
                UPDATE_ACCOUNT,
                json!({ "id": my_account, "name": "Mía" })
            )
            .await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(
                &app,
                other,
                SET_DEFAULT_ACCOUNT,
                json!({ "id": my_account })
            )
            .await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(&app, other, DELETE_ACCOUNT, json!({ "id": my_account })).await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(
                &app,
                other,
                UPDATE_CATEGORY,
                json!({ "id": my_category, "name": "Mía" })
            )
            .await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(&app, other, DELETE_CATEGORY, json!({ "id": my_category })).await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(
                &app,
                other,
                UPDATE_TAG,
                json!({ "id": my_tag, "name": "Mía" })
            )
            .await,
            "NOT_FOUND"
        );
        assert_eq!(
            error_code(&app, other, DELETE_TAG, json!({ "id": my_tag })).await,
            "NOT_FOUND"
        );
    }
    // The driver cannot reach the business book, nor use its rows in their own.
    assert_eq!(
        error_code(
            &app,
            &driver,
            UPDATE_ACCOUNT,
            json!({ "id": business_account, "name": "Mía" })
        )
        .await,
        "NOT_FOUND"
    );
    assert_eq!(
        refused(
            &app,
            &driver,
            DELETE_CATEGORY,
            json!({ "id": my_category, "replacementId": business_otros })
        )
        .await,
        ("replacementId".into(), "NOT_FOUND".into())
    );
    assert_eq!(
        refused(
            &app,
            &driver,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Sub", "parentId": business_category })
        )
        .await,
        ("parentId".into(), "NOT_FOUND".into())
    );
    assert_eq!(book_of(&app, &driver).await["accounts"], mine["accounts"]);

    // COLLECTORs read the business book and change nothing.
    assert_eq!(book_of(&app, &collector).await["isBusiness"], true);
    assert_eq!(
        error_code(
            &app,
            &collector,
            CREATE_ACCOUNT,
            json!({ "kind": "CASH", "name": "Caja" })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            UPDATE_ACCOUNT,
            json!({ "id": business_account, "name": "Caja" })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            SET_DEFAULT_ACCOUNT,
            json!({ "id": business_account })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            CREATE_CATEGORY,
            json!({ "kind": "EXPENSE", "name": "Caja" })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            DELETE_CATEGORY,
            json!({ "id": business_category })
        )
        .await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app, &collector, CREATE_TAG, json!({ "name": "Caja" })).await,
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app,
            &collector,
            SET_DEFAULT_CATEGORY,
            json!({ "id": business_category })
        )
        .await,
        "FORBIDDEN"
    );
    for other in [&other_driver, &admin, &stranger] {
        assert_eq!(
            error_code(
                &app,
                other,
                SET_DEFAULT_CATEGORY,
                json!({ "id": my_category })
            )
            .await,
            "NOT_FOUND"
        );
    }
    assert_eq!(book_of(&app, &admin).await, business);

    // Without a login there is no book.
    let body = app.gql(BOOK, json!({}), None).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{body}"
    );
});

db_test!(two_first_requests_create_one_book, |app| {
    let token = app.new_driver("70000004").await.0;
    let app = std::sync::Arc::new(app);
    let mut handles = Vec::new();
    for i in 0..6 {
        let (app, token) = (app.clone(), token.clone());
        handles.push(tokio::spawn(async move {
            if i % 2 == 0 {
                book_of(&app, &token).await["accounts"].clone()
            } else {
                ok(&app, &token, CREATE_TAG, json!({ "name": format!("t{i}") })).await;
                Value::Null
            }
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let db = &app.app.state.db;
    let user = gateway::entities::user::Entity::find()
        .filter(gateway::entities::user::Column::Document.eq("70000004"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let books = book::Entity::find()
        .filter(book::Column::OwnerId.eq(user.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(books.len(), 1);
    let accounts = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(books[0].id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
    assert_eq!(
        book_of(&app, &token).await["tags"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_one_default_each(&app).await;
});

db_test!(reading_a_book_costs_the_same_whatever_its_size, |app| {
    let token = app.login(DRIVER).await;
    let b = book_of(&app, &token).await;
    let combustible = find(&b["categories"], "code", "combustible")["id"].clone();
    // One subcategory from the start, so that both reads load parents.
    ok(
        &app,
        &token,
        CREATE_CATEGORY,
        json!({ "kind": "EXPENSE", "name": "Grifo", "parentId": combustible }),
    )
    .await;
    let mut counts = Vec::new();
    for round in 0..2 {
        let before = app.statements();
        let body = app.gql(BOOK, json!({}), Some(&token)).await;
        counts.push(app.statements() - before);
        assert!(body["errors"].is_null(), "{body}");
        if round == 0 {
            for i in 0..8 {
                let input = json!({ "kind": "EXPENSE", "name": format!("Grifo {i}"), "parentId": combustible });
                ok(&app, &token, CREATE_CATEGORY, input).await;
                ok(
                    &app,
                    &token,
                    CREATE_TAG,
                    json!({ "name": format!("tag {i}") }),
                )
                .await;
                ok(
                    &app,
                    &token,
                    CREATE_ACCOUNT,
                    json!({ "kind": "OTHER", "name": format!("Yape {i}") }),
                )
                .await;
            }
        }
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
});

db_test!(concurrent_first_uses_share_one_book, |app| {
    use gateway::auth::{Credential, Viewer};
    let user_id = app
        .add_user("leasy-demo", "70000005", "clave1234", Role::Client)
        .await;
    let organization_id = gateway::entities::user::Entity::find_by_id(user_id)
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .organization_id;
    let viewer = Viewer {
        user_id: Id::new(user_id),
        organization_id: Id::new(organization_id),
        role: Role::Client,
        credential: Credential::AccessToken {
            session: "test".into(),
        },
    };
    // Straight to the domain, all at once: every call sees "no book yet" and inserts.
    let mut handles = Vec::new();
    for _ in 0..8 {
        let (db, viewer) = (app.app.state.db.clone(), viewer.clone());
        handles.push(tokio::spawn(async move {
            gateway::domain::books::book_for(&db, &viewer, chrono::Utc::now())
                .await
                .map(|b| b.id)
                .map_err(|e| e.to_string())
        }));
    }
    let mut ids = Vec::new();
    for handle in handles {
        ids.push(handle.await.unwrap().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let accounts = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(ids[0]))
        .count(&app.app.state.db)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
    assert_one_default_each(&app).await;
});

db_test!(
    a_book_is_open_before_its_first_read_and_reading_opens_none,
    |app| {
        let db = &app.app.state.db;
        let books_of = |owner: i64| {
            book::Entity::find()
                .filter(book::Column::OwnerId.eq(owner))
                .count(db)
        };
        // A driver who predates opening books with sessions (no session yet) has none:
        // reading then would have to write one. The start opens it, once.
        let id = app
            .add_user("leasy-demo", "71300001", "clave1234", Role::Client)
            .await;
        assert_eq!(books_of(id).await.unwrap(), 0);
        let now = chrono::Utc::now();
        assert_eq!(
            gateway::domain::books::open_missing_books(db, now)
                .await
                .unwrap(),
            1
        );
        assert_eq!(books_of(id).await.unwrap(), 1);
        assert_eq!(
            gateway::domain::books::open_missing_books(db, now)
                .await
                .unwrap(),
            0
        );
        assert_one_default_each(&app).await;

        // A new driver's first session opens their book with its defaults; their first
        // read finds it.
        let other = app
            .add_user("leasy-demo", "71300002", "clave1234", Role::Client)
            .await;
        let token = app.login(("71300002", "clave1234")).await;
        assert_eq!(books_of(other).await.unwrap(), 1);
        let b = book_of(&app, &token).await;
        assert_eq!(b["accounts"][0]["name"], "Efectivo");
        assert_one_default_each(&app).await;
    }
);
