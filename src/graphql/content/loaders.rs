//! Batched loads for common content: every group's contacts in one statement.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::emergency_contact;

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
        let rows = emergency_contact::Entity::find()
            .filter(emergency_contact::Column::GroupId.is_in(keys.iter().copied()))
            .order_by_asc(emergency_contact::Column::Id)
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut groups: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            groups.entry(row.group_id).or_default().push(row);
        }
        Ok(groups)
    }
}
