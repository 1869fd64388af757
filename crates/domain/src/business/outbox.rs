//! Sending invoices by email: `sendInvoice` (and `sendByEmail` on create) queues in the
//! outbox ([`crate::outbox`]) an email with the invoice's PDF attached, in the same
//! transaction as the change that asked for it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::{customers, pdf, pdf::InvoiceDocument, require_writer, text::Text};
use crate::commons::{Id, SalesInvoiceId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_PARAGRAPH_CHARS, Problems},
    entities::{email_outbox, organization, sales_invoice, sales_invoice_item},
    outbox::{self, Email},
};

/// The invoice with its `items`, rendered as a PDF, with what it takes to print it.
pub(super) async fn invoice_pdf<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    invoice: &sales_invoice::Model,
    items: &[sales_invoice_item::Model],
) -> DomainResult<Vec<u8>> {
    let customer = customers::own_customer(db, viewer, Id::new(invoice.customer_id)).await?;
    let organization = organization::Entity::find_by_id(invoice.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal("the invoice's organization is gone".into()))?;
    Ok(pdf::render_invoice(&InvoiceDocument {
        organization: &organization.name,
        currency: &organization.currency,
        invoice,
        customer: &customer,
        items,
    }))
}

/// Queues an email of the invoice, its PDF (with `items`) attached, to its customer's
/// email (or `to`). `smtp_configured` says whether a sender will pick it up; when not,
/// the email says so.
#[allow(clippy::too_many_arguments)]
pub(super) async fn queue_invoice<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    invoice: &sales_invoice::Model,
    items: &[sales_invoice_item::Model],
    to: Option<String>,
    message: Option<String>,
    smtp_configured: bool,
    now: DateTime<Utc>,
) -> DomainResult<email_outbox::Model> {
    require_writer(viewer)?;
    let customer = customers::own_customer(db, viewer, Id::new(invoice.customer_id)).await?;
    let mut p = Problems::default();
    let recipient = match to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(to) => checks::email(&mut p, "to", to),
        None if customer.email.is_empty() => {
            p.add("to", UserErrorCode::Required, Text::NoEmail);
            String::new()
        }
        None => customer.email.clone(),
    };
    let message = checks::text(
        &mut p,
        "message",
        message.as_deref().unwrap_or(""),
        false,
        MAX_PARAGRAPH_CHARS,
    );
    p.finish()?;
    let organization = organization::Entity::find_by_id(invoice.organization_id)
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal("the invoice's organization is gone".into()))?;
    let attachment = invoice_pdf(db, viewer, invoice, items).await?;
    let subject = format!("Factura {} de {}", invoice.number, organization.name);
    let body = if message.is_empty() {
        format!(
            "Hola {},\n\nLe enviamos adjunta la factura {} por un total de {} {}.\n\n{}",
            customer.name,
            invoice.number,
            organization.currency,
            crate::commons::Money::from_minor(invoice.total_minor),
            organization.name
        )
    } else {
        message
    };
    outbox::queue(
        db,
        viewer,
        Email {
            organization_id: invoice.organization_id,
            invoice_id: Some(invoice.id),
            recipient,
            subject,
            body,
            attachment: Some((pdf::file_name(invoice), attachment)),
        },
        smtp_configured,
        now,
    )
    .await
}

/// The emails of each invoice of `keys`, newest first.
pub async fn emails_of_invoices<C: ConnectionTrait>(
    db: &C,
    keys: &[SalesInvoiceId],
) -> Result<HashMap<SalesInvoiceId, Vec<email_outbox::Model>>, DbErr> {
    use crate::entities::email_outbox;
    let rows = email_outbox::Entity::find()
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            email_outbox::Column::InvoiceId,
            keys.iter().copied(),
        ))
        .order_by_desc(email_outbox::Column::CreatedAt)
        .order_by_desc(email_outbox::Column::Id)
        .all(db)
        .await?;
    let mut emails: HashMap<SalesInvoiceId, Vec<email_outbox::Model>> =
        keys.iter().map(|k| (*k, Vec::new())).collect();
    for row in rows {
        if let Some(invoice) = row.invoice_id {
            emails.entry(Id::new(invoice)).or_default().push(row);
        }
    }
    Ok(emails)
}
