//! Changing the business: customers, sales invoices, receipts and the invoicing
//! settings. ADMINs (and API tokens acting for them) only: COLLECTORs and drivers get
//! FORBIDDEN. An ID of another organization is NOT_FOUND, exactly as a missing one.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::NaiveDate;

use super::types::{Customer, EmailMessage, InvoicingSettings, Receipt, SalesInvoice};
use crate::{
    domain::business::{
        customers::{self, CustomerFields},
        invoices::{self, CustomerRef, InvoiceChanges, NewInvoice, NewItem},
        receipts::{self, NewReceipt, ReceiptChanges},
        settings,
    },
    graphql::commons::{
        ContextExt, Date, Decimal, GlobalId, NodeKind, UserError, payload, target, today,
    },
};

fn date(value: MaybeUndefined<Date>) -> Option<Option<NaiveDate>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(d) => Some(Some(d.0)),
    }
}

// ---------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------

/// A new customer (Infinanza's POST /customers).
#[derive(InputObject)]
pub struct CreateCustomerInput {
    /// Name or company name; at most 200 characters.
    pub name: String,
    /// National identity or tax number (DNI, RUC): 4 to 20 letters, digits or dashes,
    /// unique within the organization.
    pub national_id: String,
    /// Postal address; at most 300 characters.
    pub address: Option<String>,
    /// Email address invoices are sent to.
    pub email: Option<String>,
    /// Phone number, e.g. "+51987928878".
    pub phone: Option<String>,
}

/// The customer to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateCustomerInput {
    /// The customer's global ID.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New national id (unique within the organization).
    pub national_id: Option<String>,
    /// New address; "" clears it.
    pub address: Option<String>,
    /// New email; "" clears it.
    pub email: Option<String>,
    /// New phone; "" clears it.
    pub phone: Option<String>,
}

/// The customer to delete: refused (IN_USE) while invoices are made out to it.
#[derive(InputObject)]
pub struct DeleteCustomerInput {
    /// The customer's global ID.
    pub id: ID,
}

crate::payload!(
    CustomerPayload,
    customer,
    Customer,
    "The customer created or changed.",
    "The customer as it is now; null when `userErrors` is not empty."
);
crate::payload!(
    DeleteCustomerPayload,
    deleted_id,
    ID,
    "The customer deleted.",
    "The ID of the customer deleted; null when `userErrors` is not empty."
);

// ---------------------------------------------------------------------------------------
// Sales invoices
// ---------------------------------------------------------------------------------------

/// Who an invoice is made out to: an existing customer by `id` (the other fields sent
/// change it), or, without `id`, the customer of `nationalId` (then `name` and
/// `nationalId` are required). Without `id`, when the organization already has a customer
/// with that national id, the invoice is made out to that customer, which is not changed:
/// each other field sent (blank ones aside) must say what it holds, ignoring letter case,
/// accents and spacing, or the invoice is refused with CUSTOMER_MISMATCH on that field
/// (the message says what is stored); to change the customer, send its `id` with the
/// fields to change. Otherwise a new customer is created with the invoice (none if the
/// invoice is refused).
#[derive(InputObject)]
pub struct InvoiceCustomerInput {
    /// An existing customer's global ID; omit it to name the customer by `nationalId`.
    pub id: Option<ID>,
    /// The name (required without `id`).
    pub name: Option<String>,
    /// The national id (required without `id`; unique within the organization).
    pub national_id: Option<String>,
    /// The address.
    pub address: Option<String>,
    /// The email.
    pub email: Option<String>,
    /// The phone.
    pub phone: Option<String>,
}

impl InvoiceCustomerInput {
    fn into_ref(self) -> async_graphql::Result<CustomerRef> {
        let fields = CustomerFields {
            name: self.name,
            national_id: self.national_id,
            address: self.address,
            email: self.email,
            phone: self.phone,
        };
        Ok(match self.id {
            Some(id) => CustomerRef::Existing {
                id: target(&id, NodeKind::Customer, "customer.id", "a customer")?,
                changes: fields,
            },
            None => CustomerRef::New(fields),
        })
    }
}

/// A line of an invoice.
#[derive(InputObject)]
pub struct SalesInvoiceItemInput {
    /// What is sold; at most 500 characters.
    pub description: String,
    /// How many: more than 0, at most 1000000, two decimals at most; 1 when omitted.
    pub quantity: Option<Decimal>,
    /// The price of one: 0 or more.
    pub unit_amount: Decimal,
}

