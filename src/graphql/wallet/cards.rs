//! Saved cards in the schema: `Client.cards`, `saveCardToken`, `removeCard`,
//! `setDefaultCard`. The processor token is write-only: no field returns it.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;

use crate::domain::commons::{CardId, Id};
use crate::{
    domain::{
        DomainResult,
        wallet::cards::{self as domain, NewCard},
    },
    entities::card,
    graphql::commons::{ContextExt, GlobalId, NodeKind, UserError, finish, payload, target},
};

/// The card network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::card::CardBrand")]
pub enum CardBrand {
    /// Visa.
    Visa,
    /// Mastercard.
    Mastercard,
    /// American Express.
    Amex,
    /// Diners Club.
    Diners,
    /// Any other network; `brandName` says which.
    Other,
}

/// A driver's saved card (the Leasy REST API's "tarjetas guardadas"): what is needed to
/// show and pick it. The full number is never stored, and the processor's token never
/// leaves the server.
pub struct Card(pub card::Model);

/// A driver's saved card (the Leasy REST API's "tarjetas guardadas"): what is needed to
/// show and pick it. The full number is never stored, and the processor's token never
/// leaves the server.
#[Object]
impl Card {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Card, self.0.id).to_id()
    }
    /// The card network, normalised.
    async fn brand(&self) -> CardBrand {
        self.0.brand.into()
    }
    /// The brand as the processor or the app named it, e.g. "visa" or "MASTERCARD" (the
    /// REST API's `brand`).
    async fn brand_name(&self) -> &str {
        &self.0.brand_name
    }
    /// The number as it may be shown: at most the first 6 and the last 4 digits, X for the
    /// rest, e.g. "545195XXXXXX5480" (the REST API's `card_number`).
    async fn masked_number(&self) -> String {
        domain::masked_number(self.0.brand, self.0.bin.as_deref(), &self.0.last4)
    }
    /// The last 4 digits.
    async fn last4(&self) -> &str {
        &self.0.last4
    }
    /// Expiry month, "01" to "12"; null when unknown (the REST API's `expiration_month`).
    async fn expiration_month(&self) -> Option<String> {
        self.0.expiration_month.map(|m| format!("{m:02}"))
    }
    /// Expiry year in two digits, e.g. "22"; null when unknown (the REST API's
    /// `expiration_year`).
    async fn expiration_year(&self) -> Option<String> {
        self.0.expiration_year.map(|y| format!("{:02}", y % 100))
    }
    /// The processor's subscription for recurring charges (the REST API's
    /// `kushki_subscription_id`); null when there is none.
    async fn processor_subscription_id(&self) -> Option<&str> {
        self.0.processor_subscription_id.as_deref()
    }
    /// Whether the card was saved through the payment processor (the REST API's
    /// `is_kushki_card`).
    async fn is_processor_card(&self) -> bool {
        self.0.is_processor_card
    }
    /// Whether this is the card charged when the driver does not pick one. A driver with
    /// cards has exactly one default.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// When the card was saved.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// `Client.cards`: the driver's cards, oldest first. The `Client` object exists only for
/// whoever may see the driver (the driver, staff of the organization).
pub async fn client_cards(ctx: &Context<'_>, client_id: i64) -> async_graphql::Result<Vec<Card>> {
    let rows = ctx
        .loaders()
        .client_cards
        .load_one(Id::new(client_id))
        .await?
        .unwrap_or_default();
    Ok(rows.into_iter().map(Card).collect())
}

/// A card the payment processor has tokenised (the REST API's "Guardar tarjeta kushki"),
/// with what is needed to show it. Never the card number and never the CVV: a value that
/// looks like a card number is refused (LOOKS_LIKE_CARD_NUMBER) in any field.
#[derive(InputObject)]
pub struct SaveCardTokenInput {
    /// The processor's token for the card: letters, digits, `-` and `_`, at most 200.
    /// Stored to charge the card, never returned.
    pub token: String,
    /// The card network as the processor names it, e.g. "visa" or "MASTERCARD"; guessed
    /// from `bin` when omitted.
    pub brand: Option<String>,
    /// The first 6 digits of the card number, when the processor gives them.
    pub bin: Option<String>,
    /// The last 4 digits of the card number.
    pub last4: String,
    /// Expiry month, "01" to "12"; give it with `expirationYear` or not at all.
    pub expiration_month: Option<String>,
    /// Expiry year, 2 digits ("27") or 4 ("2027").
    pub expiration_year: Option<String>,
    /// The processor's subscription for recurring charges, e.g. "1676385575463000".
    pub subscription_id: Option<String>,
    /// Make it the default card. The first card saved becomes the default anyway.
    #[graphql(default)]
    pub make_default: bool,
}

