//! The staff's fleet page (`clients`) compiled into one PostgreSQL statement (see
//! [`super::compiled`]): drivers, their contracts, each contract's car and a page of its
//! invoices. Each type lists the fields it compiles, valued exactly as its resolvers
//! answer them; a selection with any other field is left to the resolvers.

use std::collections::HashSet;

use async_graphql::{Context, SelectionField, Value};
use sea_orm::{ActiveEnum, Iterable};

use super::compiled::{Sql, arguments, compilable, leaf, money, object, text};
use crate::{
    entities::invoice::InvoiceStatus,
    graphql::commons::{GlobalId, NodeKind, PageArgs},
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

/// A column of `table` read as it is.
fn column(field: SelectionField<'_>, table: &str, name: &str) -> Option<String> {
    leaf(field).map(|_| format!("{table}.{name}"))
}

fn global_id(field: SelectionField<'_>, kind: NodeKind, table: &str) -> Option<String> {
    leaf(field).map(|_| GlobalId::postgres_sql(kind, &format!("{table}.id")))
}

fn no_arguments(field: SelectionField<'_>) -> Option<()> {
    arguments(field)?.is_empty().then_some(())
}

/// A `Client` read from `users` row `t` (see `identity::types::Client`).
fn client(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Client", sql, |f, sql| match f.name() {
        "id" => global_id(f, NodeKind::Client, t),
        "document" => column(f, t, "document"),
        "firstName" => column(f, t, "first_name"),
        "lastName" => column(f, t, "last_name"),
        "fullName" => leaf(f).map(|_| format!("{t}.first_name || ' ' || {t}.last_name")),
        "email" => column(f, t, "email"),
        "role" => column(f, t, "role"),
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
        _ => None,
    })
}

/// A `Contract` read from `contracts` row `t` (see `contracts::types::Contract`).
fn contract(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Contract", sql, |f, sql| match f.name() {
        "id" => global_id(f, NodeKind::Contract, t),
        "hash" => column(f, t, "hash"),
        "status" => column(f, t, "status"),
        "weeklyAmount" => leaf(f).map(|_| money(&format!("{t}.weekly_amount_minor"))),
        "autoCharge" => column(f, t, "auto_charge"),
        "processorPublicKey" => column(f, t, "processor_public_key"),
        "car" => {
            no_arguments(f)?;
            let c = sql.alias();
            let car = object(f, "Car", sql, |f, _| match f.name() {
                "brand" => column(f, &c, "brand"),
                "model" => column(f, &c, "model"),
                "licensePlate" => column(f, &c, "license_plate"),
                "year" => column(f, &c, "year"),
                _ => None,
            })?;
            Some(format!(
                "(SELECT {car} FROM cars {c} WHERE {c}.contract_id = {t}.id)"
            ))
        }
        "invoices" => invoices(f, t, sql),
        _ => None,
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
    object(field, "Invoice", sql, |f, _| match f.name() {
        "id" => global_id(f, NodeKind::Invoice, t),
        "hash" => column(f, t, "hash"),
        "status" => column(f, t, "status"),
        "priority" => column(f, t, "priority"),
        "dueDate" => column(f, t, "due_date"),
        "paidDate" => column(f, t, "paid_date"),
        "total" => leaf(f).map(|_| money(&format!("{t}.total_minor"))),
        "observations" => column(f, t, "observations"),
        _ => None,
    })
}
