//! The `Book` object: what a book holds (accounts, credit cards, categories, tags,
//! transactions, budgets) and what it adds up to (summaries, balances).

use async_graphql::{Context, Object};
use chrono::Datelike;

use super::{
    budgets,
    cards::CreditCard,
    changes,
    listing::{self, TransactionConnection, TransactionFilter, TransactionOrder},
    summaries,
    transactions::{Transaction, TransactionKind},
    types::{Account, Category, CategoryKind, Tag},
};
use crate::{
    domain::books::{accounts, cards, categories, tags, transactions},
    entities::book,
    graphql::{
        commons::{ContextExt, PageArgs, PeriodInput, list_cost, today},
        fast::{self, raw::CompiledOr},
    },
};

/// A book: the accounts, categories and tags that a driver keeps for their own finances
/// (a personal book) or that the organization keeps for its business (the business
/// book). Opened with the cash account "Efectivo" and default categories when its reader
/// first gets a session.
pub struct Book(pub book::Model);

/// A book: the accounts, categories and tags that a driver keeps for their own finances
/// (a personal book) or that the organization keeps for its business (the business
/// book). Opened with the cash account "Efectivo" and default categories when its reader
/// first gets a session.
#[Object]
impl Book {
    /// Whether this is the organization's business book (staff's) rather than a driver's
    /// personal book.
    async fn is_business(&self) -> bool {
        self.0.owner_id.is_none()
    }

