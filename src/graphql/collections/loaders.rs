//! Batched statements of account: one set of statements for every driver of a request
//! level ([`statement::statements`]).

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::collections::statement::{self, Statement, StatementKey};

/// Drivers' statements of account, keyed by driver and period.
pub struct Statements {
    db: DatabaseConnection,
}

impl Statements {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<StatementKey> for Statements {
    type Value = Statement;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[StatementKey],
    ) -> Result<HashMap<StatementKey, Self::Value>, Self::Error> {
        statement::statements(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
