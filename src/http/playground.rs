//! The GraphiQL playground. Its scripts come from npm packages pinned in
//! `playground/package.json` and installed with `npm ci --prefix playground`; the binary
//! serves them from there, so the page works with no internet access. Only when they are
//! not installed does the page fall back to a CDN, and it says so.
//!
//! The page's tabs are the example operations of `playground/operations/*.graphql`, read
//! when the page is served: one named operation a file, in file-name order, whose leading
//! comments say what it does, who may run it (`# As: driver|admin|anyone`) and, on one
//! line, example variables (`# Variables: {...}`).

use std::path::{Path, PathBuf};

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

/// One example operation of `playground/operations/`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Example {
    /// The file name, e.g. `01-login.graphql`.
    pub file: String,
    /// The operation's name, e.g. `Login`.
    pub name: String,
    /// The first comment line: what the operation does.
    pub title: String,
    /// Who runs it: `driver`, `admin` or `anyone`.
    pub who: String,
    /// Example variables as pretty JSON (`{}` when the file gives none).
    pub variables: String,
    /// The whole file, comments included, as the tab shows it.
    pub query: String,
    /// Where each placeholder of the variables (`"<id of ... from ContractInvoices>"`)
    /// takes its value: the `# Fill:` lines.
    pub fills: Vec<Fill>,
}

/// A placeholder of an example's variables and the earlier results it is read from, in
/// order of preference: `# Fill: "<placeholder>" = Operation path | Operation path`. A
/// path is dot-separated: field names, list indices, and `[field=value]` or
/// `[field!=value]` for the first list item whose field is (or is not) that value, e.g.
/// `contract.invoices.nodes[type.code=penalty].id`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fill {
    pub placeholder: String,
    /// (operation name, path into its result's `data`).
    pub sources: Vec<(String, String)>,
}

/// Why an example file is not usable.
#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("{0}: {1}")]
    Format(String, String),
}

/// The example operations in `<dir>/operations`, by file name; none when the folder is
/// missing.
pub fn examples(dir: &Path) -> Result<Vec<Example>, ExampleError> {
    let folder = dir.join("operations");
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ExampleError::Io(folder, e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| ExampleError::Io(folder.clone(), e))?
            .path();
        if path.extension().is_some_and(|ext| ext == "graphql") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(&path).map_err(|e| ExampleError::Io(path.clone(), e))?;
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            parse_example(file, text)
        })
        .collect()
}

fn parse_example(file: String, text: String) -> Result<Example, ExampleError> {
    let bad = |why: &str| ExampleError::Format(file.clone(), why.to_string());
    let comments: Vec<&str> = text
        .lines()
        .take_while(|line| line.starts_with('#'))
        .map(|line| line.trim_start_matches('#').trim())
        .collect();
    let title = comments
        .first()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("the first line must be a comment saying what it does"))?
        .to_string();
    let who = comments
        .iter()
        .find_map(|c| c.strip_prefix("As:"))
        .map(|w| w.trim().to_string())
        .filter(|w| ["driver", "admin", "anyone"].contains(&w.as_str()))
        .ok_or_else(|| bad("a `# As: driver|admin|anyone` comment is missing"))?;
    let variables = match comments.iter().find_map(|c| c.strip_prefix("Variables:")) {
        Some(json) => {
            let value: serde_json::Value = serde_json::from_str(json.trim())
                .map_err(|e| bad(&format!("its variables are not JSON: {e}")))?;
            serde_json::to_string_pretty(&value).map_err(|e| bad(&e.to_string()))?
        }
        None => "{}".to_string(),
    };
    let mut fills = Vec::new();
    for rule in comments.iter().filter_map(|c| c.strip_prefix("Fill:")) {
        let (placeholder, sources) = rule
            .split_once('=')
            .ok_or_else(|| bad("a `# Fill:` line is `\"<placeholder>\" = Operation path`"))?;
        let placeholder = placeholder.trim().trim_matches('"').to_string();
        let sources = sources
            .split('|')
            .map(|source| {
                let (operation, path) = source
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| bad(&format!("{placeholder}: a source is `Operation path`")))?;
                Ok((operation.to_string(), path.trim().to_string()))
            })
            .collect::<Result<Vec<_>, ExampleError>>()?;
        fills.push(Fill {
            placeholder,
            sources,
        });
    }
    for placeholder in placeholders_of(&variables) {
        if !fills.iter().any(|f| f.placeholder == placeholder) {
            return Err(bad(&format!(
                "{placeholder} needs a `# Fill:` line saying where its value comes from"
            )));
        }
    }
    let mut names = text.lines().filter_map(|line| {
        let rest = ["query ", "mutation ", "subscription "]
            .iter()
            .find_map(|kind| line.strip_prefix(kind))?;
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        Some(name)
    });
    let name = match (names.next(), names.next()) {
        (Some(name), None) if !name.is_empty() => name,
        _ => return Err(bad("it must hold exactly one named operation")),
    };
    Ok(Example {
        file,
        name,
        title,
        who,
        variables,
        query: text,
        fills,
    })
}

/// The `"<...>"` strings of an example's variables: values taken from earlier results.
pub fn placeholders_of(variables: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.starts_with('<') && s.ends_with('>') => {
                found.push(s.clone())
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            serde_json::Value::Object(fields) => fields.values().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::from_str(variables) {
        walk(&value, &mut found);
    }
    found
}

pub fn operations_service(dir: &Path) -> ServeDir {
    ServeDir::new(dir.join("operations"))
}

pub async fn page(State(app): State<App>) -> impl IntoResponse {
    let local = assets_installed(&app.state.config.playground_dir);
    let (assets, notice) = if local {
        (LOCAL_ASSETS, "")
    } else {
        (CDN_ASSETS, CDN_NOTICE)
    };
    let examples = examples(&app.state.config.playground_dir).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "playground examples not loaded");
        Vec::new()
    });
    // JSON inside a <script>: no "</" may close it early.
    let examples = serde_json::to_string(&examples)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    let mut html = TEMPLATE
        .replace("{{CDN_NOTICE}}", notice)
        .replace("{{EXAMPLES_JSON}}", &examples);
    for (placeholder, url) in assets {
        html = html.replace(placeholder, url);
    }
    Html(html)
}

/// The playground's icon (browsers ask for `/favicon.ico` whatever the page says).
const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#084298"/><path d="M9 23V9h3v11h8v3z" fill="#fff"/><circle cx="23" cy="11" r="3" fill="#e535ab"/></svg>"##;

pub async fn favicon() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
