//! Common content (the Leasy REST API's "Commons"): expense categories, emergency contact
//! groups and their contacts, support contacts, service contact channels, FAQs, tip
//! categories and tips. Plans already exist; their code becomes unique per organization.

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
enum Plans {
    Table,
    OrganizationId,
    Code,
}

#[derive(DeriveIden)]
enum ExpenseCategories {
    Table,
    Id,
    OrganizationId,
    Name,
    Code,
    Icon,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EmergencyContactGroups {
    Table,
    Id,
    OrganizationId,
    EmergencyCase,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EmergencyContacts {
    Table,
    Id,
    OrganizationId,
    GroupId,
    ContactName,
    PhoneNumber,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupportContacts {
    Table,
    Id,
    OrganizationId,
    Kind,
    ContactName,
    PhoneNumber,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServiceContactChannels {
    Table,
    Id,
    OrganizationId,
    Label,
    Code,
    Value,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Faqs {
    Table,
    Id,
    OrganizationId,
    Title,
    Paragraphs,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TipCategories {
    Table,
    Id,
    OrganizationId,
    Name,
    Code,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Tips {
    Table,
    Id,
    OrganizationId,
    CategoryId,
    Title,
    Paragraphs,
    IsPopular,
    PublishedOn,
    CreatedAt,
    UpdatedAt,
}

/// Every content row belongs to one organization, which cannot go while it has content.
fn organization_fk(table: impl IntoIden) -> ForeignKeyCreateStatement {
    fk(
        table,
        Alias::new("organization_id"),
        Organizations::Table,
        Organizations::Id,
        ForeignKeyAction::Restrict,
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Restrict;

        // The contracts migration named this index unique but created a plain one; plans
        // are now created by staff, so the backstop against duplicate codes matters. A new
        // name: SQLite's other pooled connections may still see the old index.
        manager
            .drop_index(Index::drop().name("ux_plans_organization_code").to_owned())
            .await?;
        unique_index(
            manager,
            "ux_plans_organization_code_unique",
            Plans::Table,
            vec![Plans::OrganizationId.into_iden(), Plans::Code.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExpenseCategories::Table)
                    .col(big_pk_auto(ExpenseCategories::Id))
                    .col(big_integer(ExpenseCategories::OrganizationId))
                    .col(string_len(ExpenseCategories::Name, 100))
                    .col(string_len(ExpenseCategories::Code, 50))
                    .col(string_len(ExpenseCategories::Icon, 200).default(""))
                    .col(timestamp_with_time_zone(ExpenseCategories::CreatedAt))
                    .col(timestamp_with_time_zone(ExpenseCategories::UpdatedAt))
                    .foreign_key(&mut organization_fk(ExpenseCategories::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_expense_categories_organization_code",
            ExpenseCategories::Table,
            vec![
                ExpenseCategories::OrganizationId.into_iden(),
                ExpenseCategories::Code.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmergencyContactGroups::Table)
                    .col(big_pk_auto(EmergencyContactGroups::Id))
                    .col(big_integer(EmergencyContactGroups::OrganizationId))
                    .col(
                        string_len(EmergencyContactGroups::EmergencyCase, 16).check(
                            Expr::col(EmergencyContactGroups::EmergencyCase)
                                .is_in(["ACCIDENT", "BLOCK", "THEFT"]),
                        ),
                    )
                    .col(string_len(EmergencyContactGroups::Name, 100))
                    .col(string_len(EmergencyContactGroups::Description, 500).default(""))
                    .col(timestamp_with_time_zone(EmergencyContactGroups::CreatedAt))
                    .col(timestamp_with_time_zone(EmergencyContactGroups::UpdatedAt))
                    .foreign_key(&mut organization_fk(EmergencyContactGroups::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_emergency_contact_groups_organization_case",
            EmergencyContactGroups::Table,
            vec![
                EmergencyContactGroups::OrganizationId.into_iden(),
                EmergencyContactGroups::EmergencyCase.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmergencyContacts::Table)
                    .col(big_pk_auto(EmergencyContacts::Id))
                    .col(big_integer(EmergencyContacts::OrganizationId))
                    .col(big_integer(EmergencyContacts::GroupId))
                    .col(string_len(EmergencyContacts::ContactName, 100))
                    .col(string_len(EmergencyContacts::PhoneNumber, 32))
                    .col(string_len(EmergencyContacts::Description, 500).default(""))
                    .col(timestamp_with_time_zone(EmergencyContacts::CreatedAt))
                    .col(timestamp_with_time_zone(EmergencyContacts::UpdatedAt))
                    .foreign_key(&mut organization_fk(EmergencyContacts::Table))
                    .foreign_key(&mut fk(
                        EmergencyContacts::Table,
                        EmergencyContacts::GroupId,
                        EmergencyContactGroups::Table,
                        EmergencyContactGroups::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_emergency_contacts_group",
            EmergencyContacts::Table,
            vec![EmergencyContacts::GroupId.into_iden()],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SupportContacts::Table)
                    .col(big_pk_auto(SupportContacts::Id))
                    .col(big_integer(SupportContacts::OrganizationId))
                    .col(string_len(SupportContacts::Kind, 32).check(
                        Expr::col(SupportContacts::Kind).is_in([
                            "MECHANICAL",
                            "EMERGENCY",
                            "RIDE_HAILING_AFFILIATION",
                        ]),
                    ))
                    .col(string_len(SupportContacts::ContactName, 100))
                    .col(string_len(SupportContacts::PhoneNumber, 32))
                    .col(timestamp_with_time_zone(SupportContacts::CreatedAt))
                    .col(timestamp_with_time_zone(SupportContacts::UpdatedAt))
                    .foreign_key(&mut organization_fk(SupportContacts::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_support_contacts_organization_kind",
            SupportContacts::Table,
            vec![
                SupportContacts::OrganizationId.into_iden(),
                SupportContacts::Kind.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServiceContactChannels::Table)
                    .col(big_pk_auto(ServiceContactChannels::Id))
                    .col(big_integer(ServiceContactChannels::OrganizationId))
                    .col(string_len(ServiceContactChannels::Label, 100))
                    .col(string_len(ServiceContactChannels::Code, 50))
                    .col(string_len(ServiceContactChannels::Value, 300))
                    .col(timestamp_with_time_zone(ServiceContactChannels::CreatedAt))
                    .col(timestamp_with_time_zone(ServiceContactChannels::UpdatedAt))
                    .foreign_key(&mut organization_fk(ServiceContactChannels::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_service_contact_channels_organization_code",
            ServiceContactChannels::Table,
            vec![
                ServiceContactChannels::OrganizationId.into_iden(),
                ServiceContactChannels::Code.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Faqs::Table)
                    .col(big_pk_auto(Faqs::Id))
                    .col(big_integer(Faqs::OrganizationId))
                    .col(string_len(Faqs::Title, 200))
                    .col(text(Faqs::Paragraphs).default("[]"))
                    .col(timestamp_with_time_zone(Faqs::CreatedAt))
                    .col(timestamp_with_time_zone(Faqs::UpdatedAt))
                    .foreign_key(&mut organization_fk(Faqs::Table))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_faqs_organization_created",
            Faqs::Table,
            vec![
                Faqs::OrganizationId.into_iden(),
                Faqs::CreatedAt.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TipCategories::Table)
                    .col(big_pk_auto(TipCategories::Id))
                    .col(big_integer(TipCategories::OrganizationId))
                    .col(string_len(TipCategories::Name, 100))
                    .col(string_len(TipCategories::Code, 50))
                    .col(string_len(TipCategories::Description, 500).default(""))
                    .col(timestamp_with_time_zone(TipCategories::CreatedAt))
                    .col(timestamp_with_time_zone(TipCategories::UpdatedAt))
                    .foreign_key(&mut organization_fk(TipCategories::Table))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_tip_categories_organization_code",
            TipCategories::Table,
            vec![
                TipCategories::OrganizationId.into_iden(),
                TipCategories::Code.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Tips::Table)
                    .col(big_pk_auto(Tips::Id))
                    .col(big_integer(Tips::OrganizationId))
                    .col(big_integer(Tips::CategoryId))
                    .col(string_len_null(Tips::Title, 200))
                    .col(text(Tips::Paragraphs).default("[]"))
                    .col(boolean(Tips::IsPopular).default(false))
                    .col(date(Tips::PublishedOn))
                    .col(timestamp_with_time_zone(Tips::CreatedAt))
                    .col(timestamp_with_time_zone(Tips::UpdatedAt))
                    .foreign_key(&mut organization_fk(Tips::Table))
                    .foreign_key(&mut fk(
                        Tips::Table,
                        Tips::CategoryId,
                        TipCategories::Table,
                        TipCategories::Id,
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // The public listing: an organization's tips, newest publication first.
        index(
            manager,
            "ix_tips_organization_published",
            Tips::Table,
            vec![
                Tips::OrganizationId.into_iden(),
                Tips::PublishedOn.into_iden(),
            ],
        )
        .await?;
        index(
            manager,
            "ix_tips_category",
            Tips::Table,
            vec![Tips::CategoryId.into_iden()],
        )
        .await?;
        Ok(())
    }
}
