//! Drivers' saved cards: the payment processor's token and what is needed to show the
//! card (brand, first six and last four digits, expiry). Never a full card number or a
//! CVV.

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
enum Cards {
    Table,
    Id,
    OrganizationId,
    ClientId,
    Brand,
    BrandName,
    Bin,
    Last4,
    ExpirationMonth,
    ExpirationYear,
    ProcessorToken,
    ProcessorSubscriptionId,
    IsProcessorCard,
    IsDefault,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Cards::Table)
                    .col(big_pk_auto(Cards::Id))
                    .col(big_integer(Cards::OrganizationId))
                    .col(big_integer(Cards::ClientId))
                    .col(
                        string_len(Cards::Brand, 16).check(Expr::col(Cards::Brand).is_in([
                            "VISA",
                            "MASTERCARD",
                            "AMEX",
                            "DINERS",
                            "OTHER",
                        ])),
                    )
                    .col(string_len(Cards::BrandName, 50))
                    .col(string_len_null(Cards::Bin, 6))
                    .col(string_len(Cards::Last4, 4))
                    .col(
                        integer_null(Cards::ExpirationMonth)
                            .check(Expr::col(Cards::ExpirationMonth).between(1, 12)),
                    )
                    .col(
                        integer_null(Cards::ExpirationYear)
                            .check(Expr::col(Cards::ExpirationYear).between(2000, 2099)),
                    )
                    .col(string_len_null(Cards::ProcessorToken, 200))
                    .col(string_len_null(Cards::ProcessorSubscriptionId, 64))
                    .col(boolean(Cards::IsProcessorCard).default(false))
                    .col(boolean(Cards::IsDefault).default(false))
                    .col(timestamp_with_time_zone(Cards::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cards::Table, Cards::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Cards::Table, Cards::ClientId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Also the index for a client's cards (its first column).
        manager
            .create_index(
                Index::create()
                    .name("ux_cards_client_token")
                    .table(Cards::Table)
                    .col(Cards::ClientId)
                    .col(Cards::ProcessorToken)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The backstop of the domain's rule: at most one default card per client, even if
        // two requests race past the domain's check.
        manager
            .create_index(
                Index::create()
                    .name("ux_cards_client_default")
                    .table(Cards::Table)
                    .col(Cards::ClientId)
                    .unique()
                    .and_where(Expr::col(Cards::IsDefault).eq(true))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
