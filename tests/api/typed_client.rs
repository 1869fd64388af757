//! The TypeScript client of `playground/client/`: its documents are typed by
//! graphql-codegen's client preset from `schema.graphql` and the example operations, it
//! type-checks with `tsc --noEmit` and builds with its declarations, and `createClient`
//! runs with Node against a live server locked to the manifest the preset wrote
//! (`PERSISTED_DOCUMENTS_ONLY`), checking at run time that what the server returns is
//! what the types promise (Decimal strings, opaque IDs, enums), then reading the profile
//! again after its 3-second access token expired, through one refresh. Needs Node and
//! `npm ci --prefix playground/client`: skipped without them locally, a failure under CI.

use std::path::{Path, PathBuf};

use crate::common::{DRIVER, TestApp, has_program, run_tool, skip_or_fail};

fn client_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("playground/client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_client_generates_type_checks_and_runs_against_a_live_server() {
    let dir = client_dir();
    if !has_program("node") {
        return skip_or_fail("node is not installed");
    }
    let bin = dir.join("node_modules/.bin");
    if !bin.join("graphql-codegen").exists() || !bin.join("tsc").exists() {
        return skip_or_fail(
            "the client's npm packages are not installed (npm ci --prefix playground/client)",
        );
    }

    // Generated now from the committed schema and operations, so never stale.
    let generated = dir.join("src/gql/graphql.ts");
    let _ = std::fs::remove_file(&generated);
    run_tool(
        &dir,
        bin.join("graphql-codegen"),
        &["--config", "codegen.ts", "--silent"],
        &[],
    )
    .await;
    let types = std::fs::read_to_string(&generated).expect("codegen wrote the types");
    for expected in [
        "export type LoginMutation",
        "export const PayInvoicesDocument",
        "Decimal: { input: string; output: string; }",
        "ID: { input: Id; output: Id; }",
        "export type InvoiceStatus =",
    ] {
        assert!(
            types.contains(expected),
            "the generated types lack {expected}"
        );
    }

    // The manifest lists every document by its SHA-256, as the server checks it.
    let manifest = dir.join("src/gql/persisted-documents.json");
    let documents: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(&manifest).expect("the manifest"))
            .expect("a JSON object");
    let operations = std::fs::read_dir(dir.join("../operations"))
        .expect("the example operations")
        .count();
    assert!(
        documents.len() > operations,
        "every example operation and the README's screen: {} documents",
        documents.len()
    );
    for (hash, document) in &documents {
        assert_eq!(&gateway::persisted::hash_of(document), hash);
    }

    run_tool(&dir, bin.join("tsc"), &["--noEmit"], &[]).await;
    run_tool(&dir, "npm", &["run", "build", "--silent"], &[]).await;
    assert!(
        dir.join("dist/index.d.ts").is_file()
            && dir.join("dist/gql/persisted-documents.json").is_file(),
        "the package's entry, its declarations and its manifest are built"
    );

    let app = TestApp::sqlite(|config| {
        config.persisted_documents = Some(manifest.clone());
        config.persisted_documents_only = true;
        config.access_token_ttl = std::time::Duration::from_secs(3);
    })
    .await;
    let addr = app.serve().await;
    let url = format!("http://{addr}/graphql");
    let out = run_tool(
        &dir,
        "node",
        &["dist/main.js"],
        &[
            ("GATEWAY_URL", url.as_str()),
            ("DEMO_DOCUMENT", DRIVER.0),
            ("DEMO_PASSWORD", DRIVER.1),
            ("WAIT_FOR_EXPIRY_MS", "4000"),
        ],
    )
    .await;
    let report: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(report["ok"], true, "{out}");
    assert_eq!(report["user"], "pruebas apellido");
    assert_eq!(report["coins"], "116.00", "a Decimal arrives as a string");
    // Weeks 7 to 12 of the demo contract, and the penalty.
    assert_eq!(report["pendingInvoices"], 7);
    assert_eq!(
        report["firstInvoice"]["totalWithDiscount"], "30.00",
        "the penalty comes first"
    );
    assert_eq!(
        report["totalToPay"], "74.00",
        "the penalty and two fractions"
    );
    // The token expired while the script waited: the client refreshed and retried. (More
    // than one refresh only if the machine was slow enough for an earlier request.)
    assert!(report["refreshes"].as_u64() >= Some(1), "{out}");
    assert_eq!(report["afterExpiry"], "pruebas apellido", "{out}");
}
