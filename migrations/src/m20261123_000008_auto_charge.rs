//! The auto-charge job: what each attempt did, and the lease that lets one replica run the
//! job at a time.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Contracts {
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
}

#[derive(DeriveIden)]
enum AutoChargeAttempts {
    Table,
    Id,
    OrganizationId,
    ContractId,
    InvoiceId,
    Outcome,
    Detail,
    PaymentId,
    RunId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum JobLeases {
    Table,
    Name,
    Holder,
    LeasedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AutoChargeAttempts::Table)
                    .col(big_pk_auto(AutoChargeAttempts::Id))
                    .col(big_integer(AutoChargeAttempts::OrganizationId))
                    .col(big_integer(AutoChargeAttempts::ContractId))
                    .col(big_integer(AutoChargeAttempts::InvoiceId))
                    .col(string_len(AutoChargeAttempts::Outcome, 24).check(
                        Expr::col(AutoChargeAttempts::Outcome).is_in([
                            "PAID",
                            "INSUFFICIENT_COINS",
                            "FAILED",
                        ]),
                    ))
                    .col(text(AutoChargeAttempts::Detail).default(""))
                    .col(big_integer_null(AutoChargeAttempts::PaymentId))
                    .col(string_len(AutoChargeAttempts::RunId, 36))
                    .col(timestamp_with_time_zone(AutoChargeAttempts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AutoChargeAttempts::Table,
                                AutoChargeAttempts::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AutoChargeAttempts::Table, AutoChargeAttempts::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AutoChargeAttempts::Table, AutoChargeAttempts::InvoiceId)
                            .to(Invoices::Table, Invoices::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AutoChargeAttempts::Table, AutoChargeAttempts::PaymentId)
                            .to(Payments::Table, Payments::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_auto_charge_attempts_organization")
                    .table(AutoChargeAttempts::Table)
                    .col(AutoChargeAttempts::OrganizationId)
                    .col(AutoChargeAttempts::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len(JobLeases::Holder, 64))
                    .col(timestamp_with_time_zone(JobLeases::LeasedUntil))
                    .to_owned(),
            )
            .await
    }
}
