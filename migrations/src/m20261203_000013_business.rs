//! Issue 7: the organization's business books (Infinanza): customers, sales invoices
//! with items and tax, receipts (bills to pay), the organization's invoicing settings
//! (default tax rate, last automatic invoice number) and the email outbox through which
//! invoices are sent.
//!
//! A paid invoice records its income, and a paid receipt its expense, as a transaction of
//! the business book; the link is kept here (`SET NULL` when that transaction is deleted
//! by hand).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

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
enum ApiTokens {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookTransactions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BusinessSettings {
    Table,
    OrganizationId,
    DefaultTaxRateBp,
    LastInvoiceNumber,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    OrganizationId,
    Name,
    NationalId,
    Address,
    Email,
    Phone,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SalesInvoices {
    Table,
    Id,
    OrganizationId,
    Number,
    Date,
    DueDate,
    CustomerId,
    Concept,
    SubtotalMinor,
    TaxRateBp,
    TaxMinor,
    TotalMinor,
    Paid,
    PaidOn,
    AdditionalInfo,
    IncomeTransactionId,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SalesInvoiceItems {
    Table,
    Id,
    InvoiceId,
    Position,
    Description,
    QuantityCenti,
    UnitAmountMinor,
    AmountMinor,
}

#[derive(DeriveIden, Clone, Copy)]
enum Receipts {
    Table,
    Id,
    OrganizationId,
    Date,
    DueDate,
    Concept,
    AmountMinor,
    Paid,
    PaidOn,
    ExpenseTransactionId,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EmailOutbox {
    Table,
    Id,
    OrganizationId,
    InvoiceId,
    Recipient,
    Subject,
    Body,
    AttachmentName,
    Attachment,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    SentAt,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn creator_keys(
    table: impl IntoIden + Copy,
    user: impl IntoIden,
    token: impl IntoIden,
) -> [ForeignKeyCreateStatement; 2] {
    use ForeignKeyAction::SetNull;
    [
        fk(table, user, Users::Table, Users::Id, SetNull),
        fk(table, token, ApiTokens::Table, ApiTokens::Id, SetNull),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // One row per organization, written on first use; its update is also the lock
        // that numbers invoices one at a time.
        manager
            .create_table(
                Table::create()
                    .table(BusinessSettings::Table)
                    .col(big_integer(BusinessSettings::OrganizationId).primary_key())
                    // Hundredths of a percent: 1800 is Peru's 18 % IGV.
                    .col(
                        integer(BusinessSettings::DefaultTaxRateBp)
                            .default(1800)
                            .check(
                                Expr::col(BusinessSettings::DefaultTaxRateBp).between(0, 10_000),
                            ),
                    )
                    .col(big_integer(BusinessSettings::LastInvoiceNumber).default(0))
                    .col(timestamp_with_time_zone(BusinessSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        BusinessSettings::Table,
                        BusinessSettings::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(big_pk_auto(Customers::Id))
                    .col(big_integer(Customers::OrganizationId))
                    .col(string_len(Customers::Name, 200))
                    .col(string_len(Customers::NationalId, 20))
                    .col(string_len(Customers::Address, 300).default(""))
                    .col(string_len(Customers::Email, 254).default(""))
                    .col(string_len(Customers::Phone, 30).default(""))
                    .col(string_len(Customers::SearchText, 900).default(""))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .foreign_key(&mut fk(
                        Customers::Table,
                        Customers::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_customers_national_id",
            Customers::Table,
            vec![
                Customers::OrganizationId.into_iden(),
                Customers::NationalId.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_customers_name",
            Customers::Table,
            vec![
                Customers::OrganizationId.into_iden(),
                Customers::Name.into_iden(),
            ],
        )
        .await?;

        let mut invoice = Table::create();
        invoice
            .table(SalesInvoices::Table)
            .col(big_pk_auto(SalesInvoices::Id))
            .col(big_integer(SalesInvoices::OrganizationId))
            .col(string_len(SalesInvoices::Number, 30))
            .col(date(SalesInvoices::Date))
            .col(date_null(SalesInvoices::DueDate))
            .col(big_integer(SalesInvoices::CustomerId))
            .col(string_len(SalesInvoices::Concept, 240))
            .col(
                big_integer(SalesInvoices::SubtotalMinor)
                    .check(Expr::col(SalesInvoices::SubtotalMinor).gt(0)),
            )
            .col(integer_null(SalesInvoices::TaxRateBp))
            .col(
                big_integer(SalesInvoices::TaxMinor)
                    .check(Expr::col(SalesInvoices::TaxMinor).gte(0)),
            )
            .col(
                big_integer(SalesInvoices::TotalMinor)
                    .check(Expr::col(SalesInvoices::TotalMinor).gt(0)),
            )
            .col(boolean(SalesInvoices::Paid).default(false))
            .col(date_null(SalesInvoices::PaidOn))
            .col(string_len(SalesInvoices::AdditionalInfo, 2000).default(""))
            .col(big_integer_null(SalesInvoices::IncomeTransactionId))
            .col(big_integer_null(SalesInvoices::CreatedByUserId))
            .col(big_integer_null(SalesInvoices::CreatedByTokenId))
            .col(timestamp_with_time_zone(SalesInvoices::CreatedAt))
            .col(timestamp_with_time_zone(SalesInvoices::UpdatedAt))
            .foreign_key(&mut fk(
                SalesInvoices::Table,
                SalesInvoices::OrganizationId,
                Organizations::Table,
                Organizations::Id,
                Restrict,
            ))
            // A customer with invoices is not deleted: the domain says IN_USE first.
            .foreign_key(&mut fk(
                SalesInvoices::Table,
                SalesInvoices::CustomerId,
                Customers::Table,
                Customers::Id,
                Restrict,
            ))
            .foreign_key(&mut fk(
                SalesInvoices::Table,
                SalesInvoices::IncomeTransactionId,
                BookTransactions::Table,
                BookTransactions::Id,
                SetNull,
            ));
        for mut key in creator_keys(
            SalesInvoices::Table,
            SalesInvoices::CreatedByUserId,
            SalesInvoices::CreatedByTokenId,
        ) {
            invoice.foreign_key(&mut key);
        }
        manager.create_table(invoice.to_owned()).await?;
        unique_index(
            manager,
            "ux_sales_invoices_number",
            SalesInvoices::Table,
            vec![
                SalesInvoices::OrganizationId.into_iden(),
                SalesInvoices::Number.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_sales_invoices_date",
            SalesInvoices::Table,
            vec![
                SalesInvoices::OrganizationId.into_iden(),
                SalesInvoices::Date.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_sales_invoices_customer",
            SalesInvoices::Table,
            vec![SalesInvoices::CustomerId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SalesInvoiceItems::Table)
                    .col(big_pk_auto(SalesInvoiceItems::Id))
                    .col(big_integer(SalesInvoiceItems::InvoiceId))
                    .col(integer(SalesInvoiceItems::Position))
                    .col(string_len(SalesInvoiceItems::Description, 500))
                    // Hundredths: 150 is a quantity of 1.5.
                    .col(
                        big_integer(SalesInvoiceItems::QuantityCenti)
                            .check(Expr::col(SalesInvoiceItems::QuantityCenti).gt(0)),
                    )
                    .col(
                        big_integer(SalesInvoiceItems::UnitAmountMinor)
                            .check(Expr::col(SalesInvoiceItems::UnitAmountMinor).gte(0)),
                    )
                    .col(
                        big_integer(SalesInvoiceItems::AmountMinor)
                            .check(Expr::col(SalesInvoiceItems::AmountMinor).gte(0)),
                    )
                    .foreign_key(&mut fk(
                        SalesInvoiceItems::Table,
                        SalesInvoiceItems::InvoiceId,
                        SalesInvoices::Table,
                        SalesInvoices::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_sales_invoice_items_position",
            SalesInvoiceItems::Table,
            vec![
                SalesInvoiceItems::InvoiceId.into_iden(),
                SalesInvoiceItems::Position.into_iden(),
            ],
        )
        .await?;

        let mut receipt = Table::create();
        receipt
            .table(Receipts::Table)
            .col(big_pk_auto(Receipts::Id))
            .col(big_integer(Receipts::OrganizationId))
            .col(date(Receipts::Date))
            .col(date_null(Receipts::DueDate))
            .col(string_len(Receipts::Concept, 500))
            .col(big_integer(Receipts::AmountMinor).check(Expr::col(Receipts::AmountMinor).gt(0)))
            .col(boolean(Receipts::Paid).default(false))
            .col(date_null(Receipts::PaidOn))
            .col(big_integer_null(Receipts::ExpenseTransactionId))
            .col(big_integer_null(Receipts::CreatedByUserId))
            .col(big_integer_null(Receipts::CreatedByTokenId))
            .col(timestamp_with_time_zone(Receipts::CreatedAt))
            .col(timestamp_with_time_zone(Receipts::UpdatedAt))
            .foreign_key(&mut fk(
                Receipts::Table,
                Receipts::OrganizationId,
                Organizations::Table,
                Organizations::Id,
                Restrict,
            ))
            .foreign_key(&mut fk(
                Receipts::Table,
                Receipts::ExpenseTransactionId,
                BookTransactions::Table,
                BookTransactions::Id,
                SetNull,
            ));
        for mut key in creator_keys(
            Receipts::Table,
            Receipts::CreatedByUserId,
            Receipts::CreatedByTokenId,
        ) {
            receipt.foreign_key(&mut key);
        }
        manager.create_table(receipt.to_owned()).await?;
        index(
            manager,
            "ix_receipts_date",
            Receipts::Table,
            vec![
                Receipts::OrganizationId.into_iden(),
                Receipts::Date.into_iden(),
            ],
        )
        .await?;

        // Emails waiting to go out (QUEUED), delivered (SENT) or given up (FAILED), with
        // the attachment as it was when queued.
        let mut outbox = Table::create();
        outbox
            .table(EmailOutbox::Table)
            .col(big_pk_auto(EmailOutbox::Id))
            .col(big_integer(EmailOutbox::OrganizationId))
            .col(big_integer_null(EmailOutbox::InvoiceId))
            .col(string_len(EmailOutbox::Recipient, 254))
            .col(string_len(EmailOutbox::Subject, 300))
            .col(text(EmailOutbox::Body))
            .col(string_len(EmailOutbox::AttachmentName, 200).default(""))
            .col(blob_null(EmailOutbox::Attachment))
            .col(
                string_len(EmailOutbox::Status, 16)
                    .check(Expr::col(EmailOutbox::Status).is_in(["QUEUED", "SENT", "FAILED"])),
            )
            .col(integer(EmailOutbox::Attempts).default(0))
            .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
            .col(string_len(EmailOutbox::LastError, 1000).default(""))
            .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
            .col(big_integer_null(EmailOutbox::CreatedByUserId))
            .col(big_integer_null(EmailOutbox::CreatedByTokenId))
            .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
            .col(timestamp_with_time_zone(EmailOutbox::UpdatedAt))
            .foreign_key(&mut fk(
                EmailOutbox::Table,
                EmailOutbox::OrganizationId,
                Organizations::Table,
                Organizations::Id,
                Restrict,
            ))
            .foreign_key(&mut fk(
                EmailOutbox::Table,
                EmailOutbox::InvoiceId,
                SalesInvoices::Table,
                SalesInvoices::Id,
                SetNull,
            ));
        for mut key in creator_keys(
            EmailOutbox::Table,
            EmailOutbox::CreatedByUserId,
            EmailOutbox::CreatedByTokenId,
        ) {
            outbox.foreign_key(&mut key);
        }
        manager.create_table(outbox.to_owned()).await?;
        index(
            manager,
            "ix_email_outbox_due",
            EmailOutbox::Table,
            vec![
                EmailOutbox::Status.into_iden(),
                EmailOutbox::NextAttemptAt.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_email_outbox_invoice",
            EmailOutbox::Table,
            vec![EmailOutbox::InvoiceId.into_iden()],
        )
        .await?;
        Ok(())
    }
}
