//! Issue 9: an index on every foreign key that had none. Without one, a parent's delete or
//! key update scans the child table, and a lookup of a parent's children (a loader's
//! `WHERE parent_id IN (...)`) reads the whole table as it grows.

use sea_orm_migration::prelude::*;

use crate::common::index;

/// (table, column) of each foreign key whose column led no index.
const UNINDEXED: [(&str, &str); 26] = [
    ("emergency_contacts", "organization_id"),
    ("cards", "organization_id"),
    ("payments", "organization_id"),
    ("recharges", "organization_id"),
    ("recharges", "recorded_by"),
    ("wallet_movements", "organization_id"),
    ("wallet_movements", "payment_id"),
    ("wallet_movements", "recharge_id"),
    ("auto_charge_attempts", "contract_id"),
    ("auto_charge_attempts", "invoice_id"),
    ("auto_charge_attempts", "payment_id"),
    ("books", "owner_id"),
    ("book_accounts", "organization_id"),
    ("book_categories", "organization_id"),
    ("book_categories", "parent_id"),
    ("book_tags", "organization_id"),
    ("book_transfers", "book_id"),
    ("book_transfers", "organization_id"),
    ("book_transactions", "created_by_token_id"),
    ("book_transactions", "created_by_user_id"),
    ("book_transactions", "organization_id"),
    ("book_budgets", "organization_id"),
    ("book_credit_cards", "organization_id"),
    ("book_series", "created_by_token_id"),
    ("book_series", "created_by_user_id"),
    ("book_series", "organization_id"),
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