fn items(list: Vec<SalesInvoiceItemInput>) -> Vec<NewItem> {
    list.into_iter()
        .map(|i| NewItem {
            description: i.description,
            quantity: i.quantity.map(|q| q.0),
            unit_amount: i.unit_amount.0,
        })
        .collect()
}

/// A new sales invoice (Infinanza's POST /invoices). The tax is `taxPercentage` of the
/// subtotal, or the fixed `tax`, or (with neither) the organization's default rate (18 %
/// unless changed); a computed tax is rounded half away from zero to the cent.
#[derive(InputObject)]
pub struct CreateSalesInvoiceInput {
    /// The invoice number (letters, digits, "-", "/", ".", "_"; at most 30), unique
    /// within the organization; the organization's next number when omitted.
    pub number: Option<String>,
    /// The invoice's date; today in the organization's timezone when omitted.
    pub date: Option<Date>,
    /// When it falls due; not before `date`.
    pub due_date: Option<Date>,
    /// Who it is made out to: an existing customer or a new one.
    pub customer: InvoiceCustomerInput,
    /// The lines: at least one, at most 100.
    pub items: Vec<SalesInvoiceItemInput>,
    /// The tax rate as a percentage of the subtotal, 0 to 100 with two decimals at most
    /// (`18` is 18 %; Infinanza's `tax_percentage` 0.18). Not with `tax`.
    pub tax_percentage: Option<Decimal>,
    /// A fixed tax amount, 0 or more. Not with `taxPercentage`.
    pub tax: Option<Decimal>,
    /// Already paid (its income goes into the business book). False when omitted.
    pub paid: Option<bool>,
    /// The day it was paid (marks it paid); today when `paid` is true and this is
    /// omitted.
    pub paid_on: Option<Date>,
    /// Free text printed on the invoice; at most 2000 characters.
    pub additional_info: Option<String>,
    /// Email the invoice (its PDF attached) to the customer's email, through the
    /// outbox (see `sendInvoice`).
    #[graphql(default)]
    pub send_by_email: bool,
    /// The text of that email; a greeting with the number and total when omitted.
    pub email_message: Option<String>,
}

/// The invoice to change and the fields to change; omitted fields keep their value.
/// `items`, when sent, replace every item (all or nothing). New items under a stored
/// rate are taxed at that rate again; a fixed tax stays until `tax` or `taxPercentage`
/// is sent.
#[derive(InputObject)]
pub struct UpdateSalesInvoiceInput {
    /// The invoice's global ID.
    pub id: ID,
    /// New number, unique within the organization.
    pub number: Option<String>,
    /// New date.
    pub date: Option<Date>,
    /// New due date; null clears it.
    pub due_date: MaybeUndefined<Date>,
    /// Another customer (or changes to this one, by its `id`), or a new one.
    pub customer: Option<InvoiceCustomerInput>,
    /// Every line, replacing the current ones.
    pub items: Option<Vec<SalesInvoiceItemInput>>,
    /// A new tax rate, as a percentage of the subtotal. Not with `tax`.
    pub tax_percentage: Option<Decimal>,
    /// A new fixed tax amount. Not with `taxPercentage`.
    pub tax: Option<Decimal>,
    /// Paid or unpaid (unpaid takes its income out of the business book).
    pub paid: Option<bool>,
    /// The day it was paid (marks it paid); null marks it unpaid.
    pub paid_on: MaybeUndefined<Date>,
    /// New additional info; "" clears it.
    pub additional_info: Option<String>,
}

/// An invoice to mark paid.
#[derive(InputObject)]
pub struct MarkSalesInvoicePaidInput {
    /// The invoice's global ID.
    pub id: ID,
    /// The day it was paid; today in the organization's timezone when omitted.
    pub paid_on: Option<Date>,
}

/// The invoice to delete (with its items and its income in the business book).
#[derive(InputObject)]
pub struct DeleteSalesInvoiceInput {
    /// The invoice's global ID.
    pub id: ID,
}

