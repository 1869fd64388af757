//! The `Transaction` object and the mutations that create, change, delete and tag one.

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use super::{
    cards::{CreditCard, CreditCardStatement, card_of, statement_of},
    transfers::{Transfer, transfer_of},
    types::{Account, Category, Tag},
    writes::{announce, write_book},
};
use crate::{
    domain::{
        books::{
            cycles::Month,
            series,
            series_edits::SeriesRequest,
            transactions::{NewTransaction, TransactionChanges},
            writes,
        },
        commons::money::Money,
    },
    entities::{book_series, book_series::SeriesKind, book_transaction},
    graphql::{
        commons::{
            ContextExt, Date, Decimal, GlobalId, NodeKind, UserError, payload, target, target_opt,
            targets, today,
        },
        fast::{
            columns::{Column, stored},
            compiled,
        },
        identity::types::{Creator, User, creator_of},
    },
};

/// A `Transaction`'s fields read from its row (see `fast::columns`), valued as the
/// resolvers below answer them: the compiled book page (`fast::books`) selects them. Its
/// relations (`category`, `account`, `tags`, `creditCard`) are written by that compiler.
pub const TRANSACTION_COLUMNS: &[Column<book_transaction::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Transaction, &stored(t, "id"))
    }),
    Column::compiled("kind", |t| stored(t, "kind")),
    Column::compiled("amount", |t| compiled::money(&stored(t, "amount_minor"))),
    Column::compiled("signedAmount", |t| {
        compiled::money(&format!(
            "(CASE WHEN {t}.kind = 'OUT' THEN -{t}.amount_minor ELSE {t}.amount_minor END)"
        ))
    }),
    Column::compiled("description", |t| stored(t, "description")),
    Column::compiled("date", |t| stored(t, "date")),
    Column::compiled("dueDate", |t| stored(t, "due_date")),
    Column::compiled("paid", |t| stored(t, "paid")),
    Column::compiled("paidOn", |t| stored(t, "paid_on")),
    Column::on_day("status", compiled::due_status),
    Column::compiled("contactName", |t| stored(t, "contact_name")),
    Column::compiled("notes", |t| stored(t, "notes")),
    Column::compiled("barcode", |t| stored(t, "barcode")),
    Column::compiled("externalId", |t| stored(t, "external_id")),
    Column::compiled("bankData", |t| stored(t, "bank_data")),
    Column::compiled("ofxId", |t| stored(t, "ofx_id")),
    Column::compiled("reconciledOn", |t| stored(t, "reconciled_on")),
    Column::compiled("excluded", |t| stored(t, "excluded")),
    Column::compiled("private", |t| stored(t, "private")),
    Column::compiled("isTransfer", |t| format!("({t}.transfer_id IS NOT NULL)")),
    Column::compiled("installment", |t| {
        // An occurrence's number counts from 0; the installment from 1.
        of_series(
            t,
            &format!("LEAST(COALESCE({t}.occurrence, 0)::bigint + 1, 2147483647)::int"),
            Some("INSTALLMENTS"),
            "1",
        )
    }),
    Column::compiled("totalInstallments", |t| {
        of_series(
            t,
            "COALESCE(ser.total_installments, 1)",
            Some("INSTALLMENTS"),
            "1",
        )
    }),
    Column::compiled("recurring", |t| {
        of_series(t, "true", Some("RECURRING"), "false")
    }),
    Column::compiled("periodicity", |t| {
        // A name no periodicity has is null, as `Periodicity::from_name` reads it.
        let names = compiled::texts(series::Periodicity::ALL.iter().map(|p| p.as_str()));
        of_series(
            t,
            &format!("CASE WHEN ser.periodicity IN ({names}) THEN ser.periodicity END"),
            None,
            "NULL",
        )
    }),
    Column::compiled("createdThrough", |t| {
        format!(
            "(SELECT tok.name FROM api_tokens tok WHERE tok.id = {t}.created_by_token_id \
             AND tok.organization_id = {t}.organization_id)"
        )
    }),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("updatedAt", |t| {
        compiled::timestamp(&stored(t, "updated_at"))
    }),
];

