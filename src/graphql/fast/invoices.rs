//! An invoice compiled (see [`super::compiled`]), with its type and its discounts:
//! wherever a compiled page reaches invoices (a contract's page of them, the fleet page;
//! the invoices a wallet's payment settled).

use async_graphql::SelectionField;

use super::compiled::{Sql, column, no_arguments, object};
use crate::graphql::contracts::types::{
    INVOICE_COLUMNS, INVOICE_DISCOUNT_COLUMNS, INVOICE_TYPE_COLUMNS,
};

/// An `Invoice` read from `invoices` row `t` (see `contracts::types::Invoice`), with its
/// type and its discounts.
pub fn invoice(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Invoice", sql, |f, sql| match f.name() {
        "type" => {
            no_arguments(f)?;
            let c = sql.alias();
            let kind = object(f, "InvoiceType", sql, |f, sql| {
                column(INVOICE_TYPE_COLUMNS, f, &c, sql)
            })?;
            Some(format!(
                "(SELECT {kind} FROM invoice_types {c} WHERE {c}.id = {t}.type_id)"
            ))
        }
        "discounts" => {
            no_arguments(f)?;
            let c = sql.alias();
            let discount = object(f, "InvoiceDiscount", sql, |f, sql| {
                column(INVOICE_DISCOUNT_COLUMNS, f, &c, sql)
            })?;
            // Oldest first, as the `discounts` loader reads them.
            Some(format!(
                "array_to_json(ARRAY(SELECT {discount} FROM invoice_discounts {c} \
                 WHERE {c}.invoice_id = {t}.id ORDER BY {c}.id))"
            ))
        }
        _ => column(INVOICE_COLUMNS, f, t, sql),
    })
}
