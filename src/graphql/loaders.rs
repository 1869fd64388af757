//! Per-request DataLoaders: every relation is loaded in one batched statement per level,
//! so the number of SQL statements depends on a query's depth, not on its row count.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use super::contracts::loaders::{Children, InvoicePages, InvoiceTally, OneByParent};
use crate::entities::{
    api_token, car, car_document, client_phone, client_profile, contract, invoice,
    invoice_discount, invoice_type, organization, plan, user,
};

/// Loads rows of one table by primary key.
pub struct ById<E> {
    db: DatabaseConnection,
    _entity: std::marker::PhantomData<E>,
}

macro_rules! by_id_loader {
    ($module:ident) => {
        impl Loader<i64> for ById<$module::Entity> {
            type Value = $module::Model;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
                let rows = $module::Entity::find()
                    .filter($module::Column::Id.is_in(keys.iter().copied()))
                    .all(&self.db)
                    .await
                    .map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| (row.id, row)).collect())
            }
        }
    };
}

by_id_loader!(organization);
by_id_loader!(user);
by_id_loader!(api_token);
by_id_loader!(plan);
by_id_loader!(invoice_type);
by_id_loader!(contract);
by_id_loader!(invoice);

/// The loaders of one request; created fresh for each so that nothing is cached across
/// callers.
pub struct Loaders {
    pub organizations: DataLoader<ById<organization::Entity>>,
    pub users: DataLoader<ById<user::Entity>>,
    pub api_tokens: DataLoader<ById<api_token::Entity>>,
    pub plans: DataLoader<ById<plan::Entity>>,
    pub invoice_types: DataLoader<ById<invoice_type::Entity>>,
    pub contracts: DataLoader<ById<contract::Entity>>,
    pub invoices: DataLoader<ById<invoice::Entity>>,
    pub profiles: DataLoader<OneByParent<client_profile::Entity>>,
    pub cars: DataLoader<OneByParent<car::Entity>>,
    pub phones: DataLoader<Children<client_phone::Entity>>,
    pub client_contracts: DataLoader<Children<contract::Entity>>,
    pub car_documents: DataLoader<Children<car_document::Entity>>,
    pub discounts: DataLoader<Children<invoice_discount::Entity>>,
    pub invoice_pages: DataLoader<InvoicePages>,
    pub invoice_tally: DataLoader<InvoiceTally>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        fn loader<E>(db: &DatabaseConnection) -> DataLoader<ById<E>>
        where
            ById<E>: Loader<i64>,
            E: Send + Sync + 'static,
        {
            DataLoader::new(
                ById {
                    db: db.clone(),
                    _entity: std::marker::PhantomData,
                },
                tokio::spawn,
            )
        }
        Self {
            organizations: loader(db),
            users: loader(db),
            api_tokens: loader(db),
            plans: loader(db),
            invoice_types: loader(db),
            contracts: loader(db),
            invoices: loader(db),
            profiles: DataLoader::new(OneByParent::new(db), tokio::spawn),
            cars: DataLoader::new(OneByParent::new(db), tokio::spawn),
            phones: DataLoader::new(Children::new(db), tokio::spawn),
            client_contracts: DataLoader::new(Children::new(db), tokio::spawn),
            car_documents: DataLoader::new(Children::new(db), tokio::spawn),
            discounts: DataLoader::new(Children::new(db), tokio::spawn),
            invoice_pages: DataLoader::new(InvoicePages::new(db), tokio::spawn),
            invoice_tally: DataLoader::new(InvoiceTally::new(db), tokio::spawn),
        }
    }
}
