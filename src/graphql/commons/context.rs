//! What a resolver may reach: the database, the caller, the request id, the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::errors::ErrorCode;
use crate::{app::AppState, auth::Viewer, graphql::loaders::Loaders};

/// Per-request data, inserted by the HTTP layer.
pub struct RequestContext {
    pub viewer: Option<Viewer>,
    pub request_id: String,
}

pub trait ContextExt {
    fn state(&self) -> &AppState;
    fn db(&self) -> &DatabaseConnection;
    fn request(&self) -> Option<&RequestContext>;
    fn request_id(&self) -> &str;
    /// The caller, or UNAUTHENTICATED.
    fn viewer(&self) -> async_graphql::Result<&Viewer>;
    /// The caller when staff, FORBIDDEN for clients.
    fn staff(&self) -> async_graphql::Result<&Viewer>;
    fn loaders(&self) -> &Loaders;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn db(&self) -> &DatabaseConnection {
        &self.state().db
    }

    fn request(&self) -> Option<&RequestContext> {
        self.data_opt::<RequestContext>()
    }

    fn request_id(&self) -> &str {
        self.request().map(|r| r.request_id.as_str()).unwrap_or("-")
    }

    fn viewer(&self) -> async_graphql::Result<&Viewer> {
        self.request()
            .and_then(|r| r.viewer.as_ref())
            .ok_or_else(|| {
                ErrorCode::Unauthenticated
                    .error("Log in first: send `Authorization: Bearer <accessToken>`")
            })
    }

    fn staff(&self) -> async_graphql::Result<&Viewer> {
        let viewer = self.viewer()?;
        if viewer.is_staff() {
            Ok(viewer)
        } else {
            Err(ErrorCode::Forbidden.error("Only the organization's staff can do this"))
        }
    }

    fn loaders(&self) -> &Loaders {
        self.data_unchecked::<Loaders>()
    }
}
