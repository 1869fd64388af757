//! Parsed documents kept for the next request that sends the same text.
//!
//! A front end sends the same few documents again and again, with new variables; parsing
//! one with async-graphql's grammar was 7.6% of the server's CPU on a driver's dashboard
//! (measured with `perf` in session 23, see `docs/benchmarks.md`). A document that passed
//! the request limits is kept by its text, and the next request with that text gets a
//! copy of it instead of a parse. Its variables are checked every time; only the checks
//! of the text and the document, which the same text passed before, are not repeated.

use std::sync::{Arc, Mutex};

use async_graphql::{
    Request, ServerResult,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};
use lru::LruCache;

use super::{
    limits::{check_values, check_whole_request, select_operation},
    operation::selected_only,
};
use crate::config::RequestLimits;

/// How many documents are kept at most: far more than an application's own.
const KEPT: usize = 256;

/// How much memory the kept documents may take in all, as [`weight`] estimates it. A
/// parsed document is many times its text: 2,000 one-letter fields (4 KB of text) take
/// 415 KiB, 1,800 fields with an argument each 1.3 MiB, an application's documents about
/// fifteen times their text (10 KiB for the dashboard's). So this holds every document of
/// an application, or at least five of the heaviest the limits let through.
const KEPT_BYTES: usize = 8 * 1024 * 1024;

/// What a parsed field and an argument take, about (measured with a counting allocator in
/// session 23: 212 bytes a field, 737 a field with one argument).
const FIELD_BYTES: usize = 256;
const ARGUMENT_BYTES: usize = 512;

/// The memory `document`, parsed from `text`, takes, about: its fields and arguments
/// (directives' too), beside its text. The fragments are counted once each, as parsed.
fn weight(text: &str, document: &ExecutableDocument) -> usize {
    fn set(items: &SelectionSet) -> usize {
        items
            .items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let arguments = field.arguments.len()
                        + field
                            .directives
                            .iter()
                            .map(|d| d.node.arguments.len())
                            .sum::<usize>();
                    FIELD_BYTES + arguments * ARGUMENT_BYTES + set(&field.selection_set.node)
                }
                Selection::InlineFragment(inline) => {
                    FIELD_BYTES + set(&inline.node.selection_set.node)
                }
                Selection::FragmentSpread(_) => FIELD_BYTES,
            })
            .sum()
    }
    let operations: usize = document
        .operations
        .iter()
        .map(|(_, operation)| {
            let variables = operation.node.variable_definitions.len();
            FIELD_BYTES + variables * ARGUMENT_BYTES + set(&operation.node.selection_set.node)
        })
        .sum();
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| FIELD_BYTES + set(&fragment.node.selection_set.node))
        .sum();
    text.len() + operations + fragments
}

/// The documents that passed the limits, by their text, the least recently sent
/// forgotten first.
pub struct Documents {
    kept: Mutex<Kept>,
}

struct Kept {
    /// Each document with its [`weight`].
    documents: LruCache<String, (Arc<ExecutableDocument>, usize)>,
    bytes: usize,
    max_documents: usize,
    max_bytes: usize,
}

impl Kept {
    /// Keeps `document` under its `text`, forgetting the least recently sent ones until
    /// the kept fit their bounds; a document heavier than all of them is not kept.
    fn keep(&mut self, text: String, document: Arc<ExecutableDocument>) {
        let weight = weight(&text, &document);
        if weight > self.max_bytes || self.documents.contains(&text) {
            return;
        }
        self.bytes += weight;
        self.documents.put(text, (document, weight));
        while self.documents.len() > self.max_documents || self.bytes > self.max_bytes {
            match self.documents.pop_lru() {
                Some((_, (_, forgotten))) => self.bytes -= forgotten,
                None => break,
            }
        }
    }
}

impl Default for Documents {
    fn default() -> Self {
        Self::bounded(KEPT, KEPT_BYTES)
    }
}

impl Documents {
    /// A cache of at most `documents` documents weighing at most `bytes` in all.
    pub fn bounded(documents: usize, bytes: usize) -> Self {
        Self {
            kept: Mutex::new(Kept {
                documents: LruCache::unbounded(),
                bytes: 0,
                max_documents: documents,
                max_bytes: bytes,
            }),
        }
    }

