//! Receipts: bills the organization has to pay (water, internet, rent). While one is
//! paid, its expense is in the business book.

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use super::{
    due_after, in_business,
    invoices::{BookEntry, remove_transaction, sync_entry},
    is_overdue, payment, require_writer,
};
use crate::commons::{OrganizationId, ReceiptId};
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult,
    audit::{Actor, Change, ObjectKind},
    auth::Viewer,
    books::transactions,
    checks::{self, MAX_DESCRIPTION_CHARS, Problems},
    entities::{book, book_transaction::TransactionKind, receipt},
};
use sea_orm::Order;

/// A receipt to create.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    /// Today in the organization's timezone when not given.
    pub date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub concept: String,
    pub amount: Decimal,
    pub paid: Option<bool>,
    pub paid_on: Option<NaiveDate>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ReceiptChanges {
    pub date: Option<NaiveDate>,
    pub due_date: Option<Option<NaiveDate>>,
    pub concept: Option<String>,
    pub amount: Option<Decimal>,
    pub paid: Option<bool>,
    pub paid_on: Option<Option<NaiveDate>>,
}

/// One receipt of the caller's organization; any other is "not found".
pub async fn own_receipt<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: ReceiptId,
) -> DomainResult<receipt::Model> {
    receipt::Entity::find_by_id(id.get())
        .filter(receipt::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Receipt))
}

