//! The wallet: payments of invoices with their allocations, recharges, the movements that
//! make up every balance, and the idempotency keys of the mutations that move money.
//!
//! The database is the last line of defence: a balance cannot go negative (the CHECK on
//! `client_profiles.coins_minor` and on `balance_after_minor`), an invoice is paid by at
//! most one allocation (unique `invoice_id`), and a client's idempotency key is unique.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    OrganizationId,
    ClientId,
    AmountMinor,
    Source,
    Message,
    IdempotencyKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PaymentAllocations {
    Table,
    Id,
    PaymentId,
    InvoiceId,
    AmountMinor,
}

#[derive(DeriveIden)]
enum Recharges {
    Table,
    Id,
    OrganizationId,
    ClientId,
    AmountMinor,
    Method,
    Observation,
    Kind,
    RecordedBy,
    IdempotencyKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WalletMovements {
    Table,
    Id,
    OrganizationId,
    ClientId,
    AmountMinor,
    BalanceAfterMinor,
    RechargeId,
    PaymentId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    ClientId,
    Key,
    Operation,
    RequestHash,
    Response,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};

        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(big_pk_auto(Payments::Id))
                    .col(big_integer(Payments::OrganizationId))
                    .col(big_integer(Payments::ClientId))
                    .col(
                        big_integer(Payments::AmountMinor)
                            .check(Expr::col(Payments::AmountMinor).gt(0)),
                    )
                    .col(
                        string_len(Payments::Source, 16)
                            .check(Expr::col(Payments::Source).is_in(["WALLET", "AUTO_CHARGE"])),
                    )
                    .col(text(Payments::Message))
                    .col(string_len_null(Payments::IdempotencyKey, 100))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Payments::Table,
                        Payments::ClientId,
                        Users::Table,
                        Users::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_payments_client",
            Payments::Table,
            vec![Payments::ClientId.into_iden(), Payments::Id.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PaymentAllocations::Table)
                    .col(big_pk_auto(PaymentAllocations::Id))
                    .col(big_integer(PaymentAllocations::PaymentId))
                    .col(big_integer(PaymentAllocations::InvoiceId))
                    .col(
                        big_integer(PaymentAllocations::AmountMinor)
                            .check(Expr::col(PaymentAllocations::AmountMinor).gte(0)),
                    )
                    .foreign_key(&mut fk(
                        PaymentAllocations::Table,
                        PaymentAllocations::PaymentId,
                        Payments::Table,
                        Payments::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        PaymentAllocations::Table,
                        PaymentAllocations::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // An invoice is paid at most once, whatever the application does.
        unique_index(
            manager,
            "ux_payment_allocations_invoice",
            PaymentAllocations::Table,
            vec![PaymentAllocations::InvoiceId.into_iden()],
        )
        .await?;
        index(
            manager,
            "ix_payment_allocations_payment",
            PaymentAllocations::Table,
            vec![PaymentAllocations::PaymentId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Recharges::Table)
                    .col(big_pk_auto(Recharges::Id))
                    .col(big_integer(Recharges::OrganizationId))
                    .col(big_integer(Recharges::ClientId))
                    .col(
                        big_integer(Recharges::AmountMinor)
                            .check(Expr::col(Recharges::AmountMinor).gt(0)),
                    )
                    .col(string_len(Recharges::Method, 50))
                    .col(text(Recharges::Observation).default(""))
                    .col(
                        string_len(Recharges::Kind, 16)
                            .default("CASH_IN")
                            .check(Expr::col(Recharges::Kind).is_in(["CASH_IN"])),
                    )
                    .col(big_integer_null(Recharges::RecordedBy))
                    .col(string_len_null(Recharges::IdempotencyKey, 100))
                    .col(timestamp_with_time_zone(Recharges::CreatedAt))
                    .foreign_key(&mut fk(
                        Recharges::Table,
                        Recharges::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Recharges::Table,
                        Recharges::ClientId,
                        Users::Table,
                        Users::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Recharges::Table,
                        Recharges::RecordedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_recharges_client",
            Recharges::Table,
            vec![Recharges::ClientId.into_iden(), Recharges::Id.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(WalletMovements::Table)
                    .col(big_pk_auto(WalletMovements::Id))
                    .col(big_integer(WalletMovements::OrganizationId))
                    .col(big_integer(WalletMovements::ClientId))
                    .col(
                        big_integer(WalletMovements::AmountMinor)
                            .check(Expr::col(WalletMovements::AmountMinor).ne(0)),
                    )
                    .col(
                        big_integer(WalletMovements::BalanceAfterMinor)
                            .check(Expr::col(WalletMovements::BalanceAfterMinor).gte(0)),
                    )
                    .col(big_integer_null(WalletMovements::RechargeId))
                    .col(big_integer_null(WalletMovements::PaymentId))
                    .col(timestamp_with_time_zone(WalletMovements::CreatedAt))
                    .check(
                        // Every movement has exactly one cause.
                        Expr::col(WalletMovements::RechargeId)
                            .is_null()
                            .ne(Expr::col(WalletMovements::PaymentId).is_null()),
                    )
                    .foreign_key(&mut fk(
                        WalletMovements::Table,
                        WalletMovements::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        WalletMovements::Table,
                        WalletMovements::ClientId,
                        Users::Table,
                        Users::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        WalletMovements::Table,
                        WalletMovements::RechargeId,
                        Recharges::Table,
                        Recharges::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        WalletMovements::Table,
                        WalletMovements::PaymentId,
                        Payments::Table,
                        Payments::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_wallet_movements_client",
            WalletMovements::Table,
            vec![
                WalletMovements::ClientId.into_iden(),
                WalletMovements::Id.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(big_pk_auto(IdempotencyKeys::Id))
                    .col(big_integer(IdempotencyKeys::ClientId))
                    .col(string_len(IdempotencyKeys::Key, 100))
                    .col(string_len(IdempotencyKeys::Operation, 32))
                    .col(string_len(IdempotencyKeys::RequestHash, 64))
                    .col(text(IdempotencyKeys::Response))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .foreign_key(&mut fk(
                        IdempotencyKeys::Table,
                        IdempotencyKeys::ClientId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_idempotency_keys_client_key",
            IdempotencyKeys::Table,
            vec![
                IdempotencyKeys::ClientId.into_iden(),
                IdempotencyKeys::Key.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_idempotency_keys_created",
            IdempotencyKeys::Table,
            vec![IdempotencyKeys::CreatedAt.into_iden()],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            IdempotencyKeys::Table.into_iden(),
            WalletMovements::Table.into_iden(),
            Recharges::Table.into_iden(),
            PaymentAllocations::Table.into_iden(),
            Payments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
