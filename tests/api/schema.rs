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

/// Arguments a client has to understand are described; only Relay's pagination
/// arguments (`first`, `after`, `last`, `before`, the same everywhere) and a mutation's
/// single `input` (described by its input type, field by field) go without. Before, 19
/// arguments had none (`contract(hash:)`, `paySummary(invoiceIds:)`, `clients(filter:)`...).
#[tokio::test]
async fn every_argument_but_pagination_and_input_has_a_description() {
    let app = crate::common::TestApp::sqlite(|_| {}).await;
    let body = app
        .gql(
            "{ __schema { types { name fields { name args { name description } } } } }",
            serde_json::json!({}),
            None,
        )
        .await;
    let standard = ["first", "after", "last", "before"];
    let mut undescribed = Vec::new();
    for t in body["data"]["__schema"]["types"].as_array().unwrap() {
        let type_name = t["name"].as_str().unwrap();
        for field in t["fields"].as_array().into_iter().flatten() {
            for arg in field["args"].as_array().into_iter().flatten() {
                let name = arg["name"].as_str().unwrap();
                let is_input = type_name == "Mutation" && name == "input";
                let described = arg["description"].as_str().is_some_and(|d| !d.is_empty());
                if !described
                    && !standard.contains(&name)
                    && !is_input
                    && !type_name.starts_with("__")
                {
                    undescribed.push(format!(
                        "{type_name}.{}({name})",
                        field["name"].as_str().unwrap()
                    ));
                }
            }
        }
    }
    assert!(
        undescribed.is_empty(),
        "arguments without a description: {undescribed:?}"
    );
}

/// Descriptions come from doc comments wrapped at 90 columns; a docs explorer or a typed
/// client shows such breaks as they are. Every paragraph a client reads is one line, as
/// GraphiQL's introspection query reads them. Before, 876 lines of `schema.graphql` were
/// sentences broken mid-way.
#[tokio::test]
async fn no_description_breaks_a_paragraph_mid_sentence() {
    use gateway::graphql::descriptions::unwrap;
    let app = crate::common::TestApp::sqlite(|_| {}).await;
    let body = app
        .gql(
            "{ __schema {
                types { name description
                  fields { name description args { name description } }
                  inputFields { name description }
                  enumValues { name description } }
                directives { name description args { name description } } } }",
            serde_json::json!({}),
            None,
        )
        .await;
    let mut wrapped = Vec::new();
    let mut check = |place: String, value: &serde_json::Value| {
        if let Some(text) = value["description"].as_str()
            && unwrap(text) != text
        {
            wrapped.push(format!("{place}: {text:?}"));
        }
    };
    let schema = &body["data"]["__schema"];
    for t in schema["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        check(name.to_string(), t);
        for field in t["fields"].as_array().into_iter().flatten() {
            let field_name = format!("{name}.{}", field["name"].as_str().unwrap());
            check(field_name.clone(), field);
            for arg in field["args"].as_array().into_iter().flatten() {
                check(format!("{field_name}({})", arg["name"]), arg);
            }
        }
        for list in ["inputFields", "enumValues"] {
            for item in t[list].as_array().into_iter().flatten() {
                check(format!("{name}.{}", item["name"]), item);
            }
        }
    }
    for directive in schema["directives"].as_array().unwrap() {
        check(format!("@{}", directive["name"]), directive);
    }
    assert!(
        wrapped.is_empty(),
        "hard-wrapped descriptions:\n{}",
        wrapped.join("\n")
    );
    let described = schema["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Subscription")
        .and_then(|t| {
            t["fields"]
                .as_array()?
                .iter()
                .find(|f| f["name"] == "walletChanged")
        })
        .map(|f| f["description"].clone());
    assert_eq!(
        described,
        Some(serde_json::json!(
            "Every change of the authenticated driver's wallet (payments, recharges, auto-charge), after it committed. Drivers only. Ends (UNAUTHENTICATED) when the access token expires or the session ends."
        ))
    );
}

