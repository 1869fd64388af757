//! Leads (people who asked to lease a car, without an account) and the per-document lock
//! that keeps two concurrent requests from both storing the same lead.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Leads {
    Table,
    Id,
    OrganizationId,
    FirstName,
    LastName,
    Document,
    PhoneNumber,
    Email,
    TimeWorking,
    UtmSource,
    UtmMedium,
    CarOfInterest,
    SearchText,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeadDocumentLocks {
    Table,
    OrganizationId,
    Document,
    LockedAt,
}

const TIME_WORKING: [&str; 6] = [
    "LESS_THAN_4_MONTHS",
    "MORE_THAN_4_MONTHS",
    "MORE_THAN_8_MONTHS",
    "MORE_THAN_12_MONTHS",
    "MORE_THAN_18_MONTHS",
    "NOT_WORKING_WITH_AN_APP",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Leads::Table)
                    .col(big_pk_auto(Leads::Id))
                    .col(big_integer(Leads::OrganizationId))
                    .col(string_len(Leads::FirstName, 120))
                    .col(string_len(Leads::LastName, 120))
                    .col(string_len(Leads::Document, 32))
                    .col(string_len(Leads::PhoneNumber, 16))
                    .col(string_len(Leads::Email, 254))
                    .col(
                        string_len_null(Leads::TimeWorking, 32)
                            .check(Expr::col(Leads::TimeWorking).is_in(TIME_WORKING)),
                    )
                    .col(string_len_null(Leads::UtmSource, 50))
                    .col(string_len_null(Leads::UtmMedium, 50))
                    .col(
                        string_len(Leads::CarOfInterest, 16)
                            .check(Expr::col(Leads::CarOfInterest).is_in(["NEW", "SEMI_NEW"])),
                    )
                    .col(string_len(Leads::SearchText, 1000))
                    .col(timestamp_with_time_zone(Leads::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Leads::Table, Leads::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The duplicate check: same document, same organization, recent.
        manager
            .create_index(
                Index::create()
                    .name("ix_leads_organization_document_created")
                    .table(Leads::Table)
                    .col(Leads::OrganizationId)
                    .col(Leads::Document)
                    .col(Leads::CreatedAt)
                    .to_owned(),
            )
            .await?;
        // The staff's list, newest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_leads_organization_created")
                    .table(Leads::Table)
                    .col(Leads::OrganizationId)
                    .col(Leads::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LeadDocumentLocks::Table)
                    .col(big_integer(LeadDocumentLocks::OrganizationId))
                    .col(string_len(LeadDocumentLocks::Document, 32))
                    .col(timestamp_with_time_zone(LeadDocumentLocks::LockedAt))
                    .primary_key(
                        Index::create()
                            .col(LeadDocumentLocks::OrganizationId)
                            .col(LeadDocumentLocks::Document),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(LeadDocumentLocks::Table, LeadDocumentLocks::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
