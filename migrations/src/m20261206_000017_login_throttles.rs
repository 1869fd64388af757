//! Failed logins, counted per key (`document:<document>` and `address:<client address>`)
//! so that every replica sees the same counts: a key past its free failures waits until
//! `blocked_until` before its next attempt (issue 17).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    LastFailureAt,
    BlockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .col(string_len(LoginThrottles::Key, 96).primary_key())
                    .col(integer(LoginThrottles::Failures).default(0))
                    .col(timestamp_with_time_zone(LoginThrottles::LastFailureAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::BlockedUntil))
                    .to_owned(),
            )
            .await?;
        // Forgotten keys are deleted by age (see `identity::throttle::prune`).
        index(
            manager,
            "ix_login_throttles_last_failure_at",
            LoginThrottles::Table,
            vec![LoginThrottles::LastFailureAt.into_iden()],
        )
        .await
    }
}