#[test]
fn the_date_time_scalar_speaks_of_the_api_not_of_rust() {
    let sdl = gateway::graphql::sdl();
    let description = sdl
        .split("scalar DateTime")
        .next()
        .and_then(|before| before.rsplit("\"\"\"").nth(1))
        .unwrap();
    assert!(description.contains("RFC 3339"), "{description}");
    assert!(!description.contains("Utc>"), "{description}");
}

/// `schema.graphql` may grow, but what the last released schema
/// (`docs/schema-released.graphql`) offered stays: a type, field, argument, input field,
/// enum value or union member goes only after a release that deprecated it, and types
/// change only in ways every client keeps working with (an output may become non-null,
/// an input may become nullable, a new argument or input field must be optional).
#[test]
fn no_released_field_is_removed_or_changed_without_a_deprecation() {
    let released = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema-released.graphql"
    ))
    .expect("docs/schema-released.graphql exists");
    let broken = evolution::breaking_changes(&released, &gateway::graphql::sdl());
    assert!(
        broken.is_empty(),
        "schema.graphql breaks the released schema (deprecate first, see \
         docs/schema-changelog.md):\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_evolution_check_catches_each_kind_of_break() {
    let released = r#"
        type Query { a: String b: Int! @deprecated(reason: "use a") c(x: Int, y: Int!): [Int!] u: U e: E }
        input I { x: Int y: Int! }
        enum E { ONE TWO @deprecated(reason: "gone") }
        union U = Query | Other
        type Other { z: Int }
    "#;
    assert!(evolution::breaking_changes(released, released).is_empty());
    let allowed = r#"
        type Query { a: String! c(x: Int, y: Int, n: Int = 1, m: Int): [Int!]! u: U e: E new: Int }
        input I { x: Int y: Int extra: Int }
        enum E { ONE THREE }
        union U = Query | Other | Third
        type Other { z: Int }
        type Third { w: Int }
    "#;
    assert_eq!(
        evolution::breaking_changes(released, allowed),
        Vec::<String>::new()
    );
    let broken = r#"
        type Query { a: Int c(x: Int!, n: Int!): [Int] u: U }
        input I { y: Int! z: String! }
        union U = Query
    "#;
    let found = evolution::breaking_changes(released, broken);
    for expected in [
        "Query.a changed type from String to Int",
        "Query.c changed type from [Int!] to [Int]",
        "Query.c(x) changed type from Int to Int!",
        "Query.c(y) was removed",
        "Query.c(n) is new and required",
        "Query.e was removed",
        "I.x was removed",
        "I.z is new and required",
        "U lost member Other",
        "E was removed",
        "Other was removed",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "missing `{expected}` in {found:#?}"
        );
    }
    // A deprecated field may go.
    assert!(!found.iter().any(|f| f.starts_with("Query.b")));
}

mod evolution {
    use std::collections::HashMap;

    use async_graphql::Positioned;
    use async_graphql::parser::{
        parse_schema,
        types::{
            BaseType, ConstDirective, FieldDefinition, InputValueDefinition, Type, TypeDefinition,
            TypeKind, TypeSystemDefinition,
        },
    };

    fn deprecated(directives: &[Positioned<ConstDirective>]) -> bool {
        directives.iter().any(|d| d.node.name.node == "deprecated")
    }

    fn types(sdl: &str) -> HashMap<String, TypeDefinition> {
        parse_schema(sdl)
            .expect("a valid schema")
            .definitions
            .into_iter()
            .filter_map(|definition| match definition {
                TypeSystemDefinition::Type(t) => Some((t.node.name.node.to_string(), t.node)),
                _ => None,
            })
            .collect()
    }

    /// What a client reads may only become more certain (nullable to non-null).
    fn output_compatible(old: &Type, new: &Type) -> bool {
        (old.nullable || !new.nullable)
            && match (&old.base, &new.base) {
                (BaseType::Named(a), BaseType::Named(b)) => a == b,
                (BaseType::List(a), BaseType::List(b)) => output_compatible(a, b),
                _ => false,
            }
    }

    /// What a client sends may only become more lenient (non-null to nullable).
    fn input_compatible(old: &Type, new: &Type) -> bool {
        (!old.nullable || new.nullable)
            && match (&old.base, &new.base) {
                (BaseType::Named(a), BaseType::Named(b)) => a == b,
                (BaseType::List(a), BaseType::List(b)) => input_compatible(a, b),
                _ => false,
            }
    }

