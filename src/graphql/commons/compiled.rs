//! Selections that PostgreSQL answers whole: one statement builds their JSON.
//!
//! A fleet screen asks for hundreds of drivers, their contracts, cars and invoices. The
//! resolvers answer it with one batched statement per level, then decode every row and
//! run a future per field of every object: on PostgreSQL most of that work can be left to
//! the database, which builds the answer's JSON itself (as PostGraphile does) in one
//! statement and sends no row to decode.
//!
//! A type's compiler (for example `contracts::compiled`) values each field it knows as a
//! SQL expression over the row it reads, and nests the relations it knows as correlated
//! subqueries. Lists are `array_to_json(ARRAY(SELECT ... ORDER BY ...))`: an array keeps
//! its subquery's order, where `json_agg(... ORDER BY ...)` would sort each list again. A selection is compiled only when every field in it is known, with the
//! arguments its compiler accepts; anything else (a directive, a field or an argument
//! the compiler does not know, a response key given twice) makes the compiler return
//! `None`, and the resolvers answer the usual way. The answers are the same either way:
//! `tests/api/compiled.rs` compares them field by field. SQLite always resolves.

use std::collections::{HashMap, HashSet};

use async_graphql::{
    Context, Name, Positioned, SelectionField, Value,
    parser::types::{Field, FragmentDefinition, Selection, SelectionSet},
};
use sea_orm::DbBackend;

use super::ContextExt;

/// `json_build_object` takes at most 100 arguments: 50 keys and their values.
const MAX_KEYS: usize = 50;

/// The SQL being written: hands out the table aliases of nested subqueries.
#[derive(Default)]
pub struct Sql {
    aliases: usize,
}

impl Sql {
    /// A table alias no other part of the statement uses.
    pub fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("c{}", self.aliases)
    }
}

/// The SQL expression building `field`'s sub-selection as a JSON object, when it can:
/// `field_sql` values each selected field (`None` for one it cannot compile),
/// `__typename` is `type_name`.
pub fn object<'a>(
    field: SelectionField<'a>,
    type_name: &str,
    sql: &mut Sql,
    mut field_sql: impl FnMut(SelectionField<'a>, &mut Sql) -> Option<String>,
) -> Option<String> {
    let mut keys = HashSet::new();
    let mut pairs = Vec::new();
    for selected in field.selection_set() {
        let key = selected.alias().unwrap_or(selected.name());
        // A key given twice merges two selections: left to the resolvers.
        if !keys.insert(key) || keys.len() > MAX_KEYS {
            return None;
        }
        let value = if selected.name() == "__typename" {
            text(type_name)
        } else {
            field_sql(selected, sql)?
        };
        // Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): nothing to escape.
        pairs.push(format!("'{key}', {value}"));
    }
    if pairs.is_empty() {
        return None;
    }
    Some(format!("json_build_object({})", pairs.join(", ")))
}

