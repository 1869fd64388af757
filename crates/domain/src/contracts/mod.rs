//! Drivers' contracts and the invoices they owe: signing a contract with its schedule, a
//! contract found by its public hash, and the batched reads of its invoices behind the
//! fleet pages.

mod invoices;
pub mod lifecycle;
pub mod operations;
pub mod signing;
pub mod text;
mod today;

pub use invoices::{
    InvoiceCountKey, InvoicePage, InvoicePageKey, InvoiceRelations, InvoiceRow, Tally,
    invoice_counts, invoice_pages, invoice_tally,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{DomainResult, auth::Viewer, entities::contract, visibility::Visible};

/// The contract whose public hash (the UUID the Leasy app uses) is `hash`, when `viewer`
/// may see it: in their organization, and their own when a driver.
pub async fn by_hash<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    hash: &str,
) -> DomainResult<Option<contract::Model>> {
    let found = contract::Entity::find()
        .filter(contract::Column::Hash.eq(hash.trim()))
        .filter(contract::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?;
    Ok(found.filter(|c| c.visible_to(viewer)))
}
