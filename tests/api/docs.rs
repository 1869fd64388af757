//! The documentation names real things: every `file::test` that `docs/rest-coverage.md`
//! gives as a proof exists in `tests/api/<file>.rs`, and every path that
//! `docs/architecture.md` names exists in the repository.

#[test]
fn every_proof_named_in_the_rest_coverage_exists() {
    let root = env!("CARGO_MANIFEST_DIR");
    let doc = std::fs::read_to_string(format!("{root}/docs/rest-coverage.md")).unwrap();
    let mut checked = 0;
    for cell in doc.split('`') {
        let Some((file, test)) = cell.split_once("::") else {
            continue;
        };
        let is_name = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if !is_name(file) || !is_name(test) {
            continue;
        }
        let source = std::fs::read_to_string(format!("{root}/tests/api/{file}.rs"))
            .unwrap_or_else(|_| panic!("docs/rest-coverage.md names {file}::{test}, but tests/api/{file}.rs does not exist"));
        let defined = [
            format!("db_test!({test},"),
            format!("db_test!(\n    {test},"),
            format!("async fn {test}()"),
            format!("fn {test}()"),
        ];
        assert!(
            defined.iter().any(|d| source.contains(d.as_str())),
            "docs/rest-coverage.md names {file}::{test}, which tests/api/{file}.rs does not define"
        );
        checked += 1;
    }
    assert!(
        checked > 30,
        "only {checked} proofs found: did the table's format change?"
    );
}

/// `docs/architecture.md` names files and folders of the repository: each one exists, so
/// that the map does not drift from the territory.
#[test]
fn every_path_the_architecture_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let mut checked = 0;
    for (i, token) in doc.split('`').enumerate() {
        // Odd pieces are inside backticks; paths have a slash and no placeholder.
        let is_path = i % 2 == 1
            && token.contains('/')
            && !token.starts_with('/')
            && !token.contains([' ', '<', '{', '*']);
        if !is_path {
            continue;
        }
        let path = token.split("::").next().unwrap();
        let found = ["", "src/", "src/graphql/", "crates/domain/src/"]
            .iter()
            .any(|base| root.join(base).join(path).exists());
        assert!(
            found,
            "docs/architecture.md names `{token}`, which does not exist"
        );
        checked += 1;
    }
    assert!(
        checked > 20,
        "the paths of docs/architecture.md were read ({checked})"
    );
}
