//! Credit cards in the schema (issue 6): the `CreditCard` and `CreditCardStatement`
//! nodes, their loaders, `createCreditCard` / `updateCreditCard` / `deleteCreditCard` and
//! `payStatement`. The rules are the domain's ([`cards`], [`statements`]).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::{
    text::Text,
    transactions::Transaction,
    transfers::{Transfer, transfer_of},
    writes::{announce, key, write_book},
};
use crate::domain::commons::Id;
use crate::{
    domain::{
        DomainError,
        books::{
            self,
            cards::{self, CardChanges, NewCard},
            cycles::Month,
            statements::{self, Statement, StatementPayment},
            transactions::visible_to,
            writes,
        },
        commons::money::Money,
    },
    entities::{book_credit_card, book_transaction},
    graphql::{
        commons::{
            ContextExt, Date, Decimal, ErrorCode, GlobalId, NodeKind, UserError, payload, target,
            target_opt, today,
        },
        fast::{
            columns::{Column, stored},
            compiled,
        },
    },
};

/// Statements `months` of `card`, through the loaders (one statement per level for a
/// page of cards).
async fn statements_of(
    ctx: &Context<'_>,
    card: &book_credit_card::Model,
    months: impl IntoIterator<Item = Month>,
) -> async_graphql::Result<Vec<CreditCardStatement>> {
    let months: Vec<Month> = months.into_iter().collect();
    // A statement closes within its month, so its last month's end covers its purchases.
    let through = months
        .iter()
        .max()
        .map_or(NaiveDate::MIN, |last| last.last_day());
    let loaders = ctx.loaders();
    let (cycles, totals) = futures_util::try_join!(
        loaders.card_cycles.load_one(Id::new(card.id)),
        loaders
            .statement_totals
            .load_one((Id::new(card.account_id), through)),
    )?;
    let cycles = cycles.unwrap_or_else(|| cards::cycles_of(card, &[]));
    let totals = totals.unwrap_or_default();
    Ok(months
        .into_iter()
        .map(|month| CreditCardStatement {
            card: card.clone(),
            statement: Statement::compute(Id::new(card.id), &cycles, &totals, month),
        })
        .collect())
}

/// Statement `month` of `card`.
pub async fn statement_of(
    ctx: &Context<'_>,
    card: &book_credit_card::Model,
    month: Month,
) -> async_graphql::Result<CreditCardStatement> {
    statements_of(ctx, card, [month])
        .await?
        .pop()
        .ok_or_else(|| DomainError::Internal("no statement computed".into()).into())
}

/// The card whose own account a transaction is of; `None` for a bank account's.
pub async fn card_of(
    ctx: &Context<'_>,
    row: &book_transaction::Model,
) -> async_graphql::Result<Option<book_credit_card::Model>> {
    Ok(ctx
        .loaders()
        .cards_by_account
        .load_one(Id::new(row.account_id))
        .await?
        .filter(|c| c.book_id == row.book_id))
}

fn month_of(year: i32, month: i32) -> async_graphql::Result<Month> {
    if !statements::year_in_range(year) {
        return Err(ErrorCode::BadUserInput.error(Text::YearRange {
            min: statements::MIN_YEAR.to_string(),
            max: statements::MAX_YEAR.to_string(),
        }));
    }
    u32::try_from(month)
        .ok()
        .and_then(|m| Month::new(year, m))
        .ok_or_else(|| ErrorCode::BadUserInput.error(Text::MonthRange))
}

// ---------------------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------------------

/// A `CreditCard`'s fields read from its `book_credit_cards` row (see `fast::columns`),
/// valued as the resolvers below answer them: the compiled lists of a book's cards
/// select them.
pub const CREDIT_CARD_COLUMNS: &[Column<book_credit_card::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::CreditCard, &stored(t, "id"))
    }),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("description", |t| stored(t, "description")),
    Column::compiled("network", |t| stored(t, "network")),
    Column::compiled("closingDay", |t| stored(t, "closing_day")),
    Column::compiled("dueDay", |t| stored(t, "due_day")),
    Column::compiled("limit", |t| compiled::money(&stored(t, "limit_minor"))),
    Column::resolved(
        "outstanding",
        "sums the card's transactions as of today, through the `card_outstanding` loader",
    ),
    Column::resolved(
        "availableLimit",
        "sums the card's transactions as of today, through the `card_outstanding` loader",
    ),
    Column::compiled("archived", |t| stored(t, "archived")),
    Column::compiled("isDefault", |t| stored(t, "is_default")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("updatedAt", |t| {
        compiled::timestamp(&stored(t, "updated_at"))
    }),
];

