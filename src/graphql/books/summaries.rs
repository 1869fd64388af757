//! Summaries of a book in the schema: `incomeSummary`, `expenseSummary`,
//! `financialSummary`, `balance` and `spendingByCategory` on `Book` (the Leasy REST API's
//! finances).

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, Object};

use super::{
    transactions::{Transaction, TransactionKind},
    types::Category,
    writes::recurring,
};
use crate::{
    domain::{
        books::summaries::{self, Basis, BookTotals, CategoryShare, MAX_DETAILS, Totals},
        commons::{Money, Period},
    },
    entities::{book, book_transaction},
    graphql::commons::{ContextExt, Date, Decimal, PeriodInput, today},
};

/// English month names, as the Leasy REST API's `month` ("November").
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The period asked for; the whole current month (in the organization's timezone) when
/// none is given.
pub async fn period_of(
    ctx: &Context<'_>,
    period: Option<PeriodInput>,
) -> async_graphql::Result<Period> {
    let today = today(ctx).await?;
    period
        .unwrap_or_default()
        .resolve(today, Period::month_of(today))
}

fn money(minor: Money) -> Decimal {
    Decimal::from(minor)
}

/// The fields that place a summary in time, shared by its types.
struct Span(Period);

impl Span {
    fn month(&self) -> Option<(i32, u32)> {
        self.0.single_month()
    }

    fn month_name(&self) -> Option<&'static str> {
        self.month()
            .and_then(|(_, m)| MONTH_NAMES.get(usize::try_from(m).ok()?.checked_sub(1)?))
            .copied()
    }
}

/// Whether a report counts transactions by their date or by the day they were paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
pub enum ReportBasis {
    /// Every transaction dated in the period, paid or pending (accrual, Organizze's
    /// "regime de competência").
    #[default]
    Accrual,
    /// Only paid (or received) transactions, by the day they were paid (cash,
    /// "regime de caixa": an Organizze user's request).
    Cash,
}

impl From<ReportBasis> for Basis {
    fn from(basis: ReportBasis) -> Self {
        match basis {
            ReportBasis::Accrual => Basis::Accrual,
            ReportBasis::Cash => Basis::Cash,
        }
    }
}

/// One transaction counted in a summary (an entry of the Leasy REST API's `details`).
pub struct SummaryDetail(pub book_transaction::Model);

/// One transaction counted in a summary (an entry of the Leasy REST API's `details`).
#[Object]
impl SummaryDetail {
    /// The transaction itself, with all its fields.
    async fn transaction(&self) -> Transaction {
        Transaction(self.0.clone())
    }
    /// How much, positive.
    async fn amount(&self) -> Decimal {
        money(Money::from_minor(self.0.amount_minor))
    }
    /// The day it is dated.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// Its description; empty when none.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Whether it was paid (or received); pending ones count in summaries too.
    async fn paid(&self) -> bool {
        self.0.paid
    }
    /// Its category (the Leasy REST API's `category_name` is `category.name`).
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        let Some(id) = self.0.category_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .book_categories
            .load_one(Id::new(id))
            .await?
            .filter(|c| c.book_id == self.0.book_id)
            .map(Category))
    }
}

async fn details_of(
    ctx: &Context<'_>,
    book: &book::Model,
    kind: book_transaction::TransactionKind,
    period: &Period,
) -> async_graphql::Result<Vec<SummaryDetail>> {
    let viewer = ctx.viewer()?;
    let recurring = recurring(ctx, book).await?;
    let rows = summaries::details(ctx.db(), viewer, book, &recurring, kind, period).await?;
    Ok(rows.into_iter().map(SummaryDetail).collect())
}

/// The incomes or the expenses of a book in a period (the Leasy REST API's income and
/// expense summaries). Counts every transaction dated in the period, paid or pending
/// (`paidTotal` is the paid part); excluded transactions and transfers are left out.
pub struct TransactionSummary {
    book: book::Model,
    kind: book_transaction::TransactionKind,
    span: Span,
    totals: Totals,
}

