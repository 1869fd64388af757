//! Loaders of a book's transactions' relations (their tags) and of a book's recurring
//! series, one statement per level.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};

use crate::{
    domain::books::occurrences,
    entities::{book_series, book_tag, book_transaction_tag},
};

/// Every recurring series of each book, read once per request and book however many
/// periods the request reads (each period's occurrences are written first). A book write
/// forgets its entry (see `in_locked_book`).
pub struct RecurringSeries {
    db: DatabaseConnection,
}

impl RecurringSeries {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<i64> for RecurringSeries {
    type Value = Vec<book_series::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = occurrences::recurring_series(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let mut series: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            series.entry(row.book_id).or_default().push(row);
        }
        Ok(series)
    }
}

/// The tags of each transaction, by name.
pub struct TransactionTags {
    db: DatabaseConnection,
}

impl TransactionTags {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

#[derive(FromQueryResult)]
struct TagOf {
    transaction_id: i64,
    id: i64,
    organization_id: i64,
    book_id: i64,
    name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl Loader<i64> for TransactionTags {
    type Value = Vec<book_tag::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = book_tag::Entity::find()
            .join_rev(
                JoinType::InnerJoin,
                book_transaction_tag::Relation::Tag.def(),
            )
            .column(book_transaction_tag::Column::TransactionId)
            .filter(book_transaction_tag::Column::TransactionId.is_in(keys.iter().copied()))
            .order_by_asc(book_tag::Column::Name)
            .order_by_asc(book_tag::Column::Id)
            .into_model::<TagOf>()
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut tags: HashMap<i64, Vec<book_tag::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            tags.entry(row.transaction_id)
                .or_default()
                .push(book_tag::Model {
                    id: row.id,
                    organization_id: row.organization_id,
                    book_id: row.book_id,
                    name: row.name,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                });
        }
        Ok(tags)
    }
}