    /// The book's accounts, the default first, then oldest first.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = false,
            desc = "Include archived accounts (left out by default)."
        )]
        include_archived: bool,
    ) -> async_graphql::Result<CompiledOr<Vec<Account>>> {
        let rows = accounts::accounts(&self.0, include_archived);
        fast::listing::all(ctx, &rows, fast::books::account, Account).await
    }

    /// The book's credit cards, the default first, then oldest first.
    async fn credit_cards(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = false,
            desc = "Include archived cards (left out by default)."
        )]
        include_archived: bool,
    ) -> async_graphql::Result<CompiledOr<Vec<CreditCard>>> {
        let rows = cards::cards(&self.0, include_archived);
        fast::listing::all(ctx, &rows, fast::books::credit_card, CreditCard).await
    }

    /// The book's categories and subcategories, by kind then name.
    async fn categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only INCOME or only EXPENSE categories; both when omitted.")]
        kind: Option<CategoryKind>,
        #[graphql(
            default = false,
            desc = "Include archived categories (left out by default)."
        )]
        include_archived: bool,
    ) -> async_graphql::Result<CompiledOr<Vec<Category>>> {
        let rows = categories::categories(&self.0, kind.map(Into::into), include_archived);
        fast::listing::all(ctx, &rows, fast::books::category, Category).await
    }

    /// What changed in the book after `since`, oldest first: every transaction, transfer,
    /// account, credit card, category, tag and budget created, updated or deleted; in the
    /// business book also its customers, sales invoices and receipts; in a driver's book
    /// also their contract invoices and wallet movements. An integration keeps a copy of
    /// the book by reading from the start (no `since`) and then from each page's
    /// `cursor`: no change is ever skipped, one committed while a page was read
    /// included, and applying the changes in order leaves the copy equal to the book. A
    /// recurring series' unstored occurrences are not rows and are not in it; its stored
    /// ones are.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The `cursor` of the last page (or change) read; the start when omitted."
        )]
        since: Option<String>,
        #[graphql(
            default_with = "changes::DEFAULT_FIRST",
            desc = "How many changes at most, 1 to 1000."
        )]
        first: i32,
    ) -> async_graphql::Result<changes::BookChangePage> {
        changes::page(ctx, &self.0, since, first).await
    }

    /// The transaction an integration knows by its own `externalId`; null when none.
    async fn transaction_by_external_id(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The ID the integration gave the transaction when it created it (`externalId`)."
        )]
        external_id: String,
    ) -> async_graphql::Result<Option<Transaction>> {
        let viewer = ctx.viewer()?;
        let row = transactions::by_external_id(ctx.db(), viewer, &self.0, &external_id).await?;
        Ok(row.map(Transaction))
    }

    /// The book's transactions that match `filter` (by default this month's, from its
    /// first day to today in the organization's timezone), 20 a page by default and at
    /// most 100. Cursors are positions, not offsets: paging on reaches every transaction
    /// once, even while others are recorded.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn transactions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which transactions; this month's to date when omitted.")] filter: Option<
            TransactionFilter,
        >,
        #[graphql(default, desc = "The order; newest date first when omitted.")]
        order_by: TransactionOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<TransactionConnection> {
        let page = PageArgs::new(first, after, last, before);
        listing::transactions(ctx, &self.0, filter, order_by, page).await
    }

    /// Every income of the book, whatever its date, newest first (by date, then last
    /// recorded first): the Leasy REST API's "all incomes registered". Transfers are left
    /// out. A recurring series, which has no end, shows its occurrences dated up to
    /// today.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn incomes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<TransactionConnection> {
        let page = PageArgs::new(first, after, last, before);
        listing::quick_list(ctx, &self.0, TransactionKind::In, page).await
    }

    /// Every expense of the book, whatever its date, newest first (by date, then last
    /// recorded first): the Leasy REST API's "all expenses registered". Transfers are
    /// left out. A recurring series, which has no end, shows its occurrences dated up
    /// to today.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn expenses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<TransactionConnection> {
        let page = PageArgs::new(first, after, last, before);
        listing::quick_list(ctx, &self.0, TransactionKind::Out, page).await
    }

    /// The book's tags, by name.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<CompiledOr<Vec<Tag>>> {
        let rows = tags::tags(&self.0);
        fast::listing::all(ctx, &rows, fast::books::tag, Tag).await
    }

    /// The incomes of a period, with their total (the Leasy REST API's income summary).
    /// Every income dated in the period counts, paid or pending; excluded ones and
    /// transfers do not.
    async fn income_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period; the whole current month when omitted.")] period: Option<
            PeriodInput,
        >,
    ) -> async_graphql::Result<summaries::TransactionSummary> {
        summaries::income_summary(ctx, &self.0, period).await
    }

    /// The expenses of a period, with their total and each one's category (the Leasy
    /// REST API's expense summary). Every expense dated in the period counts, paid or
    /// pending; excluded ones and transfers do not.
    async fn expense_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period; the whole current month when omitted.")] period: Option<
            PeriodInput,
        >,
    ) -> async_graphql::Result<summaries::TransactionSummary> {
        summaries::expense_summary(ctx, &self.0, period).await
    }

    /// Incomes against expenses in a period (the Leasy REST API's financial summary).
    async fn financial_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period; the whole current month when omitted.")] period: Option<
            PeriodInput,
        >,
    ) -> async_graphql::Result<summaries::FinancialSummary> {
        summaries::financial_summary(ctx, &self.0, period).await
    }

    /// All-time totals of the book (the Leasy REST API's financial balance). A recurring
    /// series, which has no end, counts its occurrences dated up to today: the figures
    /// change with the days, never with what was read before.
    async fn balance(&self, ctx: &Context<'_>) -> async_graphql::Result<summaries::BookBalance> {
        summaries::balance(ctx, &self.0).await
    }

    /// What each category adds up to in a period, the biggest first, with its share of
    /// the period's total. Excluded transactions and transfers are left out.
    async fn spending_by_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period; the whole current month when omitted.")] period: Option<
            PeriodInput,
        >,
        #[graphql(
            default_with = "TransactionKind::Out",
            desc = "OUT (expenses, the default) or IN (incomes)."
        )]
        kind: TransactionKind,
        #[graphql(
            default,
            desc = "ACCRUAL (by date, paid or pending; the default) or CASH (paid ones by the day they were paid)."
        )]
        basis: summaries::ReportBasis,
        #[graphql(
            default = false,
            desc = "Count subcategories' transactions in their top-level category (then only top-level categories are listed); by default each category is listed on its own, its `parent` telling where it belongs."
        )]
        roll_up_subcategories: bool,
    ) -> async_graphql::Result<Vec<summaries::CategorySpending>> {
        summaries::spending_by_category(ctx, &self.0, period, kind, basis, roll_up_subcategories)
            .await
    }

    /// The budgets of a month, or of every month of a year when only `year` is given
    /// (Organizze's /budgets, /budgets/2018 and /budgets/2018/08), by month then category
    /// name. Without arguments, the current month in the organization's timezone.
    async fn budgets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, 2000 to 2100; the current year when omitted.")] year: Option<
            i32,
        >,
        #[graphql(
            desc = "A month, 1 to 12; every month of the year when only `year` is given, the current month when both are omitted."
        )]
        month: Option<i32>,
    ) -> async_graphql::Result<Vec<budgets::Budget>> {
        let today = today(ctx).await?;
        let (year, month) = match (year, month) {
            (None, None) => (today.year(), i32::try_from(today.month()).ok()),
            (year, month) => (year.unwrap_or(today.year()), month),
        };
        budgets::list(ctx, &self.0, year, month).await
    }
}
