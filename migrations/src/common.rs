//! Helpers every migration uses to declare keys and indexes the same way.

use sea_orm_migration::prelude::*;

/// A foreign key from `from_table.from_col` to `to_table.to_col`.
pub fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(on_delete)
        .to_owned()
}

async fn create_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(col);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}

/// A plain index (for lookups and ordering).
pub async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    create_index(manager, name, table, cols, false).await
}

/// A unique index: a rule the database enforces whatever the application does.
pub async fn unique_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
) -> Result<(), DbErr> {
    create_index(manager, name, table, cols, true).await
}
