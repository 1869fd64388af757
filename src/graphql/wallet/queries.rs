//! Reads of the wallet that are not fields of `Client.wallet`.

use async_graphql::{Context, ID, Object};

use super::{mutations, types::PaySummaryPayload};

#[derive(Default)]
pub struct WalletQuery;

#[Object]
impl WalletQuery {
    /// What paying these invoices would charge now: the selected invoices, the active
    /// fractions charged along, the totals and what is left to recharge (the seed's
    /// pay-summary). Drivers only; invoices not theirs, paid or frozen are userErrors.
    async fn pay_summary(
        &self,
        ctx: &Context<'_>,
        invoice_ids: Vec<ID>,
    ) -> async_graphql::Result<PaySummaryPayload> {
        mutations::pay_summary(ctx, invoice_ids).await
    }
}
