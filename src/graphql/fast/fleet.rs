//! The staff's fleet page (`clients`) compiled into one PostgreSQL statement (see
//! [`super::compiled`]): drivers, their contracts, each contract's car and a page of its
//! invoices (cut every way, with `pageInfo` and `totalCount`), with each invoice's type,
//! discounts and amount to pay, as `nodes` or as `edges` with their cursors. A type's fields are its columns' SQL ([`super::columns`]),
//! valued exactly as its resolvers answer them, and the relations written here; a
//! selection with any other field is left to the resolvers.

use async_graphql::{Context, Value};
use sea_orm::{ActiveEnum, Iterable};

use super::compiled::{
    CompiledPage, OffsetList, Sql, column, compilable, flat, leaf, many, no_arguments, object,
    offset_connection, one, one_by_key, page_selection, row_of, text,
};
use super::selection::{Selected, Typed};
use super::{invoices::invoice, wallet::wallet};
use crate::{
    domain::reads::RowText,
    entities::{invoice::InvoiceStatus, user},
    graphql::{
        contracts::columns::{
            CAR_COLUMNS, CAR_DOCUMENT_COLUMNS, CLIENT_PHONE_COLUMNS, CONTRACT_COLUMNS,
            PLAN_COLUMNS, SUMMARY_COUNTS,
        },
        identity::columns::{CLIENT_COLUMNS, profile_field, profile_of},
    },
};

/// How PostgreSQL answers the `clients` page `ctx` (the `clients` field) asks for, when
/// it asks for `nodes` or for `edges` (their `cursor` and `node`), with fields the
/// compilers know, and for `pageInfo` and `totalCount`: the SQL building one driver's
/// JSON text, read from `"users"`.
pub fn client_page(ctx: &Context<'_>) -> Option<CompiledPage> {
    let (drivers, edges) = page_selection(ctx, "ClientEdge")?;
    let row = row_of::<user::Entity>();
    let mut sql = Sql::default().over_listing(&row);
    let node = client(drivers, &row, &mut sql)?;
    Some(CompiledPage {
        node: sql.row_text(&node),
        edges,
    })
}

/// A `Client` as fragments name it: an object of the `User` and `Node` interfaces.
const CLIENT: Typed = Typed {
    name: "Client",
    abstracts: &["User", "Node"],
};

/// How PostgreSQL answers `me` (`ctx`, a `User`) for a driver, when every field selected
/// on a `Client` compiles: the SQL building the driver's JSON text, read from their
/// `users` row. Fragments on `StaffUser` select nothing of a driver.
pub fn me(ctx: &Context<'_>) -> Option<RowText> {
    if !compilable(ctx) {
        return None;
    }
    let row = row_of::<user::Entity>();
    let mut sql = Sql::default().over_listing(&row);
    let node = client(Selected::of(ctx).as_type(CLIENT), &row, &mut sql)?;
    Some(sql.row_text(&node))
}

/// A `Client` read from `users` row `t` (see `identity::types::Client`).
fn client(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Client", sql, |f, sql| match f.name() {
        "contracts" => contracts(f, t, sql),
        "wallet" => wallet(f, t, sql),
        // The plan of the driver's profile, as the `plans` loader reads it.
        "plan" => {
            let plan_id = profile_of(t, sql)("plan_id");
            one_by_key(
                f,
                sql,
                t,
                "plans",
                |p| format!("{p}.id = {plan_id}"),
                |f, p, sql| flat(f, "Plan", PLAN_COLUMNS, p, sql),
            )
        }
        // The profile joined where the FROM clause allows; else the declared columns'
        // subqueries.
        name @ ("address" | "phoneNumber" | "coins") if sql.joinable(t) => {
            leaf(f)?;
            profile_field(name, &profile_of(t, sql))
        }
        // Oldest first, as the `phones` loader reads them.
        "phones" => many(
            f,
            sql,
            "client_phones",
            |p| format!("{p}.user_id = {t}.id"),
            |p| format!("{p}.id"),
            |f, p, sql| flat(f, "ClientPhone", CLIENT_PHONE_COLUMNS, p, sql),
        ),
        _ => column(CLIENT_COLUMNS, f, t, sql),
    })
}

