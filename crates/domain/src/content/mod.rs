//! Common content (the Leasy REST API's "Commons"): ride-hailing plans, expense
//! categories, emergency and support contacts, service contact channels, FAQs and tips.
//! Everyone may read an organization's content; only its ADMINs change it.

pub mod contacts;
pub mod expense_categories;
pub mod faqs;
pub mod plans;
pub mod text;
pub mod tips;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter};

use crate::commons::{Id, OrganizationId, text::NotFound};
use crate::{DomainError, DomainResult, auth::Viewer};

/// Content is changed by the organization's ADMINs only; COLLECTORs and drivers read it.
pub fn require_admin(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(text::Text::OnlyAdmins.into()))
    }
}

/// A row of the caller's organization by id; NOT_FOUND for a missing row and for one of
/// another organization alike, so that IDs reveal nothing across tenants.
pub(crate) async fn find_owned<E, C>(
    db: &C,
    id: Id<E>,
    organization_id: OrganizationId,
    organization_column: E::Column,
    what: NotFound,
) -> DomainResult<E::Model>
where
    C: ConnectionTrait,
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id.get())
        .filter(organization_column.eq(organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(what))
}
