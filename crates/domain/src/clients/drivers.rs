//! The organization's drivers as its staff list them (the back office's fleet screens).

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter,
    sea_query::{Expr, Func},
};

use super::text::Text;
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::search,
    entities::{user, user::Role},
    visibility,
};
use sea_orm::Order;

/// The longest text the drivers' search looks for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// The drivers of `viewer`'s organization whose document, first name, last name or email
/// contains `search` (whatever the letter case), by last name, then first name, then id
/// (total, so that pages are exact). Staff only (COLLECTORs read too).
pub fn drivers(viewer: &Viewer, search: Option<&str>) -> DomainResult<Listing<user::Entity>> {
    visibility::require_staff(viewer)?;
    let mut query = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(viewer.organization_id))
        .filter(user::Column::Role.eq(Role::Client));
    let text = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    if let Some(text) = text {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(DomainError::invalid(
                "search",
                UserErrorCode::TooLong,
                Text::SearchTooLong {
                    max: MAX_SEARCH_CHARS.to_string(),
                },
            ));
        }
        let like =
            |col: user::Column| search::contains(Expr::expr(Func::lower(col.into_expr())), &text);
        query = query.filter(
            Condition::any()
                .add(like(user::Column::Document))
                .add(like(user::Column::FirstName))
                .add(like(user::Column::LastName))
                .add(like(user::Column::Email)),
        );
    }
    Ok(Listing::new(
        query,
        [
            (user::Column::LastName, Order::Asc),
            (user::Column::FirstName, Order::Asc),
            (user::Column::Id, Order::Asc),
        ],
    ))
}
