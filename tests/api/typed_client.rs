//! The TypeScript client of `playground/client/`: its types are generated with
//! graphql-codegen from `schema.graphql` and the example operations, it type-checks with
//! `tsc --noEmit`, and it runs with Node against a live server, checking at run time
//! that what the server returns is what the types promise (Decimal strings, opaque IDs,
//! enums). Needs Node and `npm ci --prefix playground/client`: skipped without them
//! locally, a failure under CI.

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
    let generated = dir.join("src/generated/graphql.ts");
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

    run_tool(&dir, bin.join("tsc"), &["--noEmit"], &[]).await;
    run_tool(&dir, bin.join("tsc"), &[], &[]).await;

    let app = TestApp::sqlite(|_| {}).await;
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
}
