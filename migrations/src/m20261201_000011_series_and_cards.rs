//! Issue 6: series of transactions (recurring and installments), credit cards and the
//! cycles their monthly statements follow.
//!
//! A credit card keeps its purchases in an account of its own (`book_accounts` with
//! `for_credit_card`), hidden from the book's accounts: its purchases are then ordinary
//! expenses of their own date for summaries and budgets, and paying a statement is a
//! transfer from a bank account to that account. A card purchase records the statement
//! it belongs to (`statement_month`, a month index `year * 12 + month - 1`), so that an
//! installment lands in the statement after the previous one's even when month-end dates
//! would put two in one.

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

#[derive(DeriveIden, Clone, Copy)]
enum BookCreditCards {
    Table,
    Id,
    OrganizationId,
    BookId,
    AccountId,
    Name,
    Description,
    Network,
    ClosingDay,
    DueDay,
    LimitMinor,
    Archived,
    IsDefault,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum BookCreditCardCycles {
    Table,
    Id,
    CreditCardId,
    FromMonth,
    ClosingDay,
    DueDay,
}

#[derive(DeriveIden)]
enum BookSeries {
    Table,
    Id,
    OrganizationId,
    BookId,
    Kind,
    Periodicity,
    StartDate,
    TotalInstallments,
    LastOccurrence,
    TransactionKind,
    AmountMinor,
    Description,
    CategoryId,
    AccountId,
    ContactName,
    Notes,
    Excluded,
    Private,
    TagIds,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookSeriesSkips {
    Table,
    SeriesId,
    Occurrence,
}

#[derive(DeriveIden)]
enum BookTransactions {
    Table,
    AccountId,
    SeriesId,
    Occurrence,
    StatementMonth,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

fn day(col: impl IntoIden + Clone) -> ColumnDef {
    let iden = col.clone().into_iden();
    small_integer(col)
        .check(Expr::col(iden.clone()).between(1, 31))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let db = manager.get_connection();

        // SQLite adds a column with its REFERENCES clause; the same statement runs on
        // PostgreSQL.
        db.execute_unprepared(
            "ALTER TABLE book_accounts ADD COLUMN for_credit_card BOOLEAN NOT NULL DEFAULT FALSE",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookCreditCards::Table)
                    .col(big_pk_auto(BookCreditCards::Id))
                    .col(big_integer(BookCreditCards::OrganizationId))
                    .col(big_integer(BookCreditCards::BookId))
                    .col(big_integer(BookCreditCards::AccountId))
                    .col(string_len(BookCreditCards::Name, 100))
                    .col(string_len(BookCreditCards::Description, 500).default(""))
                    .col(string_len(BookCreditCards::Network, 32).default(""))
                    .col(day(BookCreditCards::ClosingDay))
                    .col(day(BookCreditCards::DueDay))
                    .col(
                        big_integer(BookCreditCards::LimitMinor)
                            .check(Expr::col(BookCreditCards::LimitMinor).gte(0)),
                    )
                    .col(boolean(BookCreditCards::Archived).default(false))
                    .col(boolean(BookCreditCards::IsDefault).default(false))
                    .col(timestamp_with_time_zone(BookCreditCards::CreatedAt))
                    .col(timestamp_with_time_zone(BookCreditCards::UpdatedAt))
                    .foreign_key(&mut fk(
                        BookCreditCards::Table,
                        BookCreditCards::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookCreditCards::Table,
                        BookCreditCards::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        BookCreditCards::Table,
                        BookCreditCards::AccountId,
                        BookAccounts::Table,
                        BookAccounts::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_book_credit_cards_account",
            BookCreditCards::Table,
            vec![BookCreditCards::AccountId.into_iden()],
        )
        .await?;
        index(
            manager,
            "ix_book_credit_cards_book",
            BookCreditCards::Table,
            vec![BookCreditCards::BookId.into_iden()],
        )
        .await?;

        // The closing and due days a card's statements follow from a month on; a card has
        // one from its creation, and one more each time its days change.
        manager
            .create_table(
                Table::create()
                    .table(BookCreditCardCycles::Table)
                    .col(big_pk_auto(BookCreditCardCycles::Id))
                    .col(big_integer(BookCreditCardCycles::CreditCardId))
                    .col(integer(BookCreditCardCycles::FromMonth))
                    .col(day(BookCreditCardCycles::ClosingDay))
                    .col(day(BookCreditCardCycles::DueDay))
                    .foreign_key(&mut fk(
                        BookCreditCardCycles::Table,
                        BookCreditCardCycles::CreditCardId,
                        BookCreditCards::Table,
                        BookCreditCards::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_book_credit_card_cycles_month",
            BookCreditCardCycles::Table,
            vec![
                BookCreditCardCycles::CreditCardId.into_iden(),
                BookCreditCardCycles::FromMonth.into_iden(),
            ],
        )
        .await?;

        // A series: its rule (periodicity from a start date, a number of installments or
        // open-ended) and, for an open-ended one, the template its occurrences are
        // written from when a period that holds them is first read.
        manager
            .create_table(
                Table::create()
                    .table(BookSeries::Table)
                    .col(big_pk_auto(BookSeries::Id))
                    .col(big_integer(BookSeries::OrganizationId))
                    .col(big_integer(BookSeries::BookId))
                    .col(
                        string_len(BookSeries::Kind, 16).check(
                            Expr::col(BookSeries::Kind).is_in(["RECURRING", "INSTALLMENTS"]),
                        ),
                    )
                    .col(string_len(BookSeries::Periodicity, 16).check(
                        Expr::col(BookSeries::Periodicity).is_in([
                            "WEEKLY",
                            "BIWEEKLY",
                            "MONTHLY",
                            "BIMONTHLY",
                            "TRIMONTHLY",
                            "YEARLY",
                        ]),
                    ))
                    .col(date(BookSeries::StartDate))
                    .col(integer_null(BookSeries::TotalInstallments))
                    .col(integer_null(BookSeries::LastOccurrence))
                    .col(
                        string_len(BookSeries::TransactionKind, 3)
                            .check(Expr::col(BookSeries::TransactionKind).is_in(["IN", "OUT"])),
                    )
                    .col(
                        big_integer(BookSeries::AmountMinor)
                            .check(Expr::col(BookSeries::AmountMinor).gt(0)),
                    )
                    .col(string_len(BookSeries::Description, 500).default(""))
                    .col(big_integer(BookSeries::CategoryId))
                    .col(big_integer(BookSeries::AccountId))
                    .col(string_len(BookSeries::ContactName, 200).default(""))
                    .col(string_len(BookSeries::Notes, 2000).default(""))
                    .col(boolean(BookSeries::Excluded).default(false))
                    .col(boolean(BookSeries::Private).default(false))
                    .col(string_len(BookSeries::TagIds, 2000).default(""))
                    .col(big_integer_null(BookSeries::CreatedByUserId))
                    .col(big_integer_null(BookSeries::CreatedByTokenId))
                    .col(timestamp_with_time_zone(BookSeries::CreatedAt))
                    .col(timestamp_with_time_zone(BookSeries::UpdatedAt))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::CategoryId,
                        BookCategories::Table,
                        BookCategories::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::AccountId,
                        BookAccounts::Table,
                        BookAccounts::Id,
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::CreatedByUserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        BookSeries::Table,
                        BookSeries::CreatedByTokenId,
                        ApiTokens::Table,
                        ApiTokens::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_book_series_book", BookSeries::BookId),
            ("ix_book_series_category", BookSeries::CategoryId),
            ("ix_book_series_account", BookSeries::AccountId),
        ] {
            index(manager, name, BookSeries::Table, vec![col.into_iden()]).await?;
        }

        // Occurrences of an open-ended series deleted one by one: never written again.
        manager
            .create_table(
                Table::create()
                    .table(BookSeriesSkips::Table)
                    .col(big_integer(BookSeriesSkips::SeriesId))
                    .col(integer(BookSeriesSkips::Occurrence))
                    .primary_key(
                        Index::create()
                            .col(BookSeriesSkips::SeriesId)
                            .col(BookSeriesSkips::Occurrence),
                    )
                    .foreign_key(&mut fk(
                        BookSeriesSkips::Table,
                        BookSeriesSkips::SeriesId,
                        BookSeries::Table,
                        BookSeries::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // Deleting a whole series deletes its occurrences first; SET NULL only guards a
        // series row removed by hand.
        db.execute_unprepared(
            "ALTER TABLE book_transactions ADD COLUMN series_id BIGINT NULL \
             REFERENCES book_series (id) ON DELETE SET NULL",
        )
        .await?;
        db.execute_unprepared("ALTER TABLE book_transactions ADD COLUMN occurrence INTEGER NULL")
            .await?;
        db.execute_unprepared(
            "ALTER TABLE book_transactions ADD COLUMN statement_month INTEGER NULL",
        )
        .await?;
        // One row per occurrence: two readers writing the same period's occurrences at
        // once cannot both insert it.
        unique_index(
            manager,
            "ux_book_transactions_occurrence",
            BookTransactions::Table,
            vec![
                BookTransactions::SeriesId.into_iden(),
                BookTransactions::Occurrence.into_iden(),
            ],
        )
        .await?;
        // A statement's purchases and payments.
        index(
            manager,
            "ix_book_transactions_statement",
            BookTransactions::Table,
            vec![
                BookTransactions::AccountId.into_iden(),
                BookTransactions::StatementMonth.into_iden(),
            ],
        )
        .await?;
        Ok(())
    }
}
