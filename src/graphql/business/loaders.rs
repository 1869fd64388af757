//! Loaders of the business books' relations: an invoice's items, one statement for any
//! number of invoices.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use crate::{
    domain::business::{invoices, outbox},
    entities::{email_outbox, sales_invoice_item},
};

/// The items of each invoice, in order.
pub struct InvoiceItems {
    db: DatabaseConnection,
}

impl InvoiceItems {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<i64> for InvoiceItems {
    type Value = Vec<sales_invoice_item::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        invoices::items_of_invoices(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}

/// The emails of each invoice, newest first.
pub struct InvoiceEmails {
    db: DatabaseConnection,
}

impl InvoiceEmails {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self { db: db.clone() }
    }
}

impl Loader<i64> for InvoiceEmails {
    type Value = Vec<email_outbox::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        outbox::emails_of_invoices(&self.db, keys)
            .await
            .map_err(Arc::new)
    }
}
