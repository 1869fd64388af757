//! The driver-only fields of `Client`, each through a DataLoader.

use crate::domain::commons::Id;
use async_graphql::Context;

use super::types::{ClientPhone, Contract, Plan};
use crate::{
    entities::client_profile,
    graphql::{
        commons::ContextExt,
        fast::{compiled, fleet, raw::CompiledOr},
    },
};

pub async fn profile(
    ctx: &Context<'_>,
    user_id: i64,
) -> async_graphql::Result<Option<client_profile::Model>> {
    ctx.loaders()
        .profiles
        .load_one(Id::new(user_id))
        .await
        .map_err(Into::into)
}

pub async fn phones(ctx: &Context<'_>, user_id: i64) -> async_graphql::Result<Vec<ClientPhone>> {
    let rows = ctx
        .loaders()
        .phones
        .load_one(Id::new(user_id))
        .await?
        .unwrap_or_default();
    Ok(rows.into_iter().map(ClientPhone::from).collect())
}

pub async fn plan(ctx: &Context<'_>, user_id: i64) -> async_graphql::Result<Option<Plan>> {
    let Some(plan_id) = profile(ctx, user_id).await?.and_then(|p| p.plan_id) else {
        return Ok(None);
    };
    Ok(ctx
        .loaders()
        .plans
        .load_one(Id::new(plan_id))
        .await?
        .map(Plan))
}

/// A driver's contracts: on PostgreSQL, when the field's selection compiles, the list's
/// JSON read for every driver of the level in one statement (`fast::fleet`); else the
/// rows, resolved field by field.
pub async fn contracts(
    ctx: &Context<'_>,
    user_id: i64,
) -> async_graphql::Result<CompiledOr<Vec<Contract>>> {
    if let Some(json) = compiled::subtree(ctx, Id::new(user_id), fleet::contracts, |l| {
        &l.client_subtrees
    })
    .await?
    {
        return Ok(CompiledOr::Json(json));
    }
    let rows = ctx
        .loaders()
        .client_contracts
        .load_one(Id::new(user_id))
        .await?
        .unwrap_or_default();
    Ok(CompiledOr::Resolved(
        rows.into_iter().map(Contract).collect(),
    ))
}