/// `field` when it takes no argument and selects nothing below it: a column's field.
pub fn leaf(field: SelectionField<'_>) -> Option<SelectionField<'_>> {
    let bare = field.arguments().ok()?.is_empty() && field.selection_set().next().is_none();
    bare.then_some(field)
}

/// A SQL string literal of a text we wrote (a type name, an enum value).
pub fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// An amount in minor units as the `Decimal` scalar writes it: exact, with two decimals
/// (a `bigint` times the `numeric` 0.01 is a `numeric` of scale 2; never a float).
pub fn money(minor_column: &str) -> String {
    format!("({minor_column} * 0.01)::text")
}

/// The arguments of `field`, variables resolved; `None` when one cannot be read.
pub fn arguments(field: SelectionField<'_>) -> Option<HashMap<Name, Value>> {
    Some(field.arguments().ok()?.into_iter().collect())
}

/// Whether `ctx`'s current field may be compiled at all: the database is PostgreSQL and
/// no directive appears anywhere below the field, on a field or a fragment. (async-graphql
/// applies `@skip` and `@include` before execution and removes them; any other directive
/// is for a resolver to read.)
pub fn compilable(ctx: &Context<'_>) -> bool {
    ctx.db().get_database_backend() == DbBackend::Postgres
        && !has_directives(&ctx.item.node.selection_set, &ctx.query_env.fragments, 0)
}

fn has_directives(
    set: &Positioned<SelectionSet>,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    depth: usize,
) -> bool {
    // Validation already refused fragment cycles; the bound only keeps this total.
    if depth > 64 {
        return true;
    }
    set.node
        .items
        .iter()
        .any(|selection| match &selection.node {
            Selection::Field(field) => field_has_directives(&field.node, fragments, depth),
            Selection::InlineFragment(inline) => {
                !inline.node.directives.is_empty()
                    || has_directives(&inline.node.selection_set, fragments, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                !spread.node.directives.is_empty()
                    || fragments
                        .get(&spread.node.fragment_name.node)
                        .is_none_or(|fragment| {
                            !fragment.node.directives.is_empty()
                                || has_directives(
                                    &fragment.node.selection_set,
                                    fragments,
                                    depth + 1,
                                )
                        })
            }
        })
}

fn field_has_directives(
    field: &Field,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    depth: usize,
) -> bool {
    !field.directives.is_empty() || has_directives(&field.selection_set, fragments, depth + 1)
}

/// JSON that PostgreSQL built, carried into an HTTP response as it is.
///
/// async-graphql's answer is a tree of `Value`s: turning a compiled page's JSON text
/// into one and back costs an allocation per key and per string, most of the server's
/// work on a wide page. For an HTTP request the handler puts a `RawParts` in the
/// request's data; a compiled list then answers a marker string, a NUL character
/// followed by the request's random nonce and the part's number, and after
/// serialising the response the handler writes each part's JSON in its marker's place
/// ([`RawParts::splice`]). A marker cannot come from data: it needs the nonce, drawn
/// for each request and never shown. Without `RawParts` (WebSocket operations) the
/// JSON is read into `Value`s as usual.
pub struct RawParts {
    /// `"\u0000raw:<nonce>:`: how a marker starts once serialised.
    prefix: String,
    nonce: String,
    parts: std::sync::Mutex<Vec<String>>,
}

impl Default for RawParts {
    fn default() -> Self {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        Self {
            prefix: format!("\"\\u0000raw:{nonce}:"),
            nonce,
            parts: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl RawParts {
    /// Keeps `json` (a JSON text) for the response and returns the string that stands
    /// for it in the answer.
    pub fn marker(&self, json: String) -> String {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        parts.push(json);
        format!("\u{0}raw:{}:{}", self.nonce, parts.len() - 1)
    }

    /// `serialized` (a JSON response) with each marker replaced by its JSON, written
    /// without the spaces PostgreSQL puts between items.
    pub fn splice(&self, serialized: Vec<u8>) -> Vec<u8> {
        let parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        if parts.is_empty() {
            return serialized;
        }
        let prefix = self.prefix.as_bytes();
        let mut out =
            Vec::with_capacity(serialized.len() + parts.iter().map(String::len).sum::<usize>());
        let mut rest = serialized.as_slice();
        while let Some(at) = memchr::memmem::find(rest, prefix) {
            let after = &rest[at + prefix.len()..];
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            let part = std::str::from_utf8(&after[..digits])
                .ok()
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| parts.get(n));
            match (part, after.get(digits)) {
                (Some(part), Some(b'"')) => {
                    out.extend_from_slice(&rest[..at]);
                    compact_into(part.as_bytes(), &mut out);
                    rest = &after[digits + 1..];
                }
                // Not one of ours after all: kept as it is.
                _ => {
                    out.extend_from_slice(&rest[..at + prefix.len()]);
                    rest = after;
                }
            }
        }
        out.extend_from_slice(rest);
        out
    }
}

/// Copies the JSON text `json` without whitespace outside its strings.
fn compact_into(json: &[u8], out: &mut Vec<u8>) {
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b.is_ascii_whitespace() {
            continue;
        }
        out.push(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_by_their_compacted_json() {
        let raw = RawParts::default();
        let first = raw.marker(r#"[{"a" : 1, "b" : "x , y"}, {"a" : 2, "b" : "\" q \\"}]"#.into());
        let second = raw.marker("[]".into());
        let response = serde_json::json!({
            "data": { "one": first, "two": second, "text": "keep \u{0}raw:not-ours:0" }
        });
        let spliced = raw.splice(serde_json::to_vec(&response).unwrap());
        let value: serde_json::Value = serde_json::from_slice(&spliced).unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "data": {
                "one": [{ "a": 1, "b": "x , y" }, { "a": 2, "b": "\" q \\" }],
                "two": [],
                "text": "keep \u{0}raw:not-ours:0"
            } })
        );
        let text = String::from_utf8(spliced).unwrap();
        assert!(
            text.contains(r#"[{"a":1,"b":"x , y"},{"a":2,"b":"\" q \\"}]"#),
            "{text}"
        );
    }

    #[test]
    fn another_requests_marker_is_left_alone() {
        let ours = RawParts::default();
        let theirs = RawParts::default();
        let foreign = theirs.marker("[1]".into());
        ours.marker("[2]".into());
        let response = serde_json::json!({ "name": foreign });
        let serialized = serde_json::to_vec(&response).unwrap();
        assert_eq!(ours.splice(serialized.clone()), serialized);
    }
}
