//! Importing a bank statement (`importStatement`) looks up which of the file's OFX ids
//! (`FITID`) the book already has: without this index each lookup read every transaction
//! of the book. (CSV external ids have had their unique index since the transactions'
//! table was made.)

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "ix_book_transactions_ofx",
            Alias::new("book_transactions"),
            ["book_id", "ofx_id"]
                .into_iter()
                .map(|c| Alias::new(c).into_iden())
                .collect(),
        )
        .await
    }
}