crate::payload!(
    SalesInvoicePayload,
    sales_invoice,
    SalesInvoice,
    "The sales invoice created or changed.",
    "The invoice as it is now; null when `userErrors` is not empty."
);
/// An invoice to email to its customer.
#[derive(InputObject)]
pub struct SendInvoiceInput {
    /// The invoice's global ID.
    pub invoice_id: ID,
    /// The text of the email; a greeting with the number and total when omitted. At most
    /// 2000 characters.
    pub message: Option<String>,
    /// Another address than the customer's email.
    pub to: Option<String>,
}

/// The email queued.
#[derive(SimpleObject, Default)]
pub struct SendInvoicePayload {
    /// The email in the outbox: QUEUED until the sender delivers it (its `lastError` says
    /// so while no SMTP server is configured); null when `userErrors` is not empty.
    pub email: Option<EmailMessage>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(SendInvoicePayload);

crate::payload!(
    DeleteSalesInvoicePayload,
    deleted_id,
    ID,
    "The sales invoice deleted.",
    "The ID of the invoice deleted; null when `userErrors` is not empty."
);

// ---------------------------------------------------------------------------------------
// Receipts
// ---------------------------------------------------------------------------------------

/// A new receipt: a bill to pay (Infinanza's POST /receipts).
#[derive(InputObject)]
pub struct CreateReceiptInput {
    /// The bill's date; today in the organization's timezone when omitted.
    pub date: Option<Date>,
    /// When it falls due; not before `date`.
    pub due_date: Option<Date>,
    /// What it is for, e.g. "Agua"; at most 500 characters.
    pub concept: String,
    /// How much: more than 0, at most 1000000000.00.
    pub amount: Decimal,
    /// Already paid (its expense goes into the business book). False when omitted.
    pub paid: Option<bool>,
    /// The day it was paid (marks it paid); today when `paid` is true and this is
    /// omitted.
    pub paid_on: Option<Date>,
}

/// The receipt to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateReceiptInput {
    /// The receipt's global ID.
    pub id: ID,
    /// New date.
    pub date: Option<Date>,
    /// New due date; null clears it.
    pub due_date: MaybeUndefined<Date>,
    /// New concept.
    pub concept: Option<String>,
    /// New amount.
    pub amount: Option<Decimal>,
    /// Paid or unpaid (unpaid takes its expense out of the business book).
    pub paid: Option<bool>,
    /// The day it was paid (marks it paid); null marks it unpaid.
    pub paid_on: MaybeUndefined<Date>,
}

/// A receipt to mark paid.
#[derive(InputObject)]
pub struct MarkReceiptPaidInput {
    /// The receipt's global ID.
    pub id: ID,
    /// The day it was paid; today in the organization's timezone when omitted.
    pub paid_on: Option<Date>,
}

/// The receipt to delete (with its expense in the business book).
#[derive(InputObject)]
pub struct DeleteReceiptInput {
    /// The receipt's global ID.
    pub id: ID,
}

crate::payload!(
    ReceiptPayload,
    receipt,
    Receipt,
    "The receipt created or changed.",
    "The receipt as it is now; null when `userErrors` is not empty."
);
crate::payload!(
    DeleteReceiptPayload,
    deleted_id,
    ID,
    "The receipt deleted.",
    "The ID of the receipt deleted; null when `userErrors` is not empty."
);

/// The organization's new invoicing settings.
#[derive(InputObject)]
pub struct UpdateInvoicingSettingsInput {
    /// The tax rate of invoices that name none, as a percentage (0 to 100, two decimals
    /// at most; `18` is 18 %). Invoices already made keep theirs.
    pub default_tax_percentage: Decimal,
}

crate::payload!(
    InvoicingSettingsPayload,
    settings,
    InvoicingSettings,
    "The invoicing settings changed.",
    "The settings as they are now; null when `userErrors` is not empty."
);

#[derive(Default)]
pub struct BusinessMutation;

#[Object]
impl BusinessMutation {
    /// Creates a customer (ADMIN).
    async fn create_customer(
        &self,
        ctx: &Context<'_>,
        input: CreateCustomerInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let fields = CustomerFields {
            name: Some(input.name),
            national_id: Some(input.national_id),
            address: input.address,
            email: input.email,
            phone: input.phone,
        };
        let result = customers::create_customer(ctx.db(), ctx.actor()?, fields, ctx.now()).await;
        payload(result, |row| Customer(row).into())
    }

