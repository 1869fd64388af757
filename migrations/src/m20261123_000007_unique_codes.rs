//! Makes invoice-type codes unique per organization, as migration 000002 meant to: its
//! index helper never marked the `ux_` indexes unique (plans are mended in 000003).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum InvoiceTypes {
    Table,
    OrganizationId,
    Code,
}

/// Replaces the non-unique index `old` by a unique one named `new` (a new name: SQLite
/// refused to re-create an index under the name just dropped in the same migration run).
async fn make_unique(
    manager: &SchemaManager<'_>,
    old: &str,
    new: &str,
    table: impl IntoIden,
    cols: [DynIden; 2],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(new).table(table).unique();
    for col in cols {
        index.col(col);
    }
    manager.create_index(index.to_owned()).await?;
    manager
        .get_connection()
        .execute_unprepared(&format!("DROP INDEX {old}"))
        .await
        .map(|_| ())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        make_unique(
            manager,
            "ux_invoice_types_organization_code",
            "ux_invoice_types_org_code",
            InvoiceTypes::Table,
            [
                InvoiceTypes::OrganizationId.into_iden(),
                InvoiceTypes::Code.into_iden(),
            ],
        )
        .await
    }
}
