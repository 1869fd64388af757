//! The back office's first tables (issue 19): users can be deactivated, one-time tokens
//! (invitations and password resets) let people set their own password, and every staff
//! write appends an audit record that nothing may change afterwards.

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
    DeactivatedAt,
    AccessEndedAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditRecords {
    Table,
    Id,
    OrganizationId,
    UserId,
    ApiTokenId,
    OccurredAt,
    ObjectKind,
    ObjectId,
    Operation,
    Changes,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::DeactivatedAt))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::AccessEndedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeTokens::Table)
                    .col(big_pk_auto(OneTimeTokens::Id))
                    .col(big_integer(OneTimeTokens::UserId))
                    .col(string_len(OneTimeTokens::Purpose, 16))
                    .col(string_len_uniq(OneTimeTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(OneTimeTokens::RevokedAt))
                    .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        OneTimeTokens::Table,
                        OneTimeTokens::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .check(
                        Expr::col(OneTimeTokens::Purpose).is_in(["INVITATION", "PASSWORD_RESET"]),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_one_time_tokens_user",
            OneTimeTokens::Table,
            vec![
                OneTimeTokens::UserId.into_iden(),
                OneTimeTokens::Purpose.into_iden(),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditRecords::Table)
                    .col(big_pk_auto(AuditRecords::Id))
                    .col(big_integer(AuditRecords::OrganizationId))
                    .col(big_integer_null(AuditRecords::UserId))
                    .col(big_integer_null(AuditRecords::ApiTokenId))
                    .col(timestamp_with_time_zone(AuditRecords::OccurredAt))
                    .col(string_len(AuditRecords::ObjectKind, 32))
                    .col(big_integer(AuditRecords::ObjectId))
                    .col(string_len(AuditRecords::Operation, 64))
                    .col(text(AuditRecords::Changes))
                    .col(string_len_null(AuditRecords::RequestId, 64))
                    .foreign_key(&mut fk(
                        AuditRecords::Table,
                        AuditRecords::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        AuditRecords::Table,
                        AuditRecords::UserId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_audit_records_organization",
                vec![
                    AuditRecords::OrganizationId.into_iden(),
                    AuditRecords::Id.into_iden(),
                ],
            ),
            (
                "ix_audit_records_object",
                vec![
                    AuditRecords::OrganizationId.into_iden(),
                    AuditRecords::ObjectKind.into_iden(),
                    AuditRecords::ObjectId.into_iden(),
                ],
            ),
            // A user is of one organization: their id alone finds their records, and
            // serves the foreign key.
            (
                "ix_audit_records_user",
                vec![AuditRecords::UserId.into_iden()],
            ),
        ] {
            index(manager, name, AuditRecords::Table, cols).await?;
        }

        // The trail is append-only whatever path writes to the database: the database
        // itself refuses to change or remove a record.
        let statements: &[&str] = match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => &[
                "CREATE FUNCTION audit_records_append_only() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql",
                "CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records \
                 FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()",
            ],
            _ => &[
                "CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records \
                 BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
                "CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records \
                 BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
            ],
        };
        for statement in statements {
            manager
                .get_connection()
                .execute_unprepared(statement)
                .await?;
        }
        Ok(())
    }
}
