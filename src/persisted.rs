//! Persisted documents. Two ways a client sends a document's SHA-256 instead of its text,
//! in `extensions.persistedQuery` (`{"version": 1, "sha256Hash": "<hex>"}`):
//!
//! - Apollo's automatic persisted queries: the first time, the server answers
//!   `PERSISTED_QUERY_NOT_FOUND`; the client sends the hash with the text once, the server
//!   learns it, and from then on the hash alone is enough (over GET too, so that HTTP
//!   caches can keep anonymous answers). Each replica learns on its own, so a client that
//!   reaches another replica registers again, which the protocol expects.
//! - A manifest loaded at start (`PERSISTED_DOCUMENTS`, the JSON `{"<hash>": "<document>"}`
//!   that graphql-codegen's client preset writes): its documents are known from the start,
//!   and with `PERSISTED_DOCUMENTS_ONLY=true` they are the only ones the server runs, the
//!   strongest defence for a mobile app's API: a request with any other document, sent as
//!   text or as a hash, is refused before it is parsed.

use std::{
    collections::{HashMap, VecDeque},
    path::Path,
    sync::{Arc, Mutex},
};

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// The message of PERSISTED_QUERY_NOT_FOUND, the same in every language: Apollo's
/// clients match this exact text to send the document's text with its hash.
pub const NOT_FOUND_MESSAGE: &str = "PersistedQueryNotFound";

domain::catalogue! {
    /// Why a persisted document is refused (but PERSISTED_QUERY_NOT_FOUND, whose message
    /// is [`NOT_FOUND_MESSAGE`]).
    pub enum Text {
        NotInList {
            en: "This server runs only the documents of its manifest, and this hash is not one of them",
            es: "Este servidor solo ejecuta los documentos de su manifiesto, y este hash no es uno de ellos",
            pt: "Este servidor executa apenas os documentos do seu manifesto, e este hash não é um deles",
        }
        NotInSafelist {
            en: "This server runs only the documents of its manifest: send one of them (its hash in extensions.persistedQuery)",
            es: "Este servidor solo ejecuta los documentos de su manifiesto: envía uno de ellos (su hash en extensions.persistedQuery)",
            pt: "Este servidor executa apenas os documentos do seu manifesto: envie um deles (seu hash em extensions.persistedQuery)",
        }
        VersionNotOne {
            en: "extensions.persistedQuery.version must be 1 (Apollo's persisted queries)",
            es: "extensions.persistedQuery.version debe ser 1 (las persisted queries de Apollo)",
            pt: "extensions.persistedQuery.version deve ser 1 (as persisted queries do Apollo)",
        }
        HashNotHex {
            en: "extensions.persistedQuery.sha256Hash must be the document's SHA-256 in hex",
            es: "extensions.persistedQuery.sha256Hash debe ser el SHA-256 del documento en hexadecimal",
            pt: "extensions.persistedQuery.sha256Hash deve ser o SHA-256 do documento em hexadecimal",
        }
        HashNotOfQuery {
            en: "The sha256Hash is not the SHA-256 of the query sent with it",
            es: "El sha256Hash no es el SHA-256 de la consulta enviada con él",
            pt: "O sha256Hash não é o SHA-256 da consulta enviada com ele",
        }
    }
}

/// How many learned documents a replica keeps; the oldest is forgotten past it (its
/// client registers it again). Each is at most `LIMIT_QUERY_CHARS` long.
const LEARNED_DOCUMENTS: usize = 1_000;

/// The documents a replica knows by hash.
pub struct PersistedDocuments {
    manifest: HashMap<String, Arc<str>>,
    /// Only the manifest's documents run.
    only: bool,
    learned: Mutex<Learned>,
}

#[derive(Default)]
struct Learned {
    documents: HashMap<String, Arc<str>>,
    order: VecDeque<String>,
}

/// Why a request's document is not run; the HTTP layer gives each its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A hash this replica does not know yet: the client sends the text with it once.
    NotFound,
    /// A hash outside the manifest, on a server that runs only the manifest's documents.
    NotInList,
    /// A document sent as text that is not in the manifest, on such a server.
    NotInSafelist,
    /// `extensions.persistedQuery` is not Apollo's, or its hash is not the text's.
    Malformed(Text),
}

/// Why a manifest cannot be used: the server does not start with it.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path} is not a JSON object of SHA-256 hashes to documents: {error}")]
    Format {
        path: String,
        error: serde_json::Error,
    },
    #[error("{path}: the key {hash} is not the SHA-256 of its document")]
    WrongHash { path: String, hash: String },
}

