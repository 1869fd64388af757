//! What the back office does to one invoice after it was issued. Each operation is one
//! transaction that first takes the lock of the driver's wallet, the lock every payment
//! of theirs holds while it runs: so an operation and a payment of the same invoice never
//! interleave, and whichever comes second sees what the first did (a paid invoice cannot
//! be frozen; a frozen one cannot be paid).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde_json::json;

use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, Problems},
    commons::{Id, InvoiceId, begin_write},
    entities::{contract, invoice, invoice::InvoiceStatus},
    visibility,
    wallet::ledger,
};

const MAX_REASON_CHARS: usize = 500;

/// The invoice `id` of the actor's organization with its contract, the driver's wallet
/// locked for the rest of `txn`; NOT_FOUND on `invoiceId` otherwise.
async fn lock_invoice(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: InvoiceId,
) -> DomainResult<(invoice::Model, contract::Model)> {
    let not_found =
        || DomainError::invalid("invoiceId", UserErrorCode::NotFound, "No such invoice");
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

fn refuse_settled(found: &invoice::Model) -> DomainResult<()> {
    if found.status == InvoiceStatus::Paid {
        return Err(DomainError::invalid(
            "invoiceId",
            UserErrorCode::InvoiceAlreadyPaid,
            "This invoice is paid: nothing can change it any more",
        ));
    }
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
        return Err(DomainError::Conflict(
            "The invoice changed meanwhile; look at it again".into(),
        ));
    }
    let after = invoice::Model { status, ..found };
    audit::record(
        txn,
        actor.viewer.organization_id,
        &actor.into(),
        Change {
            kind: ObjectKind::Invoice,
            object_id: after.id,
            operation,
            before: Some(json!({ "status": before.to_value(), "reason": null })),
            after: Some(json!({ "status": after.status.to_value(), "reason": reason })),
        },
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
            "A fraction of a split invoice is paid with the next payment: it cannot be frozen",
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
