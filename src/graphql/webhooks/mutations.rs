//! Registering webhook endpoints and sending deliveries again. ADMINs (and their API
//! tokens) only; each is recorded in the audit trail. An ID of another organization is
//! NOT_FOUND, exactly as a missing one.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::types::{WebhookDelivery, WebhookEndpoint, WebhookEventKind};
use crate::{
    domain::webhooks::{self, EndpointChanges, NewEndpoint, deliveries, events::EventKind},
    graphql::commons::{ContextExt, GlobalId, NodeKind, UserError, payload, target},
};

fn kinds(events: Vec<WebhookEventKind>) -> Vec<EventKind> {
    events.into_iter().map(EventKind::from).collect()
}

/// A new webhook endpoint on the business book.
#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// Where deliveries are POSTed: `https://...` to a public host (never a private
    /// network's address), or `http://` to 127.0.0.1, ::1 or localhost (a receiver in
    /// development; refused in production); at most 2000 characters.
    pub url: String,
    /// The kinds of event to receive; at least one.
    pub events: Vec<WebhookEventKind>,
    /// What it is for; at most 500 characters.
    pub description: Option<String>,
}

/// The endpoint to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// The endpoint's global ID.
    pub id: ID,
    /// The new URL (the rules of `createWebhookEndpoint`).
    pub url: Option<String>,
    /// The kinds of event to receive from now on; at least one.
    pub events: Option<Vec<WebhookEventKind>>,
    /// The new description; "" clears it.
    pub description: Option<String>,
    /// False stops sending it anything (pending deliveries wait); true sends it the
    /// changes made from then on, none of those made while it was disabled.
    pub enabled: Option<bool>,
}

/// The endpoint to delete, with its deliveries.
#[derive(InputObject)]
pub struct DeleteWebhookEndpointInput {
    /// The endpoint's global ID.
    pub id: ID,
}

/// The endpoint whose secret to replace.
#[derive(InputObject)]
pub struct RotateWebhookSecretInput {
    /// The endpoint's global ID.
    pub id: ID,
}

/// The delivery to send again.
#[derive(InputObject)]
pub struct RedeliverWebhookInput {
    /// The delivery's global ID (`WebhookEndpoint.deliveries`).
    pub delivery_id: ID,
}

/// The endpoint registered, or with a new secret, and its secret.
#[derive(SimpleObject, Default)]
pub struct WebhookEndpointSecretPayload {
    /// The endpoint; null when `userErrors` is not empty.
    pub webhook_endpoint: Option<WebhookEndpoint>,
    /// The secret deliveries are signed with (`whsec_...`), shown this once: store it
    /// now. No read shows it again; `rotateWebhookSecret` replaces it.
    pub secret: Option<String>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(WebhookEndpointSecretPayload);

crate::payload!(
    WebhookEndpointPayload,
    webhook_endpoint,
    WebhookEndpoint,
    "The webhook endpoint changed.",
    "The endpoint as it is now; null when `userErrors` is not empty."
);
crate::payload!(
    DeleteWebhookEndpointPayload,
    deleted_id,
    ID,
    "The webhook endpoint deleted.",
    "The ID of the endpoint deleted; null when `userErrors` is not empty."
);
crate::payload!(
    RedeliverWebhookPayload,
    delivery,
    WebhookDelivery,
    "The delivery to be sent again.",
    "The delivery, PENDING again; null when `userErrors` is not empty."
);

fn endpoint_id(id: &ID) -> async_graphql::Result<crate::domain::commons::WebhookEndpointId> {
    target(id, NodeKind::WebhookEndpoint, "id", "a webhook endpoint")
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Registers a webhook endpoint on the business book (ADMIN, or an API token of
    /// theirs): it is sent, signed, each change of the kinds in `events` made from now
    /// on. The secret is in this response only.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> async_graphql::Result<WebhookEndpointSecretPayload> {
        let new = NewEndpoint {
            url: input.url,
            events: kinds(input.events),
            description: input.description,
            loopback: ctx.state().config.webhooks.loopback,
        };
        let result = webhooks::create_endpoint(ctx.db(), ctx.actor()?, new, ctx.now()).await;
        payload(result, |(row, secret)| WebhookEndpointSecretPayload {
            webhook_endpoint: Some(WebhookEndpoint(row)),
            secret: Some(secret),
            ..Default::default()
        })
    }

    /// Changes the fields sent of a webhook endpoint (ADMIN).
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookEndpointInput,
    ) -> async_graphql::Result<WebhookEndpointPayload> {
        let id = endpoint_id(&input.id)?;
        let changes = EndpointChanges {
            url: input.url,
            events: input.events.map(kinds),
            description: input.description,
            enabled: input.enabled,
            loopback: ctx.state().config.webhooks.loopback,
        };
        let result =
            webhooks::update_endpoint(ctx.db(), ctx.actor()?, id, changes, ctx.now()).await;
        payload(result, |row| WebhookEndpoint(row).into())
    }

    /// Replaces a webhook endpoint's secret (ADMIN); the new one, in this response only,
    /// signs every delivery sent from now on.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        input: RotateWebhookSecretInput,
    ) -> async_graphql::Result<WebhookEndpointSecretPayload> {
        let id = endpoint_id(&input.id)?;
        let result = webhooks::rotate_secret(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |(row, secret)| WebhookEndpointSecretPayload {
            webhook_endpoint: Some(WebhookEndpoint(row)),
            secret: Some(secret),
            ..Default::default()
        })
    }

    /// Deletes a webhook endpoint and its deliveries (ADMIN): nothing more is sent to it.
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: DeleteWebhookEndpointInput,
    ) -> async_graphql::Result<DeleteWebhookEndpointPayload> {
        let id = endpoint_id(&input.id)?;
        let result = webhooks::delete_endpoint(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |id| {
            GlobalId::new(NodeKind::WebhookEndpoint, id).to_id().into()
        })
    }

    /// Sends a webhook delivery again (ADMIN), whatever its status: PENDING at once, and
    /// retried for another day. It keeps its event id, so a receiver that has it already
    /// can tell.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        input: RedeliverWebhookInput,
    ) -> async_graphql::Result<RedeliverWebhookPayload> {
        let id = target(
            &input.delivery_id,
            NodeKind::WebhookDelivery,
            "deliveryId",
            "a webhook delivery",
        )?;
        let policy = ctx.state().config.webhooks.retry;
        let result = deliveries::redeliver(ctx.db(), ctx.actor()?, id, &policy, ctx.now()).await;
        payload(result, |row| WebhookDelivery(row).into())
    }
}
