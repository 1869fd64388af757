//! Temporary stand-in for the change log's reader (issue 23), as its contract says;
//! replaced by main's when the change log lands.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{DomainResult, entities::book_change};

/// The changes of `book_id` numbered after `after`, oldest first, at most `limit`.
pub async fn changes_after<C: ConnectionTrait>(
    db: &C,
    book_id: i64,
    after: i64,
    limit: u64,
) -> DomainResult<Vec<book_change::Model>> {
    Ok(book_change::Entity::find()
        .filter(book_change::Column::BookId.eq(book_id))
        .filter(book_change::Column::Seq.gt(after))
        .order_by_asc(book_change::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

/// The number of `book_id`'s last change (0 before any).
pub async fn last_seq<C: ConnectionTrait>(db: &C, book_id: i64) -> DomainResult<i64> {
    let last: Option<Option<i64>> = book_change::Entity::find()
        .select_only()
        .column_as(book_change::Column::Seq.max(), "last")
        .filter(book_change::Column::BookId.eq(book_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}
