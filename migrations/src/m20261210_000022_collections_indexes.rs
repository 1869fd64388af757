//! The money an organization received in a period (`collections`): its payments and its
//! recharges by creation time. Without these the query read every payment and recharge
//! of every organization and filtered them; with them it reads the period's index range.

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_payments_received", "payments"),
            ("ix_recharges_received", "recharges"),
        ] {
            index(
                manager,
                name,
                Alias::new(table),
                ["organization_id", "created_at"]
                    .into_iter()
                    .map(|c| Alias::new(c).into_iden())
                    .collect(),
            )
            .await?;
        }
        Ok(())
    }
}
