//! The objects of the business books: `Customer`, `SalesInvoice` and its items,
//! `Receipt` and the invoicing settings.

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        business::{amounts, invoices, receipts},
        commons::money::Money,
    },
    entities::{
        business_setting, customer, email_outbox, receipt, sales_invoice, sales_invoice_item,
    },
    graphql::{
        books::{transactions::Transaction, transactions::TransactionStatus},
        commons::{ContextExt, Date, Decimal, GlobalId, NodeKind, today},
        identity::types::{Creator, creator_of},
    },
};

async fn book_transaction(
    ctx: &Context<'_>,
    id: Option<i64>,
    organization_id: i64,
) -> async_graphql::Result<Option<Transaction>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx
        .loaders()
        .book_transactions
        .load_one(Id::new(id))
        .await?
        .filter(|t| t.organization_id == organization_id)
        .map(Transaction))
}

fn money(minor: i64) -> Decimal {
    Decimal::from(Money::from_minor(minor))
}

/// Someone the organization bills (Infinanza's customers).
pub struct Customer(pub customer::Model);

/// Someone the organization bills (Infinanza's customers).
#[Object]
impl Customer {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Customer, self.0.id).to_id()
    }
    /// Name or company name, e.g. "Square Inc".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// National identity or tax number (DNI, RUC), unique within the organization; kept
    /// in upper case.
    async fn national_id(&self) -> &str {
        &self.0.national_id
    }
    /// Postal address; empty when unknown.
    async fn address(&self) -> &str {
        &self.0.address
    }
    /// Email address invoices are sent to; empty when unknown.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Phone number as written; empty when unknown.
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    /// When the customer was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the customer last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A line of a sales invoice.
pub struct SalesInvoiceItem(pub sales_invoice_item::Model);

/// A line of a sales invoice.
#[Object]
impl SalesInvoiceItem {
    /// What was sold, e.g. "Alquiler semanal".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// How many, with up to two decimals (1 by default).
    async fn quantity(&self) -> Decimal {
        Decimal(rust_decimal::Decimal::new(self.0.quantity_centi, 2))
    }
    /// The price of one.
    async fn unit_amount(&self) -> Decimal {
        money(self.0.unit_amount_minor)
    }
    /// `quantity` times `unitAmount`, rounded half away from zero to the cent.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
}

/// An invoice the organization makes out to a customer (Infinanza's invoices): items, a
/// subtotal, tax and total. Not a driver's weekly `Invoice`.
pub struct SalesInvoice(pub sales_invoice::Model);