/// A credit card of a book (Organizze's credit cards). Its purchases are expenses of
/// their own date in summaries and budgets; each falls in a monthly statement by its date
/// and the card's closing day, and paying a statement is a transfer from a bank account
/// to the card (`payStatement`).
pub struct CreditCard(pub book_credit_card::Model);

/// A credit card of a book (Organizze's credit cards). Its purchases are expenses of
/// their own date in summaries and budgets; each falls in a monthly statement by its date
/// and the card's closing day, and paying a statement is a transfer from a bank account
/// to the card (`payStatement`).
#[Object]
impl CreditCard {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::CreditCard, self.0.id).to_id()
    }
    /// Display name, e.g. "Visa BCP".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Free text; empty when none.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The card network in lower case ("visa", "mastercard"...); empty when not given.
    async fn network(&self) -> &str {
        &self.0.network
    }
    /// The day of the month its statements close (from the current statement on; a
    /// shorter month closes on its last day). A purchase on this day is in the statement
    /// closing that day; one after it, in the next.
    async fn closing_day(&self) -> i32 {
        i32::from(self.0.closing_day)
    }
    /// The day of the month its statements are due: of the closing month when it comes
    /// after the closing day, of the next month otherwise.
    async fn due_day(&self) -> i32 {
        i32::from(self.0.due_day)
    }
    /// The credit limit; 0 when the card has none.
    async fn limit(&self) -> Decimal {
        Money::from_minor(self.0.limit_minor).into()
    }
    /// What the card owes today: its purchases (every installment, future ones included;
    /// other purchases dated up to today) minus its refunds dated up to today minus every
    /// payment. Negative when it was paid beyond what it owes.
    async fn outstanding(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(outstanding(ctx, &self.0).await?.into())
    }
    /// `limit` minus `outstanding`: what can still be spent today (negative when over the
    /// limit). Null when the card has no limit (0).
    async fn available_limit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        if self.0.limit_minor == 0 {
            return Ok(None);
        }
        let owed = outstanding(ctx, &self.0).await?;
        Ok(Some(
            Money::from_minor(self.0.limit_minor - owed.minor()).into(),
        ))
    }
    /// Archived cards are hidden from lists unless asked for; their past stays.
    async fn archived(&self) -> bool {
        self.0.archived
    }
    /// Whether this is the book's default card (at most one).
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// When the card was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the card last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The 12 statements closing in a year, January's first: any year, past ones too (an
    /// Organizze user's request).
    async fn statements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, 1900 to 2999; the current year when omitted.")] year: Option<
            i32,
        >,
    ) -> async_graphql::Result<Vec<CreditCardStatement>> {
        let year = match year {
            Some(year) => year,
            None => today(ctx).await?.year(),
        };
        let january = month_of(year, 1)?;
        statements_of(ctx, &self.0, (0..12).map(|i| january.plus(i))).await
    }
    /// The statement closing in a month.
    async fn statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year, 1900 to 2999.")] year: i32,
        #[graphql(desc = "The month it closes in, 1 to 12.")] month: i32,
    ) -> async_graphql::Result<CreditCardStatement> {
        statement_of(ctx, &self.0, month_of(year, month)?).await
    }
    /// The statement a purchase made today goes to (the open one).
    async fn current_statement(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<CreditCardStatement> {
        let today = today(ctx).await?;
        let cycles = ctx
            .loaders()
            .card_cycles
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_else(|| cards::cycles_of(&self.0, &[]));
        statement_of(ctx, &self.0, cycles.statement_for(today)).await
    }
}

async fn outstanding(
    ctx: &Context<'_>,
    card: &book_credit_card::Model,
) -> async_graphql::Result<Money> {
    let today = today(ctx).await?;
    Ok(ctx
        .loaders()
        .card_outstanding
        .load_one((Id::new(card.account_id), today))
        .await?
        .unwrap_or(Money::ZERO))
}

