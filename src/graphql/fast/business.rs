//! The business books' pages compiled (see [`super::compiled`]): `customers`,
//! `salesInvoices` (with each invoice's customer, items, emails and income) and `receipts`
//! (with each receipt's expense). The listing's rows are read as they always are (the
//! filters, who may read them and the order are the domain's, `domain::business`), and
//! PostgreSQL builds each node's JSON beside its row ([`super::listing`]). A type's
//! fields are its columns' SQL (`business::columns`), valued exactly as its resolvers
//! answer them; a selection with any other field (`createdBy`) is left to the resolvers.

use async_graphql::Context;
use chrono::NaiveDate;
use sea_orm::EntityTrait;

use super::selection::Selected;
use super::{
    books::transaction,
    compiled::{CompiledPage, Sql, column, flat, many, object, one_by_key, page_selection, row_of},
};
use crate::{
    entities::{customer, receipt, sales_invoice},
    graphql::business::columns::{
        CUSTOMER_COLUMNS, EMAIL_MESSAGE_COLUMNS, RECEIPT_COLUMNS, SALES_INVOICE_COLUMNS,
        SALES_INVOICE_ITEM_COLUMNS,
    },
};

/// The SQL of the page `ctx` (a connection field) asks for, when it asks for `nodes` or
/// `edges` of fields `node` compiles over the listing's row (a row of `E`).
fn page<E: EntityTrait>(
    ctx: &Context<'_>,
    edge_type: &'static str,
    sql: Sql,
    node: fn(Selected<'_>, &str, &mut Sql) -> Option<String>,
) -> Option<CompiledPage> {
    let (nodes, edges) = page_selection(ctx, edge_type)?;
    let row = row_of::<E>();
    let mut sql = sql.over_listing(&row);
    let node = node(nodes, &row, &mut sql)?;
    Some(CompiledPage {
        node: sql.row_text(&node),
        edges,
    })
}

/// How PostgreSQL answers the `customers` page `ctx` asks for, when it can.
pub fn customer_page(ctx: &Context<'_>) -> Option<CompiledPage> {
    page::<customer::Entity>(ctx, "CustomerEdge", Sql::default(), customer)
}

/// How PostgreSQL answers the `salesInvoices` page `ctx` asks for, when it can; `today`
/// in the organization's timezone (an invoice's `status` follows it).
pub fn sales_invoice_page(ctx: &Context<'_>, today: NaiveDate) -> Option<CompiledPage> {
    page::<sales_invoice::Entity>(ctx, "SalesInvoiceEdge", Sql::on(today), sales_invoice)
}

/// How PostgreSQL answers the `receipts` page `ctx` asks for, when it can; `today` in
/// the organization's timezone (a receipt's `status` follows it).
pub fn receipt_page(ctx: &Context<'_>, today: NaiveDate) -> Option<CompiledPage> {
    page::<receipt::Entity>(ctx, "ReceiptEdge", Sql::on(today), receipt)
}

/// A `Customer` read from `customers` row `t`.
fn customer(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    flat(field, "Customer", CUSTOMER_COLUMNS, t, sql)
}

/// A `SalesInvoice` read from `sales_invoices` row `t` (see `business::types`).
fn sales_invoice(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "SalesInvoice", sql, |f, sql| match f.name() {
        // As the resolver: a customer of the invoice's own organization.
        "customer" => one_by_key(
            f,
            sql,
            t,
            "customers",
            |c| format!("{c}.id = {t}.customer_id AND {c}.organization_id = {t}.organization_id"),
            customer,
        ),
        // In their order on the invoice, as the `invoice_items` loader reads them.
        "items" => many(
            f,
            sql,
            "sales_invoice_items",
            |i| format!("{i}.invoice_id = {t}.id"),
            |i| format!("{i}.position"),
            |f, i, sql| flat(f, "SalesInvoiceItem", SALES_INVOICE_ITEM_COLUMNS, i, sql),
        ),
        // Newest first, as `outbox::emails_of_invoices` reads them.
        "emails" => many(
            f,
            sql,
            "email_outbox",
            |e| format!("{e}.invoice_id = {t}.id"),
            |e| format!("{e}.created_at DESC, {e}.id DESC"),
            |f, e, sql| flat(f, "EmailMessage", EMAIL_MESSAGE_COLUMNS, e, sql),
        ),
        "income" => linked_transaction(f, t, "income_transaction_id", sql),
        _ => column(SALES_INVOICE_COLUMNS, f, t, sql),
    })
}

/// A `Receipt` read from `receipts` row `t` (see `business::types`).
fn receipt(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Receipt", sql, |f, sql| match f.name() {
        "expense" => linked_transaction(f, t, "expense_transaction_id", sql),
        _ => column(RECEIPT_COLUMNS, f, t, sql),
    })
}

/// The business book's transaction that row `t`'s column `link` names (an invoice's
/// income, a receipt's expense): as the resolver, one of the row's own organization.
fn linked_transaction(field: Selected<'_>, t: &str, link: &str, sql: &mut Sql) -> Option<String> {
    one_by_key(
        field,
        sql,
        t,
        "book_transactions",
        |x| format!("{x}.id = {t}.{link} AND {x}.organization_id = {t}.organization_id"),
        transaction,
    )
}
