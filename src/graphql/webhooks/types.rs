//! Webhook endpoints and deliveries as the API shows them.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        DomainError,
        commons::Id,
        webhooks::{self, deliveries, events},
    },
    entities::{book_change::ChangeKind, webhook_delivery, webhook_endpoint},
    graphql::{
        commons::{ContextExt, GlobalId, NodeKind, PageArgs, list_cost, page_of},
        identity::types::{Creator, creator_of},
    },
};

/// A kind of event a webhook endpoint receives: a kind of object of the business book and
/// what happened to it. Its body's `type` is the same in lower case with a dot
/// (`TRANSACTION_CREATED` is `transaction.created`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::webhooks::events::EventKind")]
pub enum WebhookEventKind {
    /// A transaction (an income or an expense, a side of a transfer included) of the business book was created.
    TransactionCreated,
    /// A transaction (an income or an expense, a side of a transfer included) of the business book changed.
    TransactionUpdated,
    /// A transaction (an income or an expense, a side of a transfer included) of the business book was deleted.
    TransactionDeleted,
    /// A transfer between two accounts of the business book was created.
    TransferCreated,
    /// A transfer between two accounts of the business book changed.
    TransferUpdated,
    /// A transfer between two accounts of the business book was deleted.
    TransferDeleted,
    /// An account of the business book was created.
    AccountCreated,
    /// An account of the business book changed.
    AccountUpdated,
    /// An account of the business book was deleted.
    AccountDeleted,
    /// A credit card of the business book was created.
    CreditCardCreated,
    /// A credit card of the business book changed.
    CreditCardUpdated,
    /// A credit card of the business book was deleted.
    CreditCardDeleted,
    /// A category of the business book was created.
    CategoryCreated,
    /// A category of the business book changed.
    CategoryUpdated,
    /// A category of the business book was deleted.
    CategoryDeleted,
    /// A tag of the business book was created.
    TagCreated,
    /// A tag of the business book changed.
    TagUpdated,
    /// A tag of the business book was deleted.
    TagDeleted,
    /// A category's budget for a month of the business book was created.
    BudgetCreated,
    /// A category's budget for a month of the business book changed.
    BudgetUpdated,
    /// A category's budget for a month of the business book was deleted.
    BudgetDeleted,
    /// A customer of the business book was created.
    CustomerCreated,
    /// A customer of the business book changed.
    CustomerUpdated,
    /// A customer of the business book was deleted.
    CustomerDeleted,
    /// A sales invoice of the business book was created.
    SalesInvoiceCreated,
    /// A sales invoice of the business book changed.
    SalesInvoiceUpdated,
    /// A sales invoice of the business book was deleted.
    SalesInvoiceDeleted,
    /// A receipt (a bill to pay) of the business book was created.
    ReceiptCreated,
    /// A receipt (a bill to pay) of the business book changed.
    ReceiptUpdated,
    /// A receipt (a bill to pay) of the business book was deleted.
    ReceiptDeleted,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::webhook_delivery::DeliveryStatus")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first or next attempt (`nextAttemptAt`).
    Pending,
    /// The endpoint answered with a 2xx status.
    Succeeded,
    /// Given up: no 2xx answer within a day of attempts (`redeliverWebhook` tries again).
    Failed,
}

/// The global ID of a change's object.
pub fn object_id(kind: ChangeKind, id: i64) -> ID {
    GlobalId::new(NodeKind::of_change(kind), id).to_id()
}

/// A URL of the organization's integration that is POSTed, signed, the changes of the
/// business book it asked for. See the README's "Webhooks" for the body, the signature,
/// retries and ordering.
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

