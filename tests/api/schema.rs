//! `schema.graphql` is the contract: it must be exactly what the code generates.

#[test]
fn schema_graphql_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql exists");
    let generated = gateway::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn every_type_and_field_has_a_description() {
    let sdl = gateway::graphql::sdl();
    let mut undocumented = Vec::new();
    let mut in_description = false;
    let mut in_schema_block = false;
    let mut previous_closed_description = false;
    for line in sdl.lines() {
        let trimmed = line.trim();
        if trimmed == "\"\"\"" {
            in_description = !in_description;
            previous_closed_description = !in_description;
            continue;
        }
        if in_description {
            continue;
        }
        if trimmed.starts_with("schema") {
            in_schema_block = true;
        }
        let is_definition = [
            "type ",
            "interface ",
            "enum ",
            "input ",
            "scalar ",
            "union ",
        ]
        .iter()
        .any(|k| trimmed.starts_with(k));
        // `): Type` closes a field whose (documented) arguments span several lines.
        let is_member = line.starts_with('\t')
            && !trimmed.is_empty()
            && trimmed != "}"
            && !trimmed.starts_with(')');
        if (is_definition || is_member) && !in_schema_block && !previous_closed_description {
            undocumented.push(trimmed.to_string());
        }
        if trimmed == "}" {
            in_schema_block = false;
        }
        previous_closed_description = false;
    }
    assert!(
        undocumented.is_empty(),
        "undocumented schema elements:\n{}",
        undocumented.join("\n")
    );
}
