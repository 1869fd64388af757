//! Issue 9's rule for issue 7's tables: an index on every foreign key (see
//! `m20261202_000012_foreign_key_indexes`), for the business tables, which were written
//! alongside it.

use sea_orm_migration::prelude::*;

use crate::common::index;

/// (table, column) of each foreign key whose column led no index.
const UNINDEXED: [(&str, &str); 9] = [
    ("email_outbox", "created_by_token_id"),
    ("email_outbox", "created_by_user_id"),
    ("email_outbox", "organization_id"),
    ("receipts", "created_by_token_id"),
    ("receipts", "created_by_user_id"),
    ("receipts", "expense_transaction_id"),
    ("sales_invoices", "created_by_token_id"),
    ("sales_invoices", "created_by_user_id"),
    ("sales_invoices", "income_transaction_id"),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in UNINDEXED {
            index(
                manager,
                &format!("ix_{table}_{column}"),
                Alias::new(table),
                vec![Alias::new(column).into_iden()],
            )
            .await?;
        }
        Ok(())
    }
}
