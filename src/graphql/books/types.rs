//! The objects of a book.

use async_graphql::{Context, Enum, ID, Object};

use super::{
    budgets,
    cards::CreditCard,
    listing::{self, TransactionConnection, TransactionFilter, TransactionOrder},
    summaries,
    transactions::{Transaction, TransactionKind},
};
use chrono::{DateTime, Datelike, Utc};

use crate::{
    domain::books::{accounts, cards, categories, tags, transactions},
    entities::{book, book_account, book_category, book_tag},
    graphql::commons::{
        ContextExt, Date, Decimal, GlobalId, NodeKind, PageArgs, PeriodInput, list_cost, today,
    },
};

/// What kind of account it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::book_account::AccountKind")]
pub enum AccountKind {
    /// A bank's checking account (Organizze's "checking").
    Checking,
    /// A savings account.
    Savings,
    /// Cash in hand (the driver's "efectivo").
    Cash,
    /// Anything else: a digital wallet, a loan to a friend.
    Other,
}

/// Whether a category files incomes or expenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::book_category::CategoryKind")]
pub enum CategoryKind {
    /// Money coming in (the Leasy seed's "incomes").
    Income,
    /// Money going out (the Leasy seed's "expenses").
    Expense,
}

/// A book: the accounts, categories and tags that a driver keeps for their own finances
/// (a personal book) or that the organization keeps for its business (the business
/// book). Created on first use with the cash account "Efectivo" and default categories.
pub struct Book(pub book::Model);

/// A book: the accounts, categories and tags that a driver keeps for their own finances
/// (a personal book) or that the organization keeps for its business (the business
/// book). Created on first use with the cash account "Efectivo" and default categories.
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
    ) -> async_graphql::Result<Vec<Account>> {
        let rows = accounts::list_accounts(ctx.db(), &self.0, include_archived).await?;
        Ok(rows.into_iter().map(Account).collect())
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
    ) -> async_graphql::Result<Vec<CreditCard>> {
        let rows = cards::list_cards(ctx.db(), &self.0, include_archived).await?;
        Ok(rows.into_iter().map(CreditCard).collect())
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
    ) -> async_graphql::Result<Vec<Category>> {
        let rows =
            categories::list_categories(ctx.db(), &self.0, kind.map(Into::into), include_archived)
                .await?;
        Ok(rows.into_iter().map(Category).collect())
    }

    /// The transaction an integration knows by its own `externalId`; null when none.
    async fn transaction_by_external_id(
        &self,
        ctx: &Context<'_>,
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
    /// recorded first): the Leasy seed's "all incomes registered". Transfers are left out.
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
    /// recorded first): the Leasy seed's "all expenses registered". Transfers are left
    /// out.
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
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Tag>> {
        let rows = tags::list_tags(ctx.db(), &self.0).await?;
        Ok(rows.into_iter().map(Tag).collect())
    }

    /// The incomes of a period, with their total (the Leasy seed's income summary).
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
    /// seed's expense summary). Every expense dated in the period counts, paid or
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

    /// Incomes against expenses in a period (the Leasy seed's financial summary).
    async fn financial_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period; the whole current month when omitted.")] period: Option<
            PeriodInput,
        >,
    ) -> async_graphql::Result<summaries::FinancialSummary> {
        summaries::financial_summary(ctx, &self.0, period).await
    }

    /// All-time totals of the book (the Leasy seed's financial balance).
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

/// An account of a book (Organizze's bank account; the driver's cash): where the money
/// of its transactions is kept. Each book has exactly one default account.
pub struct Account(pub book_account::Model);

/// An account of a book (Organizze's bank account; the driver's cash): where the money
/// of its transactions is kept. Each book has exactly one default account.
#[Object]
impl Account {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Account, self.0.id).to_id()
    }
    /// What kind of account it is.
    async fn kind(&self) -> AccountKind {
        self.0.kind.into()
    }
    /// Display name, e.g. "Cuenta BCP".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Free text; empty when none.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Archived accounts are hidden from pickers and lists unless asked for.
    async fn archived(&self) -> bool {
        self.0.archived
    }
    /// Whether this is the account used when none is given; exactly one per book.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the account last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The money in the account at the end of a day: its PAID incomes minus its PAID
    /// expenses paid on or before that day (by paid date, or date when none was
    /// recorded). Transfers count (they move money between accounts), and so do
    /// transactions excluded from reports; pending ones do not.
    async fn balance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day; today in the organization's timezone when omitted.")]
        as_of: Option<Date>,
    ) -> async_graphql::Result<Decimal> {
        summaries::account_balance(ctx, &self.0, as_of).await
    }
}

/// A category of a book's incomes or expenses (Organizze's categories; the Leasy seed's
/// expense category codes). Top-level categories may have subcategories, one level deep.
/// Each book has one default category per kind.
pub struct Category(pub book_category::Model);

/// A category of a book's incomes or expenses (Organizze's categories; the Leasy seed's
/// expense category codes). Top-level categories may have subcategories, one level deep.
/// Each book has one default category per kind.
#[Object]
impl Category {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Category, self.0.id).to_id()
    }
    /// INCOME or EXPENSE.
    async fn kind(&self) -> CategoryKind {
        self.0.kind.into()
    }
    /// Display name, e.g. "Combustible".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Stable code, unique within the book, e.g. "combustible" (what the Leasy seed's
    /// `recordExpense` takes as `category`).
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Colour as `#RRGGBB`, e.g. "#E53935".
    async fn colour(&self) -> &str {
        &self.0.colour
    }
    /// Icon name or URL; empty when none.
    async fn icon(&self) -> &str {
        &self.0.icon
    }
    /// The top-level category this one belongs to; null for a top-level category.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(parent_id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .book_categories
            .load_one(parent_id)
            .await?
            .filter(|p| p.book_id == self.0.book_id)
            .map(Category))
    }
    /// Archived categories are hidden from pickers and lists unless asked for.
    async fn archived(&self) -> bool {
        self.0.archived
    }
    /// Whether this is the book's default category of its kind: used when none is given,
    /// and where a deleted category's records go when no replacement is named.
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// When the category was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the category last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A free label for a book's transactions (Organizze's tags), unique by name within the
/// book whatever the letter case.
pub struct Tag(pub book_tag::Model);

/// A free label for a book's transactions (Organizze's tags), unique by name within the
/// book whatever the letter case.
#[Object]
impl Tag {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Tag, self.0.id).to_id()
    }
    /// The label, e.g. "Uber".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When the tag was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the tag was last renamed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