/// Creates a receipt of the caller's organization (`createReceipt`) in a transaction of
/// its own; a paid one records its expense in the business book.
pub async fn create_receipt(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewReceipt,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<receipt::Model> {
    in_business(db, actor, now, async |txn, book| {
        let row = insert_receipt(txn, actor.viewer, book, new, today, now).await?;
        let change = Change::of(
            ObjectKind::Receipt,
            row.id,
            "createReceipt",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

/// Changes a receipt in a transaction of its own and records `operation`.
async fn update_recorded(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ReceiptId,
    changes: ReceiptChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
    operation: &'static str,
) -> DomainResult<receipt::Model> {
    in_business(db, actor, now, async |txn, book| {
        let (before, after) =
            change_receipt(txn, actor.viewer, book, id, changes, today, now).await?;
        let change = Change::of(
            ObjectKind::Receipt,
            after.id,
            operation,
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Changes the fields sent of a receipt (`updateReceipt`); its expense in the business
/// book follows.
pub async fn update_receipt(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ReceiptId,
    changes: ReceiptChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<receipt::Model> {
    update_recorded(db, actor, id, changes, today, now, "updateReceipt").await
}

/// Marks a receipt paid on `paid_on`, today when not given (`markReceiptPaid`).
pub async fn mark_paid(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ReceiptId,
    paid_on: Option<NaiveDate>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<receipt::Model> {
    let changes = ReceiptChanges {
        paid: Some(true),
        paid_on: paid_on.map(Some),
        ..Default::default()
    };
    update_recorded(db, actor, id, changes, today, now, "markReceiptPaid").await
}

/// Deletes a receipt and its expense in the business book (`deleteReceipt`).
pub async fn delete_receipt(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ReceiptId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_business(db, actor, now, async |txn, book| {
        let row = own_receipt(txn, actor.viewer, id).await?;
        if let Some(expense) = row.expense_transaction_id {
            remove_transaction(txn, actor.viewer, book, expense).await?;
        }
        receipt::Entity::delete_by_id(row.id).exec(txn).await?;
        let change = Change::of(
            ObjectKind::Receipt,
            row.id,
            "deleteReceipt",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

/// Creates a receipt in `txn`; `book` is the business book, locked. Records nothing:
/// [`create_receipt`] records it.
async fn insert_receipt(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewReceipt,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<receipt::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let date = new.date.unwrap_or(today);
    due_after(&mut p, date, new.due_date);
    let concept = checks::text(&mut p, "concept", &new.concept, true, MAX_DESCRIPTION_CHARS);
    let amount = transactions::amount(&mut p, "amount", new.amount);
    let (paid, paid_on) = payment(&mut p, new.paid, new.paid_on, today);
    p.finish()?;
    let (created_by_user_id, created_by_token_id) = viewer.creator();
    let row = receipt::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        date: Set(date),
        due_date: Set(new.due_date),
        concept: Set(concept),
        amount_minor: Set(amount.minor()),
        paid: Set(paid),
        paid_on: Set(paid_on),
        expense_transaction_id: Set(None),
        created_by_user_id: Set(created_by_user_id),
        created_by_token_id: Set(created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    sync_expense(txn, viewer, book, row, today, now).await
}

/// Changes the fields sent of a receipt in `txn`; the receipt before and after.
#[allow(clippy::too_many_arguments)]
async fn change_receipt(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: ReceiptId,
    changes: ReceiptChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(receipt::Model, receipt::Model)> {
    require_writer(viewer)?;
    let row = own_receipt(txn, viewer, id).await?;
    let before = row.clone();
    let mut p = Problems::default();
    let date = changes.date.unwrap_or(row.date);
    let due_date = changes.due_date.unwrap_or(row.due_date);
    due_after(&mut p, date, due_date);
    let concept = changes
        .concept
        .as_deref()
        .map(|c| checks::text(&mut p, "concept", c, true, MAX_DESCRIPTION_CHARS));
    let amount = changes
        .amount
        .map(|a| transactions::amount(&mut p, "amount", a));
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
    p.finish()?;
    let mut active = row.into_active_model();
    active.date = Set(date);
    active.due_date = Set(due_date);
    if let Some(v) = concept {
        active.concept = Set(v);
    }
    if let Some(v) = amount {
        active.amount_minor = Set(v.minor());
    }
    active.paid = Set(paid);
    active.paid_on = Set(paid_on);
    active.updated_at = Set(now);
    let updated = active.update(txn).await?;
    let after = sync_expense(txn, viewer, book, updated, today, now).await?;
    Ok((before, after))
}

async fn sync_expense(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    row: receipt::Model,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<receipt::Model> {
    let linked = row.expense_transaction_id;
    let wanted = row.paid.then(|| BookEntry {
        kind: TransactionKind::Out,
        amount: crate::commons::Money::from_minor(row.amount_minor),
        date: row.paid_on.unwrap_or(row.date),
        description: row.concept.clone(),
        contact: String::new(),
    });
    let now_linked = sync_entry(txn, viewer, book, linked, wanted, today, now).await?;
    if now_linked == linked {
        return Ok(row);
    }
    let mut active = row.into_active_model();
    active.expense_transaction_id = Set(now_linked);
    Ok(active.update(txn).await?)
}

/// Which receipts a listing shows.
#[derive(Debug, Clone, Default)]
pub struct ReceiptFilter {
    pub paid: Option<bool>,
    pub overdue: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The organization's receipts matching `filter`, newest date first.
pub fn search(
    organization_id: OrganizationId,
    filter: &ReceiptFilter,
    today: NaiveDate,
) -> Listing<receipt::Entity> {
    let mut query =
        receipt::Entity::find().filter(receipt::Column::OrganizationId.eq(organization_id));
    if let Some(paid) = filter.paid {
        query = query.filter(receipt::Column::Paid.eq(paid));
    }
    if let Some(from) = filter.from {
        query = query.filter(receipt::Column::Date.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(receipt::Column::Date.lte(to));
    }
    if let Some(overdue) = filter.overdue {
        query = query.filter(super::overdue_condition(
            receipt::Column::Paid,
            receipt::Column::Date,
            receipt::Column::DueDate,
            today,
            overdue,
        ));
    }
    Listing::new(
        query,
        [
            (receipt::Column::Date, Order::Desc),
            (receipt::Column::Id, Order::Desc),
        ],
    )
}

/// Whether a receipt is overdue today.
pub fn overdue(row: &receipt::Model, today: NaiveDate) -> bool {
    is_overdue(row.paid, row.date, row.due_date, today)
}
