//! The public content lists: no login needed. Each takes an optional `organization` slug;
//! without it, the caller's organization (or the only one).

use async_graphql::{Context, Object};

use super::{
    text::Text,
    types::{
        EmergencyContactGroup, ExpenseCategory, Faq, FaqConnection, ServiceContactChannel,
        SupportContact, SupportContacts, Tip, TipCategory, TipConnection, TipFilter,
    },
};
use crate::domain::commons::Id;
use crate::{
    domain::{
        commons::Calendar,
        content::{contacts, expense_categories, faqs, plans, tips},
    },
    entities::support_contact::SupportKind,
    graphql::{
        commons::{
            ContextExt, ErrorCode, NodeKind, PageArgs, list_cost, page_of, public_organization,
            target_opt,
        },
        contracts::types::Plan,
    },
};

/// Longest `categoryCode` worth looking up (codes are at most 50 characters).
const MAX_CODE_FILTER_CHARS: usize = 50;

#[derive(Default)]
pub struct ContentQuery;

#[Object]
impl ContentQuery {
    /// The ride-hailing plans (the REST API's `uber_plans`), smallest discount first.
    /// Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<Vec<Plan>> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = plans::list_plans(ctx.db(), Id::new(org.id)).await?;
        Ok(rows.into_iter().map(Plan).collect())
    }

    /// The categories drivers file expenses under (the REST API's `expense_categories`),
    /// in the order they were created. Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn expense_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<Vec<ExpenseCategory>> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = expense_categories::list_expense_categories(ctx.db(), Id::new(org.id)).await?;
        Ok(rows.into_iter().map(ExpenseCategory).collect())
    }

    /// Emergency contacts grouped by case (the REST API's `emergency_contacts`:
    /// accidents, block, steal), each group with its name, description and contacts.
    /// Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn emergency_contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<Vec<EmergencyContactGroup>> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = contacts::list_emergency_groups(ctx.db(), Id::new(org.id)).await?;
        Ok(rows.into_iter().map(EmergencyContactGroup).collect())
    }

    /// The support lines: mechanical support and emergencies (the REST API's
    /// `mechanical-contacts`) and ride-hailing affiliation (`uber-contacts`). Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn support_contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<SupportContacts> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = contacts::list_support_contacts(ctx.db(), Id::new(org.id)).await?;
        let mut lines = SupportContacts {
            mechanical: None,
            emergency: None,
            ride_hailing_affiliation: None,
        };
        for row in rows {
            let slot = match row.kind {
                SupportKind::Mechanical => &mut lines.mechanical,
                SupportKind::Emergency => &mut lines.emergency,
                SupportKind::RideHailingAffiliation => &mut lines.ride_hailing_affiliation,
            };
            *slot = Some(SupportContact(row));
        }
        Ok(lines)
    }

    /// How to reach the company about a problem with the service (the REST API's
    /// `service_contacts`): label, code and value. Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn service_contact_channels(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<Vec<ServiceContactChannel>> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = contacts::list_service_channels(ctx.db(), Id::new(org.id)).await?;
        Ok(rows.into_iter().map(ServiceContactChannel).collect())
    }

    /// Frequently asked questions (the REST API's `faqs`), newest first. Public.
    #[graphql(
        complexity = "list_cost(first, last, child_complexity)",
        cache_control(max_age = 300, public)
    )]
    async fn faqs(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
        #[graphql(desc = "Page size from the start (at most 100; 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor to start after.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Cursor to end before.")] before: Option<String>,
    ) -> async_graphql::Result<FaqConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let org = public_organization(ctx, organization.as_deref()).await?;
        let listing = faqs::faqs(Id::new(org.id));
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(FaqConnection::new(window, rows.into_iter().map(Faq)))
    }

    /// The categories of tips (the REST API's `tips/categories`), in the order they were
    /// created. Public.
    #[graphql(cache_control(max_age = 300, public))]
    async fn tip_categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
    ) -> async_graphql::Result<Vec<TipCategory>> {
        let org = public_organization(ctx, organization.as_deref()).await?;
        let rows = tips::list_tip_categories(ctx.db(), Id::new(org.id)).await?;
        Ok(rows.into_iter().map(TipCategory).collect())
    }

    /// Driving tips, newest publication first, each with its category. `filter` gives the
    /// REST API's lists: `{today: true}` (tips of today, in the organization's timezone),
    /// `{popular: true}`, `{categoryCode: "mantenimiento"}`. Tips scheduled for a later
    /// day are shown only to the organization's staff. Public.
    #[graphql(
        complexity = "list_cost(first, last, child_complexity)",
        cache_control(max_age = 300, public)
    )]
    // Each GraphQL argument is a parameter: the organization, the filter and Relay's four.
    #[allow(clippy::too_many_arguments)]
    async fn tips(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The organization's slug, e.g. \"leasy-demo\". Without it: the caller's organization when logged in, else the only one the gateway serves."
        )]
        organization: Option<String>,
        #[graphql(desc = "Which tips; all published ones when omitted.")] filter: Option<TipFilter>,
        #[graphql(desc = "Page size from the start (at most 100; 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor to start after.")] after: Option<String>,
        #[graphql(desc = "Page size from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Cursor to end before.")] before: Option<String>,
    ) -> async_graphql::Result<TipConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let filter = filter.unwrap_or_default();
        let category_id = target_opt(
            filter.category.as_ref(),
            NodeKind::TipCategory,
            "filter.category",
            "a tip category",
        )?;
        if filter
            .category_code
            .as_ref()
            .is_some_and(|c| c.chars().count() > MAX_CODE_FILTER_CHARS)
        {
            return Err(
                ErrorCode::BadUserInput.error(Text::CategoryCodeFilterTooLong {
                    max: MAX_CODE_FILTER_CHARS.to_string(),
                }),
            );
        }
        let org = public_organization(ctx, organization.as_deref()).await?;
        let today = Calendar::of(&org).date_of(ctx.now());
        let staff = ctx
            .request()
            .and_then(|r| r.viewer.as_ref())
            .is_some_and(|v| v.is_staff() && v.organization_id == Id::new(org.id));
        let listing = tips::tips(
            Id::new(org.id),
            &tips::TipFilter {
                category_id,
                category_code: filter.category_code,
                popular: filter.popular,
                today: filter.today,
            },
            today,
            staff,
        );
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(TipConnection::new(window, rows.into_iter().map(Tip)))
    }
}
