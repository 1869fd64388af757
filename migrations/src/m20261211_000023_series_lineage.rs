//! Where a recurring series split by a THIS_AND_FUTURE edit came from, now that an
//! occurrence without a row of its own is computed from its series:
//! - `continues_series_id` and `continues_from`: an occurrence is named by its series and
//!   number; after a split its later occurrences belong to the new series under new
//!   numbers, and these let the old name still find them;
//! - `anchor_date` and `anchor_offset`: the new series' dates keep following the rule
//!   they followed (a monthly series from Aug 31 split at Sep 30 still falls on Oct 31,
//!   not on Oct 30). Null for a series that was never split: its start is its anchor.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BookSeries {
    Table,
    ContinuesSeriesId,
    ContinuesFrom,
    AnchorDate,
    AnchorOffset,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            ColumnDef::new(BookSeries::ContinuesSeriesId)
                .big_integer()
                .null()
                .to_owned(),
            ColumnDef::new(BookSeries::ContinuesFrom)
                .integer()
                .null()
                .to_owned(),
            ColumnDef::new(BookSeries::AnchorDate)
                .date()
                .null()
                .to_owned(),
            ColumnDef::new(BookSeries::AnchorOffset)
                .integer()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(BookSeries::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
