//! The documentation names real tests: every `file::test` that `docs/seed-coverage.md`
//! gives as a proof exists in `tests/api/<file>.rs`.

#[test]
fn every_proof_named_in_the_seed_coverage_exists() {
    let root = env!("CARGO_MANIFEST_DIR");
    let doc = std::fs::read_to_string(format!("{root}/docs/seed-coverage.md")).unwrap();
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
            .unwrap_or_else(|_| panic!("docs/seed-coverage.md names {file}::{test}, but tests/api/{file}.rs does not exist"));
        let defined = [
            format!("db_test!({test},"),
            format!("db_test!(\n    {test},"),
            format!("async fn {test}()"),
            format!("fn {test}()"),
        ];
        assert!(
            defined.iter().any(|d| source.contains(d.as_str())),
            "docs/seed-coverage.md names {file}::{test}, which tests/api/{file}.rs does not define"
        );
        checked += 1;
    }
    assert!(
        checked > 30,
        "only {checked} proofs found: did the table's format change?"
    );
}
