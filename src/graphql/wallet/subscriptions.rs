//! `walletChanged`: a driver hears of every change of their balance as it commits.

use async_graphql::{Context, Enum, Object, Subscription};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::types::{Payment, Recharge, payment_by_id, recharge_by_id};
use crate::{
    domain::commons::Money,
    entities::user::Role,
    events::{WalletChangeReason, WalletChanged},
    graphql::commons::{ContextExt, Decimal, ErrorCode},
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

#[derive(Default)]
pub struct WalletSubscription;

#[Subscription]
impl WalletSubscription {
    /// Every change of the authenticated driver's wallet (payments, recharges, auto-charge),
    /// after it committed. Drivers only.
    async fn wallet_changed(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = WalletChangedEvent>> {
        let viewer = ctx.viewer()?;
        if viewer.role != Role::Client {
            return Err(ErrorCode::Forbidden.error("Only drivers have a wallet to follow"));
        }
        let client_id = viewer.user_id;
        let receiver = ctx.state().events.subscribe_wallet();
        Ok(futures_util::stream::unfold(
            receiver,
            move |mut receiver| async move {
                loop {
                    match receiver.recv().await {
                        Ok(event) if event.client_id == client_id => {
                            return Some((WalletChangedEvent(event), receiver));
                        }
                        // Another driver's event, or events dropped for a slow reader: the
                        // next one still carries the current balance.
                        Ok(_) | Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
