//! The layers the compiler keeps: the domain crate cannot reach GraphQL or HTTP, because
//! nothing it depends on does.

use std::process::Command;

/// Crates that speak GraphQL or HTTP: the API crate's business, never the domain's.
const API_CRATES: &[&str] = &[
    "async-graphql",
    "async-graphql-axum",
    "axum",
    "axum-core",
    "tower",
    "tower-http",
    "hyper",
    "http-body",
];

#[test]
fn the_domain_crate_depends_on_nothing_that_speaks_graphql_or_http() {
    let output = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--locked", "--offline", "--package", "domain"])
        .args([
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).expect("UTF-8");
    let names: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        names.contains(&"sea-orm"),
        "the tree lists the domain's dependencies:\n{tree}"
    );
    let reached: Vec<&&str> = API_CRATES.iter().filter(|c| names.contains(c)).collect();
    assert!(
        reached.is_empty(),
        "the domain crate depends on {reached:?}; GraphQL and HTTP belong to the gateway crate"
    );
}
