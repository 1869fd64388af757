//! What the back office does to an invoice after it was issued: discounts, penalties,
//! freezing, splitting, cancelling. Each operation is one transaction that first takes
//! the lock of the driver's wallet, the lock every payment of theirs holds while it runs:
//! so an operation and a payment of the same invoice never interleave, and whichever
//! comes second sees what the first did (a paid invoice cannot be frozen; a frozen one
//! cannot be paid). Every one is ADMIN only and leaves its audit record, with the reason
//! given, on the invoice it changed.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    signing::{FRACTION, MAX_WEEKLY_AMOUNT, PENALTY, invoice_type},
    text::Text,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, Problems},
    commons::{ContractId, Id, InvoiceDiscountId, InvoiceId, Money, begin_write},
    entities::{contract, invoice, invoice::InvoiceStatus, invoice_discount},
    visibility,
    wallet::{ledger, payments},
};

const MAX_REASON_CHARS: usize = 500;
/// Most fractions one split makes (a quarter of weekly fractions).
pub const MAX_PARTS: usize = 13;
/// The kind of a discount granted in the back office (the seed's are `plan`, `bonus`).
pub const STAFF_DISCOUNT: &str = "staff";

/// The invoice `id` of the actor's organization with its contract, the driver's wallet
/// locked for the rest of `txn`; NOT_FOUND on `invoiceId` otherwise.
async fn lock_invoice(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: InvoiceId,
) -> DomainResult<(invoice::Model, contract::Model)> {
    let not_found =
        || DomainError::invalid("invoiceId", UserErrorCode::NotFound, Text::NoSuchInvoice);
    let (_, owner) = invoice::Entity::find_by_id(id.get())
        .find_also_related(contract::Entity)
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    let owner = owner
        .filter(|c| c.organization_id == actor.viewer.organization_id.get())
        .ok_or_else(not_found)?;
    ledger::lock(txn, Id::new(owner.client_id)).await?;
    // Read again under the lock: a payment may have committed since.
    let found = invoice::Entity::find_by_id(id.get())
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    Ok((found, owner))
}

fn reason(p: &mut Problems, value: &str) -> String {
    checks::text(p, "reason", value, true, MAX_REASON_CHARS)
}

/// Refuses an invoice that is no longer owed: PAID, CANCELLED, or SPLIT (its fractions
/// are owed instead).
fn refuse_settled(found: &invoice::Model) -> DomainResult<()> {
    let refused = |code, message: Text| Err(DomainError::invalid("invoiceId", code, message));
    match found.status {
        InvoiceStatus::Paid => refused(UserErrorCode::InvoiceAlreadyPaid, Text::InvoicePaid),
        InvoiceStatus::Cancelled => {
            refused(UserErrorCode::InvoiceCancelled, Text::InvoiceCancelled)
        }
        InvoiceStatus::Split => refused(UserErrorCode::InvoiceSplit, Text::InvoiceSplit),
        InvoiceStatus::Pending | InvoiceStatus::Fraction | InvoiceStatus::Frozen => Ok(()),
    }
}

/// What is left to pay of `found`: its total minus its discounts, never below zero.
async fn remaining(txn: &DatabaseTransaction, found: &invoice::Model) -> DomainResult<Money> {
    let due = payments::with_amounts(txn, vec![found.clone()]).await?;
    Ok(due.first().map_or(Money::ZERO, |d| d.amount))
}

/// An amount these operations take: more than zero and at most the largest weekly fee
/// (a guard against a slipped zero).
fn amount(p: &mut Problems, field: &str, value: Money) -> Money {
    if !value.is_positive() || value > MAX_WEEKLY_AMOUNT {
        p.add(
            field,
            UserErrorCode::InvalidAmount,
            Text::AmountRange {
                max: MAX_WEEKLY_AMOUNT.to_string(),
            },
        );
    }
    value
}

/// A due date these operations take: today or later in the organization's calendar.
fn due_date(p: &mut Problems, field: &str, value: NaiveDate, today: NaiveDate) -> NaiveDate {
    if value < today {
        p.add(
            field,
            UserErrorCode::OutOfRange,
            Text::DueFromToday {
                today: today.to_string(),
            },
        );
    }
    value
}

async fn record(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    invoice_id: i64,
    operation: &'static str,
    before: Option<Value>,
    after: Value,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    audit::record_by(
        txn,
        actor,
        Change {
            kind: ObjectKind::Invoice,
            object_id: invoice_id,
            operation,
            before,
            after: Some(after),
        },
        now,
    )
    .await?;
    Ok(())
}

