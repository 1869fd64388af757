//! A driver's wallet history compiled (see [`super::compiled`]): `movements` (each with
//! its recharge, or its payment and the invoices it settled) and `recharges`, as
//! connections cut exactly as the resolvers cut them. Each is a subtree over the driver's
//! `users` row, read for every driver of a level at once by the `client_subtrees` loader;
//! a selection with any field the compiler does not know is left to the resolvers.

use async_graphql::{Context, SelectionField};

use super::{
    compiled::{OffsetList, Sql, column, compilable, no_arguments, object, offset_connection},
    fleet::{DRIVERS, invoice},
};
use crate::graphql::wallet::columns::{
    PAYMENT_ALLOCATION_COLUMNS, PAYMENT_COLUMNS, RECHARGE_COLUMNS, WALLET_MOVEMENT_COLUMNS,
};

/// The SQL building the JSON text of the `movements` connection `ctx` asks of a driver's
/// wallet, over the driver's `"users"` row; `None` when its selection does not compile.
pub fn movements(ctx: &Context<'_>) -> Option<String> {
    history(ctx, "wallet_movements", "WalletMovement", movement)
}

/// The same for `recharges`.
pub fn recharges(ctx: &Context<'_>) -> Option<String> {
    history(ctx, "recharges", "Recharge", recharge)
}

/// The driver's rows of `table`, newest first (as `wallet::history::newest_first` pages
/// them), as a connection of `node_type`s built by `node`.
fn history<'a>(
    ctx: &'a Context<'_>,
    table: &'static str,
    node_type: &str,
    node: fn(SelectionField<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    if !compilable(ctx) {
        return None;
    }
    let list = OffsetList {
        table,
        filter: &|row| format!("{row}.client_id = {DRIVERS}.id"),
        order: &|row| format!("{row}.id DESC"),
    };
    let connection = offset_connection(
        ctx.field(),
        &format!("{node_type}Connection"),
        &format!("{node_type}Edge"),
        &list,
        &mut Sql::default(),
        node,
    )?;
    Some(format!("({connection})::text"))
}

/// A `WalletMovement` read from `wallet_movements` row `t` (see
/// `wallet::types::WalletMovement`), with its recharge or its payment.
fn movement(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "WalletMovement", sql, |f, sql| match f.name() {
        "recharge" => {
            no_arguments(f)?;
            let r = sql.alias();
            let recharge = recharge(f, &r, sql)?;
            Some(format!(
                "(SELECT {recharge} FROM recharges {r} WHERE {r}.id = {t}.recharge_id)"
            ))
        }
        "payment" => {
            no_arguments(f)?;
            let p = sql.alias();
            let payment = payment(f, &p, sql)?;
            Some(format!(
                "(SELECT {payment} FROM payments {p} WHERE {p}.id = {t}.payment_id)"
            ))
        }
        _ => column(WALLET_MOVEMENT_COLUMNS, f, t, sql),
    })
}

/// A `Recharge` read from `recharges` row `t`.
fn recharge(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Recharge", sql, |f, sql| {
        column(RECHARGE_COLUMNS, f, t, sql)
    })
}

/// A `Payment` read from `payments` row `t`, with the invoices it settled (oldest
/// allocation first, as the `allocations` loader reads them).
fn payment(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Payment", sql, |f, sql| match f.name() {
        "allocations" => {
            no_arguments(f)?;
            let a = sql.alias();
            let allocation = object(f, "PaymentAllocation", sql, |f, sql| match f.name() {
                "invoice" => {
                    no_arguments(f)?;
                    let i = sql.alias();
                    let invoice = invoice(f, &i, sql)?;
                    Some(format!(
                        "(SELECT {invoice} FROM invoices {i} WHERE {i}.id = {a}.invoice_id)"
                    ))
                }
                _ => column(PAYMENT_ALLOCATION_COLUMNS, f, &a, sql),
            })?;
            Some(format!(
                "array_to_json(ARRAY(SELECT {allocation} FROM payment_allocations {a} \
                 WHERE {a}.payment_id = {t}.id ORDER BY {a}.id))"
            ))
        }
        _ => column(PAYMENT_COLUMNS, f, t, sql),
    })
}