/// Where a statement stands, as of today in the organization's timezone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::books::statements::StatementStatus")]
pub enum CreditCardStatementStatus {
    /// It has not closed yet (today is on or before its closing date).
    Open,
    /// Closed with a positive balance, not yet past its due date.
    Closed,
    /// Past its due date with a positive balance that no later payment has covered.
    Overdue,
    /// Closed with a balance of 0 or less (a credit), or covered since: its unpaid
    /// balance was carried into a later statement and the payments made so far cover
    /// everything charged up to it.
    Paid,
}

/// One monthly statement of a credit card (Organizze's "fatura"), named by the month it
/// closes in. Computed from the card's transactions, never stored: `balance` =
/// `previousBalance` + `amount` - `payments`, and `previousBalance` is the previous
/// statement's balance whatever its sign (unpaid debt, or a credit when overpaid).
pub struct CreditCardStatement {
    pub card: book_credit_card::Model,
    pub statement: Statement,
}

/// One monthly statement of a credit card (Organizze's "fatura"), named by the month it
/// closes in. Computed from the card's transactions, never stored: `balance` =
/// `previousBalance` + `amount` - `payments`, and `previousBalance` is the previous
/// statement's balance whatever its sign (unpaid debt, or a credit when overpaid).
#[Object]
impl CreditCardStatement {
    /// Opaque global ID (the card and the month).
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::CreditCardStatement, self.statement.id()).to_id()
    }
    /// The card.
    async fn credit_card(&self) -> CreditCard {
        CreditCard(self.card.clone())
    }
    /// The year it closes in.
    async fn year(&self) -> i32 {
        self.statement.dates.month.year()
    }
    /// The month it closes in, 1 to 12.
    async fn month(&self) -> i32 {
        i32::try_from(self.statement.dates.month.month()).unwrap_or(1)
    }
    /// Its first day of purchases: the day after the previous statement closed.
    async fn start_date(&self) -> Date {
        Date(self.statement.dates.start)
    }
    /// Its last day of purchases (the card's closing day, or the month's last day when
    /// the month is shorter).
    async fn closing_date(&self) -> Date {
        Date(self.statement.dates.closing)
    }
    /// When it is to be paid.
    async fn due_date(&self) -> Date {
        Date(self.statement.dates.due)
    }
    /// Its purchases minus its refunds.
    async fn amount(&self) -> Decimal {
        self.statement.amount.into()
    }
    /// What was paid towards it (`payStatement`).
    async fn payments(&self) -> Decimal {
        self.statement.payments.into()
    }
    /// The previous statement's balance, carried over: positive when it was left unpaid,
    /// negative (a credit) when it was overpaid.
    async fn previous_balance(&self) -> Decimal {
        self.statement.previous_balance.into()
    }
    /// `previousBalance` + `amount` - `payments`: what is left to pay (a credit when
    /// negative, carried to the next statement).
    async fn balance(&self) -> Decimal {
        self.statement.balance.into()
    }
    /// OPEN, CLOSED, OVERDUE or PAID as of today in the organization's timezone.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<CreditCardStatementStatus> {
        Ok(self.statement.status(today(ctx).await?).into())
    }
    /// Its purchases and refunds, by date (payments are in `paymentTransfers`).
    async fn transactions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Transaction>> {
        Ok(self
            .rows(ctx)
            .await?
            .into_iter()
            .filter(|r| r.transfer_id.is_none())
            .map(Transaction)
            .collect())
    }
    /// The payments made towards it, by date: transfers from a bank account to the card.
    async fn payment_transfers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Transfer>> {
        let rows = self.rows(ctx).await?;
        let transfers =
            futures_util::future::try_join_all(rows.iter().map(|row| transfer_of(ctx, row)))
                .await?;
        Ok(transfers.into_iter().flatten().collect())
    }
}