/// The SHA-256 of a document, in lowercase hex, as clients compute it.
pub fn hash_of(document: &str) -> String {
    hex::encode(Sha256::digest(document.as_bytes()))
}

impl PersistedDocuments {
    /// No manifest: automatic persisted queries only.
    pub fn learning() -> Self {
        Self {
            manifest: HashMap::new(),
            only: false,
            learned: Mutex::default(),
        }
    }

    /// The manifest at `path`, each of its hashes checked; with `only`, nothing else runs.
    pub fn from_manifest(path: &Path, only: bool) -> Result<Self, ManifestError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ManifestError::Read {
            path: shown.clone(),
            error,
        })?;
        let manifest: HashMap<String, String> =
            serde_json::from_str(&text).map_err(|error| ManifestError::Format {
                path: shown.clone(),
                error,
            })?;
        let mut documents = HashMap::with_capacity(manifest.len());
        for (hash, document) in manifest {
            let hash = hash.to_ascii_lowercase();
            if hash_of(&document) != hash {
                return Err(ManifestError::WrongHash { path: shown, hash });
            }
            documents.insert(hash, Arc::from(document));
        }
        Ok(Self {
            manifest: documents,
            only,
            learned: Mutex::default(),
        })
    }

    /// Gives `request` its document when it came as a hash, learns a document sent with
    /// its hash, and refuses what this server does not run. Cheap and before parsing: a
    /// hash, a lookup, and a SHA-256 of a text already within the request's size.
    pub fn resolve(&self, request: &mut Request) -> Result<(), Refusal> {
        let Some(persisted) = request.extensions.get("persistedQuery") else {
            if self.only && !self.manifest.contains_key(&hash_of(&request.query)) {
                return Err(Refusal::NotInSafelist);
            }
            return Ok(());
        };
        let persisted = serde_json::to_value(persisted).unwrap_or_default();
        if persisted["version"] != 1 {
            return Err(Refusal::Malformed(Text::VersionNotOne));
        }
        let Some(hash) = persisted["sha256Hash"]
            .as_str()
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase)
        else {
            return Err(Refusal::Malformed(Text::HashNotHex));
        };
        if !request.query.trim().is_empty() {
            if hash_of(&request.query) != hash {
                return Err(Refusal::Malformed(Text::HashNotOfQuery));
            }
            if self.only && !self.manifest.contains_key(&hash) {
                return Err(Refusal::NotInList);
            }
            self.learn(hash, &request.query);
            return Ok(());
        }
        match self.known(&hash) {
            Some(document) => {
                request.query = document.to_string();
                Ok(())
            }
            None if self.only => Err(Refusal::NotInList),
            None => Err(Refusal::NotFound),
        }
    }

    fn known(&self, hash: &str) -> Option<Arc<str>> {
        if let Some(document) = self.manifest.get(hash) {
            return Some(document.clone());
        }
        let learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
        learned.documents.get(hash).cloned()
    }

    fn learn(&self, hash: String, document: &str) {
        if self.manifest.contains_key(&hash) {
            return;
        }
        let mut learned = self.learned.lock().unwrap_or_else(|e| e.into_inner());
        if learned.documents.contains_key(&hash) {
            return;
        }
        if learned.order.len() >= LEARNED_DOCUMENTS
            && let Some(oldest) = learned.order.pop_front()
        {
            learned.documents.remove(&oldest);
        }
        learned.order.push_back(hash.clone());
        learned.documents.insert(hash, Arc::from(document));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(hash: &str, document: &str) -> Request {
        let mut request = Request::new(document);
        request.extensions.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(
                serde_json::json!({ "version": 1, "sha256Hash": hash }),
            )
            .unwrap(),
        );
        request
    }

    #[test]
    fn a_replica_forgets_its_oldest_learned_document_past_its_limit() {
        let documents = PersistedDocuments::learning();
        let texts: Vec<String> = (0..=LEARNED_DOCUMENTS)
            .map(|i| format!("{{ a{i}: __typename }}"))
            .collect();
        for text in &texts {
            documents
                .resolve(&mut registered(&hash_of(text), text))
                .unwrap();
        }
        let mut oldest = registered(&hash_of(&texts[0]), "");
        assert_eq!(documents.resolve(&mut oldest), Err(Refusal::NotFound));
        let newest = &texts[LEARNED_DOCUMENTS];
        let mut by_hash = registered(&hash_of(newest), "");
        assert_eq!(documents.resolve(&mut by_hash), Ok(()));
        assert_eq!(&by_hash.query, newest);
    }
}