/// A driver's `contracts` over `users` row `t`, oldest first (as the `client_contracts`
/// loader reads them). Below a resolved driver (a page of drivers that does not compile
/// whole) it is a subtree, read for every driver of a level at once
/// ([`super::compiled::subtree`]).
pub fn contracts(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    many(
        field,
        sql,
        "contracts",
        |c| format!("{c}.client_id = {t}.id"),
        |c| format!("{c}.id"),
        contract,
    )
}

/// A `Contract` read from `contracts` row `t` (see `contracts::types::Contract`).
fn contract(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Contract", sql, |f, sql| match f.name() {
        "car" => car(f, t, sql),
        "invoices" => invoices(f, t, sql),
        "summary" => {
            no_arguments(f)?;
            let summary = object(f, "ContractSummary", sql, |f, _| {
                leaf(f)?;
                let (_, count) = SUMMARY_COUNTS.iter().find(|(name, _)| *name == f.name())?;
                Some(count())
            })?;
            Some(format!(
                "(SELECT {summary} FROM invoices i JOIN invoice_types it ON it.id = i.type_id \
                 WHERE i.contract_id = {t}.id)"
            ))
        }
        _ => column(CONTRACT_COLUMNS, f, t, sql),
    })
}

/// A contract's `car` over `contracts` row `t`. Below a resolved contract it is a
/// subtree, read for every contract of a level at once ([`super::compiled::subtree`]),
/// as is [`invoices`].
pub fn car(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    one(
        field,
        sql,
        "cars",
        |c| format!("{c}.contract_id = {t}.id"),
        |f, c, sql| {
            object(f, "Car", sql, |f, sql| match f.name() {
                // Oldest first, as the `car_documents` loader reads them.
                "documents" => many(
                    f,
                    sql,
                    "car_documents",
                    |d| format!("{d}.car_id = {c}.id"),
                    |d| format!("{d}.id"),
                    |f, d, sql| flat(f, "CarDocument", CAR_DOCUMENT_COLUMNS, d, sql),
                ),
                _ => column(CAR_COLUMNS, f, c, sql),
            })
        },
    )
}

/// A contract's `invoices` connection over `contracts` row `contract`, of one `status`
/// or all, in the order of `InvoicePageKey`'s pages (over `ix_invoices_contract_page`).
pub fn invoices(field: Selected<'_>, contract: &str, sql: &mut Sql) -> Option<String> {
    let mut args = field.arguments()?;
    let status = match args.remove("status") {
        None | Some(Value::Null) => None,
        Some(Value::Enum(name)) => Some(stored_status(name.as_str())?),
        Some(Value::String(name)) => Some(stored_status(&name)?),
        Some(_) => return None,
    };
    let of_contract = |i: &str| {
        let status = status.map_or(String::new(), |s| {
            format!(" AND {i}.status = {}", text(s.to_value().as_str()))
        });
        format!("{i}.contract_id = {contract}.id{status}")
    };
    let list = OffsetList {
        table: "invoices",
        filter: &of_contract,
        order: &|i| format!("{i}.priority, {i}.due_date, {i}.id"),
        forward_from_cursor: true,
    };
    offset_connection(
        field,
        args,
        "InvoiceConnection",
        "InvoiceEdge",
        &list,
        sql,
        invoice,
    )
}

/// The stored status of a GraphQL `InvoiceStatus` value; `None` for a name it does not
/// have (the resolver then refuses it).
fn stored_status(name: &str) -> Option<InvoiceStatus> {
    InvoiceStatus::iter().find(|s| s.to_value() == name)
}
