//! The collections screen's types: overdue invoices with their aging totals, the money
//! received per day, the car papers about to expire. Their relations (the driver, the
//! contract, the discounts) go through the request's loaders: one statement per level
//! however long the page.

use async_graphql::{Context, Enum, MergedObject, Object, SimpleObject};
use chrono::NaiveDate;

use crate::{
    domain::{
        DomainError,
        collections::{self, documents::ExpiringDocument, overdue, received},
        commons::Id,
    },
    entities::{contract, invoice},
    graphql::{
        commons::{ContextExt, Date, Decimal},
        contracts::types::{Car, CarDocument, Contract, Invoice},
        identity::types::Client,
    },
};

/// How late an overdue invoice is, in days past its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::collections::overdue::AgingBucket")]
pub enum AgingBucket {
    /// 1 to 7 days.
    #[graphql(name = "DAYS_1_TO_7")]
    Days1To7,
    /// 8 to 30 days.
    #[graphql(name = "DAYS_8_TO_30")]
    Days8To30,
    /// 31 to 60 days.
    #[graphql(name = "DAYS_31_TO_60")]
    Days31To60,
    /// More than 60 days.
    #[graphql(name = "OVER_60")]
    Over60,
}

/// The contract `id` (its row must exist: an invoice, a car points to it).
async fn contract_row(ctx: &Context<'_>, id: i64) -> async_graphql::Result<contract::Model> {
    ctx.loaders()
        .contracts
        .load_one(Id::new(id))
        .await?
        .ok_or_else(|| DomainError::Internal(format!("contract {id} is gone")).into())
}

/// The driver of the contract `id`.
async fn driver_of(ctx: &Context<'_>, contract_id: i64) -> async_graphql::Result<Client> {
    let owner = contract_row(ctx, contract_id).await?;
    ctx.loaders()
        .users
        .load_one(Id::new(owner.client_id))
        .await?
        .map(Client)
        .ok_or_else(|| DomainError::Internal(format!("driver {} is gone", owner.client_id)).into())
}

/// An invoice past its due date and not paid, as the collections screen lists it.
pub struct OverdueInvoice {
    pub invoice: invoice::Model,
    /// The day it is overdue on (today in the organization's calendar).
    pub today: NaiveDate,
}

/// An invoice past its due date and not paid (PENDING, or a FRACTION of a split
/// invoice), with who owes it and how late it is.
#[Object]
impl OverdueInvoice {
    /// The invoice.
    async fn invoice(&self) -> Invoice {
        Invoice(self.invoice.clone(), None)
    }
    /// The driver who owes it.
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Client> {
        driver_of(ctx, self.invoice.contract_id).await
    }
    /// The contract it was issued under.
    async fn contract(&self, ctx: &Context<'_>) -> async_graphql::Result<Contract> {
        contract_row(ctx, self.invoice.contract_id)
            .await
            .map(Contract)
    }
    /// What is still to pay on it: its total minus its discounts, never below zero.
    async fn amount_to_pay(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        let discounts = ctx
            .loaders()
            .discounts
            .load_one(Id::new(self.invoice.id))
            .await?
            .unwrap_or_default();
        Ok(collections::left_to_pay(
            self.invoice.total_minor,
            discounts.iter().map(|d| d.amount_minor),
        )
        .into())
    }
    /// Whole days since its due date, counted in the organization's calendar: 1 on the
    /// day after it was due.
    async fn days_overdue(&self) -> i64 {
        overdue::days_overdue(self.invoice.due_date, self.today)
    }
    /// Its aging bucket.
    async fn bucket(&self) -> async_graphql::Result<AgingBucket> {
        let days = overdue::days_overdue(self.invoice.due_date, self.today);
        overdue::AgingBucket::of(days)
            .map(Into::into)
            .ok_or_else(|| {
                DomainError::Internal(format!("an overdue invoice {days} days late")).into()
            })
    }
}

crate::connection!(
    OverdueInvoicePage,
    OverdueInvoiceEdge,
    OverdueInvoice,
    "A page of overdue invoices, oldest due first.",
    "An overdue invoice and its cursor."
);

/// The overdue invoices of one aging bucket.
#[derive(SimpleObject)]
pub struct AgingTotal {
    /// The bucket.
    pub bucket: AgingBucket,
    /// How many invoices it holds.
    pub count: u64,
    /// What is still to pay on them.
    pub amount: Decimal,
}

