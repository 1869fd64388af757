//! What a resolver may reach: the database, the caller, the request id, the loaders.

use std::net::IpAddr;

use async_graphql::{Context, parser::types::OperationType};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::{errors::ErrorCode, request::RequestContext, text::Text};
use crate::{
    auth::Viewer,
    db::Access,
    domain::{
        DomainError,
        audit::Actor,
        commons::{Calendar, organizations},
        visibility,
    },
    entities::organization,
    graphql::loaders::{Loaders, OperationLoaders},
    state::AppState,
};

pub trait ContextExt {
    fn state(&self) -> &AppState;
    /// What the running operation may do to the database: a query only reads
    /// ([`Access::ReadOnly`]), a mutation or a subscription writes.
    fn access(&self) -> Access;
    /// The database as the running operation may use it: the read-only pool for a
    /// query (its statements cannot write, whatever they are), the read-write pool for a
    /// mutation or a subscription.
    fn db(&self) -> &DatabaseConnection;
    fn request(&self) -> Option<&RequestContext>;
    fn request_id(&self) -> &str;
    /// Where the request comes from, when known.
    fn client_address(&self) -> Option<IpAddr>;
    /// The caller, or UNAUTHENTICATED.
    fn viewer(&self) -> async_graphql::Result<&Viewer>;
    /// The caller when staff, FORBIDDEN for clients.
    fn staff(&self) -> async_graphql::Result<&Viewer>;
    /// The caller as the audit trail records a write of theirs, or UNAUTHENTICATED.
    fn actor(&self) -> async_graphql::Result<Actor<'_>>;
    /// The request's loaders, reading through the pool of [`ContextExt::db`].
    fn loaders(&self) -> &Loaders;
    /// The current instant (fixed in some tests).
    fn now(&self) -> DateTime<Utc>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> &AppState {
        self.data_unchecked::<AppState>()
    }

    fn access(&self) -> Access {
        match self.query_env.operation.node.ty {
            OperationType::Query => Access::ReadOnly,
            OperationType::Mutation | OperationType::Subscription => Access::ReadWrite,
        }
    }

    fn db(&self) -> &DatabaseConnection {
        let state = self.state();
        match self.access() {
            Access::ReadOnly => &state.read_only,
            Access::ReadWrite => &state.db,
        }
    }

    fn request(&self) -> Option<&RequestContext> {
        self.data_opt::<RequestContext>()
    }

    fn request_id(&self) -> &str {
        self.request().map(|r| r.request_id.as_str()).unwrap_or("-")
    }

    fn client_address(&self) -> Option<IpAddr> {
        self.request().and_then(|r| r.client_address)
    }

    fn viewer(&self) -> async_graphql::Result<&Viewer> {
        self.request()
            .and_then(|r| r.viewer.as_ref())
            .ok_or_else(|| ErrorCode::Unauthenticated.error(Text::LogInFirst))
    }

    fn staff(&self) -> async_graphql::Result<&Viewer> {
        let viewer = self.viewer()?;
        visibility::require_staff(viewer)?;
        Ok(viewer)
    }

    fn actor(&self) -> async_graphql::Result<Actor<'_>> {
        Ok(Actor {
            viewer: self.viewer()?,
            request_id: self.request_id(),
        })
    }

    fn loaders(&self) -> &Loaders {
        self.data_unchecked::<OperationLoaders>().of(self.access())
    }

    fn now(&self) -> DateTime<Utc> {
        self.state().config.clock.now()
    }
}

/// The caller's organization (one cached load per request).
pub async fn viewer_organization(ctx: &Context<'_>) -> async_graphql::Result<organization::Model> {
    let viewer = ctx.viewer()?;
    ctx.loaders()
        .organizations
        .load_one(viewer.organization_id)
        .await?
        .ok_or_else(|| {
            async_graphql::Error::from(DomainError::Internal(
                "the caller's organization is gone".into(),
            ))
        })
}

/// Today's date in the caller's organization's timezone.
pub async fn today(ctx: &Context<'_>) -> async_graphql::Result<NaiveDate> {
    let organization = viewer_organization(ctx).await?;
    Ok(Calendar::of(&organization).date_of(ctx.now()))
}

/// The organization a public operation (no login needed) is about; see
/// [`organizations::resolve_public`].
pub async fn public_organization(
    ctx: &Context<'_>,
    slug: Option<&str>,
) -> async_graphql::Result<organization::Model> {
    let caller = ctx
        .request()
        .and_then(|r| r.viewer.as_ref())
        .map(|v| v.organization_id);
    organizations::resolve_public(ctx.db(), slug, caller)
        .await
        .map_err(Into::into)
}
