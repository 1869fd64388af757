//! The organization's today, which the back office's dates are checked against.

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::{
    DomainError, DomainResult,
    commons::{Calendar, OrganizationId},
    entities::organization,
};

/// The organization's today at `now`: the calendar day every date a staff member gives
/// (a due date, a termination date) is checked against.
pub(crate) async fn today(
    db: &impl ConnectionTrait,
    organization_id: OrganizationId,
    now: DateTime<Utc>,
) -> DomainResult<NaiveDate> {
    let organization = organization::Entity::find_by_id(organization_id.get())
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Organization))?;
    Ok(Calendar::of(&organization).date_of(now))
}
