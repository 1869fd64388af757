//! A lead becomes a driver once (issue 19): the lead keeps which client it became and
//! when.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Leads {
    Table,
    ClientId,
    ConvertedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE, and cannot add a foreign key to an
        // existing table: the client a lead became is checked by the domain (a user of the
        // lead's organization) and users are never deleted.
        manager
            .alter_table(
                Table::alter()
                    .table(Leads::Table)
                    .add_column(big_integer_null(Leads::ClientId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Leads::Table)
                    .add_column(timestamp_with_time_zone_null(Leads::ConvertedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_leads_client",
            Leads::Table,
            vec![Leads::ClientId.into_iden()],
        )
        .await
    }
}
