//! Issue 19, bootstrap: on an empty database in production, the operator creates the
//! organization and its first ADMIN with the binary (`gateway organization create`,
//! `gateway user create`); refused input exits with 2 and creates nothing; the ADMIN
//! then logs in through GraphQL. The binary runs as a process against the test's
//! database, SQLite and PostgreSQL alike.

use std::process::Output;

use gateway::{
    config::Environment,
    entities::{audit_record, organization, user},
};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::{
    common::{TestApp, ok},
    db_test,
};

const SECRET: &str = "a-production-secret-of-at-least-32-bytes";

pub(crate) fn production(config: &mut gateway::config::Config) {
    config.environment = Environment::Production;
    config.jwt_secret = SECRET.into();
    config.jwt_secret_is_default = false;
}

/// Runs `gateway <args>` in production against the test's database, with `stdin`.
pub(crate) async fn gateway(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    use tokio::io::AsyncWriteExt;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_gateway"));
    command
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("APP_ENV", "production")
        .env("JWT_SECRET", SECRET)
        .env("LOG_JSON", "false")
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("the gateway binary runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    child.wait_with_output().await.expect("it exits")
}

pub(crate) fn json_out(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one line of JSON")
}

/// Exit code 2 with `expected` in the message.
fn refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

async fn rows(app: &TestApp) -> (u64, u64, u64) {
    let db = &app.app.state.db;
    (
        organization::Entity::find().count(db).await.unwrap(),
        user::Entity::find().count(db).await.unwrap(),
        audit_record::Entity::find().count(db).await.unwrap(),
    )
}

db_test!(
    the_operator_starts_a_company_from_an_empty_database,
    |config| { production(config) },
    |app| {
        assert_eq!(rows(&app).await, (0, 0, 0), "production loads no demo data");
        let created = json_out(
            &gateway(
                &app,
                &[
                    "organization",
                    "create",
                    "--name",
                    "Leasy Lima",
                    "--slug",
                    "leasy-lima",
                    "--timezone",
                    "America/Lima",
                    "--currency",
                    "pen",
                ],
                None,
            )
            .await,
        );
        assert_eq!(created["organization"]["slug"], "leasy-lima");
        assert_eq!(created["organization"]["currency"], "PEN");

        for (args, expected) in [
            (
                vec!["--name", "Otra", "--slug", "leasy-lima"],
                "slug: Another organization has this slug (DUPLICATE)",
            ),
            (
                vec![
                    "--name",
                    "Otra",
                    "--slug",
                    "otra",
                    "--timezone",
                    "Mars/Olympus",
                ],
                "timezone:",
            ),
            (
                vec!["--name", "Otra", "--slug", "otra", "--currency", "CLP"],
                "currency:",
            ),
            (vec!["--name", "Otra", "--slug", "Otra Empresa"], "slug:"),
            (vec!["--name", " ", "--slug", "otra"], "name:"),
        ] {
            let mut all = vec!["organization", "create"];
            all.extend(args);
            refused(&gateway(&app, &all, None).await, expected);
        }
        assert_eq!(rows(&app).await, (1, 0, 1));

        let admin = [
            "user",
            "create",
            "--organization",
            "leasy-lima",
            "--role",
            "ADMIN",
            "--document",
            "40404040",
            "--first-name",
            "Ana",
            "--last-name",
            "Ruiz",
            "--email",
            "ana@leasy.pe",
        ];
        let invited = json_out(&gateway(&app, &admin, None).await);
        assert_eq!(invited["user"]["role"], "ADMIN");
        let token = invited["invitation"]["token"].as_str().unwrap().to_string();
        assert!(token.starts_with("lgw_it_"));

        refused(
            &gateway(&app, &admin, None).await,
            "document: Someone of the organization already has this document",
        );
        let mut unknown = admin;
        unknown[3] = "nadie";
        unknown[7] = "50505050";
        refused(&gateway(&app, &unknown, None).await, "organization:");
        let collector = [
            "user",
            "create",
            "--organization",
            "leasy-lima",
            "--role",
            "collector",
            "--document",
            "60606060",
            "--first-name",
            "Rosa",
            "--last-name",
            "Paz",
            "--password-stdin",
        ];
        refused(
            &gateway(&app, &collector, Some("short\n")).await,
            "TOO_SHORT",
        );
        refused(&gateway(&app, &collector, Some("")).await, "password:");
        assert_eq!(
            rows(&app).await,
            (1, 1, 2),
            "a refused command created something"
        );
        let typed = json_out(&gateway(&app, &collector, Some("cobra2027\n")).await);
        assert_eq!(typed["user"]["role"], "COLLECTOR");
        assert_eq!(typed["invitation"], Value::Null);

        // Through GraphQL only from here: the ADMIN chooses a password and logs in.
        let accepted = app
            .gql(
                "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken } userErrors { code } } }",
                json!({ "input": { "token": token, "password": "jefa2027", "confirmation": "jefa2027" } }),
                None,
            )
            .await;
        let admin_token = accepted["data"]["acceptInvitation"]["session"]["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{accepted}"))
            .to_string();
        let collector_token = app.login(("60606060", "cobra2027")).await;
        let me = app
            .gql(
                "{ me { ... on StaffUser { role organization { slug timezone currency } } } }",
                json!({}),
                Some(&collector_token),
            )
            .await;
        assert_eq!(me["data"]["me"]["role"], "COLLECTOR", "{me}");
        assert_eq!(me["data"]["me"]["organization"]["slug"], "leasy-lima");

        ok(
            &app,
            &admin_token,
            "mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { userErrors { code } } }",
            json!({ "role": "COLLECTOR", "document": "70707070", "firstName": "Luis", "lastName": "Vera" }),
        )
        .await;
        let trail = app
            .gql(
                "{ auditLog { nodes { operation objectType author { __typename } } } }",
                json!({}),
                Some(&admin_token),
            )
            .await;
        assert_eq!(
            trail["data"]["auditLog"]["nodes"],
            json!([
                { "operation": "createOrganization", "objectType": "Organization", "author": null },
                { "operation": "createUser", "objectType": "StaffUser", "author": null },
                { "operation": "createUser", "objectType": "StaffUser", "author": null },
                { "operation": "createStaffUser", "objectType": "StaffUser", "author": { "__typename": "StaffUser" } },
            ]),
            "{trail}"
        );

        // The new organization signs contracts like the demo's: its invoice types exist.
        let client = ok(
            &app,
            &admin_token,
            "mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } userErrors { code } } }",
            json!({ "document": "80808080", "firstName": "Ana", "lastName": "Torres", "phones": ["987654321"] }),
        )
        .await;
        let signed = ok(
            &app,
            &admin_token,
            "mutation($input: CreateContractInput!) { createContract(input: $input) { contract { invoices { totalCount } } userErrors { code } } }",
            json!({
                "clientId": client["client"]["id"], "weeklyAmount": "400.00", "firstDueDate": "2027-02-01",
                "weeks": 26, "car": { "brand": "Kia", "model": "Rio", "licensePlate": "C3X-456", "year": 2025 },
            }),
        )
        .await;
        assert_eq!(signed["contract"]["invoices"]["totalCount"], 26);
    }
);
