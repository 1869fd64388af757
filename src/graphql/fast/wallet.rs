//! A driver's wallet compiled (see [`super::compiled`]): its balance and its history,
//! `movements` (each with its recharge, or its payment and the invoices it settled) and
//! `recharges`, as connections cut exactly as the resolvers cut them. The wallet is part
//! of a driver on the compiled fleet page ([`super::fleet`]); below a driver that
//! resolves, each history is a subtree over the driver's `users` row, read for every
//! driver of a level at once by the `client_subtrees` loader. A selection with any field
//! the compiler does not know is left to the resolvers.

use async_graphql::{Context, SelectionField};

use super::{
    compiled::{
        DRIVERS, OffsetList, Sql, column, compilable, no_arguments, object, offset_connection,
    },
    invoices::invoice,
};
use crate::graphql::wallet::columns::{
    PAYMENT_ALLOCATION_COLUMNS, PAYMENT_COLUMNS, RECHARGE_COLUMNS, WALLET_COLUMNS,
    WALLET_MOVEMENT_COLUMNS,
};

/// The SQL building the JSON text of the `movements` connection `ctx` asks of a driver's
/// wallet, over the driver's `"users"` row; `None` when its selection does not compile.
pub fn movements(ctx: &Context<'_>) -> Option<String> {
    subtree(ctx, |field, sql| {
        history(
            field,
            DRIVERS,
            "wallet_movements",
            "WalletMovement",
            sql,
            movement,
        )
    })
}

/// The same for `recharges`.
pub fn recharges(ctx: &Context<'_>) -> Option<String> {
    subtree(ctx, |field, sql| {
        history(field, DRIVERS, "recharges", "Recharge", sql, recharge)
    })
}

/// The JSON text `compile` builds of `ctx`'s field, when it may compile at all.
fn subtree<'a>(
    ctx: &'a Context<'_>,
    compile: impl FnOnce(SelectionField<'a>, &mut Sql) -> Option<String>,
) -> Option<String> {
    if !compilable(ctx) {
        return None;
    }
    let json = compile(ctx.field(), &mut Sql::default())?;
    Some(format!("({json})::text"))
}

/// A driver's `Wallet` over their `users` row `t` (see `wallet::types::Wallet`).
pub fn wallet(field: SelectionField<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Wallet", sql, |f, sql| match f.name() {
        "movements" => history(f, t, "wallet_movements", "WalletMovement", sql, movement),
        "recharges" => history(f, t, "recharges", "Recharge", sql, recharge),
        _ => column(WALLET_COLUMNS, f, t, sql),
    })
}

/// The rows of `table` of the driver on `users` row `t`, newest first (as
/// `wallet::history::newest_first` pages them): a connection of `node_type`s, each built
/// by `node`.
fn history<'a>(
    field: SelectionField<'a>,
    t: &str,
    table: &'static str,
    node_type: &str,
    sql: &mut Sql,
    node: fn(SelectionField<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    let list = OffsetList {
        table,
        filter: &|row| format!("{row}.client_id = {t}.id"),
        order: &|row| format!("{row}.id DESC"),
    };
    offset_connection(
        field,
        &format!("{node_type}Connection"),
        &format!("{node_type}Edge"),
        &list,
        sql,
        node,
    )
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
