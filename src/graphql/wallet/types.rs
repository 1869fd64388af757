//! The wallet as GraphQL types.

use crate::domain::commons::{Id, UserId};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::entities::auto_charge_attempt;
use chrono::{DateTime, Utc};

use sea_orm::FromQueryResult;

use super::loaders::{Counts, NewestFirst};
use crate::domain::wallet::history::{ClientRows, PageKey};
use crate::{
    domain::{commons::Money, wallet::payments::PaySummary as Summary},
    entities::{
        payment, payment::PaymentSource as Source, payment_allocation, recharge, wallet_movement,
    },
    graphql::{
        commons::{
            ContextExt, Decimal, GlobalId, NodeKind, PageArgs, UserError, connection::Window,
            list_cost,
        },
        contracts::types::Invoice,
        fast::{batch::Batcher, compiled, raw::CompiledOr, wallet},
    },
};

fn money(minor: i64) -> Decimal {
    Money::from_minor(minor).into()
}

/// A driver's wallet: the balance in coins and its history.
pub struct Wallet(pub i64);

/// A driver's wallet: the balance in coins (1 coin = 1 unit of the organization's currency)
/// and its history. The balance always equals the sum of the movements.
#[Object]
impl Wallet {
    /// Coins available to pay invoices.
    async fn balance(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        let profile = ctx.loaders().profiles.load_one(Id::new(self.0)).await?;
        Ok(money(profile.map_or(0, |p| p.coins_minor)))
    }

    /// Money put into the wallet (the REST API's recargas), newest first.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn recharges(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<CompiledOr<RechargeConnection>> {
        if let Some(json) = compiled::subtree(ctx, Id::new(self.0), wallet::recharges, |l| {
            &l.client_subtrees
        })
        .await?
        {
            return Ok(CompiledOr::Json(json));
        }
        let loaders = ctx.loaders();
        let args = PageArgs::new(first, after, last, before);
        let (window, rows) = newest_page(
            Id::new(self.0),
            args,
            &loaders.recharge_counts,
            &loaders.recharge_pages,
        )
        .await?;
        Ok(CompiledOr::Resolved(RechargeConnection::new(
            window,
            rows.into_iter().map(Recharge),
        )))
    }

    /// Every credit and debit, newest first, each with the balance after it.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn movements(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<CompiledOr<WalletMovementConnection>> {
        if let Some(json) = compiled::subtree(ctx, Id::new(self.0), wallet::movements, |l| {
            &l.client_subtrees
        })
        .await?
        {
            return Ok(CompiledOr::Json(json));
        }
        let loaders = ctx.loaders();
        let args = PageArgs::new(first, after, last, before);
        let (window, rows) = newest_page(
            Id::new(self.0),
            args,
            &loaders.movement_counts,
            &loaders.movement_pages,
        )
        .await?;
        Ok(CompiledOr::Resolved(WalletMovementConnection::new(
            window,
            rows.into_iter().map(WalletMovement),
        )))
    }
}

/// One page of a driver's rows of a [`ClientRows`] table, through the batched loaders.
async fn newest_page<E>(
    client_id: UserId,
    args: PageArgs,
    counts: &Batcher<UserId, Counts<E>>,
    pages: &Batcher<PageKey, NewestFirst<E>>,
) -> async_graphql::Result<(Window, Vec<E::Model>)>
where
    E: ClientRows + Send + Sync + 'static,
    E::Model: FromQueryResult + Clone + Send + Sync + 'static,
{
    args.validate()?;
    let total = counts.load_one(client_id).await?.unwrap_or(0);
    let window = args.window(total)?;
    let rows = pages
        .load_one(PageKey {
            client_id,
            offset: window.offset,
            limit: window.limit,
        })
        .await?
        .unwrap_or_default();
    Ok((window, rows))
}

