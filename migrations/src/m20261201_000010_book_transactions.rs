//! A book's transactions (incomes and expenses), the transfers that pair two of them,
//! their tags and the monthly budgets of categories.

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
enum Books {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookAccounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookCategories {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookTags {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BookTransfers {
    Table,
    Id,
    OrganizationId,
    BookId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BookTransactions {
    Table,
    Id,
    OrganizationId,
    BookId,
    Kind,
    AmountMinor,
    Description,
    Date,
    DueDate,
    Paid,
    PaidOn,
    CategoryId,
    AccountId,
    ContactName,
    Notes,
    Barcode,
    ExternalId,
    BankData,
    OfxId,
    ReconciledOn,
    Excluded,
    Private,
    TransferId,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookTransactionTags {
    Table,
    TransactionId,
    TagId,
}

#[derive(DeriveIden)]
enum BookBudgets {
    Table,
    Id,
    OrganizationId,
    BookId,
    CategoryId,
    Month,
    AmountMinor,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(BookTransfers::Table)
                    .col(big_pk_auto(BookTransfers::Id))
                    .col(big_integer(BookTransfers::OrganizationId))
                    .col(big_integer(BookTransfers::BookId))
                    .col(timestamp_with_time_zone(BookTransfers::CreatedAt))
                    .foreign_key(&mut fk(
                        BookTransfers::Table,
                        BookTransfers::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookTransfers::Table,
                        BookTransfers::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookTransactions::Table)
                    .col(big_pk_auto(BookTransactions::Id))
                    .col(big_integer(BookTransactions::OrganizationId))
                    .col(big_integer(BookTransactions::BookId))
                    .col(
                        string_len(BookTransactions::Kind, 3)
                            .check(Expr::col(BookTransactions::Kind).is_in(["IN", "OUT"])),
                    )
                    .col(
                        big_integer(BookTransactions::AmountMinor)
                            .check(Expr::col(BookTransactions::AmountMinor).gt(0)),
                    )
                    .col(string_len(BookTransactions::Description, 500).default(""))
                    .col(date(BookTransactions::Date))
                    .col(date_null(BookTransactions::DueDate))
                    .col(boolean(BookTransactions::Paid).default(false))
                    .col(date_null(BookTransactions::PaidOn))
                    .col(big_integer_null(BookTransactions::CategoryId))
                    .col(big_integer(BookTransactions::AccountId))
                    .col(string_len(BookTransactions::ContactName, 200).default(""))
                    .col(string_len(BookTransactions::Notes, 2000).default(""))
                    .col(string_len(BookTransactions::Barcode, 100).default(""))
                    .col(string_len_null(BookTransactions::ExternalId, 100))
                    .col(string_len(BookTransactions::BankData, 500).default(""))
                    .col(string_len(BookTransactions::OfxId, 100).default(""))
                    .col(date_null(BookTransactions::ReconciledOn))
                    .col(boolean(BookTransactions::Excluded).default(false))
                    .col(boolean(BookTransactions::Private).default(false))
                    .col(big_integer_null(BookTransactions::TransferId))
                    .col(big_integer_null(BookTransactions::CreatedByUserId))
                    .col(big_integer_null(BookTransactions::CreatedByTokenId))
                    .col(timestamp_with_time_zone(BookTransactions::CreatedAt))
                    .col(timestamp_with_time_zone(BookTransactions::UpdatedAt))
                    // Every income and expense has a category; only the two sides of a
                    // transfer have none (a transfer is neither).
                    .check(
                        Expr::col(BookTransactions::CategoryId)
                            .is_not_null()
                            .or(Expr::col(BookTransactions::TransferId).is_not_null()),
                    )
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    // A category is deleted only after its transactions moved away.
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::CategoryId,
                        BookCategories::Table,
                        BookCategories::Id,
                        Restrict,
                    ))
                    // An account with transactions cannot be deleted (archive it).
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::AccountId,
                        BookAccounts::Table,
                        BookAccounts::Id,
                        Restrict,
                    ))
                    // Deleting a transfer deletes both of its sides.
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::TransferId,
                        BookTransfers::Table,
                        BookTransfers::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::CreatedByUserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        BookTransactions::Table,
                        BookTransactions::CreatedByTokenId,
                        ApiTokens::Table,
                        ApiTokens::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // Listings and summaries: a book's transactions by date (the id breaks ties and
        // makes the keyset cursor exact).
        index(
            manager,
            "ix_book_transactions_date",
            BookTransactions::Table,
            vec![
                BookTransactions::BookId.into_iden(),
                BookTransactions::Date.into_iden(),
                BookTransactions::Id.into_iden(),
            ],
        )
        .await?;
        // An integration's own id: one transaction per external id and book (NULLs, the
        // transactions without one, never collide).
        unique_index(
            manager,
            "ux_book_transactions_external",
            BookTransactions::Table,
            vec![
                BookTransactions::BookId.into_iden(),
                BookTransactions::ExternalId.into_iden(),
            ],
        )
        .await?;
        for (name, col) in [
            (
                "ix_book_transactions_category",
                BookTransactions::CategoryId,
            ),
            ("ix_book_transactions_account", BookTransactions::AccountId),
            (
                "ix_book_transactions_transfer",
                BookTransactions::TransferId,
            ),
        ] {
            index(
                manager,
                name,
                BookTransactions::Table,
                vec![col.into_iden()],
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(BookTransactionTags::Table)
                    .col(big_integer(BookTransactionTags::TransactionId))
                    .col(big_integer(BookTransactionTags::TagId))
                    .primary_key(
                        Index::create()
                            .col(BookTransactionTags::TransactionId)
                            .col(BookTransactionTags::TagId),
                    )
                    .foreign_key(&mut fk(
                        BookTransactionTags::Table,
                        BookTransactionTags::TransactionId,
                        BookTransactions::Table,
                        BookTransactions::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        BookTransactionTags::Table,
                        BookTransactionTags::TagId,
                        BookTags::Table,
                        BookTags::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_book_transaction_tags_tag",
            BookTransactionTags::Table,
            vec![BookTransactionTags::TagId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookBudgets::Table)
                    .col(big_pk_auto(BookBudgets::Id))
                    .col(big_integer(BookBudgets::OrganizationId))
                    .col(big_integer(BookBudgets::BookId))
                    .col(big_integer(BookBudgets::CategoryId))
                    .col(date(BookBudgets::Month))
                    .col(
                        big_integer(BookBudgets::AmountMinor)
                            .check(Expr::col(BookBudgets::AmountMinor).gt(0)),
                    )
                    .col(timestamp_with_time_zone(BookBudgets::CreatedAt))
                    .col(timestamp_with_time_zone(BookBudgets::UpdatedAt))
                    .foreign_key(&mut fk(
                        BookBudgets::Table,
                        BookBudgets::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookBudgets::Table,
                        BookBudgets::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    // Budgets move to the replacement before a category is deleted.
                    .foreign_key(&mut fk(
                        BookBudgets::Table,
                        BookBudgets::CategoryId,
                        BookCategories::Table,
                        BookCategories::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One budget per category and month; `month` is the month's first day.
        unique_index(
            manager,
            "ux_book_budgets_category_month",
            BookBudgets::Table,
            vec![
                BookBudgets::CategoryId.into_iden(),
                BookBudgets::Month.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_book_budgets_month",
            BookBudgets::Table,
            vec![
                BookBudgets::BookId.into_iden(),
                BookBudgets::Month.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }
}

#[derive(DeriveMigrationName)]
pub struct Migration;