/// The incomes or the expenses of a book in a period (the Leasy REST API's income and
/// expense summaries). Counts every transaction dated in the period, paid or pending
/// (`paidTotal` is the paid part); excluded transactions and transfers are left out.
#[Object]
impl TransactionSummary {
    /// IN for an income summary, OUT for an expense summary.
    async fn kind(&self) -> TransactionKind {
        self.kind.into()
    }
    /// The first day of the period.
    async fn from(&self) -> Date {
        Date(self.span.0.from())
    }
    /// The last day of the period (included).
    async fn to(&self) -> Date {
        Date(self.span.0.to())
    }
    /// The year of the month the period falls in; null when it spans several months.
    async fn year(&self) -> Option<i32> {
        self.span.month().map(|(y, _)| y)
    }
    /// The month (1 to 12) the period falls in; null when it spans several months.
    async fn month(&self) -> Option<u32> {
        self.span.month().map(|(_, m)| m)
    }
    /// That month's English name, e.g. "November" (the REST API's `month`); null when the
    /// period spans several months.
    async fn month_name(&self) -> Option<&'static str> {
        self.span.month_name()
    }
    /// Sum of every transaction counted, paid or pending, e.g. "22.40".
    async fn total(&self) -> Decimal {
        money(self.totals.total)
    }
    /// The paid (or received) part of `total`.
    async fn paid_total(&self) -> Decimal {
        money(self.totals.paid)
    }
    /// The part of `total` still pending.
    async fn pending_total(&self) -> Decimal {
        money(self.totals.pending())
    }
    /// How many transactions were counted.
    async fn count(&self) -> u64 {
        self.totals.count
    }
    /// The transactions counted, newest first; at most 1000 (see `detailsTruncated`).
    async fn details(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SummaryDetail>> {
        details_of(ctx, &self.book, self.kind, &self.span.0).await
    }
    /// Whether `details` stops at its 1000 newest transactions (`total` and `count`
    /// still cover all of them): ask for a shorter period, or page through
    /// `transactions`, to see the rest.
    async fn details_truncated(&self) -> bool {
        self.totals.details_truncated()
    }
}

/// The transactions behind a financial summary.
pub struct FinancialDetails {
    book: book::Model,
    period: Period,
    totals: BookTotals,
}

/// The transactions behind a financial summary.
#[Object]
impl FinancialDetails {
    /// The incomes counted, newest first; at most 1000.
    async fn incomes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SummaryDetail>> {
        details_of(
            ctx,
            &self.book,
            book_transaction::TransactionKind::In,
            &self.period,
        )
        .await
    }
    /// The expenses counted, newest first; at most 1000.
    async fn expenses(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SummaryDetail>> {
        details_of(
            ctx,
            &self.book,
            book_transaction::TransactionKind::Out,
            &self.period,
        )
        .await
    }
    /// Whether `incomes` stops at its 1000 newest.
    async fn incomes_truncated(&self) -> bool {
        self.totals.income.details_truncated()
    }
    /// Whether `expenses` stops at its 1000 newest.
    async fn expenses_truncated(&self) -> bool {
        self.totals.expense.details_truncated()
    }
}

/// Incomes against expenses in a period (the Leasy REST API's financial summary). Counts
/// every transaction dated in the period, paid or pending (the `paid*` fields count the
/// paid ones only); excluded transactions and transfers are left out.
pub struct FinancialSummary {
    book: book::Model,
    span: Span,
    totals: BookTotals,
}

/// Incomes against expenses in a period (the Leasy REST API's financial summary). Counts
/// every transaction dated in the period, paid or pending (the `paid*` fields count the
/// paid ones only); excluded transactions and transfers are left out.
#[Object]
impl FinancialSummary {
    /// The first day of the period.
    async fn from(&self) -> Date {
        Date(self.span.0.from())
    }
    /// The last day of the period (included).
    async fn to(&self) -> Date {
        Date(self.span.0.to())
    }
    /// The year of the month the period falls in; null when it spans several months.
    async fn year(&self) -> Option<i32> {
        self.span.month().map(|(y, _)| y)
    }
    /// The month (1 to 12) the period falls in; null when it spans several months.
    async fn month(&self) -> Option<u32> {
        self.span.month().map(|(_, m)| m)
    }
    /// That month's English name, e.g. "November"; null when the period spans several
    /// months.
    async fn month_name(&self) -> Option<&'static str> {
        self.span.month_name()
    }
    /// Sum of the incomes, e.g. "22.40".
    async fn total_income(&self) -> Decimal {
        money(self.totals.income.total)
    }
    /// Sum of the expenses, e.g. "26.00".
    async fn total_expense(&self) -> Decimal {
        money(self.totals.expense.total)
    }
    /// `totalIncome - totalExpense`; negative when more went out, e.g. "-3.60" (the
    /// REST API's `total_balance`).
    async fn balance(&self) -> Decimal {
        money(self.totals.balance())
    }
    /// Sum of the incomes received.
    async fn paid_income(&self) -> Decimal {
        money(self.totals.income.paid)
    }
    /// Sum of the expenses paid.
    async fn paid_expense(&self) -> Decimal {
        money(self.totals.expense.paid)
    }
    /// `paidIncome - paidExpense`.
    async fn paid_balance(&self) -> Decimal {
        money(self.totals.paid_balance())
    }
    /// How many incomes were counted.
    async fn income_count(&self) -> u64 {
        self.totals.income.count
    }
    /// How many expenses were counted.
    async fn expense_count(&self) -> u64 {
        self.totals.expense.count
    }
    /// The incomes and expenses counted.
    async fn details(&self) -> FinancialDetails {
        FinancialDetails {
            book: self.book.clone(),
            period: self.span.0,
            totals: self.totals,
        }
    }
}

/// A book's all-time totals (the Leasy REST API's financial balance): every income and
/// expense ever recorded, paid or pending, excluded transactions and transfers left out.
pub struct BookBalance(BookTotals);