    /// Changes the fields sent of a customer (ADMIN). Its invoices keep the concept they
    /// were made with until they change.
    async fn update_customer(
        &self,
        ctx: &Context<'_>,
        input: UpdateCustomerInput,
    ) -> async_graphql::Result<CustomerPayload> {
        let id = target(&input.id, NodeKind::Customer, "id", "a customer")?;
        let fields = CustomerFields {
            name: input.name,
            national_id: input.national_id,
            address: input.address,
            email: input.email,
            phone: input.phone,
        };
        let result =
            customers::update_customer(ctx.db(), ctx.actor()?, id, fields, ctx.now()).await;
        payload(result, |row| Customer(row).into())
    }

    /// Deletes a customer without invoices (ADMIN); one with invoices is refused with
    /// IN_USE.
    async fn delete_customer(
        &self,
        ctx: &Context<'_>,
        input: DeleteCustomerInput,
    ) -> async_graphql::Result<DeleteCustomerPayload> {
        let id = target(&input.id, NodeKind::Customer, "id", "a customer")?;
        let result = customers::delete_customer(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |id| {
            GlobalId::new(NodeKind::Customer, id).to_id().into()
        })
    }

    /// Creates a sales invoice (ADMIN), and its customer when it is new, in one
    /// transaction. Tax: `taxPercentage`, or `tax`, or the organization's default rate;
    /// rounded half away from zero to the cent. A paid invoice records its income (its
    /// total, on its paid date, described by its concept) in the business book.
    async fn create_sales_invoice(
        &self,
        ctx: &Context<'_>,
        input: CreateSalesInvoiceInput,
    ) -> async_graphql::Result<SalesInvoicePayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let new = NewInvoice {
            number: input.number,
            date: input.date.map(|d| d.0),
            due_date: input.due_date.map(|d| d.0),
            customer: input.customer.into_ref()?,
            items: items(input.items),
            tax_percentage: input.tax_percentage.map(|d| d.0),
            tax: input.tax.map(|d| d.0),
            paid: input.paid,
            paid_on: input.paid_on.map(|d| d.0),
            additional_info: input.additional_info,
            send_by_email: input.send_by_email.then_some(input.email_message),
        };
        let smtp = ctx.state().config.smtp_url.is_some();
        let result = invoices::create_invoice(ctx.db(), actor, new, smtp, today, ctx.now()).await;
        payload(result, |row| SalesInvoice(row).into())
    }

    /// Emails an invoice to its customer (ADMIN): queues the email, its PDF attached, in
    /// the outbox; a background sender delivers it through SMTP (`SMTP_URL`), retrying
    /// with back-off, and records SENT or FAILED with the reason.
    async fn send_invoice(
        &self,
        ctx: &Context<'_>,
        input: SendInvoiceInput,
    ) -> async_graphql::Result<SendInvoicePayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.invoice_id,
            NodeKind::SalesInvoice,
            "invoiceId",
            "a sales invoice",
        )?;
        let smtp = ctx.state().config.smtp_url.is_some();
        let result = invoices::send_invoice(
            ctx.db(),
            actor,
            id,
            input.to,
            input.message,
            smtp,
            ctx.now(),
        )
        .await;
        payload(result, |email| SendInvoicePayload {
            email: Some(EmailMessage(email)),
            ..Default::default()
        })
    }

    /// Changes the fields sent of a sales invoice (ADMIN); `items` replace every item at
    /// once. Its income in the business book follows (paid, amount, date, concept);
    /// while that income is reconciled, a change to it is refused (LOCKED on `paid`).
    async fn update_sales_invoice(
        &self,
        ctx: &Context<'_>,
        input: UpdateSalesInvoiceInput,
    ) -> async_graphql::Result<SalesInvoicePayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let id = target(&input.id, NodeKind::SalesInvoice, "id", "a sales invoice")?;
        let changes = InvoiceChanges {
            number: input.number,
            date: input.date.map(|d| d.0),
            due_date: date(input.due_date),
            customer: input.customer.map(|c| c.into_ref()).transpose()?,
            items: input.items.map(items),
            tax_percentage: input.tax_percentage.map(|d| d.0),
            tax: input.tax.map(|d| d.0),
            paid: input.paid,
            paid_on: date(input.paid_on),
            additional_info: input.additional_info,
        };
        let result = invoices::update_invoice(ctx.db(), actor, id, changes, today, ctx.now()).await;
        payload(result, |row| SalesInvoice(row).into())
    }

    /// Marks a sales invoice paid (ADMIN) and records its income in the business book;
    /// marking a paid invoice again changes nothing unless `paidOn` is another day.
    async fn mark_sales_invoice_paid(
        &self,
        ctx: &Context<'_>,
        input: MarkSalesInvoicePaidInput,
    ) -> async_graphql::Result<SalesInvoicePayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let id = target(&input.id, NodeKind::SalesInvoice, "id", "a sales invoice")?;
        let paid_on = input.paid_on.map(|d| d.0);
        let result = invoices::mark_paid(ctx.db(), actor, id, paid_on, today, ctx.now()).await;
        payload(result, |row| SalesInvoice(row).into())
    }

    /// Deletes a sales invoice (ADMIN), its items and its income in the business book.
    async fn delete_sales_invoice(
        &self,
        ctx: &Context<'_>,
        input: DeleteSalesInvoiceInput,
    ) -> async_graphql::Result<DeleteSalesInvoicePayload> {
        let id = target(&input.id, NodeKind::SalesInvoice, "id", "a sales invoice")?;
        let result = invoices::delete_invoice(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |id| {
            GlobalId::new(NodeKind::SalesInvoice, id).to_id().into()
        })
    }

    /// Creates a receipt, a bill to pay (ADMIN). A paid one records its expense in the
    /// business book.
    async fn create_receipt(
        &self,
        ctx: &Context<'_>,
        input: CreateReceiptInput,
    ) -> async_graphql::Result<ReceiptPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let new = NewReceipt {
            date: input.date.map(|d| d.0),
            due_date: input.due_date.map(|d| d.0),
            concept: input.concept,
            amount: input.amount.0,
            paid: input.paid,
            paid_on: input.paid_on.map(|d| d.0),
        };
        let result = receipts::create_receipt(ctx.db(), actor, new, today, ctx.now()).await;
        payload(result, |row| Receipt(row).into())
    }

    /// Changes the fields sent of a receipt (ADMIN); its expense in the business book
    /// follows; while that expense is reconciled, a change to it is refused (LOCKED on
    /// `paid`).
    async fn update_receipt(
        &self,
        ctx: &Context<'_>,
        input: UpdateReceiptInput,
    ) -> async_graphql::Result<ReceiptPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let id = target(&input.id, NodeKind::Receipt, "id", "a receipt")?;
        let changes = ReceiptChanges {
            date: input.date.map(|d| d.0),
            due_date: date(input.due_date),
            concept: input.concept,
            amount: input.amount.map(|a| a.0),
            paid: input.paid,
            paid_on: date(input.paid_on),
        };
        let result = receipts::update_receipt(ctx.db(), actor, id, changes, today, ctx.now()).await;
        payload(result, |row| Receipt(row).into())
    }

    /// Marks a receipt paid (ADMIN) and records its expense in the business book.
    async fn mark_receipt_paid(
        &self,
        ctx: &Context<'_>,
        input: MarkReceiptPaidInput,
    ) -> async_graphql::Result<ReceiptPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let id = target(&input.id, NodeKind::Receipt, "id", "a receipt")?;
        let paid_on = input.paid_on.map(|d| d.0);
        let result = receipts::mark_paid(ctx.db(), actor, id, paid_on, today, ctx.now()).await;
        payload(result, |row| Receipt(row).into())
    }

    /// Deletes a receipt (ADMIN) and its expense in the business book.
    async fn delete_receipt(
        &self,
        ctx: &Context<'_>,
        input: DeleteReceiptInput,
    ) -> async_graphql::Result<DeleteReceiptPayload> {
        let id = target(&input.id, NodeKind::Receipt, "id", "a receipt")?;
        let result = receipts::delete_receipt(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |id| {
            GlobalId::new(NodeKind::Receipt, id).to_id().into()
        })
    }

    /// Changes the organization's default tax rate (ADMIN); invoices already made keep
    /// theirs.
    async fn update_invoicing_settings(
        &self,
        ctx: &Context<'_>,
        input: UpdateInvoicingSettingsInput,
    ) -> async_graphql::Result<InvoicingSettingsPayload> {
        let rate = input.default_tax_percentage.0;
        let result =
            settings::update_invoicing_settings(ctx.db(), ctx.actor()?, rate, ctx.now()).await;
        payload(result, |row| InvoicingSettings::from(row).into())
    }
}