/// A payment by id, through the request's loader.
pub async fn payment_by_id(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Option<Payment>> {
    Ok(ctx
        .loaders()
        .payments
        .load_one(Id::new(id))
        .await?
        .map(Payment))
}

/// A recharge by id, through the request's loader.
pub async fn recharge_by_id(ctx: &Context<'_>, id: i64) -> async_graphql::Result<Option<Recharge>> {
    Ok(ctx
        .loaders()
        .recharges
        .load_one(Id::new(id))
        .await?
        .map(Recharge))
}

/// The kinds of recharge; the REST API knows only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum RechargeType {
    /// Money paid in (the REST API's `cash_in`).
    CashIn,
}

/// Money put into a driver's wallet.
pub struct Recharge(pub recharge::Model);

/// Money put into a driver's wallet (the REST API's recarga).
#[Object]
impl Recharge {
    /// How the money came in, as staff wrote it.
    async fn method(&self) -> &str {
        &self.0.method
    }
    /// The amount credited.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Staff's note.
    async fn observation(&self) -> &str {
        &self.0.observation
    }
    /// Always CASH_IN.
    #[graphql(name = "type")]
    async fn kind(&self) -> RechargeType {
        RechargeType::CashIn
    }
}

/// Whether a movement put money in or took it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum MovementDirection {
    /// Money in (a recharge).
    Credit,
    /// Money out (a payment).
    Debit,
}

/// One change of the balance.
pub struct WalletMovement(pub wallet_movement::Model);

/// One change of the balance: a recharge's credit or a payment's debit.
#[Object]
impl WalletMovement {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::WalletMovement, self.0.id).to_id()
    }
    /// CREDIT or DEBIT.
    async fn direction(&self) -> MovementDirection {
        if self.0.amount_minor > 0 {
            MovementDirection::Credit
        } else {
            MovementDirection::Debit
        }
    }
    /// The amount, always positive; `direction` says which way it went.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor.abs())
    }
    /// The balance right after this movement.
    async fn balance_after(&self) -> Decimal {
        money(self.0.balance_after_minor)
    }
    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The recharge that credited the wallet, for a credit.
    async fn recharge(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recharge>> {
        let Some(id) = self.0.recharge_id else {
            return Ok(None);
        };
        recharge_by_id(ctx, id).await
    }
    /// The payment that debited the wallet, for a debit.
    async fn payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        let Some(id) = self.0.payment_id else {
            return Ok(None);
        };
        payment_by_id(ctx, id).await
    }
}

/// What started a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::payment::PaymentSource")]
pub enum PaymentSource {
    /// The driver paid from the app.
    Wallet,
    /// The auto-charge job paid a due invoice of an auto-charge contract.
    AutoCharge,
}

/// Money taken from the wallet to settle invoices.
pub struct Payment(pub payment::Model);

/// Money taken from the wallet to settle invoices (the REST API's pay-pool).
#[Object]
impl Payment {
    /// Global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Payment, self.0.id).to_id()
    }
    /// The amount debited.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
    /// Who started it.
    async fn source(&self) -> PaymentSource {
        let source: Source = self.0.source;
        source.into()
    }
    /// The REST API's confirmation, naming each invoice by what it is for and its due
    /// date, e.g. "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026), Cuota
    /// semanal 2 (vence 09/11/2026) . Por el monto de S/ 1050".
    async fn message(&self) -> &str {
        &self.0.message
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The invoices it settled and how much went to each.
    async fn allocations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<PaymentAllocation>> {
        let rows = ctx
            .loaders()
            .allocations
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows.into_iter().map(PaymentAllocation).collect())
    }
}

/// The part of a payment that settled one invoice.
pub struct PaymentAllocation(pub payment_allocation::Model);

/// The part of a payment that settled one invoice.
#[Object]
impl PaymentAllocation {
    /// The amount that went to the invoice (its total minus discounts).
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
    /// The invoice it paid.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Invoice>> {
        Ok(ctx
            .loaders()
            .invoices
            .load_one(Id::new(self.0.invoice_id))
            .await?
            .map(|i| Invoice(i, None)))
    }
}

