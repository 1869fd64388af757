//! The fields of the wallet's objects read from their rows, declared for the compiled
//! pages (see `fast::columns`) apart from the resolvers in `types.rs`, which call that
//! compiler (`fast::wallet`): it reads these, and would otherwise import its caller.

use crate::{
    entities::{payment, payment_allocation, recharge, user, wallet_movement},
    graphql::{
        commons::{GlobalId, NodeKind},
        fast::{
            columns::{Column, stored},
            compiled,
        },
        identity::columns::by_subquery,
    },
};

/// A `Wallet`'s fields read from its driver's `users` row; its `movements` and
/// `recharges` are connections the compiler writes.
pub const WALLET_COLUMNS: &[Column<user::Model>] = &[
    // The driver's coins, as `Client.coins`: 0 without a profile.
    Column::compiled("balance", |t| by_subquery("coins", t)),
];

/// A `WalletMovement`'s fields read from its `wallet_movements` row, valued as the
/// resolvers of `types.rs` answer them; its `recharge` and `payment` are relations the
/// compiler writes.
pub const WALLET_MOVEMENT_COLUMNS: &[Column<wallet_movement::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::WalletMovement, &stored(t, "id"))
    }),
    // A credit adds to the balance; a debit (stored negative) takes from it.
    Column::compiled("direction", |t| {
        format!("(CASE WHEN {t}.amount_minor > 0 THEN 'CREDIT' ELSE 'DEBIT' END)")
    }),
    Column::compiled("amount", |t| {
        compiled::money(&format!("abs({t}.amount_minor)"))
    }),
    Column::compiled("balanceAfter", |t| {
        compiled::money(&stored(t, "balance_after_minor"))
    }),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
];

/// A `Recharge`'s fields read from its `recharges` row.
pub const RECHARGE_COLUMNS: &[Column<recharge::Model>] = &[
    Column::compiled("method", |t| stored(t, "method")),
    Column::compiled("amount", |t| compiled::money(&stored(t, "amount_minor"))),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("observation", |t| stored(t, "observation")),
    // The only kind there is.
    Column::compiled("type", |_| compiled::text("CASH_IN")),
];

/// A `Payment`'s fields read from its `payments` row; its `allocations` are a relation
/// the compiler writes.
pub const PAYMENT_COLUMNS: &[Column<payment::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Payment, &stored(t, "id"))
    }),
    Column::compiled("amount", |t| compiled::money(&stored(t, "amount_minor"))),
    // Stored as the enum's names (WALLET, AUTO_CHARGE).
    Column::compiled("source", |t| stored(t, "source")),
    Column::compiled("message", |t| stored(t, "message")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
];

/// A `PaymentAllocation`'s fields read from its `payment_allocations` row; its `invoice`
/// is a relation the compiler writes.
pub const PAYMENT_ALLOCATION_COLUMNS: &[Column<payment_allocation::Model>] =
    &[Column::compiled("amount", |t| {
        compiled::money(&stored(t, "amount_minor"))
    })];