/// What the overdue invoices add up to, per aging bucket and in all.
#[derive(SimpleObject)]
pub struct OverdueTotals {
    /// Every bucket, from the most recent debts to the oldest, empty ones included.
    pub buckets: Vec<AgingTotal>,
    /// How many invoices are overdue.
    pub count: u64,
    /// What is still to pay on them.
    pub amount: Decimal,
}

impl From<overdue::AgingTotals> for OverdueTotals {
    fn from(totals: overdue::AgingTotals) -> Self {
        Self {
            buckets: totals
                .buckets
                .into_iter()
                .map(|t| AgingTotal {
                    bucket: t.bucket.into(),
                    count: t.count,
                    amount: t.amount.into(),
                })
                .collect(),
            count: totals.count,
            amount: totals.amount.into(),
        }
    }
}

/// The totals beside a page of overdue invoices.
pub struct OverdueAging(pub OverdueTotals);

#[Object]
impl OverdueAging {
    /// The totals per aging bucket and in all, of every invoice the filter keeps,
    /// whatever the page.
    async fn totals(&self) -> &OverdueTotals {
        &self.0
    }
}

/// A page of overdue invoices, oldest due first, with the totals of all of them per
/// aging bucket.
#[derive(MergedObject)]
#[graphql(name = "OverdueInvoiceConnection")]
pub struct OverdueInvoiceConnection(pub OverdueInvoicePage, pub OverdueAging);

/// Money received from each source.
#[derive(SimpleObject)]
pub struct CollectionAmounts {
    /// Invoices the drivers paid from their wallets (`payInvoices`).
    pub wallet_payments: Decimal,
    /// Invoices the auto-charge job paid from the wallets.
    pub auto_charges: Decimal,
    /// Cash and transfers staff recorded into the drivers' wallets (`recordRecharge`).
    pub cash_recharges: Decimal,
    /// The three together.
    pub total: Decimal,
}

impl From<received::Received> for CollectionAmounts {
    fn from(r: received::Received) -> Self {
        Self {
            wallet_payments: r.wallet_payments.into(),
            auto_charges: r.auto_charges.into(),
            cash_recharges: r.cash_recharges.into(),
            total: r.total().into(),
        }
    }
}

/// The money received on one day.
#[derive(SimpleObject)]
pub struct CollectionDay {
    /// The day, in the organization's calendar.
    pub date: Date,
    /// What came in that day, per source.
    pub amounts: CollectionAmounts,
}

/// The money the organization received in a period, per day and per source.
pub struct Collections(pub received::Collections);

/// The money the organization received in a period, per day and per source: invoices
/// paid from the wallets by the drivers and by the auto-charge job, and the cash staff
/// recorded into the wallets. A recharge fills a wallet that payments then empty, so
/// the same money can appear as a recharge and later as a payment.
#[Object]
impl Collections {
    /// The first day of the period.
    async fn from(&self) -> Date {
        Date(self.0.period.from())
    }
    /// The last day of the period.
    async fn to(&self) -> Date {
        Date(self.0.period.to())
    }
    /// Each day of the period something came in, oldest first; days with nothing are
    /// left out.
    async fn days(&self) -> Vec<CollectionDay> {
        self.0
            .days
            .iter()
            .map(|day| CollectionDay {
                date: Date(day.date),
                amounts: day.received.into(),
            })
            .collect()
    }
    /// The whole period's, per source.
    async fn totals(&self) -> CollectionAmounts {
        self.0.totals.into()
    }
}

/// A car paper that expires soon or has expired, with its car, contract and driver.
pub struct ExpiringCarDocument(pub ExpiringDocument);

/// A car paper that expires soon or has expired, with its car, contract and driver.
#[Object]
impl ExpiringCarDocument {
    /// The paper.
    async fn document(&self) -> CarDocument {
        CarDocument(self.0.document.clone())
    }
    /// The car it is for.
    async fn car(&self) -> Car {
        Car(self.0.car.clone())
    }
    /// The contract the car is leased under.
    async fn contract(&self, ctx: &Context<'_>) -> async_graphql::Result<Contract> {
        contract_row(ctx, self.0.car.contract_id)
            .await
            .map(Contract)
    }
    /// The driver who leases the car.
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Client> {
        driver_of(ctx, self.0.car.contract_id).await
    }
    /// Days until it expires, counted from today in the organization's calendar:
    /// negative once it has expired, 0 on its due date.
    async fn expires_in_days(&self) -> i64 {
        self.0.expires_in_days
    }
}

crate::connection!(
    ExpiringCarDocumentConnection,
    ExpiringCarDocumentEdge,
    ExpiringCarDocument,
    "A page of car papers by due date, the expired first.",
    "A car paper and its cursor."
);
