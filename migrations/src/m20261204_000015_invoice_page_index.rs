//! A contract's invoices in the order every listing pages them (priority, then due date,
//! then id). On PostgreSQL a page of each of many contracts is then read as `LIMIT n`
//! index entries per contract instead of all of their invoices sorted (issue 9's nested
//! page: 10 entries per contract rather than 52 rows).

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "ix_invoices_contract_page",
            Alias::new("invoices"),
            ["contract_id", "priority", "due_date", "id"]
                .into_iter()
                .map(|c| Alias::new(c).into_iden())
                .collect(),
        )
        .await
    }
}
