//! Batched loads for common content: every group's contacts in one statement.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use crate::{domain::content::contacts, entities::emergency_contact};

/// The contacts of many emergency groups at once, each group's in creation order.
pub struct ContactsByGroup {
    db: DatabaseConnection,
}

impl ContactsByGroup {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<i64> for ContactsByGroup {
    type Value = Vec<emergency_contact::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        contacts::contacts_of_groups(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
