//! Loaders of the business books' relations: an invoice's items, one statement for any
//! number of invoices.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::sales_invoice_item;

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
        let rows = sales_invoice_item::Entity::find()
            .filter(sales_invoice_item::Column::InvoiceId.is_in(keys.iter().copied()))
            .order_by_asc(sales_invoice_item::Column::InvoiceId)
            .order_by_asc(sales_invoice_item::Column::Position)
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut items: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            items.entry(row.invoice_id).or_default().push(row);
        }
        Ok(items)
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
    type Value = Vec<crate::entities::email_outbox::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        use crate::entities::email_outbox;
        let rows = email_outbox::Entity::find()
            .filter(email_outbox::Column::InvoiceId.is_in(keys.iter().copied()))
            .order_by_desc(email_outbox::Column::CreatedAt)
            .order_by_desc(email_outbox::Column::Id)
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut emails: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            if let Some(invoice) = row.invoice_id {
                emails.entry(invoice).or_default().push(row);
            }
        }
        Ok(emails)
    }
}