/// The SQL of `value`, read from the series of the transaction on row `t` when that
/// series is of the book (and of `kind`, when given); `otherwise` when it is not (as the
/// resolvers read `Transaction::series`).
fn of_series(t: &str, value: &str, kind: Option<&str>, otherwise: &str) -> String {
    let kind = kind.map_or(String::new(), |k| {
        format!(" AND ser.kind = {}", compiled::text(k))
    });
    format!(
        "COALESCE((SELECT {value} FROM book_series ser WHERE ser.id = {t}.series_id \
         AND ser.book_id = {t}.book_id{kind}), {otherwise})"
    )
}

/// Whether money comes in or goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::book_transaction::TransactionKind")]
pub enum TransactionKind {
    /// An income: money coming into the account.
    In,
    /// An expense: money going out of the account.
    Out,
}

/// Where a transaction stands, from its paid flag and dates (not stored: it follows
/// today in the organization's timezone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum TransactionStatus {
    /// Paid (an expense) or received (an income).
    Paid,
    /// Not paid yet, and its due date (or date, without one) is today or later.
    Pending,
    /// Not paid, and its due date (or date, without one) has passed.
    Overdue,
}

impl TransactionStatus {
    pub fn of(row: &book_transaction::Model, today: NaiveDate) -> Self {
        if row.paid {
            Self::Paid
        } else if row.due_date.unwrap_or(row.date) < today {
            Self::Overdue
        } else {
            Self::Pending
        }
    }
}

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::books::series::Periodicity")]
pub enum Periodicity {
    /// Every 7 days.
    Weekly,
    /// Every 14 days (every two weeks, not twice a month).
    Biweekly,
    /// Every month on the first occurrence's day; on the 29th to 31st, the last day of a
    /// shorter month, and the original day again in the next month that has it.
    Monthly,
    /// Every 2 months, with the month-end rule of MONTHLY.
    Bimonthly,
    /// Every 3 months, with the month-end rule of MONTHLY.
    Trimonthly,
    /// Every year on the same day; Feb 29 falls on Feb 28 in common years.
    Yearly,
}

/// Which occurrences of a series a change or a deletion reaches. On a transaction that
/// is not in a series every scope means THIS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[graphql(remote = "crate::domain::books::series_edits::SeriesScope")]
pub enum SeriesScope {
    /// This occurrence only.
    #[default]
    This,
    /// This occurrence and the later ones, except those paid and dated before today and
    /// reconciled ones (Organizze's `update_future`). A recurring series is split: a new
    /// one starts at this occurrence, keeping the old one's dates unless `date` moves
    /// this occurrence. From the first occurrence there is nothing before it to split
    /// off: the series changes whole, and what it keeps (paid before today, reconciled)
    /// stays in it, where a later ALL reaches it.
    ThisAndFuture,
    /// Every occurrence, the paid and past ones included; only reconciled ones are kept
    /// (Organizze's `update_all`). After a THIS_AND_FUTURE split, the series this
    /// occurrence is in now: the part split off before it is a series of its own.
    All,
}

/// A transaction that repeats without end.
#[derive(InputObject)]
pub struct RecurrenceInput {
    /// How often it repeats.
    pub periodicity: Periodicity,
}

/// A purchase paid in installments.
#[derive(InputObject)]
pub struct InstallmentsInput {
    /// How often an installment falls due.
    #[graphql(default_with = "Periodicity::Monthly")]
    pub periodicity: Periodicity,
    /// How many installments, 1 to 420. The transaction's `amount` is the purchase's total,
    /// split so that the installments add up to it exactly: each gets the total divided by
    /// this number, rounded down to the cent, and the FIRST installment also takes the cents
    /// left over (100.00 in 3 is 33.34, 33.33, 33.33).
    pub total: i32,
}

/// An income (IN) or an expense (OUT) of one account of a book: the union of the
/// REST APIs' fields (Leasy's quick entries, Organizze's transactions, Fipli's
/// movements).
pub struct Transaction(pub book_transaction::Model);

impl Transaction {
    async fn series(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<book_series::Model>> {
        let Some(id) = self.0.series_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .book_series
            .load_one(Id::new(id))
            .await?
            .filter(|s| s.book_id == self.0.book_id))
    }
}

