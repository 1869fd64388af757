//! `walletChanged`: a driver hears of every change of their balance as it commits.

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, Object, Subscription};
use futures_util::{Stream, StreamExt};

use super::{
    text::Text,
    types::{Payment, Recharge, payment_by_id, recharge_by_id},
};
use crate::{
    domain::commons::Money,
    entities::user::Role,
    events::{InvoicePaid, WalletChangeReason, WalletChanged},
    graphql::{
        commons::{ContextExt, Decimal, ErrorCode, filtered, guarded},
        contracts::types::Invoice,
    },
};

/// What changed a balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum WalletChangeKind {
    /// A payment of invoices debited it.
    Payment,
    /// A recharge credited it.
    Recharge,
}

/// A change of the caller's wallet balance.
pub struct WalletChangedEvent(WalletChanged);

/// A change of the caller's wallet balance, sent after it committed.
#[Object]
impl WalletChangedEvent {
    /// The balance after the change.
    async fn balance(&self) -> Decimal {
        Money::from_minor(self.0.balance_minor).into()
    }
    /// PAYMENT or RECHARGE.
    async fn kind(&self) -> WalletChangeKind {
        match self.0.reason {
            WalletChangeReason::Payment(_) => WalletChangeKind::Payment,
            WalletChangeReason::Recharge(_) => WalletChangeKind::Recharge,
        }
    }
    /// The payment, for a debit.
    async fn payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        let WalletChangeReason::Payment(id) = self.0.reason else {
            return Ok(None);
        };
        payment_by_id(ctx, id).await
    }
    /// The recharge, for a credit.
    async fn recharge(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recharge>> {
        let WalletChangeReason::Recharge(id) = self.0.reason else {
            return Ok(None);
        };
        recharge_by_id(ctx, id).await
    }
}

/// A contract invoice settled by a payment, sent after it committed.
pub struct InvoicePaidEvent(InvoicePaid);

/// A contract invoice settled by a payment, sent after it committed.
#[Object]
impl InvoicePaidEvent {
    /// The invoice as it is now.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Invoice>> {
        Ok(ctx
            .loaders()
            .invoices
            .load_one(Id::new(self.0.invoice_id))
            .await?
            .map(|invoice| Invoice(invoice, None)))
    }
    /// The payment that settled it (from the wallet, or by auto-charge).
    async fn payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        payment_by_id(ctx, self.0.payment_id).await
    }
}

#[derive(Default)]
pub struct WalletSubscription;

#[Subscription]
impl WalletSubscription {
    /// Every change of the authenticated driver's wallet (payments, recharges, auto-charge),
    /// after it committed. Drivers only. Ends (UNAUTHENTICATED) when the access token
    /// expires or the session ends.
    async fn wallet_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<WalletChangedEvent>>> {
        let viewer = ctx.viewer()?;
        if viewer.role != Role::Client {
            return Err(ErrorCode::Forbidden.error(Text::OnlyDriversFollowWallet));
        }
        let client_id = viewer.user_id.get();
        let events = filtered(ctx.state().events.subscribe_wallet(), move |e| {
            e.client_id == client_id
        });
        guarded(ctx, events.map(WalletChangedEvent))
    }

    /// Every contract invoice settled by a payment, after it committed: a driver hears of
    /// their own invoices, staff of every invoice of their organization. Ends
    /// (UNAUTHENTICATED) when the access token expires or the session ends.
    async fn invoice_paid(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<InvoicePaidEvent>>> {
        let viewer = ctx.viewer()?;
        let organization_id = viewer.organization_id.get();
        let only_client = viewer.is_client().then_some(viewer.user_id.get());
        let events = filtered(ctx.state().events.subscribe_invoices(), move |e| {
            e.organization_id == organization_id
                && only_client.is_none_or(|client| e.client_id == client)
        });
        guarded(ctx, events.map(InvoicePaidEvent))
    }
}
