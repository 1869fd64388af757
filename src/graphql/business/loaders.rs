//! Loaders of the business books' relations: an invoice's items, one statement for any
//! number of invoices.

use crate::domain::commons::SalesInvoiceId;
use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use crate::{domain::business::outbox, entities::email_outbox};

/// The emails of each invoice, newest first.
pub struct InvoiceEmails {
    db: DatabaseConnection,
}

impl InvoiceEmails {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<SalesInvoiceId> for InvoiceEmails {
    type Value = Vec<email_outbox::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[SalesInvoiceId],
    ) -> Result<HashMap<SalesInvoiceId, Self::Value>, Self::Error> {
        outbox::emails_of_invoices(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