async fn set_status(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    found: invoice::Model,
    status: InvoiceStatus,
    operation: &'static str,
    reason: String,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    let before = found.status;
    // Conditional as well as locked: the status it changes is the one it read.
    let changed = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(status))
        .filter(invoice::Column::Id.eq(found.id))
        .filter(invoice::Column::Status.eq(before))
        .exec(txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(DomainError::Conflict(Text::InvoiceChanged.into()));
    }
    let after = invoice::Model { status, ..found };
    record(
        txn,
        actor,
        after.id,
        operation,
        Some(json!({ "status": before.to_value(), "reason": null })),
        json!({ "status": after.status.to_value(), "reason": reason }),
        now,
    )
    .await?;
    Ok(after)
}

/// Freezes a pending invoice (the REST API's "freezed"): it cannot be paid or charged
/// automatically until unfrozen. A paid invoice is refused (INVOICE_ALREADY_PAID);
/// freezing a frozen one changes nothing. ADMIN only.
pub async fn freeze_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceId,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let why = reason(&mut p, why);
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, _) = lock_invoice(&txn, actor, id).await?;
    refuse_settled(&found)?;
    match found.status {
        InvoiceStatus::Frozen => Ok(found),
        InvoiceStatus::Fraction => Err(DomainError::invalid(
            "invoiceId",
            UserErrorCode::InvalidFormat,
            Text::FractionNotFrozen,
        )),
        _ => {
            let frozen = set_status(
                &txn,
                actor,
                found,
                InvoiceStatus::Frozen,
                "freezeInvoice",
                why,
                now,
            )
            .await?;
            txn.commit().await?;
            Ok(frozen)
        }
    }
}

/// Makes a frozen invoice payable again; unfreezing one that is not frozen changes
/// nothing, a paid one is refused (INVOICE_ALREADY_PAID). ADMIN only.
pub async fn unfreeze_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceId,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let why = reason(&mut p, why);
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, _) = lock_invoice(&txn, actor, id).await?;
    refuse_settled(&found)?;
    if found.status != InvoiceStatus::Frozen {
        return Ok(found);
    }
    let thawed = set_status(
        &txn,
        actor,
        found,
        InvoiceStatus::Pending,
        "unfreezeInvoice",
        why,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(thawed)
}

/// An invoice after a discount was added or removed, and the discount.
#[derive(Debug, Clone)]
pub struct Discounted {
    pub invoice: invoice::Model,
    pub discount: invoice_discount::Model,
}

