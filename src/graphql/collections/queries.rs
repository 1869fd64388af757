//! The collections screen's queries: staff only.

use async_graphql::{Context, ID, InputObject, Object};

use super::types::{
    AgingBucket, Collections, ExpiringCarDocument, ExpiringCarDocumentConnection, OverdueAging,
    OverdueInvoice, OverdueInvoiceConnection, OverdueInvoicePage,
};
use crate::{
    domain::{
        collections::{
            documents,
            overdue::{self, OverdueFilter},
            received,
        },
        commons::{Calendar, Period},
    },
    graphql::commons::{
        ContextExt, NodeKind, PageArgs, PeriodInput, list_cost, target_opt, viewer_organization,
    },
};

/// Which overdue invoices to list; every part is optional.
#[derive(InputObject, Default)]
pub struct OverdueInvoiceFilter {
    /// Only the invoices of this aging bucket.
    pub bucket: Option<AgingBucket>,
    /// Only this driver's (a `Client` ID).
    pub client_id: Option<ID>,
    /// Only the drivers whose name or document contains this text, in any letter case.
    /// At most 100 characters.
    pub search: Option<String>,
}

#[derive(Default)]
pub struct CollectionsQuery;

#[Object]
impl CollectionsQuery {
    /// Every overdue invoice of the organization: owed and payable (PENDING, or a
    /// FRACTION of a split invoice; a FROZEN one is suspended) and due before today in the
    /// organization's calendar; oldest due first, then by id. `totals` adds up every
    /// invoice the filter keeps per aging bucket, whatever the page. Staff only (ADMIN
    /// and COLLECTOR); drivers get FORBIDDEN.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn overdue_invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Narrows the list (an aging bucket, a driver, a search); every overdue invoice without it."
        )]
        filter: Option<OverdueInvoiceFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<OverdueInvoiceConnection> {
        // Staff first: a driver is FORBIDDEN whatever the arguments.
        let viewer = ctx.staff()?;
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let filter = filter.unwrap_or_default();
        let client_id = target_opt(
            filter.client_id.as_ref(),
            NodeKind::Client,
            "clientId",
            "a driver's",
        )?;
        let organization = viewer_organization(ctx).await?;
        let today = Calendar::of(&organization).date_of(ctx.now());
        let overdue = overdue::overdue_invoices(
            viewer,
            &OverdueFilter {
                bucket: filter.bucket.map(Into::into),
                client_id,
                search: filter.search,
            },
            today,
        )?;
        // The totals count the invoices too: no count of its own.
        let totals = overdue.totals(ctx.db()).await?;
        let window = args.window(totals.count)?;
        let rows = overdue
            .listing()
            .page(ctx.db(), window.offset, window.limit)
            .await?;
        let page = OverdueInvoicePage::new(
            window,
            rows.into_iter()
                .map(|invoice| OverdueInvoice { invoice, today }),
        );
        Ok(OverdueInvoiceConnection(page, OverdueAging(totals.into())))
    }

    /// The money the organization received in `period`, per day of its calendar and per
    /// source: invoices paid from the wallets by the drivers (`payInvoices`) and by the
    /// auto-charge job, and the cash staff recorded into the wallets (`recordRecharge`).
    /// Days with nothing are left out. A period covers at most a year; an empty one is
    /// this month to today. Staff only (ADMIN and COLLECTOR); drivers get FORBIDDEN.
    async fn collections(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The days to count, at most a year; an empty period is this month up to today."
        )]
        period: PeriodInput,
    ) -> async_graphql::Result<Collections> {
        let viewer = ctx.staff()?;
        let organization = viewer_organization(ctx).await?;
        let calendar = Calendar::of(&organization);
        let today = calendar.date_of(ctx.now());
        let period = period.resolve(today, Period::month_to_date(today))?;
        let received = received::collections(ctx.db(), viewer, calendar, period).await?;
        Ok(Collections(received))
    }

    /// The car papers of the organization's fleet that expire within `days` days of
    /// today (0 to 3650) in its calendar, those already expired included and first: by
    /// due date, then by id. Papers without a due date never expire and are left out, as
    /// are those of a terminated contract's car. Staff only (ADMIN and COLLECTOR); drivers
    /// get FORBIDDEN.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn car_documents_expiring(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many days from today, 0 to 3650; documents already expired are always listed."
        )]
        days: i32,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ExpiringCarDocumentConnection> {
        let viewer = ctx.staff()?;
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let organization = viewer_organization(ctx).await?;
        let today = Calendar::of(&organization).date_of(ctx.now());
        let expiring = documents::expiring_documents(viewer, days, today)?;
        let total = expiring.count(ctx.db()).await?;
        let window = args.window(total)?;
        let rows = expiring.page(ctx.db(), window.offset, window.limit).await?;
        Ok(ExpiringCarDocumentConnection::new(
            window,
            rows.into_iter().map(ExpiringCarDocument),
        ))
    }
}