impl CreditCardStatement {
    async fn rows(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<book_transaction::Model>> {
        let viewer = ctx.viewer()?;
        let key = (
            Id::new(self.card.account_id),
            self.statement.dates.month.index(),
        );
        Ok(ctx
            .loaders()
            .statement_rows
            .load_one(key)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.book_id == self.card.book_id && visible_to(viewer, r))
            .collect())
    }
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

/// A new credit card.
#[derive(InputObject)]
pub struct CreateCreditCardInput {
    /// Display name, e.g. "Visa BCP"; at most 100 characters.
    pub name: String,
    /// Free text; at most 500 characters.
    pub description: Option<String>,
    /// The card network, e.g. "visa"; at most 32 characters, stored in lower case.
    pub network: Option<String>,
    /// The day of the month its statements close, 1 to 31 (a shorter month closes on its
    /// last day).
    pub closing_day: i32,
    /// The day of the month its statements are due, 1 to 31.
    pub due_day: i32,
    /// The credit limit, 0 or more; 0 (no limit) when omitted.
    pub limit: Option<Decimal>,
    /// Make it the book's default card (the previous default no longer is).
    #[graphql(default)]
    pub make_default: bool,
}

/// The card to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateCreditCardInput {
    /// The card's global ID.
    pub id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New description; "" clears it.
    pub description: Option<String>,
    /// New network; "" clears it.
    pub network: Option<String>,
    /// New closing day, 1 to 31, from the statement containing `updateStatementsSince`
    /// on; earlier statements keep their dates.
    pub closing_day: Option<i32>,
    /// New due day, 1 to 31, from the same statement on.
    pub due_day: Option<i32>,
    /// The new days apply from the statement containing this date (Organizze's
    /// `update_invoices_since`); today's open statement when omitted. The card's
    /// purchases dated from that statement's new start on move to the statement their
    /// date now falls in; payments stay with the statement they paid.
    pub update_statements_since: Option<Date>,
    /// New limit, 0 (no limit) or more.
    pub limit: Option<Decimal>,
    /// Archive (true) or unarchive (false); archiving the default card leaves the book
    /// without one.
    pub archived: Option<bool>,
    /// true makes it the book's default card (and unarchives it); false leaves the book
    /// without a default card.
    pub is_default: Option<bool>,
}

/// The card to delete: only one without transactions (archive it otherwise).
#[derive(InputObject)]
pub struct DeleteCreditCardInput {
    /// The card's global ID.
    pub id: ID,
}

/// A payment of a card's statement.
#[derive(InputObject)]
pub struct PayStatementInput {
    /// The statement's global ID (`CreditCardStatement.id`).
    pub statement_id: ID,
    /// The bank account the money leaves; the book's default account when omitted.
    pub account_id: Option<ID>,
    /// How much, more than 0 and at most 1000000000.00: part of the balance, all of it,
    /// or more (the excess is a credit carried to the next statement).
    pub amount: Decimal,
    /// The day of the payment; today in the organization's timezone when omitted. A
    /// future date records it as pending.
    pub date: Option<Date>,
    /// Free text, at most 500 characters; "Pago <card> MM/YYYY" when omitted.
    pub description: Option<String>,
    /// A key of your own for this payment (8 to 100 letters, digits or `-_.:`; a new UUID
    /// fits). A retry with the same key returns the first request's payment instead of
    /// paying twice; the same key with another input is a CONFLICT error. Optional,
    /// unlike a wallet payment's: it moves money between the driver's own book accounts,
    /// which they see and can undo; send one when your client retries by itself.
    pub idempotency_key: Option<String>,
}

/// The new credit card.
#[derive(SimpleObject, Default)]
pub struct CreateCreditCardPayload {
    /// The card created; null when `userErrors` is not empty.
    pub credit_card: Option<CreditCard>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The changed credit card.
#[derive(SimpleObject, Default)]
pub struct UpdateCreditCardPayload {
    /// The card as it is now; null when `userErrors` is not empty.
    pub credit_card: Option<CreditCard>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The deleted credit card.
#[derive(SimpleObject, Default)]
pub struct DeleteCreditCardPayload {
    /// The ID of the card deleted; null when `userErrors` is not empty.
    pub deleted_id: Option<ID>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// A statement payment made.
#[derive(SimpleObject, Default)]
pub struct PayStatementPayload {
    /// The payment: a transfer from the bank account to the card. Null when `userErrors`
    /// is not empty.
    pub transfer: Option<Transfer>,
    /// The statement paid, as it is after the payment.
    pub statement: Option<CreditCardStatement>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(
    CreateCreditCardPayload,
    UpdateCreditCardPayload,
    DeleteCreditCardPayload,
    PayStatementPayload,
);

#[derive(Default)]
pub struct CreditCardsMutation;

#[Object]
impl CreditCardsMutation {
    /// Adds a credit card to the caller's book (at most 20). Its purchases are recorded
    /// with `createTransaction(input: {creditCardId})`.
    async fn create_credit_card(
        &self,
        ctx: &Context<'_>,
        input: CreateCreditCardInput,
    ) -> async_graphql::Result<CreateCreditCardPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let new = NewCard {
            name: input.name,
            description: input.description,
            network: input.network,
            closing_day: input.closing_day,
            due_day: input.due_day,
            limit: input.limit.map(|l| l.0),
            make_default: input.make_default,
        };
        let write = writes::create_credit_card(ctx.db(), actor, new, today, ctx.now());
        payload(write_book(ctx, write).await, |card| {
            CreateCreditCardPayload {
                credit_card: Some(CreditCard(card)),
                ..Default::default()
            }
        })
    }

