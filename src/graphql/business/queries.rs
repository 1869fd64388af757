//! Reading the business: `customers`, `salesInvoices`, `receipts` and
//! `invoicingSettings`. Staff only; drivers get FORBIDDEN.

use async_graphql::{Context, ID, InputObject, Object};

use super::text::Text;
use super::types::{
    Customer, CustomerConnection, InvoicingSettings, Receipt, ReceiptConnection, SalesInvoice,
    SalesInvoiceConnection,
};
use crate::{
    domain::business::{self, customers, invoices, receipts, settings},
    graphql::{
        commons::{ContextExt, Date, ErrorCode, NodeKind, PageArgs, list_cost, target_opt, today},
        fast,
    },
};

/// Narrows the list of customers.
#[derive(InputObject, Default)]
pub struct CustomerFilter {
    /// Part of the name, national id or email; case- and accent-insensitive ("peru"
    /// finds "Perú"). At most 100 characters.
    pub search: Option<String>,
}

/// Narrows the list of sales invoices.
#[derive(InputObject, Default)]
pub struct SalesInvoiceFilter {
    /// Only paid (true) or only unpaid (false) invoices.
    pub paid: Option<bool>,
    /// Only overdue invoices (unpaid past their due date, or their date without one) or,
    /// with false, only those that are not.
    pub overdue: Option<bool>,
    /// Only this customer's invoices.
    pub customer_id: Option<ID>,
    /// Invoices dated on this day or later.
    pub from: Option<Date>,
    /// Invoices dated on this day or earlier.
    pub to: Option<Date>,
}

/// Narrows the list of receipts.
#[derive(InputObject, Default)]
pub struct ReceiptFilter {
    /// Only paid (true) or only unpaid (false) receipts.
    pub paid: Option<bool>,
    /// Only overdue receipts (unpaid past their due date, or their date without one) or,
    /// with false, only those that are not.
    pub overdue: Option<bool>,
    /// Receipts dated on this day or later.
    pub from: Option<Date>,
    /// Receipts dated on this day or earlier.
    pub to: Option<Date>,
}

fn check_range(from: Option<Date>, to: Option<Date>) -> async_graphql::Result<()> {
    match (from, to) {
        (Some(from), Some(to)) if from > to => {
            Err(ErrorCode::BadUserInput.error(Text::ToBeforeFrom))
        }
        _ => Ok(()),
    }
}

#[derive(Default)]
pub struct BusinessQuery;

#[Object]
impl BusinessQuery {
    /// The organization's customers, by name (Infinanza's GET /customers; `totalCount`
    /// is its `total_records`). Staff only.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list (a search); every customer without it.")] filter: Option<
            CustomerFilter,
        >,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<CustomerConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let viewer = ctx.viewer()?;
        business::require_reader(viewer)?;
        let filter = filter.unwrap_or_default();
        let query = customers::search(viewer.organization_id, filter.search.as_deref())?;
        let compiled = fast::business::customer_page(ctx);
        let (window, page) = fast::listing::page(ctx.db(), &query, &args, compiled).await?;
        Ok(CustomerConnection::listed(window, page, Customer))
    }

    /// The organization's sales invoices, newest date first (Infinanza's GET /invoices).
    /// Staff only.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn sales_invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Narrows the list (paid or not, overdue, a customer, dates); every sales invoice without it."
        )]
        filter: Option<SalesInvoiceFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<SalesInvoiceConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let viewer = ctx.viewer()?;
        business::require_reader(viewer)?;
        let filter = filter.unwrap_or_default();
        check_range(filter.from, filter.to)?;
        let customer_id = target_opt(
            filter.customer_id.as_ref(),
            NodeKind::Customer,
            "customerId",
            "a customer",
        )?;
        let domain_filter = invoices::InvoiceFilter {
            paid: filter.paid,
            overdue: filter.overdue,
            customer_id,
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
        };
        let today = today(ctx).await?;
        let query = invoices::search(viewer.organization_id, &domain_filter, today);
        let compiled = fast::business::sales_invoice_page(ctx, today);
        let (window, page) = fast::listing::page(ctx.db(), &query, &args, compiled).await?;
        Ok(SalesInvoiceConnection::listed(window, page, SalesInvoice))
    }

    /// The organization's receipts (bills to pay), newest date first (Infinanza's GET
    /// /receipts). Staff only.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn receipts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Narrows the list (paid or not, overdue, dates); every receipt without it."
        )]
        filter: Option<ReceiptFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ReceiptConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let viewer = ctx.viewer()?;
        business::require_reader(viewer)?;
        let filter = filter.unwrap_or_default();
        check_range(filter.from, filter.to)?;
        let domain_filter = receipts::ReceiptFilter {
            paid: filter.paid,
            overdue: filter.overdue,
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
        };
        let today = today(ctx).await?;
        let query = receipts::search(viewer.organization_id, &domain_filter, today);
        let compiled = fast::business::receipt_page(ctx, today);
        let (window, page) = fast::listing::page(ctx.db(), &query, &args, compiled).await?;
        Ok(ReceiptConnection::listed(window, page, Receipt))
    }

    /// How the organization invoices: its default tax rate and next invoice number.
    /// Staff only.
    async fn invoicing_settings(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<InvoicingSettings> {
        let viewer = ctx.viewer()?;
        business::require_reader(viewer)?;
        let row = settings::settings(ctx.db(), viewer.organization_id, ctx.now()).await?;
        Ok(row.into())
    }
}
