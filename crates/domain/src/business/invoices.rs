//! Sales invoices: made out to a customer (an existing one, or one created with the
//! invoice in the same transaction), with at least one item, a tax and a total.
//!
//! Rules kept here:
//! - the number is the organization's next free number when none is given (one at a
//!   time: the business book is locked first); a given number must be unique;
//! - the tax is `taxPercentage` of the subtotal, or a fixed `tax`, or the organization's
//!   default rate; rounding is half away from zero to the cent;
//! - an update changes only the fields sent; items sent replace all the items; a stored
//!   rate is applied again to new items, a fixed tax stays;
//! - while an invoice is paid, its income is in the business book (created, kept in step
//!   and deleted with it).

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Value, json};

use super::{
    amounts::{self, TaxRule, Totals},
    customers::{self, CustomerFields},
    due_after, in_business, is_overdue, nested, outbox, payment, require_writer, settings,
    text::Text,
};
use crate::commons::{CustomerId, Id, OrganizationId, SalesInvoiceId};
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{Actor, Change, ObjectKind},
    auth::Viewer,
    books::transactions::{self, NewTransaction, TransactionChanges},
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_PARAGRAPH_CHARS, Problems},
    commons::money::Money,
    entities::{
        book, book_transaction::TransactionKind, customer, email_outbox, sales_invoice,
        sales_invoice_item,
    },
};
use sea_orm::Order;

pub const MAX_NUMBER_CHARS: usize = 30;
pub const MAX_ITEMS: usize = 100;

/// Who an invoice is made out to.
#[derive(Debug, Clone)]
pub enum CustomerRef {
    /// An existing customer; the fields sent change it too (Infinanza's "create or edit").
    Existing {
        id: CustomerId,
        changes: CustomerFields,
    },
    /// A customer given by its fields: the organization's customer with that national
    /// id, unchanged (the other fields sent must match it), or a new one created with the
    /// invoice.
    New(CustomerFields),
}

/// An item as sent.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub description: String,
    /// 1 when not given.
    pub quantity: Option<Decimal>,
    pub unit_amount: Decimal,
}

/// A sales invoice to create.
#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub number: Option<String>,
    /// Today in the organization's timezone when not given.
    pub date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub customer: CustomerRef,
    pub items: Vec<NewItem>,
    /// A percentage (`18`); with neither it nor `tax`, the organization's default.
    pub tax_percentage: Option<Decimal>,
    /// A fixed tax amount.
    pub tax: Option<Decimal>,
    pub paid: Option<bool>,
    pub paid_on: Option<NaiveDate>,
    pub additional_info: Option<String>,
    /// Email the invoice (its PDF attached) to its customer once created: `Some` with the
    /// email's text, or `Some(None)` for a greeting with the number and total.
    pub send_by_email: Option<Option<String>>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct InvoiceChanges {
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    pub due_date: Option<Option<NaiveDate>>,
    pub customer: Option<CustomerRef>,
    /// Replaces every item.
    pub items: Option<Vec<NewItem>>,
    pub tax_percentage: Option<Decimal>,
    pub tax: Option<Decimal>,
    pub paid: Option<bool>,
    pub paid_on: Option<Option<NaiveDate>>,
    pub additional_info: Option<String>,
}

/// An item checked and priced.
#[derive(Debug, Clone)]
struct PricedItem {
    description: String,
    quantity_centi: i64,
    unit: Money,
    amount: Money,
}

fn number(p: &mut Problems, value: &str) -> String {
    let value = value.trim().to_string();
    if value.is_empty() {
        p.add("number", UserErrorCode::Required, Text::GiveNumber);
    } else if value.chars().count() > MAX_NUMBER_CHARS {
        p.add(
            "number",
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: MAX_NUMBER_CHARS.to_string(),
            },
        );
    } else if !value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | '_'))
    {
        p.add(
            "number",
            UserErrorCode::InvalidFormat,
            Text::InvoiceNumberFormat,
        );
    }
    value
}

