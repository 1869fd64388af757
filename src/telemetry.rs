//! Structured logs with `tracing`: human-readable by default, JSON with `LOG_JSON=true`.

use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(fmt::layer().json().flatten_event(true))
            .try_init()
    } else {
        // Colour codes only for a person at a terminal: in a file, a pipe or a log
        // collector they are noise.
        let ansi = std::io::stdout().is_terminal();
        registry.with(fmt::layer().with_ansi(ansi)).try_init()
    };
    if let Err(err) = result {
        eprintln!("logging was already initialised: {err}");
    }
}
