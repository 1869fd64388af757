//! `Client.statementOfAccount`: a driver's invoices, discounts and payments in date
//! order with the balance owed after each (see `domain::collections::statement`). Read
//! through a loader, so that a page of drivers costs one set of statements.

use async_graphql::{Context, Enum, Object};

use crate::{
    domain::{
        DomainError,
        collections::statement::{self, Entry, Statement, StatementKey},
        commons::{Id, Period},
    },
    entities::user,
    graphql::{
        commons::{ContextExt, Date, Decimal, PeriodInput, today},
        contracts::types::{Invoice, InvoiceDiscount},
        wallet::types::{Payment, payment_by_id},
    },
};

/// What an entry of a statement of account is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::collections::statement::EntryKind")]
pub enum StatementEntryKind {
    /// An invoice issued (a weekly fee, a penalty, a fraction of a split invoice), on the
    /// day it was created: the driver owes its total.
    Issued,
    /// A discount on an invoice, on the day it was granted (the invoice's issue day for
    /// discounts older than the back office), for at most what was left on it.
    Discount,
    /// What a payment paid of an invoice, on the day of the payment.
    Payment,
    /// An invoice split into fractions, for what was left on it: its fractions are
    /// issued in its place.
    Split,
    /// An invoice cancelled, for what was left on it: owed no more.
    Cancellation,
    /// A PAID invoice that no payment accounts for (paid before the wallet), for what
    /// was left on it, on its paid date.
    Settled,
}

/// One line of a statement of account.
pub struct StatementEntry(pub Entry);

/// One line of a statement of account: what happened, to which invoice, how it changed
/// the balance owed, and the balance after it.
#[Object]
impl StatementEntry {
    /// The day, in the organization's calendar.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// What happened.
    async fn kind(&self) -> StatementEntryKind {
        self.0.kind.into()
    }
    /// How it changed the balance owed: positive for an invoice issued, negative for
    /// what lowered it.
    async fn amount(&self) -> Decimal {
        self.0.amount.into()
    }
    /// What the driver owed after it.
    async fn balance(&self) -> Decimal {
        self.0.balance.into()
    }
    /// The invoice it is about.
    async fn invoice(&self, ctx: &Context<'_>) -> async_graphql::Result<Invoice> {
        let id = self.0.invoice_id;
        ctx.loaders()
            .invoices
            .load_one(id)
            .await?
            .map(|row| Invoice(row, None))
            .ok_or_else(|| DomainError::Internal(format!("invoice {id} is gone")).into())
    }
    /// The discount, for a DISCOUNT; null otherwise.
    async fn discount(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InvoiceDiscount>> {
        let Some(id) = self.0.discount_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .invoice_discounts
            .load_one(id)
            .await?
            .map(InvoiceDiscount))
    }
    /// The payment, for a PAYMENT; null otherwise.
    async fn payment(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Payment>> {
        match self.0.payment_id {
            Some(id) => payment_by_id(ctx, id.get()).await,
            None => Ok(None),
        }
    }
}

/// A driver's statement of account over a period.
pub struct StatementOfAccount(pub Statement);

/// A driver's statement of account over a period: what they owed before it, every
/// invoice issued, discount, payment, split and cancellation in it in date order with the
/// balance owed after each, and what they owed at its end.
#[Object]
impl StatementOfAccount {
    /// The first day of the period.
    async fn from(&self) -> Date {
        Date(self.0.period.from())
    }
    /// The last day of the period.
    async fn to(&self) -> Date {
        Date(self.0.period.to())
    }
    /// What the driver owed before the period's first day.
    async fn opening_balance(&self) -> Decimal {
        self.0.opening.into()
    }
    /// The entries of the period, oldest first.
    async fn entries(&self) -> Vec<StatementEntry> {
        self.0.entries.iter().cloned().map(StatementEntry).collect()
    }
    /// What the driver owed at the end of the period's last day. Up to today, it is what
    /// is left to pay on their owed invoices (PENDING, FRACTION and FROZEN, each its total
    /// minus its discounts), the ones not due yet included.
    async fn closing_balance(&self) -> Decimal {
        self.0.closing.into()
    }
}

/// The statement of account of `client` over `period` (this month to today when none
/// is given), for the driver themself or their organization's staff (FORBIDDEN for
/// anyone else).
pub async fn statement_of_account(
    ctx: &Context<'_>,
    client: &user::Model,
    period: Option<PeriodInput>,
) -> async_graphql::Result<StatementOfAccount> {
    statement::require_reader(ctx.viewer()?, client)?;
    let today = today(ctx).await?;
    let period = period
        .unwrap_or_default()
        .resolve(today, Period::month_to_date(today))?;
    let key = StatementKey {
        client_id: Id::new(client.id),
        period,
    };
    let found = ctx.loaders().statements.load_one(key).await?;
    found.map(StatementOfAccount).ok_or_else(|| {
        DomainError::Internal(format!("no statement of driver {}", client.id)).into()
    })
}
