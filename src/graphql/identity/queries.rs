use crate::domain::commons::Id;
use async_graphql::{Context, Object};

use super::types::{ApiToken, ApiTokenConnection, User};
use crate::{
    domain::identity,
    entities::user::Role,
    graphql::{
        commons::{ContextExt, PageArgs, list_cost},
        fast::{fleet, raw::CompiledOr},
    },
};

#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The caller: a driver (`Client`) or staff (`StaffUser`), with their organization.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<CompiledOr<User>> {
        let viewer = ctx.viewer()?;
        // A driver's dashboard PostgreSQL can build whole: one statement, no loader.
        if viewer.role == Role::Client
            && let Some(sql) = fleet::me(ctx)
            && let Some(json) = identity::driver_caller_as_text(ctx.db(), viewer, &sql).await?
        {
            return Ok(CompiledOr::Json(json));
        }
        // A dashboard reads the caller with their profile (wallet, document) and plan: one
        // statement, whose rows the loaders then answer from.
        let (user, profile, plan) = identity::caller(ctx.db(), viewer).await?;
        let loaders = ctx.loaders();
        if let Some(plan) = plan {
            loaders.plans.prime(Id::new(plan.id), Some(plan));
        }
        loaders.profiles.prime(Id::new(user.id), profile);
        loaders.users.prime(Id::new(user.id), Some(user.clone()));
        Ok(CompiledOr::Resolved(user.into()))
    }

    /// The caller's API tokens, newest first, revoked ones included. Secrets are never
    /// shown again after creation.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ApiTokenConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let viewer = ctx.viewer()?;
        // A person has a handful of tokens: one query, paged in memory.
        let tokens = identity::list_api_tokens(ctx.db(), viewer).await?;
        let window = args.window(tokens.len() as u64)?;
        let start = window.offset as usize;
        let end = start + window.limit as usize;
        Ok(ApiTokenConnection::new(
            window,
            tokens[start..end].iter().cloned().map(ApiToken::from),
        ))
    }
}
