//! The objects a book keeps its transactions in: `Account`, `Category` and `Tag` (the
//! `Book` itself is in `book.rs`).

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};

use crate::{
    domain::commons::Money,
    entities::{book_account, book_category, book_tag},
    graphql::{
        commons::{ContextExt, Date, Decimal, GlobalId, NodeKind, today},
        fast::{
            columns::{Column, stored},
            compiled,
        },
    },
};

/// An `Account`'s fields read from its `book_accounts` row (see `fast::columns`), valued
/// as the resolvers below answer them: the compiled book page selects them. (`balance`
/// takes an argument and sums transactions: it resolves.)
pub const ACCOUNT_COLUMNS: &[Column<book_account::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Account, &stored(t, "id"))
    }),
    Column::compiled("kind", |t| stored(t, "kind")),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("description", |t| stored(t, "description")),
    Column::compiled("archived", |t| stored(t, "archived")),
    Column::compiled("isDefault", |t| stored(t, "is_default")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("updatedAt", |t| {
        compiled::timestamp(&stored(t, "updated_at"))
    }),
];

/// A `Category`'s fields read from its `book_categories` row (see `fast::columns`);
/// `parent` is a relation the compiler writes itself.
pub const CATEGORY_COLUMNS: &[Column<book_category::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Category, &stored(t, "id"))
    }),
    Column::compiled("kind", |t| stored(t, "kind")),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("code", |t| stored(t, "code")),
    Column::compiled("colour", |t| stored(t, "colour")),
    Column::compiled("icon", |t| stored(t, "icon")),
    Column::compiled("archived", |t| stored(t, "archived")),
    Column::compiled("isDefault", |t| stored(t, "is_default")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("updatedAt", |t| {
        compiled::timestamp(&stored(t, "updated_at"))
    }),
];

/// A `Tag`'s fields read from its `book_tags` row (see `fast::columns`).
pub const TAG_COLUMNS: &[Column<book_tag::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Tag, &stored(t, "id"))
    }),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("updatedAt", |t| {
        compiled::timestamp(&stored(t, "updated_at"))
    }),
];

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
    /// Money coming in (the Leasy REST API's "incomes").
    Income,
    /// Money going out (the Leasy REST API's "expenses").
    Expense,
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
        // Read even when a day is given: every balance of a level then joins the loader's
        // batch at the same point, so all of them take one statement.
        let today = today(ctx).await?;
        let day = as_of.map_or(today, |d| d.0);
        let balance = ctx
            .loaders()
            .account_balances
            .load_one((Id::new(self.0.id), day))
            .await?
            .unwrap_or(Money::ZERO);
        Ok(balance.into())
    }
}

/// A category of a book's incomes or expenses (Organizze's categories; the Leasy
/// REST API's expense category codes). Top-level categories may have subcategories, one
/// level deep. Each book has one default category per kind.
pub struct Category(pub book_category::Model);

/// A category of a book's incomes or expenses (Organizze's categories; the Leasy
/// REST API's expense category codes). Top-level categories may have subcategories, one
/// level deep. Each book has one default category per kind.
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
    /// Stable code, unique within the book, e.g. "combustible" (what the Leasy REST API's
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
            .load_one(Id::new(parent_id))
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