    fn compare_inputs(
        at: &dyn Fn(&str) -> String,
        old: &[Positioned<InputValueDefinition>],
        new: &[Positioned<InputValueDefinition>],
        broken: &mut Vec<String>,
    ) {
        let find = |list: &[Positioned<InputValueDefinition>], name: &str| {
            list.iter()
                .find(|v| v.node.name.node == name)
                .map(|v| v.node.clone())
        };
        for value in old {
            let name = value.node.name.node.as_str();
            match find(new, name) {
                None if !deprecated(&value.node.directives) => {
                    broken.push(format!("{} was removed", at(name)))
                }
                None => {}
                Some(now) if !input_compatible(&value.node.ty.node, &now.ty.node) => {
                    broken.push(format!(
                        "{} changed type from {} to {}",
                        at(name),
                        value.node.ty.node,
                        now.ty.node
                    ))
                }
                Some(_) => {}
            }
        }
        for value in new {
            let name = value.node.name.node.as_str();
            let required = !value.node.ty.node.nullable && value.node.default_value.is_none();
            if required && find(old, name).is_none() {
                broken.push(format!("{} is new and required", at(name)));
            }
        }
    }

    fn compare_fields(
        type_name: &str,
        old: &[Positioned<FieldDefinition>],
        new: &[Positioned<FieldDefinition>],
        broken: &mut Vec<String>,
    ) {
        for field in old {
            let name = field.node.name.node.as_str();
            let Some(now) = new.iter().find(|f| f.node.name.node == name) else {
                if !deprecated(&field.node.directives) {
                    broken.push(format!("{type_name}.{name} was removed"));
                }
                continue;
            };
            if !output_compatible(&field.node.ty.node, &now.node.ty.node) {
                broken.push(format!(
                    "{type_name}.{name} changed type from {} to {}",
                    field.node.ty.node, now.node.ty.node
                ));
            }
            compare_inputs(
                &|arg| format!("{type_name}.{name}({arg})"),
                &field.node.arguments,
                &now.node.arguments,
                broken,
            );
        }
    }

    /// Every change from `released` to `current` that would break a client written
    /// against `released`, one line each.
    pub fn breaking_changes(released: &str, current: &str) -> Vec<String> {
        let (old, new) = (types(released), types(current));
        let mut broken = Vec::new();
        for (name, old_type) in &old {
            let Some(new_type) = new.get(name) else {
                broken.push(format!("{name} was removed"));
                continue;
            };
            match (&old_type.kind, &new_type.kind) {
                (TypeKind::Object(a), TypeKind::Object(b)) => {
                    compare_fields(name, &a.fields, &b.fields, &mut broken);
                    for interface in &a.implements {
                        if !b.implements.iter().any(|i| i.node == interface.node) {
                            broken.push(format!("{name} no longer implements {}", interface.node));
                        }
                    }
                }
                (TypeKind::Interface(a), TypeKind::Interface(b)) => {
                    compare_fields(name, &a.fields, &b.fields, &mut broken)
                }
                (TypeKind::InputObject(a), TypeKind::InputObject(b)) => compare_inputs(
                    &|field| format!("{name}.{field}"),
                    &a.fields,
                    &b.fields,
                    &mut broken,
                ),
                (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                    for value in &a.values {
                        let gone = !b
                            .values
                            .iter()
                            .any(|v| v.node.value.node == value.node.value.node);
                        if gone && !deprecated(&value.node.directives) {
                            broken.push(format!("{name}.{} was removed", value.node.value.node));
                        }
                    }
                }
                (TypeKind::Union(a), TypeKind::Union(b)) => {
                    for member in &a.members {
                        if !b.members.iter().any(|m| m.node == member.node) {
                            broken.push(format!("{name} lost member {}", member.node));
                        }
                    }
                }
                (TypeKind::Scalar, TypeKind::Scalar) => {}
                _ => broken.push(format!("{name} changed kind")),
            }
        }
        broken.sort();
        broken
    }
}
