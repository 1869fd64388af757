//! Batched pages of a driver's wallet history (recharges, movements), newest first: one
//! statement per level for any number of drivers.

use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    Statement, Value,
};

use crate::{
    entities::{recharge, wallet_movement},
    graphql::contracts::loaders::placeholder,
};

/// A table whose rows belong to one driver and are listed newest first (by id).
pub trait ClientRows: EntityTrait {
    const TABLE: &'static str;
    fn client_column() -> Self::Column;
    fn client_of(row: &Self::Model) -> i64;
}

impl ClientRows for recharge::Entity {
    const TABLE: &'static str = "recharges";
    fn client_column() -> Self::Column {
        recharge::Column::ClientId
    }
    fn client_of(row: &recharge::Model) -> i64 {
        row.client_id
    }
}

impl ClientRows for wallet_movement::Entity {
    const TABLE: &'static str = "wallet_movements";
    fn client_column() -> Self::Column {
        wallet_movement::Column::ClientId
    }
    fn client_of(row: &wallet_movement::Model) -> i64 {
        row.client_id
    }
}

/// One page of one driver's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub client_id: i64,
    pub offset: u64,
    pub limit: u64,
}

/// Pages (keyed by [`PageKey`]) and counts (keyed by driver) of a [`ClientRows`] table.
pub struct NewestFirst<E> {
    db: DatabaseConnection,
    _entity: PhantomData<E>,
}

impl<E> NewestFirst<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            _entity: PhantomData,
        }
    }
}

impl<E> Loader<PageKey> for NewestFirst<E>
where
    E: ClientRows + Send + Sync + 'static,
    E::Model: FromQueryResult + Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[PageKey]) -> Result<HashMap<PageKey, Self::Value>, Self::Error> {
        let backend = self.db.get_database_backend();
        let mut windows: HashMap<(u64, u64), Vec<i64>> = HashMap::new();
        for key in keys {
            windows
                .entry((key.offset, key.limit))
                .or_default()
                .push(key.client_id);
        }
        let mut pages = HashMap::new();
        for ((offset, limit), clients) in windows {
            let mut values: Vec<Value> = clients.iter().map(|c| (*c).into()).collect();
            let ids: Vec<String> = (1..=values.len())
                .map(|n| placeholder(backend, n))
                .collect();
            values.push((offset as i64).into());
            let low = placeholder(backend, values.len());
            values.push(((offset + limit) as i64).into());
            let high = placeholder(backend, values.len());
            let sql = format!(
                "SELECT * FROM (SELECT {table}.*, ROW_NUMBER() OVER (PARTITION BY client_id ORDER BY id DESC) AS page_rank \
                 FROM {table} WHERE client_id IN ({ids})) ranked \
                 WHERE page_rank > {low} AND page_rank <= {high} ORDER BY client_id, page_rank",
                table = E::TABLE,
                ids = ids.join(", "),
            );
            let rows = E::find()
                .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
                .all(&self.db)
                .await
                .map_err(Arc::new)?;
            for client_id in &clients {
                pages.insert(
                    PageKey {
                        client_id: *client_id,
                        offset,
                        limit,
                    },
                    Vec::new(),
                );
            }
            for row in rows {
                let key = PageKey {
                    client_id: E::client_of(&row),
                    offset,
                    limit,
                };
                pages.entry(key).or_insert_with(Vec::new).push(row);
            }
        }
        Ok(pages)
    }
}

/// How many rows each driver has.
pub struct Counts<E>(NewestFirst<E>);

impl<E> Counts<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self(NewestFirst::new(db))
    }
}

impl<E> Loader<i64> for Counts<E>
where
    E: ClientRows + Send + Sync + 'static,
{
    type Value = u64;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, u64>, Self::Error> {
        let rows: Vec<(i64, i64)> = E::find()
            .select_only()
            .column(E::client_column())
            .column_as(E::client_column().count(), "n")
            .filter(E::client_column().is_in(keys.iter().copied()))
            .group_by(E::client_column())
            .into_tuple()
            .all(&self.0.db)
            .await
            .map_err(Arc::new)?;
        let mut counts: HashMap<i64, u64> = keys.iter().map(|k| (*k, 0)).collect();
        for (client, n) in rows {
            counts.insert(client, n as u64);
        }
        Ok(counts)
    }
}