/// An income (IN) or an expense (OUT) of one account of a book: the union of the
/// REST APIs' fields (Leasy's quick entries, Organizze's transactions, Fipli's
/// movements).
#[Object]
impl Transaction {
    /// Opaque global ID. An occurrence of a recurring series that was never changed,
    /// paid or deleted is computed from its series and has an ID of its own; once
    /// changed it is stored under a new ID, and its first ID still names it.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Transaction, self.0.id).to_id()
    }
    /// IN (an income) or OUT (an expense).
    async fn kind(&self) -> TransactionKind {
        self.0.kind.into()
    }
    /// How much, always positive: `kind` gives the direction.
    async fn amount(&self) -> Decimal {
        Decimal::from(Money::from_minor(self.0.amount_minor))
    }
    /// The amount with its sign: negative for an expense (Organizze's `amount_cents`).
    async fn signed_amount(&self) -> Decimal {
        let minor = match self.0.kind {
            book_transaction::TransactionKind::In => self.0.amount_minor,
            book_transaction::TransactionKind::Out => -self.0.amount_minor,
        };
        Decimal::from(Money::from_minor(minor))
    }
    /// Free text; empty when none.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The day it happened (or is planned), in the organization's timezone. Summaries,
    /// budgets and listings go by this date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// When it is due (a bill's due date); null when not set.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// Whether it was paid (an expense) or received (an income).
    async fn paid(&self) -> bool {
        self.0.paid
    }
    /// The day it was paid or received, which may differ from `date`; null while pending.
    async fn paid_on(&self) -> Option<Date> {
        self.0.paid_on.map(Date)
    }
    /// PAID, PENDING or OVERDUE (pending past its due date), as of today in the
    /// organization's timezone.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<TransactionStatus> {
        Ok(TransactionStatus::of(&self.0, today(ctx).await?))
    }
    /// Its category; null only for a side of a transfer (neither income nor expense).
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
    /// The account the money comes into or goes out of; null for a credit card's
    /// purchases and payments (see `creditCard`).
    async fn account(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        Ok(ctx
            .loaders()
            .book_accounts
            .load_one(Id::new(self.0.account_id))
            .await?
            .filter(|a| a.book_id == self.0.book_id && !a.for_credit_card)
            .map(Account))
    }
    /// The credit card of a card purchase, refund or statement payment (IN side); null
    /// for a bank account's transaction.
    async fn credit_card(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<CreditCard>> {
        Ok(card_of(ctx, &self.0).await?.map(CreditCard))
    }
    /// The card statement it belongs to (by its date and the card's closing day; a
    /// payment, the statement it paid); null when it is not a card's.
    async fn statement(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CreditCardStatement>> {
        let Some(month) = self.0.statement_month else {
            return Ok(None);
        };
        let Some(card) = card_of(ctx, &self.0).await? else {
            return Ok(None);
        };
        Ok(Some(
            statement_of(ctx, &card, Month::from_index(month)).await?,
        ))
    }
    /// Its tags, by name.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Tag>> {
        Ok(ctx
            .loaders()
            .transaction_tags
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Tag)
            .collect())
    }
    /// Who paid or was paid (Fipli's `contact_name`); empty when none.
    async fn contact_name(&self) -> &str {
        &self.0.contact_name
    }
    /// Free notes; empty when none.
    async fn notes(&self) -> &str {
        &self.0.notes
    }
    /// A bill's barcode (boleto); empty when none.
    async fn barcode(&self) -> &str {
        &self.0.barcode
    }
    /// An integration's own id for it, unique within the book; null when none. Look a
    /// transaction up by it with `Book.transactionByExternalId`.
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    /// Free bank details (Fipli's `data_bank`); empty when none.
    async fn bank_data(&self) -> &str {
        &self.0.bank_data
    }
    /// The OFX statement line it was imported from; empty when none.
    async fn ofx_id(&self) -> &str {
        &self.0.ofx_id
    }
    /// When it was reconciled with the bank; while set, its amount, date and account are
    /// locked. Null when not reconciled.
    async fn reconciled_on(&self) -> Option<Date> {
        self.0.reconciled_on.map(Date)
    }
    /// Left out of summaries and budgets (still in listings and account balances).
    async fn excluded(&self) -> bool {
        self.0.excluded
    }
    /// Private: in the business book, shown only to ADMINs and to whoever created it.
    async fn private(&self) -> bool {
        self.0.private
    }
    /// Whether it is one side of a transfer between two accounts (then it has no
    /// category and counts neither as income nor as expense).
    async fn is_transfer(&self) -> bool {
        self.0.transfer_id.is_some()
    }
    /// The transfer this transaction is a side of; null for an income or an expense.
    async fn transfer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Transfer>> {
        transfer_of(ctx, &self.0).await
    }
    /// Its place in an installment purchase, from 1 (`installment` of
    /// `totalInstallments`); 1 for a transaction that is not in installments.
    async fn installment(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(match self.series(ctx).await? {
            Some(s) if s.kind == SeriesKind::Installments => {
                self.0.occurrence.unwrap_or(0).saturating_add(1)
            }
            _ => 1,
        })
    }
    /// How many installments its purchase was split into; 1 for a transaction that is
    /// not in installments (a recurring one included).
    async fn total_installments(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(match self.series(ctx).await? {
            Some(s) if s.kind == SeriesKind::Installments => s.total_installments.unwrap_or(1),
            _ => 1,
        })
    }
    /// Whether it is an occurrence of a series that repeats without end; its
    /// occurrences appear (PENDING, from the series' template) in any period that is
    /// listed or summed, computed when read: reading writes nothing.
    async fn recurring(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self
            .series(ctx)
            .await?
            .is_some_and(|s| s.kind == SeriesKind::Recurring))
    }
    /// How often its series repeats; null when it is not in a series.
    async fn periodicity(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Periodicity>> {
        Ok(self
            .series(ctx)
            .await?
            .and_then(|s| series::Periodicity::from_name(&s.periodicity))
            .map(Into::into))
    }
    /// Who recorded it; null when that user no longer exists.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.created_by_user_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .users
            .load_one(Id::new(id))
            .await?
            .filter(|u| u.organization_id == self.0.organization_id)
            .map(User::from))
    }
    /// The application whose API token recorded it (Fipli's collector token); null when
    /// it was recorded by a logged-in user.
    async fn created_through(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(id) = self.0.created_by_token_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .api_tokens
            .load_one(Id::new(id))
            .await?
            .filter(|t| t.organization_id == self.0.organization_id)
            .map(|t| t.name))
    }
    /// Who recorded it, as Infinanza tells it: the API token of the application it came
    /// through (its `api_key_id`), or else the logged-in user (its `user_id`); null when
    /// neither exists any more.
    async fn creator(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Creator>> {
        creator_of(
            ctx,
            self.0.organization_id,
            self.0.created_by_user_id,
            self.0.created_by_token_id,
        )
        .await
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A new income or expense. Only `kind` and `amount` are required.
#[derive(InputObject)]
pub struct CreateTransactionInput {
    /// IN (an income) or OUT (an expense).
    pub kind: TransactionKind,
    /// How much, more than 0 and at most 1000000000.00.
    pub amount: Decimal,
    /// Free text, at most 500 characters.
    pub description: Option<String>,
    /// The day it happened; today in the organization's timezone when omitted.
    pub date: Option<Date>,
    /// When it is due.
    pub due_date: Option<Date>,
    /// Paid or received. When omitted: true if `paidOn` is given or the date is today or
    /// earlier, false for a future date.
    pub paid: Option<bool>,
    /// The day it was paid or received; `date` when paid and omitted.
    pub paid_on: Option<Date>,
    /// A category of the book of the same kind; the book's default one when omitted.
    pub category_id: Option<ID>,
    /// An account of the book; the book's default account when neither it nor
    /// `creditCardId` is given.
    pub account_id: Option<ID>,
    /// A credit card of the book, for a purchase on it (instead of `accountId`): it goes
    /// to the statement its date falls in (after the closing day, the next one).
    pub credit_card_id: Option<ID>,
    /// Who paid or was paid; at most 200 characters.
    pub contact_name: Option<String>,
    /// Free notes; at most 2000 characters.
    pub notes: Option<String>,
    /// A bill's barcode; at most 100 characters.
    pub barcode: Option<String>,
    /// Your own id for it, unique within the book; a second transaction with the same one
    /// is refused (DUPLICATE), so a retried import creates nothing twice.
    pub external_id: Option<String>,
    /// Free bank details; at most 500 characters.
    pub bank_data: Option<String>,
    /// The OFX statement line it comes from; at most 100 characters.
    pub ofx_id: Option<String>,
    /// The day it was reconciled with the bank (locks its amount, date and account).
    pub reconciled_on: Option<Date>,
    /// Leave it out of summaries and budgets.
    #[graphql(default)]
    pub excluded: bool,
    /// In the business book, show it only to ADMINs and to you.
    #[graphql(default)]
    pub private: bool,
    /// Tags of the book to put on it.
    #[graphql(default)]
    pub tag_ids: Vec<ID>,
    /// Tags by name (any letter case); those the book lacks are created.
    #[graphql(default)]
    pub tag_names: Vec<String>,
    /// Make it repeat without end: occurrence 1 is this one, and the later ones appear
    /// (PENDING, with this one's fields) in every period that is listed or summed,
    /// computed when read. Not with `installments`.
    pub recurrence: Option<RecurrenceInput>,
    /// Make it a purchase paid in installments: `amount` is the TOTAL, and every
    /// installment is recorded now, each dated one period after the previous. `paid`,
    /// `paidOn`, `reconciledOn`, `externalId`, `barcode`, `bankData` and `ofxId` apply to
    /// the first only; the others are paid when dated today or earlier. With
    /// `creditCardId`, installment n goes to the statement n months after the first's.
    /// Not with `recurrence`.
    pub installments: Option<InstallmentsInput>,
}

/// The transaction to change and the fields to change; omitted fields keep their value,
/// and null clears the fields that may be empty. On the payment of a document (a sales
/// invoice's `income`, a receipt's `expense`), what the document says (kind, amount,
/// date, paid, paidOn, description, contact) is refused with LINKED: change the
/// document instead; its other fields change as any transaction's.
#[derive(InputObject)]
pub struct UpdateTransactionInput {
    /// The transaction's global ID.
    pub id: ID,
    /// New direction; without `categoryId`, the category becomes the book's default of
    /// the new kind.
    pub kind: Option<TransactionKind>,
    /// New amount (locked while reconciled).
    pub amount: Option<Decimal>,
    /// New description.
    pub description: Option<String>,
    /// New date (locked while reconciled).
    pub date: Option<Date>,
    /// New due date; null clears it.
    pub due_date: MaybeUndefined<Date>,
    /// Mark it paid or pending (pending clears the paid date).
    pub paid: Option<bool>,
    /// The day it was paid (marks it paid); null clears it and marks it pending.
    pub paid_on: MaybeUndefined<Date>,
    /// Another category of the book, of the transaction's kind.
    pub category_id: Option<ID>,
    /// Another account of the book (locked while reconciled).
    pub account_id: Option<ID>,
    /// New contact name.
    pub contact_name: Option<String>,
    /// New notes.
    pub notes: Option<String>,
    /// New barcode.
    pub barcode: Option<String>,
    /// New external id; null clears it.
    pub external_id: MaybeUndefined<String>,
    /// New bank details.
    pub bank_data: Option<String>,
    /// New OFX id.
    pub ofx_id: Option<String>,
    /// The day it was reconciled; null unreconciles it (and unlocks it).
    pub reconciled_on: MaybeUndefined<Date>,
    /// Leave it out of (or put it back into) summaries and budgets.
    pub excluded: Option<bool>,
    /// Make it private or not.
    pub private: Option<bool>,
    /// The whole new set of tags (replaces the current ones); use `tagTransaction` and
    /// `untagTransaction` to add or remove one.
    pub tag_ids: Option<Vec<ID>>,
    /// The whole new set of tags by name (any letter case; those the book lacks are
    /// created), as `createTransaction` takes them. Sent with `tagIds`, the new set is
    /// every tag either names; either alone replaces the current tags ([] takes them all
    /// off).
    pub tag_names: Option<Vec<String>>,
    /// For an occurrence of a series, which occurrences change. The shared fields sent
    /// (kind, amount, description, date, category, account, contact, notes, excluded,
    /// private, tags) change on every occurrence in scope; `paid`, `paidOn`, `dueDate`,
    /// `reconciledOn`, `externalId`, `barcode`, `bankData` and `ofxId` on this one only.
    /// `amount` is each occurrence's new amount. A new `date` re-derives the dates of the
    /// others: from it with THIS_AND_FUTURE, and with ALL by moving the whole series by
    /// the same number of days.
    #[graphql(default)]
    pub scope: SeriesScope,
}

/// The transaction to delete; the other side goes with it when it is a transfer.
#[derive(InputObject)]
pub struct DeleteTransactionInput {
    /// The transaction's global ID.
    pub id: ID,
    /// For an occurrence of a series, which occurrences go: this one (a recurring series
    /// never shows it again), this and the later ones (a recurring series ends before
    /// it; occurrences paid and dated before today stay, this one too, and so do
    /// reconciled ones) or all, with the series (only reconciled occurrences stay, as
    /// transactions of their own).
    #[graphql(default)]
    pub scope: SeriesScope,
}

/// A tag to put on (or take off) a transaction, without resending the transaction.
#[derive(InputObject)]
pub struct TagTransactionInput {
    /// The transaction's global ID.
    pub transaction_id: ID,
    /// The tag's global ID.
    pub tag_id: ID,
}

/// The transaction created or changed.
#[derive(SimpleObject, Default)]
pub struct TransactionPayload {
    /// The transaction as it is now (for a new series, its first installment or first
    /// occurrence); null when `userErrors` is not empty.
    pub transaction: Option<Transaction>,
    /// How many transactions the mutation recorded or changed: for `createTransaction`
    /// the number of installments, else 1; for `updateTransaction` the occurrences of the
    /// series in `scope`, this one included (1 with THIS or outside a series). A
    /// recurring series has no end: only its occurrences stored on their own (this one,
    /// and those changed or paid before) are counted; the others follow the series'
    /// new template wherever they are read. 1 for the other mutations. 0 when
    /// `userErrors` is not empty.
    pub affected_count: i32,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

impl TransactionPayload {
    /// The payload of a mutation that recorded or changed `count` transactions.
    fn counted(row: book_transaction::Model, count: u64) -> Self {
        Self {
            transaction: Some(Transaction(row)),
            affected_count: i32::try_from(count).unwrap_or(i32::MAX),
            ..Default::default()
        }
    }
}

impl From<book_transaction::Model> for TransactionPayload {
    fn from(row: book_transaction::Model) -> Self {
        Self::counted(row, 1)
    }
}

/// The transactions deleted.
#[derive(SimpleObject, Default)]
pub struct DeleteTransactionPayload {
    /// The IDs deleted: one, both sides of a transfer, or the occurrences of a series in
    /// scope (of a recurring series, those stored on their own: the others end with the
    /// series). Empty when `userErrors` is not.
    pub deleted_ids: Vec<ID>,
    /// How many occurrences (transactions) were deleted, counted as `deletedIds`; 0 when
    /// `userErrors` is not empty.
    pub affected_count: i32,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(TransactionPayload, DeleteTransactionPayload);

fn date(value: MaybeUndefined<Date>) -> Option<Option<NaiveDate>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(d) => Some(Some(d.0)),
    }
}

#[derive(Default)]
pub struct TransactionsMutation;

#[Object]
impl TransactionsMutation {
    /// Records an income or an expense in the caller's book. Everything but `kind` and
    /// `amount` has a default: today, the default account, the default category of the
    /// kind. With `recurrence` it repeats without end; with `installments` it is a
    /// purchase whose installments are all recorded at once.
    async fn create_transaction(
        &self,
        ctx: &Context<'_>,
        input: CreateTransactionInput,
    ) -> async_graphql::Result<TransactionPayload> {
        let actor = ctx.actor()?;
        let request = SeriesRequest {
            recurrence: input.recurrence.as_ref().map(|r| r.periodicity.into()),
            installments: input
                .installments
                .as_ref()
                .map(|i| (i.periodicity.into(), i.total)),
        };
        let today = today(ctx).await?;
        let new = NewTransaction {
            kind: input.kind.into(),
            amount: input.amount.0,
            description: input.description,
            date: input.date.map(|d| d.0),
            due_date: input.due_date.map(|d| d.0),
            paid: input.paid,
            paid_on: input.paid_on.map(|d| d.0),
            category_id: target_opt(
                input.category_id.as_ref(),
                NodeKind::Category,
                "categoryId",
                "a category",
            )?,
            account_id: target_opt(
                input.account_id.as_ref(),
                NodeKind::Account,
                "accountId",
                "an account",
            )?,
            credit_card_id: target_opt(
                input.credit_card_id.as_ref(),
                NodeKind::CreditCard,
                "creditCardId",
                "a credit card",
            )?,
            contact_name: input.contact_name,
            notes: input.notes,
            barcode: input.barcode,
            external_id: input.external_id,
            bank_data: input.bank_data,
            ofx_id: input.ofx_id,
            reconciled_on: input.reconciled_on.map(|d| d.0),
            excluded: input.excluded,
            private: input.private,
            tag_ids: targets(&input.tag_ids, NodeKind::Tag, "tagIds", "a tag")?,
            tag_names: input.tag_names,
        };
        let write = writes::create_transaction(ctx.db(), actor, new, request, today, ctx.now());
        payload(write_book(ctx, write).await, |created| {
            announce(ctx, [&created.transaction]);
            TransactionPayload::counted(created.transaction, u64::from(created.written))
        })
    }

    /// Changes the fields sent of a transaction of the caller's book. A reconciled
    /// transaction's amount, date and account are locked (LOCKED). The payment of a sales
    /// invoice or a receipt changes its kind, amount, date, payment, description and
    /// contact only through its document (LINKED, naming it). On a side of a transfer,
    /// the other side follows. On an occurrence of a series, `scope` says which other
    /// occurrences change too.
    async fn update_transaction(
        &self,
        ctx: &Context<'_>,
        input: UpdateTransactionInput,
    ) -> async_graphql::Result<TransactionPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let scope = input.scope.into();
        let id = target(&input.id, NodeKind::Transaction, "id", "a transaction")?;
        let changes = TransactionChanges {
            kind: input.kind.map(Into::into),
            amount: input.amount.map(|a| a.0),
            description: input.description,
            date: input.date.map(|d| d.0),
            due_date: date(input.due_date),
            paid: input.paid,
            paid_on: date(input.paid_on),
            category_id: target_opt(
                input.category_id.as_ref(),
                NodeKind::Category,
                "categoryId",
                "a category",
            )?,
            account_id: target_opt(
                input.account_id.as_ref(),
                NodeKind::Account,
                "accountId",
                "an account",
            )?,
            contact_name: input.contact_name,
            notes: input.notes,
            barcode: input.barcode,
            external_id: match input.external_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(Some(v)),
            },
            bank_data: input.bank_data,
            ofx_id: input.ofx_id,
            reconciled_on: date(input.reconciled_on),
            excluded: input.excluded,
            private: input.private,
            tag_ids: input
                .tag_ids
                .as_deref()
                .map(|list| targets(list, NodeKind::Tag, "tagIds", "a tag"))
                .transpose()?,
            tag_names: input.tag_names,
        };
        let write =
            writes::update_transaction(ctx.db(), actor, id, changes, scope, today, ctx.now());
        payload(write_book(ctx, write).await, |(row, count)| {
            TransactionPayload::counted(row, count)
        })
    }

    /// Deletes a transaction of the caller's book (both sides of a transfer). A
    /// reconciled transaction cannot be deleted (LOCKED): clear `reconciledOn` first. The
    /// payment of a sales invoice or a receipt goes only with its document, deleted or
    /// marked unpaid (LINKED, naming it). On an occurrence of a series, `scope` says
    /// which other occurrences go too.
    async fn delete_transaction(
        &self,
        ctx: &Context<'_>,
        input: DeleteTransactionInput,
    ) -> async_graphql::Result<DeleteTransactionPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let scope = input.scope.into();
        let id = target(&input.id, NodeKind::Transaction, "id", "a transaction")?;
        let write = writes::delete_transaction(ctx.db(), actor, id, scope, today, ctx.now());
        payload(write_book(ctx, write).await, |deleted| {
            DeleteTransactionPayload {
                affected_count: i32::try_from(deleted.len()).unwrap_or(i32::MAX),
                deleted_ids: deleted
                    .into_iter()
                    .map(|id| GlobalId::new(NodeKind::Transaction, id).to_id())
                    .collect(),
                ..Default::default()
            }
        })
    }

    /// Puts a tag of the book on a transaction; nothing changes if it is already there.
    async fn tag_transaction(
        &self,
        ctx: &Context<'_>,
        input: TagTransactionInput,
    ) -> async_graphql::Result<TransactionPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.transaction_id,
            NodeKind::Transaction,
            "transactionId",
            "a transaction",
        )?;
        let tag = target(&input.tag_id, NodeKind::Tag, "tagId", "a tag")?;
        let write = writes::tag_transaction(ctx.db(), actor, id, tag, ctx.now());
        payload(write_book(ctx, write).await, TransactionPayload::from)
    }

    /// Takes a tag off a transaction; nothing changes if it was not there.
    async fn untag_transaction(
        &self,
        ctx: &Context<'_>,
        input: TagTransactionInput,
    ) -> async_graphql::Result<TransactionPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.transaction_id,
            NodeKind::Transaction,
            "transactionId",
            "a transaction",
        )?;
        let tag = target(&input.tag_id, NodeKind::Tag, "tagId", "a tag")?;
        let write = writes::untag_transaction(ctx.db(), actor, id, tag, ctx.now());
        payload(write_book(ctx, write).await, TransactionPayload::from)
    }
}
