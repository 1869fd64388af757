//! Reading webhook endpoints: `webhookEndpoints`. ADMINs (and their API tokens) only.

use async_graphql::{Context, Object};

use super::types::{WebhookEndpoint, WebhookEndpointConnection};
use crate::{
    domain::webhooks,
    graphql::commons::{ContextExt, PageArgs, list_cost, page_of},
};

#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// The organization's webhook endpoints on its business book, oldest first, each with
    /// its deliveries. ADMINs (and their API tokens) only; secrets are never shown.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<WebhookEndpointConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let listing = webhooks::endpoints(ctx.viewer()?)?;
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(WebhookEndpointConnection::new(
            window,
            rows.into_iter().map(WebhookEndpoint),
        ))
    }
}
