//! Drivers' profiles and plans, contracts, cars and their documents, and the weekly
//! invoices of each contract with their types and discounts.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

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
enum Plans {
    Table,
    Id,
    OrganizationId,
    Name,
    Code,
    DiscountBasisPoints,
    Description,
}

#[derive(DeriveIden)]
enum ClientProfiles {
    Table,
    UserId,
    Address,
    PhoneNumber,
    PlanId,
    CoinsMinor,
    FirebaseToken,
}

#[derive(DeriveIden)]
enum ClientPhones {
    Table,
    Id,
    UserId,
    PhoneNumber,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
    OrganizationId,
    ClientId,
    Hash,
    Status,
    WeeklyAmountMinor,
    AutoCharge,
    ProcessorPublicKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cars {
    Table,
    Id,
    ContractId,
    Brand,
    Model,
    LicensePlate,
    Year,
    Photos,
}

#[derive(DeriveIden)]
enum CarDocuments {
    Table,
    Id,
    CarId,
    Kind,
    Label,
    Number,
    Owner,
    DueDate,
    FileUrl,
}

#[derive(DeriveIden)]
enum InvoiceTypes {
    Table,
    Id,
    OrganizationId,
    Name,
    Code,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    ContractId,
    Hash,
    Status,
    Priority,
    DueDate,
    PaidDate,
    TotalMinor,
    Observations,
    TypeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum InvoiceDiscounts {
    Table,
    Id,
    InvoiceId,
    AmountMinor,
    Observations,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(big_pk_auto(Plans::Id))
                    .col(big_integer(Plans::OrganizationId))
                    .col(string_len(Plans::Name, 100))
                    .col(string_len(Plans::Code, 50))
                    .col(
                        integer(Plans::DiscountBasisPoints)
                            .check(Expr::col(Plans::DiscountBasisPoints).between(0, 10_000)),
                    )
                    .col(text(Plans::Description).default(""))
                    .foreign_key(&mut fk(
                        Plans::Table,
                        Plans::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_plans_organization_code",
            Plans::Table,
            vec![Plans::OrganizationId.into_iden(), Plans::Code.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientProfiles::Table)
                    .col(big_integer(ClientProfiles::UserId).primary_key())
                    .col(string_len(ClientProfiles::Address, 300).default(""))
                    .col(string_len(ClientProfiles::PhoneNumber, 32).default(""))
                    .col(big_integer_null(ClientProfiles::PlanId))
                    .col(
                        big_integer(ClientProfiles::CoinsMinor)
                            .default(0)
                            .check(Expr::col(ClientProfiles::CoinsMinor).gte(0)),
                    )
                    .col(string_len_null(ClientProfiles::FirebaseToken, 4096))
                    .foreign_key(&mut fk(
                        ClientProfiles::Table,
                        ClientProfiles::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ClientProfiles::Table,
                        ClientProfiles::PlanId,
                        Plans::Table,
                        Plans::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_client_profiles_plan",
            ClientProfiles::Table,
            vec![ClientProfiles::PlanId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientPhones::Table)
                    .col(big_pk_auto(ClientPhones::Id))
                    .col(big_integer(ClientPhones::UserId))
                    .col(string_len(ClientPhones::PhoneNumber, 32))
                    .foreign_key(&mut fk(
                        ClientPhones::Table,
                        ClientPhones::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_client_phones_user",
            ClientPhones::Table,
            vec![ClientPhones::UserId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(big_pk_auto(Contracts::Id))
                    .col(big_integer(Contracts::OrganizationId))
                    .col(big_integer(Contracts::ClientId))
                    .col(string_len_uniq(Contracts::Hash, 36))
                    .col(string_len(Contracts::Status, 32))
                    .col(
                        big_integer(Contracts::WeeklyAmountMinor)
                            .check(Expr::col(Contracts::WeeklyAmountMinor).gte(0)),
                    )
                    .col(boolean(Contracts::AutoCharge).default(false))
                    .col(string_len(Contracts::ProcessorPublicKey, 200).default(""))
                    .col(timestamp_with_time_zone(Contracts::CreatedAt))
                    .foreign_key(&mut fk(
                        Contracts::Table,
                        Contracts::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Contracts::Table,
                        Contracts::ClientId,
                        Users::Table,
                        Users::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_contracts_client",
            Contracts::Table,
            vec![Contracts::ClientId.into_iden()],
        )
        .await?;
        index(
            manager,
            "ix_contracts_organization",
            Contracts::Table,
            vec![Contracts::OrganizationId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Cars::Table)
                    .col(big_pk_auto(Cars::Id))
                    .col(big_integer_uniq(Cars::ContractId))
                    .col(string_len(Cars::Brand, 100))
                    .col(string_len(Cars::Model, 100))
                    .col(string_len(Cars::LicensePlate, 20))
                    .col(integer(Cars::Year))
                    .col(text(Cars::Photos).default("[]"))
                    .foreign_key(&mut fk(
                        Cars::Table,
                        Cars::ContractId,
                        Contracts::Table,
                        Contracts::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CarDocuments::Table)
                    .col(big_pk_auto(CarDocuments::Id))
                    .col(big_integer(CarDocuments::CarId))
                    .col(string_len(CarDocuments::Kind, 32))
                    .col(string_len(CarDocuments::Label, 100))
                    .col(string_len_null(CarDocuments::Number, 64))
                    .col(string_len_null(CarDocuments::Owner, 200))
                    .col(date_null(CarDocuments::DueDate))
                    .col(string_len_null(CarDocuments::FileUrl, 1000))
                    .foreign_key(&mut fk(
                        CarDocuments::Table,
                        CarDocuments::CarId,
                        Cars::Table,
                        Cars::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_car_documents_car",
            CarDocuments::Table,
            vec![CarDocuments::CarId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceTypes::Table)
                    .col(big_pk_auto(InvoiceTypes::Id))
                    .col(big_integer(InvoiceTypes::OrganizationId))
                    .col(string_len(InvoiceTypes::Name, 100))
                    .col(string_len(InvoiceTypes::Code, 50))
                    .foreign_key(&mut fk(
                        InvoiceTypes::Table,
                        InvoiceTypes::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_invoice_types_organization_code",
            InvoiceTypes::Table,
            vec![
                InvoiceTypes::OrganizationId.into_iden(),
                InvoiceTypes::Code.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(big_pk_auto(Invoices::Id))
                    .col(big_integer(Invoices::ContractId))
                    .col(string_len_uniq(Invoices::Hash, 36))
                    .col(
                        string_len(Invoices::Status, 16).check(
                            Expr::col(Invoices::Status)
                                .is_in(["PENDING", "FRACTION", "FROZEN", "PAID"]),
                        ),
                    )
                    .col(integer(Invoices::Priority).default(0))
                    .col(date(Invoices::DueDate))
                    .col(date_null(Invoices::PaidDate))
                    .col(
                        big_integer(Invoices::TotalMinor)
                            .check(Expr::col(Invoices::TotalMinor).gte(0)),
                    )
                    .col(text(Invoices::Observations).default(""))
                    .col(big_integer(Invoices::TypeId))
                    .col(timestamp_with_time_zone(Invoices::CreatedAt))
                    .foreign_key(&mut fk(
                        Invoices::Table,
                        Invoices::ContractId,
                        Contracts::Table,
                        Contracts::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Invoices::Table,
                        Invoices::TypeId,
                        InvoiceTypes::Table,
                        InvoiceTypes::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_invoices_contract_status",
            Invoices::Table,
            vec![
                Invoices::ContractId.into_iden(),
                Invoices::Status.into_iden(),
                Invoices::Priority.into_iden(),
                Invoices::DueDate.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_invoices_type",
            Invoices::Table,
            vec![Invoices::TypeId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(InvoiceDiscounts::Table)
                    .col(big_pk_auto(InvoiceDiscounts::Id))
                    .col(big_integer(InvoiceDiscounts::InvoiceId))
                    .col(
                        big_integer(InvoiceDiscounts::AmountMinor)
                            .check(Expr::col(InvoiceDiscounts::AmountMinor).gte(0)),
                    )
                    .col(text(InvoiceDiscounts::Observations).default(""))
                    .col(string_len(InvoiceDiscounts::Kind, 50))
                    .foreign_key(&mut fk(
                        InvoiceDiscounts::Table,
                        InvoiceDiscounts::InvoiceId,
                        Invoices::Table,
                        Invoices::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_invoice_discounts_invoice",
            InvoiceDiscounts::Table,
            vec![InvoiceDiscounts::InvoiceId.into_iden()],
        )
        .await?;
        Ok(())
    }
}
