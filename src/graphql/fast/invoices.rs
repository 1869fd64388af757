//! An invoice compiled (see [`super::compiled`]), with its type and its discounts:
//! wherever a compiled page reaches invoices (a contract's page of them, the fleet page;
//! the invoices a wallet's payment settled).

use async_graphql::SelectionField;

use super::compiled::{Sql, column, flat, many, object, one};
use crate::graphql::contracts::types::{
    INVOICE_COLUMNS, INVOICE_DISCOUNT_COLUMNS, INVOICE_TYPE_COLUMNS,
};

/// An `Invoice` read from `invoices` row `t` (see `contracts::types::Invoice`), with its
/// type and its discounts.
pub fn invoice(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Invoice", sql, |f, sql| match f.name() {
        "type" => one(
            f,
            sql,
            "invoice_types",
            |c| format!("{c}.id = {t}.type_id"),
            |f, c, sql| flat(f, "InvoiceType", INVOICE_TYPE_COLUMNS, c, sql),
        ),
        // Oldest first, as the `discounts` loader reads them.
        "discounts" => many(
            f,
            sql,
            "invoice_discounts",
            |c| format!("{c}.invoice_id = {t}.id"),
            |c| format!("{c}.id"),
            |f, c, sql| flat(f, "InvoiceDiscount", INVOICE_DISCOUNT_COLUMNS, c, sql),
        ),
        _ => column(INVOICE_COLUMNS, f, t, sql),
    })
}
