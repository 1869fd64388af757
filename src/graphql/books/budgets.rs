//! Budgets in the schema (Organizze's "metas"): `Book.budgets` and `setBudget`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Datelike;

use super::{
    types::Category,
    writes::{recurring, write_book},
};
use crate::{
    domain::books::{
        budgets::{self, BudgetView, SetBudget},
        writes,
    },
    entities::{book, book_budget},
    graphql::commons::{ContextExt, Decimal, GlobalId, NodeKind, UserError, payload, target},
};

/// A category's budget for one month (Organizze's "meta"): how much the book means to
/// spend (or, for an income category, earn) in it, beside what it reached. A budget of a
/// top-level category covers its subcategories' transactions too. Totals go by the
/// transactions' dates and leave out excluded transactions and transfers.
pub struct Budget(pub BudgetView);

/// A category's budget for one month (Organizze's "meta"): how much the book means to
/// spend (or, for an income category, earn) in it, beside what it reached. A budget of a
/// top-level category covers its subcategories' transactions too. Totals go by the
/// transactions' dates and leave out excluded transactions and transfers.
#[Object]
impl Budget {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Budget, self.0.budget.id).to_id()
    }
    /// The category budgeted.
    async fn category(&self) -> Category {
        Category(self.0.category.clone())
    }
    /// The budget's year.
    async fn year(&self) -> i32 {
        self.0.year()
    }
    /// The budget's month, 1 to 12.
    async fn month(&self) -> u32 {
        self.0.month()
    }
    /// How much is budgeted for the month (Organizze's `amount_in_cents`, as a Decimal).
    async fn amount(&self) -> Decimal {
        Decimal::from(self.0.amount())
    }
    /// What the category's PAID (or received) transactions dated in the month add up to
    /// (Organizze's `total`).
    async fn actual_total(&self) -> Decimal {
        Decimal::from(self.0.actual)
    }
    /// Paid and pending transactions of the category dated in the month (Organizze's
    /// `predicted_total`).
    async fn predicted_total(&self) -> Decimal {
        Decimal::from(self.0.predicted)
    }
    /// `actualTotal` as a percentage of `amount`, rounded half away from zero to two
    /// places; over 100 when the budget is exceeded.
    async fn percentage(&self) -> Decimal {
        Decimal(self.0.percentage())
    }
    /// `predictedTotal` as a percentage of `amount`.
    async fn predicted_percentage(&self) -> Decimal {
        Decimal(self.0.predicted_percentage())
    }
}

/// The budget `row` of `book` with what its month reached, as `Book.budgets` shows it;
/// `None` when the month's budgets no longer hold it.
pub async fn budget_of(
    ctx: &Context<'_>,
    book: &book::Model,
    row: &book_budget::Model,
) -> async_graphql::Result<Option<Budget>> {
    let viewer = ctx.viewer()?;
    let (year, month) = (row.month.year(), row.month.month());
    // A page of changes may name many budgets of one month: the month is read once.
    let rows = ctx
        .loaders()
        .budget_months
        .get((book.id, year, month), || async {
            let months = budgets::months_of(year, Some(month as i32))?;
            let recurring = recurring(ctx, book).await?;
            Ok::<_, async_graphql::Error>(
                budgets::list_budgets(ctx.db(), viewer, book, &recurring, &months).await?,
            )
        })
        .await?;
    Ok(rows
        .into_iter()
        .find(|view| view.budget.id == row.id)
        .map(Budget))
}

/// `Book.budgets`: the budgets of a month, or of every month of a year.
pub async fn list(
    ctx: &Context<'_>,
    book: &book::Model,
    year: i32,
    month: Option<i32>,
) -> async_graphql::Result<Vec<Budget>> {
    let viewer = ctx.viewer()?;
    let months = budgets::months_of(year, month)?;
    let recurring = recurring(ctx, book).await?;
    let rows = budgets::list_budgets(ctx.db(), viewer, book, &recurring, &months).await?;
    Ok(rows.into_iter().map(Budget).collect())
}

/// A category's budget for a month.
#[derive(InputObject)]
pub struct SetBudgetInput {
    /// A category of the book (INCOME or EXPENSE, top-level or subcategory).
    pub category_id: ID,
    /// The year, 2000 to 2100.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: i32,
    /// How much to budget, at most 1000000000.00; "0" removes the budget.
    pub amount: Decimal,
}

/// The budget set.
#[derive(SimpleObject, Default)]
pub struct SetBudgetPayload {
    /// The budget as it is now; null when it was removed (amount 0) or when
    /// `userErrors` is not empty.
    pub budget: Option<Budget>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(SetBudgetPayload);

#[derive(Default)]
pub struct BudgetsMutation;

#[Object]
impl BudgetsMutation {
    /// Sets the budget of a category of the caller's book for a month, replacing the one
    /// it had; an amount of 0 removes it. A category of another book is NOT_FOUND; a
    /// negative or too large amount is INVALID_AMOUNT.
    async fn set_budget(
        &self,
        ctx: &Context<'_>,
        input: SetBudgetInput,
    ) -> async_graphql::Result<SetBudgetPayload> {
        let actor = ctx.actor()?;
        let set = SetBudget {
            category_id: target(
                &input.category_id,
                NodeKind::Category,
                "categoryId",
                "a category",
            )?,
            year: input.year,
            month: input.month,
            amount: input.amount.0,
        };
        let write = writes::set_budget(ctx.db(), actor, set, ctx.now());
        payload(write_book(ctx, write).await, |budget| SetBudgetPayload {
            budget: budget.map(Budget),
            ..Default::default()
        })
    }
}