/// Checks and prices the items: at least one, at most [`MAX_ITEMS`]; problems go on
/// `items.<n>.<field>` (n from 0).
fn price_items(items: &[NewItem]) -> DomainResult<Vec<PricedItem>> {
    if items.is_empty() {
        return Err(DomainError::invalid(
            "items",
            UserErrorCode::Required,
            Text::NoItems,
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(DomainError::invalid(
            "items",
            UserErrorCode::TooLong,
            Text::TooManyItems {
                max: MAX_ITEMS.to_string(),
            },
        ));
    }
    let mut priced = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut p = Problems::default();
        let description = checks::text(
            &mut p,
            "description",
            &item.description,
            true,
            MAX_DESCRIPTION_CHARS,
        );
        let quantity = amounts::quantity(&mut p, "quantity", item.quantity.unwrap_or(Decimal::ONE));
        let unit = amounts::unit_amount(&mut p, "unitAmount", item.unit_amount);
        let amount = amounts::item_amount(quantity, unit);
        if amount.is_none_or(|a| a > transactions::MAX_AMOUNT) {
            p.add(
                "unitAmount",
                UserErrorCode::InvalidAmount,
                Text::ItemAmountTooLarge,
            );
        }
        match p.finish() {
            Ok(()) => priced.push(PricedItem {
                description,
                quantity_centi: quantity,
                unit,
                amount: amount.unwrap_or(Money::ZERO),
            }),
            Err(err) => {
                let index = i.to_string();
                if let DomainError::Invalid(list) = nested(&["items", &index], err) {
                    errors.extend(list);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(priced)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// The tax rule sent: a percentage or a fixed amount, not both; `None` when neither.
fn tax_rule(
    p: &mut Problems,
    percentage: Option<Decimal>,
    tax: Option<Decimal>,
) -> Option<TaxRule> {
    match (percentage, tax) {
        (Some(_), Some(_)) => {
            p.add(
                "tax",
                UserErrorCode::InvalidFormat,
                Text::TaxPercentageOrTax,
            );
            None
        }
        (Some(rate), None) => Some(TaxRule::Rate(amounts::rate(p, "taxPercentage", rate))),
        (None, Some(amount)) => Some(TaxRule::Fixed(amounts::fixed_tax(p, "tax", amount))),
        (None, None) => None,
    }
}

fn totals_of(items: &[PricedItem], rule: TaxRule) -> DomainResult<Totals> {
    let amounts: Vec<Money> = items.iter().map(|i| i.amount).collect();
    amounts::totals(&amounts, rule).ok_or_else(|| {
        DomainError::invalid(
            "items",
            UserErrorCode::InvalidAmount,
            Text::TotalsRange {
                max: transactions::MAX_AMOUNT.to_string(),
            },
        )
    })
}

/// "number - customer name", as Infinanza writes an invoice's concept.
pub fn concept(number: &str, customer_name: &str) -> String {
    let concept = format!("{number} - {customer_name}");
    concept.chars().take(240).collect()
}

/// One invoice of the caller's organization; any other is "not found".
pub async fn own_invoice<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: SalesInvoiceId,
) -> DomainResult<sales_invoice::Model> {
    sales_invoice::Entity::find_by_id(id.get())
        .filter(sales_invoice::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::SalesInvoice))
}

/// The items of an invoice, in order.
pub async fn items_of<C: ConnectionTrait>(
    db: &C,
    invoice_id: SalesInvoiceId,
) -> DomainResult<Vec<sales_invoice_item::Model>> {
    Ok(sales_invoice_item::Entity::find()
        .filter(sales_invoice_item::Column::InvoiceId.eq(invoice_id))
        .order_by_asc(sales_invoice_item::Column::Position)
        .all(db)
        .await?)
}

async fn number_taken<C: ConnectionTrait>(
    db: &C,
    organization_id: i64,
    number: &str,
    except: Option<i64>,
) -> DomainResult<bool> {
    let mut query = sales_invoice::Entity::find()
        .select_only()
        .column(sales_invoice::Column::Id)
        .filter(sales_invoice::Column::OrganizationId.eq(organization_id))
        .filter(sales_invoice::Column::Number.eq(number));
    if let Some(id) = except {
        query = query.filter(sales_invoice::Column::Id.ne(id));
    }
    Ok(query.into_tuple::<i64>().one(db).await?.is_some())
}

/// The next free automatic number after the last one given, recorded as the last. Runs
/// with the business book locked, so two invoices never get the same number, and inside
/// the invoice's transaction, so a failed invoice gives its number back (no gaps).
async fn next_number(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<String> {
    let stored = settings::stored_settings(txn, Id::new(organization_id), now).await?;
    let mut next = stored.last_invoice_number + 1;
    // A number given by hand may already hold the next one: skip it.
    while number_taken(txn, organization_id, &next.to_string(), None).await? {
        next += 1;
    }
    settings::set_last_number(txn, stored, next, now).await?;
    Ok(next.to_string())
}

/// The customer an invoice is made out to: an existing one (changed by the fields sent)
/// or a new one; problems go under `customer`.
async fn resolve_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    customer: CustomerRef,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    let result = match customer {
        CustomerRef::Existing { id, changes } => {
            match customers::own_customer(txn, viewer, id).await {
                Ok(_) => customers::change_customer(txn, viewer, id, changes, now)
                    .await
                    .map(|(_, after)| after),
                Err(DomainError::NotFound(_)) => Err(DomainError::invalid(
                    "id",
                    UserErrorCode::NotFound,
                    Text::NoSuchCustomer,
                )),
                Err(other) => Err(other),
            }
        }
        CustomerRef::New(fields) => customers::inline_customer(txn, viewer, fields, now).await,
    };
    result.map_err(|e| nested(&["customer"], e))
}

async fn write_items(
    txn: &DatabaseTransaction,
    invoice_id: i64,
    items: &[PricedItem],
) -> DomainResult<()> {
    sales_invoice_item::Entity::insert_many(items.iter().enumerate().map(|(i, item)| {
        sales_invoice_item::ActiveModel {
            invoice_id: Set(invoice_id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            description: Set(item.description.clone()),
            quantity_centi: Set(item.quantity_centi),
            unit_amount_minor: Set(item.unit.minor()),
            amount_minor: Set(item.amount.minor()),
            ..Default::default()
        }
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Creates an invoice, and its customer when it is new, in the caller's organization, in
/// `txn`; `book` is the business book, already locked. Records nothing and sends no email:
/// [`create_invoice`] does both around it.
async fn insert_invoice(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewInvoice,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<sales_invoice::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let given_number = new.number.as_deref().map(|n| number(&mut p, n));
    let date = new.date.unwrap_or(today);
    due_after(&mut p, date, new.due_date);
    let rule = tax_rule(&mut p, new.tax_percentage, new.tax);
    let (paid, paid_on) = payment(&mut p, new.paid, new.paid_on, today);
    let additional_info = checks::text(
        &mut p,
        "additionalInfo",
        new.additional_info.as_deref().unwrap_or(""),
        false,
        MAX_PARAGRAPH_CHARS,
    );
    let items = price_items(&new.items);
    let problems = p.finish();
    let items = match (problems, items) {
        (Ok(()), Ok(items)) => items,
        (Err(DomainError::Invalid(mut a)), Err(DomainError::Invalid(b))) => {
            a.extend(b);
            return Err(DomainError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let rule = match rule {
        Some(rule) => rule,
        None => TaxRule::Rate(
            settings::settings(txn, viewer.organization_id, now)
                .await?
                .default_tax_rate_bp,
        ),
    };
    let totals = totals_of(&items, rule)?;

    // Writes from here on: a failure rolls back the customer created inline too.
    let customer = resolve_customer(txn, viewer, new.customer, now).await?;
    let number = match given_number {
        Some(given) => {
            if number_taken(txn, viewer.organization_id.get(), &given, None).await? {
                return Err(DomainError::invalid(
                    "number",
                    UserErrorCode::Duplicate,
                    Text::DuplicateInvoiceNumber,
                ));
            }
            given
        }
        None => next_number(txn, viewer.organization_id.get(), now).await?,
    };
    let (created_by_user_id, created_by_token_id) = viewer.creator();
    let invoice = sales_invoice::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        concept: Set(concept(&number, &customer.name)),
        number: Set(number),
        date: Set(date),
        due_date: Set(new.due_date),
        customer_id: Set(customer.id),
        subtotal_minor: Set(totals.subtotal.minor()),
        tax_rate_bp: Set(totals.tax_rate_bp),
        tax_minor: Set(totals.tax.minor()),
        total_minor: Set(totals.total.minor()),
        paid: Set(paid),
        paid_on: Set(paid_on),
        additional_info: Set(additional_info),
        income_transaction_id: Set(None),
        created_by_user_id: Set(created_by_user_id),
        created_by_token_id: Set(created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| checks::duplicate(e, "number", Text::DuplicateInvoiceNumber))?;
    write_items(txn, invoice.id, &items).await?;
    sync_income(txn, viewer, book, invoice, &customer, today, now).await
}

/// Changes the fields sent of an invoice; items sent replace every item. The invoice
/// before and after.
#[allow(clippy::too_many_arguments)]
async fn change_invoice(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: SalesInvoiceId,
    changes: InvoiceChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(sales_invoice::Model, sales_invoice::Model)> {
    require_writer(viewer)?;
    let row = own_invoice(txn, viewer, id).await?;
    let before = row.clone();
    let mut p = Problems::default();
    let given_number = changes.number.as_deref().map(|n| number(&mut p, n));
    let date = changes.date.unwrap_or(row.date);
    let due_date = changes.due_date.unwrap_or(row.due_date);
    due_after(&mut p, date, due_date);
    let rule = tax_rule(&mut p, changes.tax_percentage, changes.tax);
    let (paid, paid_on) = match (changes.paid, changes.paid_on) {
        (None, None) => (row.paid, row.paid_on),
        (Some(true), None) if row.paid => (true, row.paid_on),
        (paid, paid_on) => payment(
            &mut p,
            paid.or(Some(matches!(paid_on, Some(Some(_))))),
            paid_on.flatten(),
            today,
        ),
    };
    let additional_info = changes
        .additional_info
        .as_deref()
        .map(|v| checks::text(&mut p, "additionalInfo", v, false, MAX_PARAGRAPH_CHARS));
    let items = changes.items.as_deref().map(price_items).transpose();
    let problems = p.finish();
    let items = match (problems, items) {
        (Ok(()), Ok(items)) => items,
        (Err(DomainError::Invalid(mut a)), Err(DomainError::Invalid(b))) => {
            a.extend(b);
            return Err(DomainError::Invalid(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };

    // The totals: new items or a new rule recompute them; a stored rate applies again,
    // a stored fixed tax stays.
    let totals = if items.is_some() || rule.is_some() {
        let rule = rule.unwrap_or(match row.tax_rate_bp {
            Some(bp) => TaxRule::Rate(bp),
            None => TaxRule::Fixed(Money::from_minor(row.tax_minor)),
        });
        let priced = match &items {
            Some(items) => items.clone(),
            None => items_of(txn, Id::new(row.id))
                .await?
                .into_iter()
                .map(|i| PricedItem {
                    description: i.description,
                    quantity_centi: i.quantity_centi,
                    unit: Money::from_minor(i.unit_amount_minor),
                    amount: Money::from_minor(i.amount_minor),
                })
                .collect(),
        };
        Some(totals_of(&priced, rule)?)
    } else {
        None
    };

    let customer = match changes.customer {
        Some(customer) => resolve_customer(txn, viewer, customer, now).await?,
        None => customers::own_customer(txn, viewer, Id::new(row.customer_id)).await?,
    };
    if let Some(given) = &given_number
        && *given != row.number
        && number_taken(txn, viewer.organization_id.get(), given, Some(row.id)).await?
    {
        return Err(DomainError::invalid(
            "number",
            UserErrorCode::Duplicate,
            Text::DuplicateInvoiceNumber,
        ));
    }
    let number = given_number.unwrap_or_else(|| row.number.clone());
    let mut active = row.into_active_model();
    active.concept = Set(concept(&number, &customer.name));
    active.number = Set(number);
    active.date = Set(date);
    active.due_date = Set(due_date);
    active.customer_id = Set(customer.id);
    if let Some(totals) = totals {
        active.subtotal_minor = Set(totals.subtotal.minor());
        active.tax_rate_bp = Set(totals.tax_rate_bp);
        active.tax_minor = Set(totals.tax.minor());
        active.total_minor = Set(totals.total.minor());
    }
    active.paid = Set(paid);
    active.paid_on = Set(paid_on);
    if let Some(v) = additional_info {
        active.additional_info = Set(v);
    }
    active.updated_at = Set(now);
    let updated = active
        .update(txn)
        .await
        .map_err(|e| checks::duplicate(e, "number", Text::DuplicateInvoiceNumber))?;
    if let Some(items) = items {
        sales_invoice_item::Entity::delete_many()
            .filter(sales_invoice_item::Column::InvoiceId.eq(updated.id))
            .exec(txn)
            .await?;
        write_items(txn, updated.id, &items).await?;
    }
    let after = sync_income(txn, viewer, book, updated, &customer, today, now).await?;
    Ok((before, after))
}

/// Deletes an invoice, its items and its income in the business book; the invoice as it
/// was.
async fn remove_invoice(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: SalesInvoiceId,
) -> DomainResult<sales_invoice::Model> {
    require_writer(viewer)?;
    let row = own_invoice(txn, viewer, id).await?;
    if let Some(income) = row.income_transaction_id {
        remove_transaction(txn, viewer, book, income).await?;
    }
    sales_invoice::Entity::delete_by_id(row.id)
        .exec(txn)
        .await?;
    Ok(row)
}

/// The problems of the email asked for with `sendByEmail`, on the create input's fields.
fn email_fields(err: DomainError) -> DomainError {
    match err {
        DomainError::Invalid(mut errors) => {
            for e in &mut errors {
                e.field = match e.field.first().map(String::as_str) {
                    Some("to") => vec!["customer".into(), "email".into()],
                    _ => vec!["emailMessage".into()],
                };
            }
            DomainError::Invalid(errors)
        }
        other => other,
    }
}

/// A record's snapshot of an invoice with the email just queued for it: to whom, and its
/// subject.
fn with_email(snapshot: Option<Value>, email: &email_outbox::Model) -> Option<Value> {
    let mut snapshot = snapshot.unwrap_or_else(|| json!({}));
    if let Some(fields) = snapshot.as_object_mut() {
        fields.insert("email_recipient".into(), json!(email.recipient));
        fields.insert("email_subject".into(), json!(email.subject));
    }
    Some(snapshot)
}

/// Creates a sales invoice (`createSalesInvoice`), and its customer when it is new, in a
/// transaction of its own; with `send_by_email`, the email of it is queued in the same
/// transaction. `smtp_configured` says whether a sender will pick that email up.
pub async fn create_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    mut new: NewInvoice,
    smtp_configured: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<sales_invoice::Model> {
    let send = new.send_by_email.take();
    in_business(db, actor, now, async |txn, book| {
        let invoice = insert_invoice(txn, actor.viewer, book, new, today, now).await?;
        let mut change = Change::of(
            ObjectKind::SalesInvoice,
            invoice.id,
            "createSalesInvoice",
            None,
            Some(&invoice),
        );
        if let Some(message) = send {
            let items = items_of(txn, Id::new(invoice.id)).await?;
            let email = outbox::queue_invoice(
                txn,
                actor.viewer,
                &invoice,
                &items,
                None,
                message,
                smtp_configured,
                now,
            )
            .await
            .map_err(email_fields)?;
            change.after = with_email(change.after, &email);
        }
        Ok((invoice, change))
    })
    .await
}

/// Changes an invoice in a transaction of its own and records `operation`.
async fn update_recorded(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: SalesInvoiceId,
    changes: InvoiceChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
    operation: &'static str,
) -> DomainResult<sales_invoice::Model> {
    in_business(db, actor, now, async |txn, book| {
        let (before, after) =
            change_invoice(txn, actor.viewer, book, id, changes, today, now).await?;
        let change = Change::of(
            ObjectKind::SalesInvoice,
            after.id,
            operation,
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Changes the fields sent of an invoice (`updateSalesInvoice`); items sent replace
/// every item.
pub async fn update_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: SalesInvoiceId,
    changes: InvoiceChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<sales_invoice::Model> {
    update_recorded(db, actor, id, changes, today, now, "updateSalesInvoice").await
}

/// Marks an invoice paid on `paid_on`, today when not given (`markSalesInvoicePaid`); an
/// invoice already paid keeps its paid date unless another is given.
pub async fn mark_paid(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: SalesInvoiceId,
    paid_on: Option<NaiveDate>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<sales_invoice::Model> {
    let changes = InvoiceChanges {
        paid: Some(true),
        paid_on: paid_on.map(Some),
        ..Default::default()
    };
    update_recorded(db, actor, id, changes, today, now, "markSalesInvoicePaid").await
}

/// Deletes an invoice, its items and its income in the business book
/// (`deleteSalesInvoice`).
pub async fn delete_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: SalesInvoiceId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_business(db, actor, now, async |txn, book| {
        let row = remove_invoice(txn, actor.viewer, book, id).await?;
        let change = Change::of(
            ObjectKind::SalesInvoice,
            row.id,
            "deleteSalesInvoice",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

/// Emails an invoice to its customer's email, or `to` (`sendInvoice`): queues it, its
/// PDF attached, in the outbox, in a transaction of its own. The record names the
/// invoice, with the email's recipient and subject.
pub async fn send_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: SalesInvoiceId,
    to: Option<String>,
    message: Option<String>,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<email_outbox::Model> {
    in_business(db, actor, now, async |txn, _| {
        let invoice = own_invoice(txn, actor.viewer, id)
            .await
            .map_err(|e| match e {
                DomainError::NotFound(_) => {
                    DomainError::invalid("invoiceId", UserErrorCode::NotFound, Text::NoSuchInvoice)
                }
                other => other,
            })?;
        let items = items_of(txn, id).await?;
        let email = outbox::queue_invoice(
            txn,
            actor.viewer,
            &invoice,
            &items,
            to,
            message,
            smtp_configured,
            now,
        )
        .await?;
        let change = Change {
            kind: ObjectKind::SalesInvoice,
            object_id: invoice.id,
            operation: "sendInvoice",
            before: Some(json!({})),
            after: with_email(None, &email),
        };
        Ok((email, change))
    })
    .await
}

/// The invoice as a PDF, as it is emailed.
pub async fn invoice_pdf<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    invoice: &sales_invoice::Model,
) -> DomainResult<Vec<u8>> {
    let items = items_of(db, Id::new(invoice.id)).await?;
    outbox::invoice_pdf(db, viewer, invoice, &items).await
}

/// Deletes a transaction of the business book recorded for a bill, unless it is already
/// gone; a reconciled one is LOCKED.
pub(super) async fn remove_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: i64,
) -> DomainResult<()> {
    match transactions::delete_document_payment(txn, viewer, book, Id::new(id)).await {
        Ok(_) | Err(DomainError::NotFound(_)) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Keeps the business book in step with the invoice: while it is paid, an income of its
/// total on its paid date with its concept; when it is not, none.
async fn sync_income(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    invoice: sales_invoice::Model,
    customer: &customer::Model,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<sales_invoice::Model> {
    let linked = invoice.income_transaction_id;
    let wanted = invoice.paid.then(|| BookEntry {
        kind: TransactionKind::In,
        amount: Money::from_minor(invoice.total_minor),
        date: invoice.paid_on.unwrap_or(invoice.date),
        description: invoice.concept.clone(),
        contact: customer.name.clone(),
    });
    let now_linked = sync_entry(txn, viewer, book, linked, wanted, today, now).await?;
    if now_linked == linked {
        return Ok(invoice);
    }
    let mut active = invoice.into_active_model();
    active.income_transaction_id = Set(now_linked);
    Ok(active.update(txn).await?)
}

/// A bill's movement in the business book.
pub(super) struct BookEntry {
    pub kind: TransactionKind,
    pub amount: Money,
    pub date: NaiveDate,
    pub description: String,
    pub contact: String,
}

/// Creates, updates or deletes the transaction `linked` so that it matches `wanted`;
/// returns the id now linked.
pub(super) async fn sync_entry(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    linked: Option<i64>,
    wanted: Option<BookEntry>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Option<i64>> {
    let existing = match linked {
        Some(id) => match transactions::own_transaction(txn, viewer, book, Id::new(id)).await {
            Ok(row) => Some(row),
            Err(DomainError::NotFound(_)) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    match (existing, wanted) {
        (None, None) => Ok(None),
        (Some(row), None) => {
            remove_transaction(txn, viewer, book, row.id)
                .await
                .map_err(|e| rename(e, "paid"))?;
            Ok(None)
        }
        (Some(row), Some(entry)) => {
            let changes = TransactionChanges {
                amount: (row.amount_minor != entry.amount.minor())
                    .then(|| entry.amount.to_decimal()),
                date: (row.date != entry.date).then_some(entry.date),
                description: (row.description != entry.description)
                    .then(|| entry.description.clone()),
                contact_name: (row.contact_name != entry.contact).then(|| entry.contact.clone()),
                paid: Some(true),
                paid_on: (row.paid_on != Some(entry.date)).then_some(Some(entry.date)),
                ..Default::default()
            };
            transactions::update_document_payment(txn, viewer, book, Id::new(row.id), changes, now)
                .await
                .map_err(|e| rename(e, "paid"))?;
            Ok(Some(row.id))
        }
        (None, Some(entry)) => {
            let mut new = NewTransaction::quick(entry.kind, entry.amount.to_decimal());
            new.date = Some(entry.date);
            new.paid = Some(true);
            new.paid_on = Some(entry.date);
            new.description = Some(entry.description);
            new.contact_name = Some(entry.contact);
            let created = transactions::create_transaction(txn, viewer, book, new, today, now)
                .await
                .map_err(|e| rename(e, "paid"))?;
            Ok(Some(created.id))
        }
    }
}

/// A problem of the book's transaction (it is reconciled, LOCKED) is reported on the
/// bill's `field`: its payment is what the book holds.
fn rename(err: DomainError, field: &str) -> DomainError {
    match err {
        DomainError::Invalid(errors) => DomainError::Invalid(
            errors
                .into_iter()
                .map(|mut e| {
                    e.field = vec![field.to_string()];
                    if e.code == UserErrorCode::Locked {
                        e.message = Text::PaymentReconciled.into();
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    }
}

/// Which invoices a listing shows.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    pub paid: Option<bool>,
    pub overdue: Option<bool>,
    pub customer_id: Option<CustomerId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The organization's invoices matching `filter`, newest date first (then newest
/// created).
pub fn search(
    organization_id: OrganizationId,
    filter: &InvoiceFilter,
    today: NaiveDate,
) -> Listing<sales_invoice::Entity> {
    let mut query = sales_invoice::Entity::find()
        .filter(sales_invoice::Column::OrganizationId.eq(organization_id));
    if let Some(paid) = filter.paid {
        query = query.filter(sales_invoice::Column::Paid.eq(paid));
    }
    if let Some(customer) = filter.customer_id {
        query = query.filter(sales_invoice::Column::CustomerId.eq(customer));
    }
    if let Some(from) = filter.from {
        query = query.filter(sales_invoice::Column::Date.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(sales_invoice::Column::Date.lte(to));
    }
    if let Some(overdue) = filter.overdue {
        query = query.filter(super::overdue_condition(
            sales_invoice::Column::Paid,
            sales_invoice::Column::Date,
            sales_invoice::Column::DueDate,
            today,
            overdue,
        ));
    }
    Listing::new(
        query,
        [
            (sales_invoice::Column::Date, Order::Desc),
            (sales_invoice::Column::Id, Order::Desc),
        ],
    )
}

/// Whether an invoice is overdue today.
pub fn overdue(invoice: &sales_invoice::Model, today: NaiveDate) -> bool {
    is_overdue(invoice.paid, invoice.date, invoice.due_date, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(description: &str, quantity: Option<i64>, unit: i64) -> NewItem {
        NewItem {
            description: description.into(),
            quantity: quantity.map(|q| Decimal::new(q, 2)),
            unit_amount: Decimal::new(unit, 2),
        }
    }

    #[test]
    fn items_are_priced_and_checked_one_by_one() {
        let priced = price_items(&[
            item("Product 1", None, 600_000),
            item("Hora", Some(150), 33),
        ])
        .unwrap();
        assert_eq!(priced[0].amount, Money::from_minor(600_000));
        assert_eq!(priced[0].quantity_centi, 100);
        assert_eq!(priced[1].amount, Money::from_minor(50));
        let err = price_items(&[item("ok", None, 1), item(" ", Some(0), -1)]).unwrap_err();
        let DomainError::Invalid(errors) = err else {
            panic!("not a user error")
        };
        let fields: Vec<String> = errors.iter().map(|e| e.field.join(".")).collect();
        assert_eq!(
            fields,
            vec![
                "items.1.description",
                "items.1.quantity",
                "items.1.unitAmount"
            ]
        );
        assert!(price_items(&[]).is_err());
    }

    #[test]
    fn one_tax_rule_at_a_time() {
        let mut p = Problems::default();
        assert_eq!(
            tax_rule(&mut p, Some(Decimal::new(16, 0)), None),
            Some(TaxRule::Rate(1600))
        );
        assert_eq!(
            tax_rule(&mut p, None, Some(Decimal::new(1600, 0))),
            Some(TaxRule::Fixed(Money::from_minor(160_000)))
        );
        assert_eq!(tax_rule(&mut p, None, None), None);
        assert!(p.is_empty());
        tax_rule(&mut p, Some(Decimal::ONE), Some(Decimal::ONE));
        assert!(!p.is_empty());
    }

    #[test]
    fn numbers_and_concepts() {
        let mut p = Problems::default();
        assert_eq!(number(&mut p, " F001-2756 "), "F001-2756");
        assert!(p.is_empty());
        number(&mut p, "27 56");
        number(&mut p, "");
        assert!(matches!(p.finish(), Err(DomainError::Invalid(e)) if e.len() == 2));
        assert_eq!(concept("2756", "Square Inc"), "2756 - Square Inc");
    }
}