/// Takes `amount` off what is left to pay of an owed invoice, for `why`. The amount to
/// pay never goes below zero: a discount larger than what is left is refused
/// (INVALID_AMOUNT), and one that leaves nothing settles the invoice (PAID today, with no
/// payment). ADMIN only.
pub async fn add_discount(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceId,
    value: Money,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<Discounted> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let value = amount(&mut p, "amount", value);
    let why = reason(&mut p, why);
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, _) = lock_invoice(&txn, actor, id).await?;
    refuse_settled(&found)?;
    let left = remaining(&txn, &found).await?;
    if value > left {
        return Err(DomainError::invalid(
            "amount",
            UserErrorCode::InvalidAmount,
            Text::DiscountTooLarge {
                left: left.to_string(),
            },
        ));
    }
    let discount = invoice_discount::ActiveModel {
        invoice_id: Set(found.id),
        amount_minor: Set(value.minor()),
        observations: Set(why.clone()),
        kind: Set(STAFF_DISCOUNT.into()),
        created_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let before_status = found.status;
    let invoice = if value == left {
        // Nothing is left to pay: the discount settles it.
        let today = super::today::today(&txn, actor.viewer.organization_id, now).await?;
        let changed = invoice::Entity::update_many()
            .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Paid))
            .col_expr(invoice::Column::PaidDate, Expr::value(Some(today)))
            .filter(invoice::Column::Id.eq(found.id))
            .filter(invoice::Column::Status.eq(before_status))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            return Err(DomainError::Conflict(Text::InvoiceChanged.into()));
        }
        invoice::Model {
            status: InvoiceStatus::Paid,
            paid_date: Some(today),
            ..found
        }
    } else {
        found
    };
    record(
        &txn,
        actor,
        invoice.id,
        "addInvoiceDiscount",
        Some(json!({ "status": before_status.to_value(), "toPay": left.to_string() })),
        json!({
            "status": invoice.status.to_value(),
            "toPay": Money::from_minor(left.minor() - value.minor()).to_string(),
            "discountId": discount.id,
            "amount": value.to_string(),
            "reason": why,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Discounted { invoice, discount })
}

/// Removes a discount from an owed invoice, for `why`: the invoice costs that much more
/// again. A discount of a paid, cancelled or split invoice stays. ADMIN only.
pub async fn remove_discount(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceDiscountId,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<Discounted> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let why = reason(&mut p, why);
    p.finish()?;
    let not_found =
        || DomainError::invalid("discountId", UserErrorCode::NotFound, Text::NoSuchDiscount);
    let txn = begin_write(db).await?;
    let discount = invoice_discount::Entity::find_by_id(id.get())
        .one(&txn)
        .await?
        .ok_or_else(not_found)?;
    let (found, _) = lock_invoice(&txn, actor, Id::new(discount.invoice_id))
        .await
        .map_err(|e| match e {
            DomainError::Invalid(_) => not_found(),
            other => other,
        })?;
    refuse_settled(&found)?;
    let left = remaining(&txn, &found).await?;
    let removed = invoice_discount::Entity::delete_many()
        .filter(invoice_discount::Column::Id.eq(discount.id))
        .exec(&txn)
        .await?;
    if removed.rows_affected != 1 {
        return Err(DomainError::Conflict(Text::DiscountChanged.into()));
    }
    let after = remaining(&txn, &found).await?;
    record(
        &txn,
        actor,
        found.id,
        "removeInvoiceDiscount",
        Some(json!({
            "toPay": left.to_string(),
            "discountId": discount.id,
            "amount": Money::from_minor(discount.amount_minor).to_string(),
            "observations": discount.observations,
        })),
        json!({ "toPay": after.to_string(), "reason": why }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Discounted {
        invoice: found,
        discount,
    })
}

/// A penalty to charge under a contract.
#[derive(Debug, Clone)]
pub struct NewPenalty {
    pub contract_id: ContractId,
    pub amount: Money,
    pub due_date: NaiveDate,
    pub reason: String,
}

/// Charges a penalty under a contract: a PENDING invoice of the penalty type, paid before
/// the weekly fees (priority 0), due on `due_date` (today or later), its reason as its
/// observations. ADMIN only.
pub async fn add_penalty(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewPenalty,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    visibility::require_admin(actor.viewer)?;
    let today = super::today::today(db, actor.viewer.organization_id, now).await?;
    let mut p = Problems::default();
    let value = amount(&mut p, "amount", input.amount);
    let due = due_date(&mut p, "dueDate", input.due_date, today);
    let why = reason(&mut p, &input.reason);
    p.finish()?;
    let txn = begin_write(db).await?;
    let not_found =
        || DomainError::invalid("contractId", UserErrorCode::NotFound, Text::NoSuchContract);
    let owner = contract::Entity::find_by_id(input.contract_id.get())
        .filter(contract::Column::OrganizationId.eq(actor.viewer.organization_id))
        .one(&txn)
        .await?
        .ok_or_else(not_found)?;
    ledger::lock(&txn, Id::new(owner.client_id)).await?;
    let penalty = invoice_type(&txn, actor.viewer.organization_id, PENALTY).await?;
    let invoice = invoice::ActiveModel {
        contract_id: Set(owner.id),
        hash: Set(Uuid::new_v4().to_string()),
        status: Set(InvoiceStatus::Pending),
        priority: Set(0),
        due_date: Set(due),
        paid_date: Set(None),
        total_minor: Set(value.minor()),
        observations: Set(why.clone()),
        type_id: Set(penalty),
        created_at: Set(now),
        parent_id: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        actor,
        invoice.id,
        "addPenalty",
        None,
        json!({
            "contractId": owner.id,
            "amount": value.to_string(),
            "dueDate": due,
            "status": invoice.status.to_value(),
            "reason": why,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(invoice)
}

/// One fraction of a split: how much, due when.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub amount: Money,
    pub due_date: NaiveDate,
}

/// An invoice split, and the fractions it became.
#[derive(Debug, Clone)]
pub struct Split {
    pub parent: invoice::Model,
    pub fractions: Vec<invoice::Model>,
}

/// Splits what is left to pay of a PENDING invoice into 2 to [`MAX_PARTS`] FRACTION
/// invoices that sum to it exactly (AMOUNT_MISMATCH otherwise), each due on its own date
/// (today or later) and naming the invoice as its parent. The invoice becomes SPLIT: no
/// longer payable itself, and out of every total owed, where its fractions stand for it.
/// A frozen invoice is unfrozen first; a fraction is not split again. ADMIN only.
pub async fn split_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceId,
    parts: &[Part],
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<Split> {
    visibility::require_admin(actor.viewer)?;
    let today = super::today::today(db, actor.viewer.organization_id, now).await?;
    let mut p = Problems::default();
    if !(2..=MAX_PARTS).contains(&parts.len()) {
        p.add(
            "parts",
            UserErrorCode::OutOfRange,
            Text::SplitParts {
                max: MAX_PARTS.to_string(),
            },
        );
    }
    for (i, part) in parts.iter().enumerate() {
        amount(&mut p, &format!("parts.{i}.amount"), part.amount);
        due_date(&mut p, &format!("parts.{i}.dueDate"), part.due_date, today);
    }
    let why = checks::text(&mut p, "reason", why, false, MAX_REASON_CHARS);
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, owner) = lock_invoice(&txn, actor, id).await?;
    refuse_settled(&found)?;
    match found.status {
        InvoiceStatus::Frozen => {
            return Err(DomainError::invalid(
                "invoiceId",
                UserErrorCode::InvoiceFrozen,
                Text::FrozenNotSplit,
            ));
        }
        InvoiceStatus::Fraction => {
            return Err(DomainError::invalid(
                "invoiceId",
                UserErrorCode::InvoiceSplit,
                Text::FractionNotSplit,
            ));
        }
        _ => {}
    }
    let left = remaining(&txn, &found).await?;
    let sum = Money::sum(parts.iter().map(|part| part.amount));
    if sum != Some(left) {
        return Err(DomainError::invalid(
            "parts",
            UserErrorCode::AmountMismatch,
            match sum {
                Some(sum) => Text::PartsSum {
                    sum: sum.to_string(),
                    left: left.to_string(),
                },
                None => Text::PartsSumTooLarge {
                    left: left.to_string(),
                },
            },
        ));
    }
    let changed = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Split))
        .filter(invoice::Column::Id.eq(found.id))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Pending))
        .exec(&txn)
        .await?;
    if changed.rows_affected != 1 {
        return Err(DomainError::Conflict(Text::InvoiceChanged.into()));
    }
    let fraction = invoice_type(&txn, Id::new(owner.organization_id), FRACTION).await?;
    let count = parts.len();
    let rows = parts
        .iter()
        .enumerate()
        .map(|(i, part)| invoice::ActiveModel {
            contract_id: Set(owner.id),
            hash: Set(Uuid::new_v4().to_string()),
            status: Set(InvoiceStatus::Fraction),
            priority: Set(found.priority),
            due_date: Set(part.due_date),
            paid_date: Set(None),
            total_minor: Set(part.amount.minor()),
            observations: Set(format!(
                "Fracción {} de {count}: {}",
                i + 1,
                found.observations
            )),
            type_id: Set(fraction),
            created_at: Set(now),
            parent_id: Set(Some(found.id)),
            ..Default::default()
        });
    invoice::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await?;
    let fractions = invoice::Entity::find()
        .filter(invoice::Column::ParentId.eq(found.id))
        .order_by_asc(invoice::Column::Id)
        .all(&txn)
        .await?;
    record(
        &txn,
        actor,
        found.id,
        "splitInvoice",
        Some(json!({ "status": found.status.to_value(), "toPay": left.to_string() })),
        json!({
            "status": InvoiceStatus::Split.to_value(),
            "fractions": fractions.iter().map(|f| json!({
                "id": f.id,
                "amount": Money::from_minor(f.total_minor).to_string(),
                "dueDate": f.due_date,
            })).collect::<Vec<_>>(),
            "reason": why,
        }),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Split {
        parent: invoice::Model {
            status: InvoiceStatus::Split,
            ..found
        },
        fractions,
    })
}

