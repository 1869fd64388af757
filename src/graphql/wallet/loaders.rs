//! Batched pages of a driver's wallet history (recharges, movements), newest first: one
//! statement per level for any number of drivers ([`history`]).

use crate::domain::commons::UserId;
use std::{collections::HashMap, marker::PhantomData, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult};

use crate::domain::wallet::history::{self, ClientRows, PageKey};

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
        history::newest_first::<E, _>(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// How many rows each driver has.
pub struct Counts<E>(NewestFirst<E>);

impl<E> Counts<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self(NewestFirst::new(db))
    }
}

impl<E> Loader<UserId> for Counts<E>
where
    E: ClientRows + Send + Sync + 'static,
{
    type Value = u64;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, u64>, Self::Error> {
        history::counts::<E, _>(&self.0.db, keys)
            .await
            .map_err(Arc::new)
    }
}