/// The saved card.
#[derive(SimpleObject, Default)]
pub struct SaveCardTokenPayload {
    /// The new card; null when `userErrors` is not empty.
    pub card: Option<Card>,
    /// All the driver's cards after the change, oldest first (the default may have moved).
    pub cards: Option<Vec<Card>>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The card to remove.
#[derive(InputObject)]
pub struct RemoveCardInput {
    /// The card's global ID.
    pub card_id: ID,
}

/// What removing a card left.
#[derive(SimpleObject, Default)]
pub struct RemoveCardPayload {
    /// The ID of the removed card; null when `userErrors` is not empty.
    pub removed_card_id: Option<ID>,
    /// The driver's remaining cards, oldest first; when the default was removed, the
    /// newest remaining card is the default now.
    pub cards: Option<Vec<Card>>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The card to make the default.
#[derive(InputObject)]
pub struct SetDefaultCardInput {
    /// The card's global ID.
    pub card_id: ID,
}

/// The new default card.
#[derive(SimpleObject, Default)]
pub struct SetDefaultCardPayload {
    /// The card, now the default; null when `userErrors` is not empty.
    pub card: Option<Card>,
    /// All the driver's cards after the change, oldest first.
    pub cards: Option<Vec<Card>>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

fn card_id(id: &ID) -> async_graphql::Result<CardId> {
    target(id, NodeKind::Card, "cardId", "a card")
}

/// Runs one change to the caller's cards in a transaction; on success, also the caller's
/// cards as they are now (read from the database, not from the request's loader cache,
/// which an earlier field of the document may have filled).
async fn change<T, F>(
    ctx: &Context<'_>,
    run: F,
) -> async_graphql::Result<DomainResult<(T, Vec<Card>)>>
where
    F: AsyncFnOnce(&sea_orm::DatabaseTransaction) -> DomainResult<T>,
{
    let viewer = ctx.viewer()?;
    let txn = ctx.db().begin().await?;
    let result = run(&txn).await;
    let value = match finish(txn, result).await {
        Ok(value) => value,
        Err(error) => return Ok(Err(error)),
    };
    let cards = domain::list_cards(ctx.db(), viewer).await?;
    Ok(Ok((value, cards.into_iter().map(Card).collect())))
}

crate::impl_payload!(
    SaveCardTokenPayload,
    RemoveCardPayload,
    SetDefaultCardPayload
);

#[derive(Default)]
pub struct CardsMutation;

#[Object]
impl CardsMutation {
    /// Saves a card tokenised by the payment processor (the REST API's
    /// `clients/kushki-cards`) for the calling driver. Drivers only: staff get FORBIDDEN.
    /// Send the token and the display data only; anything that looks like a card number
    /// is refused.
    async fn save_card_token(
        &self,
        ctx: &Context<'_>,
        input: SaveCardTokenInput,
    ) -> async_graphql::Result<SaveCardTokenPayload> {
        let viewer = ctx.viewer()?;
        let now = ctx.now();
        let new = NewCard {
            token: input.token,
            brand: input.brand,
            bin: input.bin,
            last4: input.last4,
            expiration_month: input.expiration_month,
            expiration_year: input.expiration_year,
            subscription_id: input.subscription_id,
            make_default: input.make_default,
        };
        let result = change(ctx, async |txn| {
            domain::save_card(txn, viewer, new, now).await
        })
        .await?;
        payload(result, |(saved, cards)| SaveCardTokenPayload {
            card: Some(Card(saved)),
            cards: Some(cards),
            ..Default::default()
        })
    }

    /// Removes one of the calling driver's cards, token included. When it was the
    /// default, the newest remaining card becomes the default. Another driver's card is
    /// NOT_FOUND; staff get FORBIDDEN.
    async fn remove_card(
        &self,
        ctx: &Context<'_>,
        input: RemoveCardInput,
    ) -> async_graphql::Result<RemoveCardPayload> {
        let viewer = ctx.viewer()?;
        let id = card_id(&input.card_id)?;
        let result = change(ctx, async |txn| domain::remove_card(txn, viewer, id).await).await?;
        payload(result, |(removed, cards)| RemoveCardPayload {
            removed_card_id: Some(GlobalId::new(NodeKind::Card, removed.id).to_id()),
            cards: Some(cards),
            ..Default::default()
        })
    }

    /// Makes one of the calling driver's cards the default; the driver has exactly one
    /// default afterwards. Another driver's card is NOT_FOUND; staff get FORBIDDEN.
    async fn set_default_card(
        &self,
        ctx: &Context<'_>,
        input: SetDefaultCardInput,
    ) -> async_graphql::Result<SetDefaultCardPayload> {
        let viewer = ctx.viewer()?;
        let id = card_id(&input.card_id)?;
        let result = change(ctx, async |txn| {
            domain::set_default_card(txn, viewer, id).await
        })
        .await?;
        payload(result, |(card, cards)| SetDefaultCardPayload {
            card: Some(Card(card)),
            cards: Some(cards),
            ..Default::default()
        })
    }
}
