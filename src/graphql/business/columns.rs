//! The fields of the business books' objects read from their rows, declared for the
//! fast paths (see `fast::columns`), valued as the resolvers of `types.rs` answer them:
//! the compiled pages of `customers`, `salesInvoices` and `receipts` select them
//! (`fast::business`). No list of these types is answered from rows.

use crate::{
    entities::{customer, email_outbox, receipt, sales_invoice, sales_invoice_item},
    graphql::{
        commons::{GlobalId, NodeKind},
        fast::{
            columns::{Column, stored},
            compiled::{due_status, money, timestamp},
        },
    },
};

/// A `Customer`'s fields read from its `customers` row.
pub const CUSTOMER_COLUMNS: &[Column<customer::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Customer, &stored(t, "id"))
    }),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("nationalId", |t| stored(t, "national_id")),
    Column::compiled("address", |t| stored(t, "address")),
    Column::compiled("email", |t| stored(t, "email")),
    Column::compiled("phone", |t| stored(t, "phone")),
    Column::compiled("createdAt", |t| timestamp(&stored(t, "created_at"))),
    Column::compiled("updatedAt", |t| timestamp(&stored(t, "updated_at"))),
];

/// A `SalesInvoice`'s fields read from its `sales_invoices` row; its customer, items,
/// emails and income are relations the compiler writes itself.
pub const SALES_INVOICE_COLUMNS: &[Column<sales_invoice::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::SalesInvoice, &stored(t, "id"))
    }),
    Column::compiled("number", |t| stored(t, "number")),
    Column::compiled("date", |t| stored(t, "date")),
    Column::compiled("dueDate", |t| stored(t, "due_date")),
    Column::compiled("concept", |t| stored(t, "concept")),
    Column::compiled("subtotal", |t| money(&stored(t, "subtotal_minor"))),
    // Basis points as a percentage with two decimals, as `amounts::rate_as_percentage`.
    Column::compiled("taxPercentage", |t| money(&stored(t, "tax_rate_bp"))),
    Column::compiled("tax", |t| money(&stored(t, "tax_minor"))),
    Column::compiled("total", |t| money(&stored(t, "total_minor"))),
    Column::compiled("paid", |t| stored(t, "paid")),
    Column::compiled("paidOn", |t| stored(t, "paid_on")),
    Column::on_day("status", due_status),
    Column::compiled("additionalInfo", |t| stored(t, "additional_info")),
    Column::compiled("pdfPath", |t| {
        format!(
            "('/documents/invoices/' || {} || '.pdf')",
            GlobalId::postgres_sql(NodeKind::SalesInvoice, &stored(t, "id"))
        )
    }),
    Column::compiled("createdAt", |t| timestamp(&stored(t, "created_at"))),
    Column::compiled("updatedAt", |t| timestamp(&stored(t, "updated_at"))),
];

/// A `SalesInvoiceItem`'s fields read from its `sales_invoice_items` row.
pub const SALES_INVOICE_ITEM_COLUMNS: &[Column<sales_invoice_item::Model>] = &[
    Column::compiled("description", |t| stored(t, "description")),
    // Hundredths with two decimals, as the resolver's `Decimal::new(quantity_centi, 2)`.
    Column::compiled("quantity", |t| money(&stored(t, "quantity_centi"))),
    Column::compiled("unitAmount", |t| money(&stored(t, "unit_amount_minor"))),
    Column::compiled("amount", |t| money(&stored(t, "amount_minor"))),
];

/// An `EmailMessage`'s fields read from its `email_outbox` row.
pub const EMAIL_MESSAGE_COLUMNS: &[Column<email_outbox::Model>] = &[
    Column::compiled("recipient", |t| stored(t, "recipient")),
    Column::compiled("subject", |t| stored(t, "subject")),
    Column::compiled("body", |t| stored(t, "body")),
    Column::compiled("attachmentName", |t| stored(t, "attachment_name")),
    // Stored as the enum's GraphQL names.
    Column::compiled("status", |t| stored(t, "status")),
    Column::compiled("attempts", |t| stored(t, "attempts")),
    // As the resolver: null rather than empty.
    Column::compiled("lastError", |t| format!("NULLIF({t}.last_error, '')")),
    // As the resolver: only while queued.
    Column::compiled("nextAttemptAt", |t| {
        format!(
            "(CASE WHEN {t}.status = 'QUEUED' THEN {} END)",
            timestamp(&stored(t, "next_attempt_at"))
        )
    }),
    Column::compiled("sentAt", |t| timestamp(&stored(t, "sent_at"))),
    Column::compiled("createdAt", |t| timestamp(&stored(t, "created_at"))),
];

/// A `Receipt`'s fields read from its `receipts` row; its expense is a relation the
/// compiler writes itself.
pub const RECEIPT_COLUMNS: &[Column<receipt::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Receipt, &stored(t, "id"))
    }),
    Column::compiled("date", |t| stored(t, "date")),
    Column::compiled("dueDate", |t| stored(t, "due_date")),
    Column::compiled("concept", |t| stored(t, "concept")),
    Column::compiled("amount", |t| money(&stored(t, "amount_minor"))),
    Column::compiled("paid", |t| stored(t, "paid")),
    Column::compiled("paidOn", |t| stored(t, "paid_on")),
    Column::on_day("status", due_status),
    Column::compiled("createdAt", |t| timestamp(&stored(t, "created_at"))),
    Column::compiled("updatedAt", |t| timestamp(&stored(t, "updated_at"))),
];
