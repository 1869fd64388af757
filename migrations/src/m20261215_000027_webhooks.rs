//! Webhooks (issue 23): the endpoints an organization registers on its business book, and
//! the deliveries made to them from the book's change log (`book_changes`).
//!
//! An endpoint keeps its signing secret as it was given (it must be usable to sign) and
//! the last change of the log it was fanned out to (`cursor` and `cursor_id`, the change's
//! `seq` and `id`). A delivery is one event for one endpoint, unique per (endpoint,
//! change), so that fanning the same change out twice makes one delivery.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, unique_index};

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Books {
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

#[derive(DeriveIden, Clone, Copy)]
enum WebhookEndpoints {
    Table,
    Id,
    OrganizationId,
    BookId,
    Url,
    Description,
    Events,
    Enabled,
    Secret,
    Cursor,
    CursorId,
    CreatedByUserId,
    CreatedByTokenId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    EventId,
    EventType,
    ChangeSeq,
    ChangeId,
    ObjectKind,
    ObjectId,
    Payload,
    Status,
    Attempts,
    LastResponseCode,
    LastError,
    NextAttemptAt,
    RetryUntil,
    LastAttemptAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(big_pk_auto(WebhookEndpoints::Id))
                    .col(big_integer(WebhookEndpoints::OrganizationId))
                    .col(big_integer(WebhookEndpoints::BookId))
                    .col(string_len(WebhookEndpoints::Url, 2000))
                    .col(string_len(WebhookEndpoints::Description, 500).default(""))
                    // The event kinds, comma-separated (`TRANSACTION_CREATED,...`).
                    .col(text(WebhookEndpoints::Events))
                    .col(boolean(WebhookEndpoints::Enabled).default(true))
                    .col(string_len(WebhookEndpoints::Secret, 100))
                    // The position in the log (`seq`, `id`) of the last change fanned out.
                    .col(big_integer(WebhookEndpoints::Cursor).default(0))
                    .col(big_integer(WebhookEndpoints::CursorId).default(0))
                    .col(big_integer_null(WebhookEndpoints::CreatedByUserId))
                    .col(big_integer_null(WebhookEndpoints::CreatedByTokenId))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::BookId,
                        Books::Table,
                        Books::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::CreatedByUserId,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        WebhookEndpoints::Table,
                        WebhookEndpoints::CreatedByTokenId,
                        ApiTokens::Table,
                        ApiTokens::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            (
                "ix_webhook_endpoints_organization_id",
                WebhookEndpoints::OrganizationId,
            ),
            ("ix_webhook_endpoints_book_id", WebhookEndpoints::BookId),
            (
                "ix_webhook_endpoints_created_by_user_id",
                WebhookEndpoints::CreatedByUserId,
            ),
            (
                "ix_webhook_endpoints_created_by_token_id",
                WebhookEndpoints::CreatedByTokenId,
            ),
        ] {
            index(
                manager,
                name,
                WebhookEndpoints::Table,
                vec![column.into_iden()],
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(big_pk_auto(WebhookDeliveries::Id))
                    .col(big_integer(WebhookDeliveries::EndpointId))
                    .col(string_len(WebhookDeliveries::EventId, 36))
                    .col(string_len(WebhookDeliveries::EventType, 40))
                    .col(big_integer(WebhookDeliveries::ChangeSeq))
                    .col(big_integer(WebhookDeliveries::ChangeId))
                    .col(string_len(WebhookDeliveries::ObjectKind, 32))
                    .col(big_integer(WebhookDeliveries::ObjectId))
                    // The body as sent, but for the signature's timestamp (in a header).
                    .col(text(WebhookDeliveries::Payload))
                    .col(string_len(WebhookDeliveries::Status, 16).check(
                        Expr::col(WebhookDeliveries::Status).is_in([
                            "PENDING",
                            "SUCCEEDED",
                            "FAILED",
                        ]),
                    ))
                    .col(integer(WebhookDeliveries::Attempts).default(0))
                    .col(integer_null(WebhookDeliveries::LastResponseCode))
                    .col(string_len(WebhookDeliveries::LastError, 1000).default(""))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    // Past it, a failed attempt gives the delivery up (FAILED).
                    .col(timestamp_with_time_zone(WebhookDeliveries::RetryUntil))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LastAttemptAt,
                    ))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookDeliveries::UpdatedAt))
                    .foreign_key(&mut fk(
                        WebhookDeliveries::Table,
                        WebhookDeliveries::EndpointId,
                        WebhookEndpoints::Table,
                        WebhookEndpoints::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One delivery per endpoint and change: a change fanned out twice is one event.
        unique_index(
            manager,
            "ux_webhook_deliveries_change",
            WebhookDeliveries::Table,
            vec![
                WebhookDeliveries::EndpointId.into_iden(),
                WebhookDeliveries::ChangeId.into_iden(),
            ],
        )
        .await?;
        unique_index(
            manager,
            "ux_webhook_deliveries_event_id",
            WebhookDeliveries::Table,
            vec![WebhookDeliveries::EventId.into_iden()],
        )
        .await?;
        // An object's earlier deliveries to the same endpoint, which a later one waits
        // for (in order per object).
        index(
            manager,
            "ix_webhook_deliveries_object",
            WebhookDeliveries::Table,
            vec![
                WebhookDeliveries::EndpointId.into_iden(),
                WebhookDeliveries::ObjectKind.into_iden(),
                WebhookDeliveries::ObjectId.into_iden(),
                WebhookDeliveries::Id.into_iden(),
            ],
        )
        .await?;
        // The sender's question: what is due.
        index(
            manager,
            "ix_webhook_deliveries_due",
            WebhookDeliveries::Table,
            vec![
                WebhookDeliveries::Status.into_iden(),
                WebhookDeliveries::NextAttemptAt.into_iden(),
            ],
        )
        .await
    }
}
