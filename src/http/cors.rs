//! CORS for the operations a web front end calls (`/graphql`, `/documents/...`): a page
//! of an allowed origin (`Config::cors_origins`) may send them with its `Authorization`
//! header, and read the headers a client acts on. Preflights are answered here, before
//! routing. Tokens travel in a header, never in cookies, so credentials are not allowed.

use std::time::Duration;

use axum::http::{HeaderName, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::request_id;
use crate::config::CorsOrigins;

/// How long a browser may reuse a preflight's answer (Chromium caps it at 2 hours).
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

pub fn layer(origins: &CorsOrigins) -> CorsLayer {
    let origins = origins.clone();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            origin.to_str().is_ok_and(|origin| origins.allows(origin))
        }))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static(request_id::HEADER),
        ])
        .expose_headers([
            HeaderName::from_static(request_id::HEADER),
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
        ])
        .max_age(PREFLIGHT_MAX_AGE)
}
