//! Parsed documents kept for the next request that sends the same text.
//!
//! A front end sends the same few documents again and again, with new variables; parsing
//! one with async-graphql's grammar was 7.6% of the server's CPU on a driver's dashboard
//! (measured with `perf` in session 23, see `docs/benchmarks.md`). A document that passed
//! the request limits is kept by its text, and the next request with that text gets a
//! copy of it instead of a parse. Its variables are checked every time; only the checks
//! of the text and the document, which the same text passed before, are not repeated.

use std::{
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use async_graphql::{Request, ServerResult, parser::types::ExecutableDocument};
use lru::LruCache;

use super::{
    limits::{check_values, check_whole_request, select_operation},
    operation::selected_only,
};
use crate::config::RequestLimits;

/// How many documents are kept: far more than an application's own, few enough that
/// texts no one sends twice (each within the request limits) cost little memory.
const KEPT: usize = 256;

/// The documents that passed the limits, by their text, the least recently sent
/// forgotten first.
pub struct Documents {
    parsed: Mutex<LruCache<String, Arc<ExecutableDocument>>>,
}

impl Default for Documents {
    fn default() -> Self {
        Self::with_capacity(NonZeroUsize::new(KEPT).unwrap_or(NonZeroUsize::MIN))
    }
}

impl Documents {
    /// A cache of at most `capacity` documents.
    pub fn with_capacity(capacity: NonZeroUsize) -> Self {
        Self {
            parsed: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// [`super::limits::check_request`] for `request`, whose document is parsed only when
    /// its text is not one kept: then a document the limits accept is kept, whole (each
    /// request runs the operation it names).
    pub fn check(&self, request: &mut Request, limits: &RequestLimits) -> ServerResult<()> {
        let kept = self.lock().get(request.query.as_str()).cloned();
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
            self.lock().put(request.query.clone(), document);
        }
        select_operation(request)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        // A panic while holding the lock left a valid cache: keep using it.
        self.parsed.lock().unwrap_or_else(|e| e.into_inner())
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
        assert_eq!(documents.lock().len(), 0);
    }

    #[test]
    fn the_least_recently_sent_document_is_forgotten_first() {
        let documents = Documents::with_capacity(NonZeroUsize::new(2).unwrap());
        for query in ["{ a }", "{ b }", "{ a }", "{ c }"] {
            assert!(!refused(&documents, query, serde_json::json!({})));
        }
        let kept = documents.lock();
        assert!(kept.contains("{ a }") && kept.contains("{ c }") && !kept.contains("{ b }"));
    }
}
