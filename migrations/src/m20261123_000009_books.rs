//! Books (issue 5's foundation): a set of accounts, categories and tags owned by a driver
//! (a personal book) or by the organization (its business book). Transactions, transfers
//! and budgets come later and point at these tables.

use sea_orm_migration::{prelude::*, schema::*};

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
enum Books {
    Table,
    Id,
    OrganizationId,
    OwnerId,
    OwnerKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BookAccounts {
    Table,
    Id,
    OrganizationId,
    BookId,
    Kind,
    Name,
    Description,
    Archived,
    IsDefault,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookCategories {
    Table,
    Id,
    OrganizationId,
    BookId,
    Kind,
    Name,
    Code,
    Colour,
    Icon,
    ParentId,
    Archived,
    IsDefault,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BookTags {
    Table,
    Id,
    OrganizationId,
    BookId,
    Name,
    CreatedAt,
    UpdatedAt,
}

fn organization_fk<T: IntoIden + 'static>(table: T, column: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Organizations::Table, Organizations::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn book_fk<T: IntoIden + 'static>(table: T, column: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Books::Table, Books::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Books::Table)
                    .col(big_pk_auto(Books::Id))
                    .col(big_integer(Books::OrganizationId))
                    .col(big_integer_null(Books::OwnerId))
                    .col(big_integer(Books::OwnerKey))
                    .col(timestamp_with_time_zone(Books::CreatedAt))
                    .foreign_key(&mut organization_fk(Books::Table, Books::OrganizationId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Books::Table, Books::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One book per driver and one business book per organization: the owner key is
        // the driver's id, or 0 for the business book (a NULL owner would not collide).
        // Two first requests racing to create the book meet here.
        manager
            .create_index(
                Index::create()
                    .name("ux_books_owner")
                    .table(Books::Table)
                    .col(Books::OrganizationId)
                    .col(Books::OwnerKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookAccounts::Table)
                    .col(big_pk_auto(BookAccounts::Id))
                    .col(big_integer(BookAccounts::OrganizationId))
                    .col(big_integer(BookAccounts::BookId))
                    .col(
                        string_len(BookAccounts::Kind, 16).check(
                            Expr::col(BookAccounts::Kind)
                                .is_in(["CHECKING", "SAVINGS", "CASH", "OTHER"]),
                        ),
                    )
                    .col(string_len(BookAccounts::Name, 100))
                    .col(string_len(BookAccounts::Description, 500).default(""))
                    .col(boolean(BookAccounts::Archived).default(false))
                    .col(boolean(BookAccounts::IsDefault).default(false))
                    .col(timestamp_with_time_zone(BookAccounts::CreatedAt))
                    .col(timestamp_with_time_zone(BookAccounts::UpdatedAt))
                    .foreign_key(&mut organization_fk(
                        BookAccounts::Table,
                        BookAccounts::OrganizationId,
                    ))
                    .foreign_key(&mut book_fk(BookAccounts::Table, BookAccounts::BookId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_book_accounts_book")
                    .table(BookAccounts::Table)
                    .col(BookAccounts::BookId)
                    .to_owned(),
            )
            .await?;
        // The backstop of "exactly one default account per book".
        manager
            .create_index(
                Index::create()
                    .name("ux_book_accounts_default")
                    .table(BookAccounts::Table)
                    .col(BookAccounts::BookId)
                    .unique()
                    .and_where(Expr::col(BookAccounts::IsDefault).eq(true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookCategories::Table)
                    .col(big_pk_auto(BookCategories::Id))
                    .col(big_integer(BookCategories::OrganizationId))
                    .col(big_integer(BookCategories::BookId))
                    .col(
                        string_len(BookCategories::Kind, 8)
                            .check(Expr::col(BookCategories::Kind).is_in(["INCOME", "EXPENSE"])),
                    )
                    .col(string_len(BookCategories::Name, 100))
                    .col(string_len(BookCategories::Code, 50))
                    .col(string_len(BookCategories::Colour, 7))
                    .col(string_len(BookCategories::Icon, 200).default(""))
                    .col(big_integer_null(BookCategories::ParentId))
                    .col(boolean(BookCategories::Archived).default(false))
                    .col(boolean(BookCategories::IsDefault).default(false))
                    .col(timestamp_with_time_zone(BookCategories::CreatedAt))
                    .col(timestamp_with_time_zone(BookCategories::UpdatedAt))
                    .foreign_key(&mut organization_fk(
                        BookCategories::Table,
                        BookCategories::OrganizationId,
                    ))
                    .foreign_key(&mut book_fk(BookCategories::Table, BookCategories::BookId))
                    // A parent with subcategories cannot be deleted under them.
                    .foreign_key(
                        ForeignKey::create()
                            .from(BookCategories::Table, BookCategories::ParentId)
                            .to(BookCategories::Table, BookCategories::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Also the index of a book's categories (its first column).
        manager
            .create_index(
                Index::create()
                    .name("ux_book_categories_code")
                    .table(BookCategories::Table)
                    .col(BookCategories::BookId)
                    .col(BookCategories::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_book_categories_default")
                    .table(BookCategories::Table)
                    .col(BookCategories::BookId)
                    .col(BookCategories::Kind)
                    .unique()
                    .and_where(Expr::col(BookCategories::IsDefault).eq(true))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookTags::Table)
                    .col(big_pk_auto(BookTags::Id))
                    .col(big_integer(BookTags::OrganizationId))
                    .col(big_integer(BookTags::BookId))
                    .col(string_len(BookTags::Name, 50))
                    .col(timestamp_with_time_zone(BookTags::CreatedAt))
                    .col(timestamp_with_time_zone(BookTags::UpdatedAt))
                    .foreign_key(&mut organization_fk(
                        BookTags::Table,
                        BookTags::OrganizationId,
                    ))
                    .foreign_key(&mut book_fk(BookTags::Table, BookTags::BookId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_book_tags_name")
                    .table(BookTags::Table)
                    .col(BookTags::BookId)
                    .col(BookTags::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
