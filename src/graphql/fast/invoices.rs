//! An invoice compiled (see [`super::compiled`]), with its type, its discounts, the
//! invoice it is a fraction of and its own fractions:
//! wherever a compiled page reaches invoices (a contract's page of them, the fleet page;
//! the invoices a wallet's payment settled).

use sea_orm::ActiveEnum;

use super::compiled::{Sql, column, flat, many, object, one_by_key, text};
use super::selection::Selected;
use crate::{
    entities::invoice::InvoiceStatus,
    graphql::contracts::columns::{
        INVOICE_COLUMNS, INVOICE_DISCOUNT_COLUMNS, INVOICE_TYPE_COLUMNS,
    },
};

/// An `Invoice` read from `invoices` row `t` (see `contracts::types::Invoice`), with its
/// type, discounts, parent and fractions.
pub fn invoice(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Invoice", sql, |f, sql| match f.name() {
        "type" => one_by_key(
            f,
            sql,
            t,
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
        // As the resolver: the invoice it is a fraction of.
        "parent" => one_by_key(
            f,
            sql,
            t,
            "invoices",
            |p| format!("{p}.id = {t}.parent_id"),
            invoice,
        ),
        // As the resolver: a SPLIT invoice's fractions, oldest first (as the
        // `invoice_fractions` loader reads them); none for any other.
        "fractions" => {
            let fractions = many(
                f,
                sql,
                "invoices",
                |p| format!("{p}.parent_id = {t}.id"),
                |p| format!("{p}.id"),
                invoice,
            )?;
            let split = text(&InvoiceStatus::Split.to_value());
            Some(format!(
                "(CASE WHEN {t}.status = {split} THEN {fractions} ELSE '[]'::json END)"
            ))
        }
        _ => column(INVOICE_COLUMNS, f, t, sql),
    })
}
