//! The driver's quick entries (the Leasy REST API's "Registrar incomes" and "Registrar
//! expenses"): `recordIncome` and `recordExpense`.

use async_graphql::{Context, InputObject, Object};

use super::{
    transactions::TransactionPayload,
    writes::{announce, key, write_book},
};
use crate::{
    domain::books::{self, entries::QuickEntry, writes},
    entities::book_transaction::TransactionKind,
    graphql::commons::{ContextExt, Decimal, payload, today},
};

/// An income with everything but the amount defaulted.
#[derive(InputObject)]
pub struct RecordIncomeInput {
    /// How much came in, more than 0 and at most 1000000000.00.
    pub amount: Decimal,
    /// A key of your own for this entry (8 to 100 letters, digits or `-_.:`; a new UUID
    /// fits). A retry with the same key returns the first request's transaction instead
    /// of recording the income twice; the same key with another amount is a CONFLICT
    /// error. Keys are remembered for 7 days. Optional, unlike a wallet payment's: an
    /// entry of the driver's own book, which they see and can delete; send one when your
    /// client retries by itself.
    pub idempotency_key: Option<String>,
}

/// An expense with everything but the amount and the category defaulted.
#[derive(InputObject)]
pub struct RecordExpenseInput {
    /// How much went out, more than 0 and at most 1000000000.00.
    pub amount: Decimal,
    /// The code of an EXPENSE category of the book, e.g. "combustible" (the REST API's
    /// `code_name`; see `Category.code`).
    pub category: String,
    /// A key of your own for this entry (8 to 100 letters, digits or `-_.:`; a new UUID
    /// fits). A retry with the same key returns the first request's transaction instead
    /// of recording the expense twice; the same key with another amount or category is a
    /// CONFLICT error. Keys are remembered for 7 days. Optional, unlike a wallet
    /// payment's: an entry of the driver's own book, which they see and can delete; send
    /// one when your client retries by itself.
    pub idempotency_key: Option<String>,
}

async fn record(
    ctx: &Context<'_>,
    kind: TransactionKind,
    amount: Decimal,
    category_code: Option<String>,
    raw_key: Option<String>,
) -> async_graphql::Result<TransactionPayload> {
    let actor = ctx.actor()?;
    let today = today(ctx).await?;
    let result = match key(raw_key.as_deref()) {
        Ok(key) => {
            let entry = QuickEntry {
                amount: amount.0,
                category_code,
                key,
            };
            let write = writes::record_entry(ctx.db(), actor, kind, entry, today, ctx.now());
            write_book(ctx, write).await
        }
        // A caller who may not write is told so before what they sent is looked at.
        Err(err) => books::require_writer(actor.viewer).and(Err(err)),
    };
    payload(result, |(row, replayed)| {
        // A replay recorded nothing new: nothing to announce.
        if !replayed {
            announce(ctx, [&row]);
        }
        TransactionPayload::from(row)
    })
}

#[derive(Default)]
pub struct EntriesMutation;

#[Object]
impl EntriesMutation {
    /// Records an income in the caller's book with only its amount (the Leasy REST API's
    /// "Registrar incomes"): today in the organization's timezone, the default account,
    /// received today, in the default INCOME category.
    async fn record_income(
        &self,
        ctx: &Context<'_>,
        input: RecordIncomeInput,
    ) -> async_graphql::Result<TransactionPayload> {
        record(
            ctx,
            TransactionKind::In,
            input.amount,
            None,
            input.idempotency_key,
        )
        .await
    }

    /// Records an expense in the caller's book with its amount and its category's code
    /// (the Leasy REST API's "Registrar expenses"): today in the organization's timezone,
    /// the default account, paid today. An unknown code is NOT_FOUND on `category`; the
    /// code of an INCOME category is KIND_MISMATCH.
    async fn record_expense(
        &self,
        ctx: &Context<'_>,
        input: RecordExpenseInput,
    ) -> async_graphql::Result<TransactionPayload> {
        record(
            ctx,
            TransactionKind::Out,
            input.amount,
            Some(input.category),
            input.idempotency_key,
        )
        .await
    }
}