    /// Changes the fields sent of a credit card of the caller's book. New closing or due
    /// days apply from the statement containing `updateStatementsSince` on.
    async fn update_credit_card(
        &self,
        ctx: &Context<'_>,
        input: UpdateCreditCardInput,
    ) -> async_graphql::Result<UpdateCreditCardPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let id = target(&input.id, NodeKind::CreditCard, "id", "a credit card")?;
        let changes = CardChanges {
            name: input.name,
            description: input.description,
            network: input.network,
            closing_day: input.closing_day,
            due_day: input.due_day,
            limit: input.limit.map(|l| l.0),
            archived: input.archived,
            is_default: input.is_default,
            statements_since: input.update_statements_since.map(|d| d.0),
        };
        let write = writes::update_credit_card(ctx.db(), actor, id, changes, today, ctx.now());
        payload(write_book(ctx, write).await, |card| {
            UpdateCreditCardPayload {
                credit_card: Some(CreditCard(card)),
                ..Default::default()
            }
        })
    }

    /// Deletes a credit card of the caller's book that has no transactions; one with
    /// transactions is IN_USE: archive it instead.
    async fn delete_credit_card(
        &self,
        ctx: &Context<'_>,
        input: DeleteCreditCardInput,
    ) -> async_graphql::Result<DeleteCreditCardPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::CreditCard, "id", "a credit card")?;
        let write = writes::delete_credit_card(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |id| DeleteCreditCardPayload {
            deleted_id: Some(GlobalId::new(NodeKind::CreditCard, id).to_id()),
            ..Default::default()
        })
    }

    /// Pays a card's statement from a bank account: a transfer to the card, so neither an
    /// expense nor an income in summaries (the purchases counted on their own dates). The
    /// account's balance goes down, the statement's balance goes down, and the next
    /// statement's `previousBalance` follows. Partial payments are allowed, and so is
    /// paying more than the balance (a credit for the next statement).
    async fn pay_statement(
        &self,
        ctx: &Context<'_>,
        input: PayStatementInput,
    ) -> async_graphql::Result<PayStatementPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let (card_id, month) =
            GlobalId::parse_kind(&input.statement_id, NodeKind::CreditCardStatement)
                .and_then(statements::parse_statement_id)
                .ok_or_else(|| ErrorCode::BadUserInput.error(Text::NotAStatementId))?;
        let account_id = target_opt(
            input.account_id.as_ref(),
            NodeKind::Account,
            "accountId",
            "an account",
        )?;
        let result = match key(input.idempotency_key.as_deref()) {
            Ok(key) => {
                let payment = StatementPayment {
                    card_id,
                    month,
                    account_id,
                    amount: input.amount.0,
                    date: input.date.map(|d| d.0),
                    description: input.description,
                    key,
                };
                let write = writes::pay_statement(ctx.db(), actor, payment, today, ctx.now());
                write_book(ctx, write).await
            }
            // A caller who may not write is told so before what they sent is looked at.
            Err(err) => books::require_writer(actor.viewer).and(Err(err)),
        };
        payload(result, |(transfer, card, statement)| {
            announce(ctx, [&transfer.outgoing, &transfer.incoming]);
            PayStatementPayload {
                transfer: Some(transfer.into()),
                statement: Some(CreditCardStatement { card, statement }),
                ..Default::default()
            }
        })
    }
}
