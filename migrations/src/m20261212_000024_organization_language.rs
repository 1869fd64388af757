//! The language an organization's people are answered in when their request does not say
//! (`Accept-Language`): `en`, `es` or `pt`. Organizations created before it speak English,
//! as the API did.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Language,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(
                        ColumnDef::new(Organizations::Language)
                            .string_len(2)
                            .not_null()
                            .default("en"),
                    )
                    .to_owned(),
            )
            .await
    }
}