/// A book's all-time totals (the Leasy REST API's financial balance): every income and
/// expense ever recorded, paid or pending, excluded transactions and transfers left out.
#[Object]
impl BookBalance {
    /// Sum of every income.
    async fn total_income(&self) -> Decimal {
        money(self.0.income.total)
    }
    /// Sum of every expense.
    async fn total_expense(&self) -> Decimal {
        money(self.0.expense.total)
    }
    /// `totalIncome - totalExpense`; negative when more went out.
    async fn total_balance(&self) -> Decimal {
        money(self.0.balance())
    }
    /// Sum of the incomes received.
    async fn paid_income(&self) -> Decimal {
        money(self.0.income.paid)
    }
    /// Sum of the expenses paid.
    async fn paid_expense(&self) -> Decimal {
        money(self.0.expense.paid)
    }
    /// `paidIncome - paidExpense`.
    async fn paid_balance(&self) -> Decimal {
        money(self.0.paid_balance())
    }
}

/// What one category adds up to in a period.
pub struct CategorySpending {
    book_id: i64,
    share: CategoryShare,
}

/// What one category adds up to in a period.
#[Object]
impl CategorySpending {
    /// The category (with `rollUpSubcategories`, a top-level one).
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Category>> {
        Ok(ctx
            .loaders()
            .book_categories
            .load_one(Id::new(self.share.category_id))
            .await?
            .filter(|c| c.book_id == self.book_id)
            .map(Category))
    }
    /// Sum of its transactions in the period.
    async fn total(&self) -> Decimal {
        money(self.share.total)
    }
    /// How many transactions.
    async fn count(&self) -> u64 {
        self.share.count
    }
    /// Its share of the period's total of the kind, in percent, rounded half away from
    /// zero to two places (so the shares may add up to slightly more or less than 100).
    async fn percentage(&self) -> Decimal {
        Decimal(self.share.percentage)
    }
}

/// The resolvers behind `Book`'s summary fields.
pub async fn income_summary(
    ctx: &Context<'_>,
    book: &book::Model,
    period: Option<PeriodInput>,
) -> async_graphql::Result<TransactionSummary> {
    kind_summary(ctx, book, book_transaction::TransactionKind::In, period).await
}

pub async fn expense_summary(
    ctx: &Context<'_>,
    book: &book::Model,
    period: Option<PeriodInput>,
) -> async_graphql::Result<TransactionSummary> {
    kind_summary(ctx, book, book_transaction::TransactionKind::Out, period).await
}

async fn kind_summary(
    ctx: &Context<'_>,
    book: &book::Model,
    kind: book_transaction::TransactionKind,
    period: Option<PeriodInput>,
) -> async_graphql::Result<TransactionSummary> {
    let period = period_of(ctx, period).await?;
    let totals = book_totals(ctx, book, Some(&period)).await?;
    Ok(TransactionSummary {
        book: book.clone(),
        kind,
        span: Span(period),
        totals: totals.of(kind),
    })
}

async fn book_totals(
    ctx: &Context<'_>,
    book: &book::Model,
    period: Option<&Period>,
) -> async_graphql::Result<BookTotals> {
    let viewer = ctx.viewer()?;
    let recurring = recurring(ctx, book).await?;
    let today = today(ctx).await?;
    summaries::totals(ctx.db(), viewer, book, &recurring, period, today)
        .await
        .map_err(Into::into)
}

pub async fn financial_summary(
    ctx: &Context<'_>,
    book: &book::Model,
    period: Option<PeriodInput>,
) -> async_graphql::Result<FinancialSummary> {
    let period = period_of(ctx, period).await?;
    let totals = book_totals(ctx, book, Some(&period)).await?;
    Ok(FinancialSummary {
        book: book.clone(),
        span: Span(period),
        totals,
    })
}

pub async fn balance(ctx: &Context<'_>, book: &book::Model) -> async_graphql::Result<BookBalance> {
    Ok(BookBalance(book_totals(ctx, book, None).await?))
}

pub async fn spending_by_category(
    ctx: &Context<'_>,
    book: &book::Model,
    period: Option<PeriodInput>,
    kind: TransactionKind,
    basis: ReportBasis,
    roll_up: bool,
) -> async_graphql::Result<Vec<CategorySpending>> {
    let viewer = ctx.viewer()?;
    let period = period_of(ctx, period).await?;
    let recurring = recurring(ctx, book).await?;
    let shares = summaries::spending_by_category(
        ctx.db(),
        viewer,
        book,
        &recurring,
        kind.into(),
        &period,
        basis.into(),
        roll_up,
    )
    .await?;
    Ok(shares
        .into_iter()
        .map(|share| CategorySpending {
            book_id: book.id,
            share,
        })
        .collect())
}

/// Keeps the summary limit in the schema's words and the domain's in step.
const _: () = assert!(MAX_DETAILS == 1_000);
