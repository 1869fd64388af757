//! A contract's end (issue 19): the day it was terminated and why; and a car has at most
//! one document of each kind (`setCarDocument` replaces it).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::unique_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    TerminatedOn,
    TerminationReason,
}

#[derive(DeriveIden)]
enum CarDocuments {
    Table,
    CarId,
    Kind,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .add_column(date_null(Contracts::TerminatedOn))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Contracts::Table)
                    .add_column(text(Contracts::TerminationReason).default(""))
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_car_documents_car_kind",
            CarDocuments::Table,
            vec![
                CarDocuments::CarId.into_iden(),
                CarDocuments::Kind.into_iden(),
            ],
        )
        .await
    }
}
