//! Reads of the wallet that are not fields of `Client.wallet`.

use async_graphql::{Context, ID, Object};

use super::{
    mutations,
    types::{AutoChargeAttempt, AutoChargeAttemptConnection, PaySummaryPayload},
};
use crate::{
    domain::wallet::auto_charge,
    graphql::commons::{ContextExt, PageArgs, list_cost, page_of},
};

#[derive(Default)]
pub struct WalletQuery;

#[Object]
impl WalletQuery {
    /// What paying these invoices would charge now: the selected invoices, the active
    /// fractions charged along, the totals and what is left to recharge (the REST API's
    /// pay-summary). Drivers only; invoices not theirs, paid or frozen are userErrors.
    async fn pay_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The invoices the driver means to pay (their global IDs), as for `payInvoices`."
        )]
        invoice_ids: Vec<ID>,
    ) -> async_graphql::Result<PaySummaryPayload> {
        mutations::pay_summary(ctx, invoice_ids).await
    }

    /// What the auto-charge job tried and how it went, newest first (staff only): why an
    /// auto-charge driver's invoice is still unpaid.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn auto_charge_attempts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AutoChargeAttemptConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let listing = auto_charge::attempts(ctx.viewer()?)?;
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(AutoChargeAttemptConnection::new(
            window,
            rows.into_iter().map(AutoChargeAttempt),
        ))
    }
}
