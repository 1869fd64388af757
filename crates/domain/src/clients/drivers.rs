//! The organization's drivers as its staff list them (the back office's fleet screens).

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select,
    sea_query::{Expr, Func},
};

use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::search,
    entities::{user, user::Role},
    visibility,
};

/// The longest text the drivers' search looks for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// The drivers of `viewer`'s organization whose document, first name, last name or email
/// contains `search` (whatever the letter case), unordered: page them in
/// [`listing_order`]. Staff only (COLLECTORs read too).
pub fn drivers(viewer: &Viewer, search: Option<&str>) -> DomainResult<Select<user::Entity>> {
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
                format!("`search` must have at most {MAX_SEARCH_CHARS} characters"),
            ));
        }
        let like =
            |col: user::Column| search::contains(Expr::expr(Func::lower(Expr::col(col))), &text);
        query = query.filter(
            Condition::any()
                .add(like(user::Column::Document))
                .add(like(user::Column::FirstName))
                .add(like(user::Column::LastName))
                .add(like(user::Column::Email)),
        );
    }
    Ok(query)
}

/// The listing's order: by last name, then first name, then id (total, so that pages are
/// exact).
pub fn listing_order(query: Select<user::Entity>) -> Select<user::Entity> {
    query
        .order_by_asc(user::Column::LastName)
        .order_by_asc(user::Column::FirstName)
        .order_by_asc(user::Column::Id)
}