/// A URL of the organization's integration that is POSTed, signed, the changes of the
/// business book it asked for.
#[Object]
impl WebhookEndpoint {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::WebhookEndpoint, self.0.id).to_id()
    }
    /// Where deliveries are POSTed: https, or http to this machine (development).
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// What it is for; empty when not said.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The kinds of event it receives.
    async fn events(&self) -> Vec<WebhookEventKind> {
        events::stored(&self.0.events)
            .into_iter()
            .map(WebhookEventKind::from)
            .collect()
    }
    /// Whether it is sent anything; a disabled endpoint is sent none of the changes made
    /// while it is disabled.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    /// Who registered it: a staff member, or the API token it came through.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Creator>> {
        creator_of(
            ctx,
            self.0.organization_id,
            self.0.created_by_user_id,
            self.0.created_by_token_id,
        )
        .await
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Its deliveries, newest first.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<WebhookDeliveryConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let listing = deliveries::deliveries(ctx.viewer()?, &self.0)?;
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(WebhookDeliveryConnection::new(
            window,
            rows.into_iter().map(WebhookDelivery),
        ))
    }
}

/// One event sent (or to be sent) to a webhook endpoint, and how sending it went.
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One event sent (or to be sent) to a webhook endpoint, and how sending it went.
#[Object]
impl WebhookDelivery {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::WebhookDelivery, self.0.id).to_id()
    }
    /// The event's id, a UUID: the body's `id` and the `Leasy-Event-Id` header, the same
    /// on every attempt (a receiver skips an event it already has).
    async fn event_id(&self) -> &str {
        &self.0.event_id
    }
    /// The event's type, as the body's `type` says it: `transaction.created`.
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    /// The global ID of the object the event is about.
    async fn object_id(&self) -> Option<ID> {
        let kind = events::change_kind(&self.0.object_kind)?;
        Some(object_id(kind, self.0.object_id))
    }
    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The HTTP status the endpoint answered the last attempt with; null before the
    /// first attempt, or when the last one got no answer (see `lastError`).
    async fn response_code(&self) -> Option<i32> {
        self.0.last_response_code
    }
    /// Why the last attempt failed (a status, a timeout, a refused connection); empty
    /// once delivered and before the first attempt.
    async fn last_error(&self) -> &str {
        &self.0.last_error
    }
    /// The JSON body sent (the signature's timestamp, in the header, changes with each
    /// attempt; the body does not).
    async fn body(&self) -> &str {
        &self.0.payload
    }
    /// When the event was made from the change.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it is tried next (at the latest); null once SUCCEEDED or FAILED.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == webhook_delivery::DeliveryStatus::Pending)
            .then_some(self.0.next_attempt_at)
    }
    /// When it was last tried; null before the first attempt.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }
}

crate::connection!(
    WebhookEndpointConnection,
    WebhookEndpointEdge,
    WebhookEndpoint,
    "A page of webhook endpoints, oldest first.",
    "A webhook endpoint and its cursor."
);
crate::connection!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDelivery,
    "A page of webhook deliveries, newest first.",
    "A webhook delivery and its cursor."
);

/// Loads an endpoint for `node(id:)`: the caller's organization's, for ADMINs; `None`
/// for anyone else, as for a missing one.
pub async fn endpoint_node(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<WebhookEndpoint>> {
    let viewer = ctx.viewer()?;
    if webhooks::require_admin(viewer).is_err() {
        return Ok(None);
    }
    match webhooks::own_endpoint(ctx.db(), viewer, Id::new(id)).await {
        Ok(row) => Ok(Some(WebhookEndpoint(row))),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Loads a delivery for `node(id:)`, as [`endpoint_node`] does.
pub async fn delivery_node(
    ctx: &Context<'_>,
    id: i64,
) -> async_graphql::Result<Option<WebhookDelivery>> {
    let viewer = ctx.viewer()?;
    if webhooks::require_admin(viewer).is_err() {
        return Ok(None);
    }
    match deliveries::own_delivery(ctx.db(), viewer, Id::new(id)).await {
        Ok(row) => Ok(Some(WebhookDelivery(row))),
        Err(DomainError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::resolver_utils::EnumType;

    use super::*;

    /// Every value of the API's enum is a kind of the domain's, stored under the name the
    /// API shows (so `EVENTS` cannot miss a kind the schema offers).
    #[test]
    fn the_api_names_each_kind_as_it_is_stored() {
        let items = WebhookEventKind::items();
        assert_eq!(items.len(), 30);
        for item in items {
            let kind = events::EventKind::from(item.value);
            assert_eq!(kind.name(), item.name);
            assert_eq!(events::EventKind::parse(item.name), Some(kind));
        }
    }
}
