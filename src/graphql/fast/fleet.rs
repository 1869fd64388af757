//! The staff's fleet page (`clients`) compiled into one PostgreSQL statement (see
//! [`super::compiled`]): drivers, their contracts, each contract's car and a page of its
//! invoices. A type's fields are its columns' SQL ([`super::columns`]), valued exactly as
//! its resolvers answer them, and the relations written here; a selection with any other
//! field is left to the resolvers.

use std::collections::HashSet;

use async_graphql::{Context, SelectionField, Value};
use sea_orm::{ActiveEnum, Iterable};

use super::{
    columns::{self, Column},
    compiled::{Sql, arguments, compilable, leaf, object, text},
};
use crate::{
    entities::invoice::InvoiceStatus,
    graphql::{
        commons::PageArgs,
        contracts::types::{CAR_COLUMNS, CONTRACT_COLUMNS, INVOICE_COLUMNS},
        identity::types::CLIENT_COLUMNS,
    },
};

/// The table alias of the drivers page (the `users` table read by `clients`).
const DRIVERS: &str = "\"users\"";

/// The SQL expression building, as JSON text, one driver of the `clients` page read from
/// `"users"`, when `ctx` (the `clients` field) asks only for `nodes` (with fields the
/// compilers know), `pageInfo` and `totalCount`.
pub fn client_nodes(ctx: &Context<'_>) -> Option<String> {
    if !compilable(ctx) {
        return None;
    }
    let mut nodes = None;
    let mut keys = HashSet::new();
    for selected in ctx.field().selection_set() {
        if !keys.insert(selected.alias().unwrap_or(selected.name())) {
            return None;
        }
        match selected.name() {
            // Read by the connection's own resolvers, from the window.
            "pageInfo" | "totalCount" | "__typename" => {}
            // Twice under two aliases, each would be answered with one selection's JSON.
            "nodes" if nodes.is_some() => return None,
            "nodes" => nodes = Some(selected),
            // `edges` (and anything new) resolves the usual way.
            _ => return None,
        }
    }
    let node = client(nodes?, DRIVERS, &mut Sql::default())?;
    Some(format!("({node})::text"))
}

/// The SQL of `field` over row `table` when it is one of `columns` that compiles, asked
/// with no argument and no sub-selection.
fn column<R>(columns: &[Column<R>], field: SelectionField<'_>, table: &str) -> Option<String> {
    leaf(field)?;
    columns::sql(columns, field.name(), table)
}

fn no_arguments(field: SelectionField<'_>) -> Option<()> {
    arguments(field)?.is_empty().then_some(())
}

/// A `Client` read from `users` row `t` (see `identity::types::Client`).
fn client(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Client", sql, |f, sql| match f.name() {
        "contracts" => {
            no_arguments(f)?;
            let c = sql.alias();
            let contract = contract(f, &c, sql)?;
            // Oldest first, as the `client_contracts` loader reads them.
            Some(format!(
                "array_to_json(ARRAY(SELECT {contract} FROM contracts {c} \
                 WHERE {c}.client_id = {t}.id ORDER BY {c}.id))"
            ))
        }
        _ => column(CLIENT_COLUMNS, f, t),
    })
}

/// A `Contract` read from `contracts` row `t` (see `contracts::types::Contract`).
fn contract(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Contract", sql, |f, sql| match f.name() {
        "car" => {
            no_arguments(f)?;
            let c = sql.alias();
            let car = object(f, "Car", sql, |f, _| column(CAR_COLUMNS, f, &c))?;
            Some(format!(
                "(SELECT {car} FROM cars {c} WHERE {c}.contract_id = {t}.id)"
            ))
        }
        "invoices" => invoices(f, t, sql),
        _ => column(CONTRACT_COLUMNS, f, t),
    })
}

/// A contract's `invoices` connection (forward pages only: `first`, `status`), with
/// `nodes` and `totalCount`.
fn invoices(field: SelectionField<'_>, contract: &str, sql: &mut Sql) -> Option<String> {
    let mut args = arguments(field)?;
    let first = match args.remove("first") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(i32::try_from(n.as_i64()?).ok()?),
        Some(_) => return None,
    };
    let status = match args.remove("status") {
        None | Some(Value::Null) => None,
        Some(Value::Enum(name)) => Some(stored_status(name.as_str())?),
        Some(Value::String(name)) => Some(stored_status(&name)?),
        Some(_) => return None,
    };
    for backward in ["after", "last", "before"] {
        if !matches!(args.remove(backward), None | Some(Value::Null)) {
            return None;
        }
    }
    if !args.is_empty() {
        return None;
    }
    // Out-of-range sizes are refused by the resolver, with its message.
    let (offset, limit) = PageArgs::new(first, None, None, None).forward().ok()??;
    let of_contract = |i: &str| {
        let status = status.map_or(String::new(), |s| {
            format!(" AND {i}.status = {}", text(s.to_value().as_str()))
        });
        format!("{i}.contract_id = {contract}.id{status}")
    };
    object(field, "InvoiceConnection", sql, |f, sql| match f.name() {
        "nodes" => {
            no_arguments(f)?;
            let i = sql.alias();
            let node = invoice(f, &i, sql)?;
            let filter = of_contract(&i);
            // The order of `InvoicePageKey`'s pages, over `ix_invoices_contract_page`.
            Some(format!(
                "array_to_json(ARRAY(SELECT {node} FROM invoices {i} WHERE {filter} \
                 ORDER BY {i}.priority, {i}.due_date, {i}.id OFFSET {offset} LIMIT {limit}))"
            ))
        }
        "totalCount" => {
            leaf(f)?;
            let counted = sql.alias();
            let filter = of_contract(&counted);
            Some(format!(
                "(SELECT count(*) FROM invoices {counted} WHERE {filter})"
            ))
        }
        _ => None,
    })
}

/// The stored status of a GraphQL `InvoiceStatus` value; `None` for a name it does not
/// have (the resolver then refuses it).
fn stored_status(name: &str) -> Option<InvoiceStatus> {
    InvoiceStatus::iter().find(|s| s.to_value() == name)
}

/// An `Invoice` read from `invoices` row `t` (see `contracts::types::Invoice`).
fn invoice(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Invoice", sql, |f, _| column(INVOICE_COLUMNS, f, t))
}
