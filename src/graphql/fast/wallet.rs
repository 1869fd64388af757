//! A driver's wallet compiled (see [`super::compiled`]): its balance and its history,
//! `movements` (each with its recharge, or its payment and the invoices it settled) and
//! `recharges`, as connections cut exactly as the resolvers cut them. The wallet is part
//! of a driver on the compiled fleet page ([`super::fleet`]); below a driver that
//! resolves, each history is a subtree over the driver's `users` row, read for every
//! driver of a level at once ([`super::compiled::subtree`]). A selection with any field
//! the compiler does not know is left to the resolvers.

use super::selection::Selected;

use super::{
    compiled::{OffsetList, Sql, column, flat, leaf, many, object, offset_connection, one_by_key},
    invoices::invoice,
};
use crate::graphql::identity::columns::{profile_field, profile_of};
use crate::graphql::wallet::columns::{
    PAYMENT_ALLOCATION_COLUMNS, PAYMENT_COLUMNS, RECHARGE_COLUMNS, WALLET_COLUMNS,
    WALLET_MOVEMENT_COLUMNS,
};

/// A wallet's `movements` connection over its driver's `users` row `t`.
pub fn movements(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    history(
        field,
        t,
        "wallet_movements",
        "WalletMovement",
        sql,
        movement,
    )
}

/// A wallet's `recharges` connection over its driver's `users` row `t`.
pub fn recharges(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    history(field, t, "recharges", "Recharge", sql, recharge)
}

/// A driver's `Wallet` over their `users` row `t` (see `wallet::types::Wallet`).
pub fn wallet(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Wallet", sql, |f, sql| match f.name() {
        "movements" => movements(f, t, sql),
        "recharges" => recharges(f, t, sql),
        // The balance is the profile's coins: from the profile the driver's other
        // fields join where the FROM clause allows, not a lookup of its own.
        "balance" if sql.joinable(t) => {
            leaf(f)?;
            profile_field("coins", &profile_of(t, sql))
        }
        _ => column(WALLET_COLUMNS, f, t, sql),
    })
}

/// The rows of `table` of the driver on `users` row `t`, newest first (as
/// `wallet::history::newest_first` pages them): a connection of `node_type`s, each built
/// by `node`.
fn history<'a>(
    field: Selected<'a>,
    t: &str,
    table: &'static str,
    node_type: &str,
    sql: &mut Sql,
    node: fn(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    let list = OffsetList {
        table,
        filter: &|row| format!("{row}.client_id = {t}.id"),
        order: &|row| format!("{row}.id DESC"),
        forward_from_cursor: false,
    };
    offset_connection(
        field,
        field.arguments()?,
        &format!("{node_type}Connection"),
        &format!("{node_type}Edge"),
        &list,
        sql,
        node,
    )
}

/// A `WalletMovement` read from `wallet_movements` row `t` (see
/// `wallet::types::WalletMovement`), with its recharge or its payment.
fn movement(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "WalletMovement", sql, |f, sql| match f.name() {
        "recharge" => one_by_key(
            f,
            sql,
            t,
            "recharges",
            |r| format!("{r}.id = {t}.recharge_id"),
            recharge,
        ),
        "payment" => one_by_key(
            f,
            sql,
            t,
            "payments",
            |p| format!("{p}.id = {t}.payment_id"),
            payment,
        ),
        _ => column(WALLET_MOVEMENT_COLUMNS, f, t, sql),
    })
}

/// A `Recharge` read from `recharges` row `t`.
fn recharge(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    flat(field, "Recharge", RECHARGE_COLUMNS, t, sql)
}

/// A `Payment` read from `payments` row `t`, with the invoices it settled (oldest
/// allocation first, as the `allocations` loader reads them).
fn payment(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Payment", sql, |f, sql| match f.name() {
        "allocations" => many(
            f,
            sql,
            "payment_allocations",
            |a| format!("{a}.payment_id = {t}.id"),
            |a| format!("{a}.id"),
            |f, a, sql| {
                object(f, "PaymentAllocation", sql, |f, sql| match f.name() {
                    "invoice" => one_by_key(
                        f,
                        sql,
                        a,
                        "invoices",
                        |i| format!("{i}.id = {a}.invoice_id"),
                        invoice,
                    ),
                    _ => column(PAYMENT_ALLOCATION_COLUMNS, f, a, sql),
                })
            },
        ),
        _ => column(PAYMENT_COLUMNS, f, t, sql),
    })
}
