//! The request's own data, which the HTTP layer puts in every operation's context. Apart
//! from [`super::context`], which reaches the loaders, so that error conversion can read
//! the request id without depending on them.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::auth::Viewer;

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
}