    /// [`super::limits::check_request`] for `request`, whose document is parsed only when
    /// its text is not one kept: then a document the limits accept is kept, whole (each
    /// request runs the operation it names).
    pub fn check(&self, request: &mut Request, limits: &RequestLimits) -> ServerResult<()> {
        let kept = self
            .lock()
            .documents
            .get(request.query.as_str())
            .map(|(d, _)| d.clone());
        if let Some(document) = kept {
            check_values(&document, &request.variables, limits)?;
            let name = request.operation_name.as_deref();
            let only = selected_only(&document, name)?;
            request.set_parsed_query(only.unwrap_or_else(|| ExecutableDocument::clone(&document)));
            return Ok(());
        }
        check_whole_request(request, limits)?;
        if let Ok(document) = request.parsed_query() {
            let document = Arc::new(document.clone());
            self.lock().keep(request.query.clone(), document);
        }
        select_operation(request)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock left a valid cache: keep using it.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(documents: &Documents, query: &str, variables: serde_json::Value) -> bool {
        let mut request =
            Request::new(query).variables(async_graphql::Variables::from_json(variables));
        documents
            .check(&mut request, &RequestLimits::default())
            .is_err()
    }

    #[test]
    fn a_kept_document_still_has_its_variables_checked() {
        let documents = Documents::default();
        let query = "query($name: String) { me { id } }";
        assert!(!refused(
            &documents,
            query,
            serde_json::json!({ "name": "a" })
        ));
        assert!(refused(
            &documents,
            query,
            serde_json::json!({ "name": "a\u{0}b" })
        ));
        assert!(!refused(
            &documents,
            query,
            serde_json::json!({ "name": "b" })
        ));
    }

    #[test]
    fn a_refused_document_is_refused_again_and_not_kept() {
        let documents = Documents::default();
        let deep = format!("{{ {} }}", "me { ".repeat(200) + &"}".repeat(200));
        assert!(refused(&documents, &deep, serde_json::json!({})));
        assert!(refused(&documents, &deep, serde_json::json!({})));
        assert!(refused(&documents, "{ me { ", serde_json::json!({})));
        assert_eq!(documents.lock().documents.len(), 0);
    }

    #[test]
    fn the_least_recently_sent_document_is_forgotten_first() {
        let documents = Documents::bounded(2, KEPT_BYTES);
        for query in ["{ a }", "{ b }", "{ a }", "{ c }"] {
            assert!(!refused(&documents, query, serde_json::json!({})));
        }
        let kept = documents.lock();
        let texts: Vec<&str> = kept.documents.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["{ c }", "{ a }"]);
    }

    #[test]
    fn the_kept_documents_stay_within_their_weight() {
        // Two fields and an operation: 3 nodes and a text of 8 bytes each.
        let one = 3 * FIELD_BYTES + 8;
        let documents = Documents::bounded(100, 3 * one);
        for query in ["{ a{b} }", "{ c{d} }", "{ e{f} }", "{ g{h} }"] {
            assert!(!refused(&documents, query, serde_json::json!({})));
        }
        let heavy = format!("{{ {} }}", "x ".repeat(10));
        assert!(!refused(&documents, &heavy, serde_json::json!({})));
        let kept = documents.lock();
        let texts: Vec<&str> = kept.documents.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["{ g{h} }", "{ e{f} }", "{ c{d} }"]);
        assert_eq!(kept.bytes, 3 * one);
    }

    #[test]
    fn arguments_and_fragments_weigh_too() {
        let parse = |text: &str| async_graphql::parser::parse_query(text).unwrap();
        let plain = "{ a }";
        assert_eq!(weight(plain, &parse(plain)), plain.len() + 2 * FIELD_BYTES);
        let argued = "query($v: Int) { a(x: $v) @include(if: true) }";
        assert_eq!(
            weight(argued, &parse(argued)),
            argued.len() + 2 * FIELD_BYTES + 3 * ARGUMENT_BYTES
        );
        let spread = "{ ...F } fragment F on Query { a }";
        assert_eq!(
            weight(spread, &parse(spread)),
            spread.len() + 4 * FIELD_BYTES
        );
    }
}
