//! Organizations (tenants), users (staff and drivers), refresh tokens and API tokens.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    Timezone,
    Currency,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    OrganizationId,
    Role,
    Document,
    PasswordHash,
    FirstName,
    LastName,
    Email,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    OrganizationId,
    UserId,
    Name,
    TokenPrefix,
    TokenHash,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(big_pk_auto(Organizations::Id))
                    .col(string_len(Organizations::Name, 200))
                    .col(string_len_uniq(Organizations::Slug, 100))
                    .col(string_len(Organizations::Timezone, 64).default("America/Lima"))
                    .col(string_len(Organizations::Currency, 3).default("PEN"))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(big_integer(Users::OrganizationId))
                    .col(string_len(Users::Role, 16))
                    .col(string_len(Users::Document, 32))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(string_len(Users::FirstName, 120))
                    .col(string_len(Users::LastName, 120))
                    .col(string_len_null(Users::Email, 254))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .check(Expr::col(Users::Role).is_in(["ADMIN", "COLLECTOR", "CLIENT"]))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_users_organization_document")
                    .table(Users::Table)
                    .col(Users::OrganizationId)
                    .col(Users::Document)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Login looks a document up across organizations.
        manager
            .create_index(
                Index::create()
                    .name("ix_users_document")
                    .table(Users::Table)
                    .col(Users::Document)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(big_pk_auto(RefreshTokens::Id))
                    .col(big_integer(RefreshTokens::UserId))
                    .col(string_len(RefreshTokens::FamilyId, 36))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_refresh_tokens_user", RefreshTokens::UserId),
            ("ix_refresh_tokens_family", RefreshTokens::FamilyId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RefreshTokens::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(big_integer(ApiTokens::OrganizationId))
                    .col(big_integer(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len(ApiTokens::TokenPrefix, 16))
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_api_tokens_user", ApiTokens::UserId),
            ("ix_api_tokens_organization", ApiTokens::OrganizationId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ApiTokens::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ApiTokens::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Organizations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
