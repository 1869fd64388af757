//! An organization's users in the order the staff's `clients` listing pages them (role,
//! then last name, first name and id). A page of 50 drivers is then read as 50 index
//! entries instead of every driver of the organization sorted (issue 9's nested page).

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "ix_users_listing",
            Alias::new("users"),
            ["organization_id", "role", "last_name", "first_name", "id"]
                .into_iter()
                .map(|c| Alias::new(c).into_iden())
                .collect(),
        )
        .await
    }
}
