//! Compiled JSON carried into an HTTP response as it is.
//!
//! async-graphql's answer is a tree of `Value`s: turning a compiled page's JSON text
//! into one and back costs an allocation per key and per string, most of the server's
//! work on a wide page. For an HTTP request [`super::execute`] puts a [`RawParts`] in
//! each operation's data; a compiled list ([`super::plain::PlainList`]) then answers a
//! marker string, a NUL character followed by the request's random nonce and the part's
//! number, and after serialising the response [`super::Executed::into_body`] writes each
//! part's JSON in its marker's place ([`RawParts::splice`]). A marker cannot come from
//! data: it needs the nonce, drawn for each request and never shown. Without `RawParts`
//! (WebSocket operations) the JSON is read into `Value`s as usual.

use std::{borrow::Cow, sync::Arc};

use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerError, ServerResult, Value,
    parser::types::Field, registry::Registry,
};

/// A field's value as PostgreSQL built it for the field's selection (JSON text, see
/// [`super::compiled`]), or as its resolvers answer it. The schema sees `T` either way.
pub enum CompiledOr<T> {
    Json(String),
    Resolved(T),
}

impl<T: OutputType> OutputType for CompiledOr<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match self {
            Self::Resolved(value) => value.resolve(ctx, field).await,
            Self::Json(json) => answer(ctx, field, json.clone()),
        }
    }
}

/// The value a field answers for `json`, the JSON text PostgreSQL built for its
/// selection: over HTTP a marker, which the response gets the text in place of; without
/// [`RawParts`] (WebSocket operations) the text read into values.
pub fn answer(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    json: String,
) -> ServerResult<Value> {
    if let Some(raw) = ctx.data_opt::<Arc<RawParts>>() {
        return Ok(Value::String(raw.marker(json)));
    }
    serde_json::from_str(&json)
        .map_err(|e| ServerError::new(format!("unreadable compiled answer: {e}"), Some(field.pos)))
}

/// The compiled parts of one HTTP request's answer, and the nonce of their markers.
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

/// Copies the JSON text `json` without whitespace outside its strings. Strings, most of
/// an answer's bytes, are copied whole, found with `memchr` (byte by byte, this was 9% of
/// the server's CPU on a page of 1,000 compiled invoices).
fn compact_into(json: &[u8], out: &mut Vec<u8>) {
    let outside = |bytes: &[u8], out: &mut Vec<u8>| {
        out.extend(bytes.iter().filter(|b| !b.is_ascii_whitespace()));
    };
    let mut rest = json;
    while let Some(open) = memchr::memchr(b'"', rest) {
        outside(&rest[..open], out);
        // The string with both its quotes (all the rest if it never closes).
        let end = (open + string_length(&rest[open + 1..]) + 2).min(rest.len());
        out.extend_from_slice(&rest[open..end]);
        rest = &rest[end..];
    }
    outside(rest, out);
}

/// How many bytes of `bytes` (what follows a string's opening quote) the string holds
/// before its closing quote; all of them when it does not close.
pub(super) fn string_length(bytes: &[u8]) -> usize {
    let mut from = 0;
    while let Some(at) = memchr::memchr2(b'"', b'\\', &bytes[from..]) {
        let at = from + at;
        if bytes[at] == b'"' {
            return at;
        }
        // An escape: the byte after the backslash is the string's, a quote included.
        from = at + 2;
        if from >= bytes.len() {
            break;
        }
    }
    bytes.len()
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
    fn whitespace_goes_outside_strings_only() {
        let cases = [
            (
                "{\"a\" : [1, 2],\n\t\"b\" : \"x \\\\\" , \"c\" :\"\\\" \"}",
                "{\"a\":[1,2],\"b\":\"x \\\\\",\"c\":\"\\\" \"}",
            ),
            ("[ \"unclosed \\", "[\"unclosed \\"),
            ("  ", ""),
            ("\"\"", "\"\""),
        ];
        for (json, compact) in cases {
            let mut out = Vec::new();
            compact_into(json.as_bytes(), &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), compact, "{json}");
        }
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
