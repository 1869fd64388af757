//! Batched loads for drivers' contracts: one statement per relation level, whatever the
//! number of parents.

use crate::domain::commons::{ContractId, InvoiceId};
use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use crate::domain::contracts::{InvoiceCountKey, InvoicePage, InvoicePageKey};
use crate::domain::{
    commons::Id,
    contracts::{self, operations},
    reads::{self, Child},
};
use crate::entities::invoice;

/// Children of many parents in one statement ([`reads::children_of`]).
pub struct Children<E> {
    db: DatabaseConnection,
    _entity: std::marker::PhantomData<E>,
}

impl<E> Children<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            _entity: std::marker::PhantomData,
        }
    }
}

impl<E: Child> Loader<Id<E::Parent>> for Children<E>
where
    E::Model: Clone + Send + Sync,
{
    type Value = Vec<E::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[Id<E::Parent>],
    ) -> Result<HashMap<Id<E::Parent>, Self::Value>, Self::Error> {
        reads::children_of::<E, _>(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// One row per parent (1:1 relations keyed by the parent's id; [`reads::one_per_parent`]).
pub struct OneByParent<E> {
    db: DatabaseConnection,
    _entity: std::marker::PhantomData<E>,
}

impl<E> OneByParent<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            _entity: std::marker::PhantomData,
        }
    }
}

impl<E: Child> Loader<Id<E::Parent>> for OneByParent<E>
where
    E::Model: Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[Id<E::Parent>],
    ) -> Result<HashMap<Id<E::Parent>, Self::Value>, Self::Error> {
        reads::one_per_parent::<E, _>(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Pages and counts of contracts' invoices ([`contracts::invoice_pages`],
/// [`contracts::invoice_counts`]).
pub struct InvoicePages {
    db: DatabaseConnection,
}

impl InvoicePages {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<InvoicePageKey> for InvoicePages {
    type Value = InvoicePage;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[InvoicePageKey],
    ) -> Result<HashMap<InvoicePageKey, Self::Value>, Self::Error> {
        contracts::invoice_pages(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

impl Loader<InvoiceCountKey> for InvoicePages {
    type Value = u64;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[InvoiceCountKey],
    ) -> Result<HashMap<InvoiceCountKey, u64>, Self::Error> {
        contracts::invoice_counts(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// Per contract: (status, type code, count), for the contract summary
/// ([`contracts::invoice_tally`]).
pub struct InvoiceTally {
    db: DatabaseConnection,
}

impl InvoiceTally {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<ContractId> for InvoiceTally {
    type Value = contracts::Tally;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ContractId],
    ) -> Result<HashMap<ContractId, Self::Value>, Self::Error> {
        contracts::invoice_tally(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// The fractions of split invoices ([`operations::fractions_of`]).
pub struct InvoiceFractions {
    db: DatabaseConnection,
}

impl InvoiceFractions {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<InvoiceId> for InvoiceFractions {
    type Value = Vec<invoice::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[InvoiceId],
    ) -> Result<HashMap<InvoiceId, Self::Value>, Self::Error> {
        operations::fractions_of(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