/// What paying the selected invoices would charge (the REST API's pay-summary).
pub struct PaySummary(pub Summary);

/// What paying the selected invoices would charge now (the REST API's pay-summary):
/// `totalToPay = invoicesTotal + fractionsTotal`, `totalToRecharge = max(0, totalToPay - coins)`.
#[Object]
impl PaySummary {
    /// The invoices selected, in payment order (priority, then due date).
    async fn selected_invoices(&self) -> Vec<Invoice> {
        self.0
            .selected
            .iter()
            .map(|d| Invoice(d.invoice.clone(), None))
            .collect()
    }
    /// The active fractions of the same contracts, charged along.
    async fn active_fractions(&self) -> Vec<Invoice> {
        self.0
            .active_fractions
            .iter()
            .map(|d| Invoice(d.invoice.clone(), None))
            .collect()
    }
    /// Sum of the selected invoices (each total minus its discounts).
    async fn invoices_total(&self) -> Decimal {
        self.0.invoices_total.into()
    }
    /// Sum of the active fractions.
    async fn fractions_total(&self) -> Decimal {
        self.0.fractions_total.into()
    }
    /// What the payment would debit.
    async fn total_to_pay(&self) -> Decimal {
        self.0.total_to_pay.into()
    }
    /// What the driver still has to recharge: `max(0, totalToPay - coins)`.
    async fn total_to_recharge(&self) -> Decimal {
        self.0.total_to_recharge.into()
    }
    /// The wallet balance the summary was computed with.
    async fn coins(&self) -> Decimal {
        self.0.coins.into()
    }
}

/// The pay summary, or why it cannot be computed.
#[derive(SimpleObject, Default)]
pub struct PaySummaryPayload {
    /// The summary; null when `userErrors` is not empty.
    pub summary: Option<PaySummary>,
    /// What is wrong with the selection (invoices not yours, paid or frozen).
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(PaySummaryPayload);

crate::connection!(
    RechargeConnection,
    RechargeEdge,
    Recharge,
    "A page of recharges, newest first.",
    "A recharge and its cursor."
);

crate::connection!(
    WalletMovementConnection,
    WalletMovementEdge,
    WalletMovement,
    "A page of wallet movements, newest first.",
    "A wallet movement and its cursor."
);

/// How an auto-charge attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::auto_charge_attempt::AttemptOutcome")]
pub enum AutoChargeOutcome {
    /// The invoice was paid from the wallet.
    Paid,
    /// The wallet did not hold enough coins; nothing moved.
    InsufficientCoins,
    /// Something else stopped it; `detail` says what.
    Failed,
}

/// One try of the auto-charge job to pay a due invoice.
pub struct AutoChargeAttempt(pub auto_charge_attempt::Model);

/// One try of the auto-charge job to pay a due invoice of an auto-charge contract.
#[Object]
impl AutoChargeAttempt {
    /// PAID, INSUFFICIENT_COINS or FAILED.
    async fn outcome(&self) -> AutoChargeOutcome {
        self.0.outcome.into()
    }
    /// The payment's confirmation, or why it did not happen.
    async fn detail(&self) -> &str {
        &self.0.detail
    }
    /// The run that made the attempt; attempts of one run share it.
    async fn run_id(&self) -> &str {
        &self.0.run_id
    }
    /// When it was tried.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The invoice it tried to pay.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Invoice>> {
        Ok(ctx
            .loaders()
            .invoices
            .load_one(Id::new(self.0.invoice_id))
            .await?
            .map(|i| Invoice(i, None)))
    }
    /// The payment, when it was paid.
    async fn payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        let Some(id) = self.0.payment_id else {
            return Ok(None);
        };
        payment_by_id(ctx, id).await
    }
}

crate::connection!(
    AutoChargeAttemptConnection,
    AutoChargeAttemptEdge,
    AutoChargeAttempt,
    "A page of auto-charge attempts, newest first.",
    "An auto-charge attempt and its cursor."
);
