//! The GraphiQL playground. Its scripts come from npm packages pinned in
//! `playground/package.json` and installed with `npm ci --prefix playground`; the binary
//! serves them from there, so the page works with no internet access. Only when they are
//! not installed does the page fall back to a CDN, and it says so.

use std::path::Path;

use axum::{
    extract::State,
    response::{Html, IntoResponse},
};
use tower_http::services::ServeDir;

use crate::app::App;

const TEMPLATE: &str = include_str!("../../playground/index.html");

/// Versions pinned in `playground/package.json`, for the CDN fallback only.
const CDN_ASSETS: [(&str, &str); 4] = [
    (
        "{{REACT_JS}}",
        "https://unpkg.com/react@18.3.1/umd/react.production.min.js",
    ),
    (
        "{{REACT_DOM_JS}}",
        "https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js",
    ),
    (
        "{{GRAPHIQL_JS}}",
        "https://unpkg.com/graphiql@3.9.0/graphiql.min.js",
    ),
    (
        "{{GRAPHIQL_CSS}}",
        "https://unpkg.com/graphiql@3.9.0/graphiql.min.css",
    ),
];

const LOCAL_ASSETS: [(&str, &str); 4] = [
    (
        "{{REACT_JS}}",
        "/playground/vendor/react/umd/react.production.min.js",
    ),
    (
        "{{REACT_DOM_JS}}",
        "/playground/vendor/react-dom/umd/react-dom.production.min.js",
    ),
    (
        "{{GRAPHIQL_JS}}",
        "/playground/vendor/graphiql/graphiql.min.js",
    ),
    (
        "{{GRAPHIQL_CSS}}",
        "/playground/vendor/graphiql/graphiql.min.css",
    ),
];

const CDN_NOTICE: &str = r#"<div class="notice">The playground's packages are not installed on this server, so this page loads them from a public CDN and needs internet access. Install them with <code>npm ci --prefix playground</code> to work offline.</div>"#;

pub fn assets_installed(dir: &Path) -> bool {
    let modules = dir.join("node_modules");
    [
        "graphiql/graphiql.min.js",
        "react/umd/react.production.min.js",
        "react-dom/umd/react-dom.production.min.js",
    ]
    .iter()
    .all(|file| modules.join(file).is_file())
}

pub fn vendor_service(dir: &Path) -> ServeDir {
    ServeDir::new(dir.join("node_modules"))
}

pub async fn page(State(app): State<App>) -> impl IntoResponse {
    let local = assets_installed(&app.state.config.playground_dir);
    let (assets, notice) = if local {
        (LOCAL_ASSETS, "")
    } else {
        (CDN_ASSETS, CDN_NOTICE)
    };
    let mut html = TEMPLATE.replace("{{CDN_NOTICE}}", notice);
    for (placeholder, url) in assets {
        html = html.replace(placeholder, url);
    }
    Html(html)
}