/// An invoice the organization makes out to a customer (Infinanza's invoices): items, a
/// subtotal, tax and total. Not a driver's weekly `Invoice`.
#[Object]
impl SalesInvoice {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::SalesInvoice, self.0.id).to_id()
    }
    /// The invoice number, unique within the organization (automatic: 1, 2, 3...).
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// The invoice's date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// When it falls due; null when not set.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// Who it is made out to.
    async fn customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Customer>> {
        Ok(ctx
            .loaders()
            .customers
            .load_one(Id::new(self.0.customer_id))
            .await?
            .filter(|c| c.organization_id == self.0.organization_id)
            .map(Customer))
    }
    /// "number - customer name", generated (Infinanza's concept); also the description
    /// of its income in the business book.
    async fn concept(&self) -> &str {
        &self.0.concept
    }
    /// The lines, in order.
    async fn items(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SalesInvoiceItem>> {
        Ok(ctx
            .loaders()
            .invoice_items
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(SalesInvoiceItem)
            .collect())
    }
    /// The sum of the items' amounts, before tax (Infinanza's `amount`).
    async fn subtotal(&self) -> Decimal {
        money(self.0.subtotal_minor)
    }
    /// The tax rate as a percentage (`18.00` is 18 %); null when a fixed `tax` was given
    /// instead.
    async fn tax_percentage(&self) -> Option<Decimal> {
        self.0
            .tax_rate_bp
            .map(|bp| Decimal(amounts::rate_as_percentage(bp)))
    }
    /// The tax: `taxPercentage` of the subtotal rounded half away from zero to the cent
    /// (18 % of 10.25 is 1.85), or the fixed amount given.
    async fn tax(&self) -> Decimal {
        money(self.0.tax_minor)
    }
    /// Subtotal plus tax.
    async fn total(&self) -> Decimal {
        money(self.0.total_minor)
    }
    /// Whether the customer has paid it.
    async fn paid(&self) -> bool {
        self.0.paid
    }
    /// The day it was paid; null while unpaid.
    async fn paid_on(&self) -> Option<Date> {
        self.0.paid_on.map(Date)
    }
    /// PAID, PENDING, or OVERDUE (unpaid past its due date, or its date without one), as
    /// of today in the organization's timezone.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<TransactionStatus> {
        let today = today(ctx).await?;
        Ok(if self.0.paid {
            TransactionStatus::Paid
        } else if invoices::overdue(&self.0, today) {
            TransactionStatus::Overdue
        } else {
            TransactionStatus::Pending
        })
    }
    /// Free text printed on the invoice; empty when none.
    async fn additional_info(&self) -> &str {
        &self.0.additional_info
    }
    /// Its income in the business book while it is paid; null while unpaid.
    /// It follows the invoice: `updateTransaction` and `deleteTransaction` refuse to change
    /// what the invoice says of it (LINKED).
    async fn income(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Transaction>> {
        book_transaction(ctx, self.0.income_transaction_id, self.0.organization_id).await
    }
    /// Who created it: a user, or the API token of the application it came through.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Creator>> {
        creator_of(
            ctx,
            self.0.organization_id,
            self.0.created_by_user_id,
            self.0.created_by_token_id,
        )
        .await
    }
    /// The invoice as a PDF: `GET` this path (e.g. `/documents/invoices/<id>.pdf`) with the
    /// same `Authorization` header as the GraphQL API.
    async fn pdf_path(&self) -> String {
        let id = GlobalId::new(NodeKind::SalesInvoice, self.0.id).to_id();
        format!("/documents/invoices/{}.pdf", id.as_str())
    }
    /// The emails of this invoice (`sendInvoice`, `sendByEmail`), newest first.
    async fn emails(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EmailMessage>> {
        Ok(ctx
            .loaders()
            .invoice_emails
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(EmailMessage)
            .collect())
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Where an email of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::email_outbox::OutboxStatus")]
pub enum EmailStatus {
    /// Waiting for its (next) attempt; `lastError` says why an earlier one failed, or
    /// that no SMTP server is configured yet.
    Queued,
    /// Accepted by the SMTP server.
    Sent,
    /// Given up: refused for good, or failed too many times; `lastError` says why.
    Failed,
}

/// An email in the outbox: an invoice sent to its customer with the PDF attached.
pub struct EmailMessage(pub email_outbox::Model);

/// An email in the outbox: an invoice sent to its customer with the PDF attached.
#[Object]
impl EmailMessage {
    /// Who it goes to.
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    /// Its subject.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// Its text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// The attached file's name, e.g. "factura-12.pdf".
    async fn attachment_name(&self) -> &str {
        &self.0.attachment_name
    }
    /// QUEUED, SENT or FAILED.
    async fn status(&self) -> EmailStatus {
        self.0.status.into()
    }
    /// Attempts made so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// Why the last attempt failed, or why none was made (no SMTP server configured);
    /// null once sent and while nothing went wrong.
    async fn last_error(&self) -> Option<&str> {
        (!self.0.last_error.is_empty()).then_some(self.0.last_error.as_str())
    }
    /// When the next attempt is due, while queued.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == email_outbox::OutboxStatus::Queued).then_some(self.0.next_attempt_at)
    }
    /// When the SMTP server accepted it.
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
    /// When it was queued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A bill the organization has to pay (Infinanza's receipts): water, internet, rent.
pub struct Receipt(pub receipt::Model);

/// A bill the organization has to pay (Infinanza's receipts): water, internet, rent.
#[Object]
impl Receipt {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Receipt, self.0.id).to_id()
    }
    /// The bill's date.
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// When it falls due; null when not set.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// What it is for, e.g. "Agua".
    async fn concept(&self) -> &str {
        &self.0.concept
    }
    /// How much.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
    /// Whether it has been paid.
    async fn paid(&self) -> bool {
        self.0.paid
    }
    /// The day it was paid; null while unpaid.
    async fn paid_on(&self) -> Option<Date> {
        self.0.paid_on.map(Date)
    }
    /// PAID, PENDING, or OVERDUE (unpaid past its due date, or its date without one), as
    /// of today in the organization's timezone.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<TransactionStatus> {
        let today = today(ctx).await?;
        Ok(if self.0.paid {
            TransactionStatus::Paid
        } else if receipts::overdue(&self.0, today) {
            TransactionStatus::Overdue
        } else {
            TransactionStatus::Pending
        })
    }
    /// Its expense in the business book while it is paid; null while unpaid.
    /// It follows the receipt: `updateTransaction` and `deleteTransaction` refuse to change
    /// what the receipt says of it (LINKED).
    async fn expense(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Transaction>> {
        book_transaction(ctx, self.0.expense_transaction_id, self.0.organization_id).await
    }
    /// Who created it: a user, or the API token of the application it came through.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Creator>> {
        creator_of(
            ctx,
            self.0.organization_id,
            self.0.created_by_user_id,
            self.0.created_by_token_id,
        )
        .await
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// How the organization invoices.
#[derive(SimpleObject)]
pub struct InvoicingSettings {
    /// The tax rate of invoices that give neither `taxPercentage` nor `tax`, as a
    /// percentage (`18.00` is Peru's 18 % IGV, the default).
    pub default_tax_percentage: Decimal,
    /// The number the next invoice without one will get (or the next free one after it).
    pub next_invoice_number: String,
}

impl From<business_setting::Model> for InvoicingSettings {
    fn from(row: business_setting::Model) -> Self {
        Self {
            default_tax_percentage: Decimal(amounts::rate_as_percentage(row.default_tax_rate_bp)),
            next_invoice_number: (row.last_invoice_number + 1).to_string(),
        }
    }
}

crate::connection!(
    CustomerConnection,
    CustomerEdge,
    Customer,
    "A page of customers, by name.",
    "A customer and its cursor."
);

crate::connection!(
    SalesInvoiceConnection,
    SalesInvoiceEdge,
    SalesInvoice,
    "A page of sales invoices, newest date first.",
    "A sales invoice and its cursor."
);

crate::connection!(
    ReceiptConnection,
    ReceiptEdge,
    Receipt,
    "A page of receipts, newest date first.",
    "A receipt and its cursor."
);
