use async_graphql::{Context, InputObject, Object};

use super::types::{Lead, LeadConnection};
use crate::{
    domain::{clients::LeadSearch, commons::Calendar},
    graphql::commons::{ContextExt, Date, PageArgs, list_cost, page_of, viewer_organization},
};

/// Narrows the list of leads.
#[derive(InputObject, Default)]
pub struct LeadFilter {
    /// Part of a name, the document, the email or the phone number; case- and
    /// accent-insensitive ("alcala" finds "Alcalá"). At most 100 characters.
    pub search: Option<String>,
    /// Leads that arrived on this day or later (in the organization's time zone).
    pub from: Option<Date>,
    /// Leads that arrived on this day or earlier (in the organization's time zone).
    pub to: Option<Date>,
}

#[derive(Default)]
pub struct ClientsQuery;

#[Object]
impl ClientsQuery {
    /// People who asked to lease a car (`createLead`), newest first. Staff only (ADMIN and
    /// COLLECTOR); clients get FORBIDDEN.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn leads(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Narrows the list (a search, the days they arrived); every lead without it."
        )]
        filter: Option<LeadFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<LeadConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let viewer = ctx.staff()?;
        let filter = filter.unwrap_or_default();
        let organization = viewer_organization(ctx).await?;
        let search = LeadSearch::new(
            filter.search.as_deref(),
            filter.from.map(|d| d.0),
            filter.to.map(|d| d.0),
            Calendar::of(&organization),
        )?;
        let listing = search.listing(viewer.organization_id);
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(LeadConnection::new(window, rows.into_iter().map(Lead)))
    }
}
