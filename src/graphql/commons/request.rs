//! The request's own data, which the HTTP layer puts in every operation's context. Apart
//! from [`super::context`], which reaches the loaders, so that error conversion can read
//! the request id without depending on them.

use std::{net::IpAddr, sync::Arc};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::OnceCell;

use crate::{
    auth::Viewer,
    domain::{Language, commons::organizations},
};

/// How long reading the organization's language may take before English is used.
const LANGUAGE_READ_LIMIT: std::time::Duration = std::time::Duration::from_millis(250);

/// The language of `viewer`'s organization, for messages: read within
/// [`LANGUAGE_READ_LIMIT`], since a database that does not answer must not hold up the
/// answer that says so; English, logged, when it cannot be read. A message is no reason
/// to fail a request.
pub async fn organization_language(
    db: &DatabaseConnection,
    viewer: &Viewer,
    request_id: &str,
) -> Language {
    let read = organizations::language(db, viewer.organization_id);
    match tokio::time::timeout(LANGUAGE_READ_LIMIT, read).await {
        Ok(Ok(language)) => language,
        Ok(Err(err)) => {
            tracing::warn!(request_id, error = %err, "could not read the organization's language");
            Language::default()
        }
        Err(_) => {
            tracing::warn!(request_id, "reading the organization's language timed out");
            Language::default()
        }
    }
}

/// Per-request data, inserted by the HTTP layer.
#[derive(Clone)]
pub struct RequestContext {
    pub viewer: Option<Viewer>,
    pub request_id: String,
    /// When the caller's access token expires, for a WebSocket connection: its
    /// subscriptions end then. `None` for API tokens, anonymous callers and HTTP requests
    /// (the token was checked when the request arrived).
    pub expires_at: Option<DateTime<Utc>>,
    /// Where the request comes from (the TCP peer, or `X-Forwarded-For` behind trusted
    /// proxies); `None` when unknown. Failed logins are limited per address.
    pub client_address: Option<IpAddr>,
    /// The language messages are said in (see [`RequestContext::language`]).
    pub speaking: Speaking,
}

/// The language a request is answered in: the one its `Accept-Language` asks for, else
/// its caller's organization's, else English. The organization's is read only when there
/// is something to say (an error, a user error), once per request, so that a request
/// that succeeds costs no statement more.
#[derive(Clone, Default)]
pub struct Speaking {
    resolved: Arc<OnceCell<Language>>,
}

impl Speaking {
    /// From the request's `Accept-Language` header, when it has one.
    pub fn asked(accept_language: Option<&str>) -> Self {
        let resolved = OnceCell::new();
        if let Some(language) = accept_language.and_then(Language::negotiate) {
            let _ = resolved.set(language);
        }
        Speaking {
            resolved: Arc::new(resolved),
        }
    }

    /// The language when known without reading the organization: asked for, or read
    /// already. `None` until then.
    pub fn known(&self) -> Option<Language> {
        self.resolved.get().copied()
    }
}

impl RequestContext {
    /// The language to answer in, reading the caller's organization's at most once (on
    /// `db`, any pool: it is one SELECT) with [`organization_language`].
    pub async fn language(&self, db: &DatabaseConnection) -> Language {
        let viewer = self.viewer.as_ref();
        *self
            .speaking
            .resolved
            .get_or_init(|| async move {
                match viewer {
                    Some(viewer) => organization_language(db, viewer, &self.request_id).await,
                    None => Language::default(),
                }
            })
            .await
    }

    /// The language when known without a statement ([`Speaking::known`]), else English.
    pub fn language_known(&self) -> Language {
        self.speaking.known().unwrap_or_default()
    }
}