/// Cancels an owed invoice (PENDING, FROZEN or a FRACTION), for `why`: it is CANCELLED,
/// owed no more and out of every total. A split invoice is cancelled fraction by
/// fraction. ADMIN only.
pub async fn cancel_invoice(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: InvoiceId,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<invoice::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let why = reason(&mut p, why);
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, _) = lock_invoice(&txn, actor, id).await?;
    refuse_settled(&found)?;
    let cancelled = set_status(
        &txn,
        actor,
        found,
        InvoiceStatus::Cancelled,
        "cancelInvoice",
        why,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(cancelled)
}

/// The fractions each of `parents` was split into, in the order they were made.
pub async fn fractions_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    parents: &[InvoiceId],
) -> Result<std::collections::HashMap<InvoiceId, Vec<invoice::Model>>, sea_orm::DbErr> {
    let rows = invoice::Entity::find()
        .filter(invoice::Column::ParentId.is_in(parents.iter().copied()))
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?;
    let mut map: std::collections::HashMap<InvoiceId, Vec<invoice::Model>> =
        parents.iter().map(|p| (*p, Vec::new())).collect();
    for row in rows {
        if let Some(parent) = row.parent_id {
            map.entry(Id::new(parent)).or_default().push(row);
        }
    }
    Ok(map)
}
