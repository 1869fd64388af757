//! Which organization a request speaks for when it may come without a login (public
//! content, leads): the caller's own when logged in, the one named by slug, or the only one
//! when the gateway serves a single company.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::commons::OrganizationId;
use crate::{DomainError, DomainResult, UserErrorCode, entities::organization};

/// Resolves the organization of a public request.
///
/// A slug wins when given (public content is public for every organization); without one,
/// a logged-in caller's organization is used; without either, the only organization, or a
/// `BAD_USER_INPUT`-style error asking for the slug when there are several.
pub async fn resolve_public(
    db: &impl ConnectionTrait,
    slug: Option<&str>,
    caller_organization: Option<OrganizationId>,
) -> DomainResult<organization::Model> {
    if let Some(slug) = slug.map(str::trim) {
        return organization::Entity::find()
            .filter(organization::Column::Slug.eq(slug))
            .one(db)
            .await?
            .ok_or_else(|| {
                DomainError::invalid(
                    "organization",
                    UserErrorCode::NotFound,
                    format!("No organization has the slug {slug:?}"),
                )
            });
    }
    if let Some(id) = caller_organization {
        return organization::Entity::find_by_id(id.get())
            .one(db)
            .await?
            .ok_or_else(|| DomainError::NotFound("organization".into()));
    }
    let mut first_two = organization::Entity::find().limit(2).all(db).await?;
    if first_two.len() == 1
        && let Some(only) = first_two.pop()
    {
        return Ok(only);
    }
    Err(DomainError::invalid(
        "organization",
        UserErrorCode::OrganizationRequired,
        "This gateway serves several organizations: pass `organization` (its slug)",
    ))
}
