//! A book's categories (Organizze's categories, the Leasy REST API's expense category
//! codes): INCOME or EXPENSE, one level of subcategories, one default per kind, and
//! deletion that hands the category's records to a replacement.

use crate::commons::text::NotFound;
use crate::reads::Listing;
use chrono::{DateTime, Utc};
use sea_orm::Order;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{require_writer, text::Text};
use crate::commons::{CategoryId, Id};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    books::books::DEFAULT_COLOUR,
    checks::{self, MAX_NAME_CHARS, Problems},
    entities::{
        book, book_budget, book_category, book_category::CategoryKind, book_series,
        book_transaction,
    },
};

/// Keeps `Book.categories` a short plain list rather than a connection.
pub const MAX_CATEGORIES_PER_BOOK: u64 = 200;

/// A category to create.
pub struct NewCategory {
    pub kind: CategoryKind,
    pub name: String,
    /// Derived from the name when not given.
    pub code: Option<String>,
    /// `#RRGGBB` (or `RRGGBB`, as Organizze sends it); grey when not given.
    pub colour: Option<String>,
    pub icon: Option<String>,
    /// A top-level category of the same book and kind.
    pub parent_id: Option<CategoryId>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct CategoryChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub colour: Option<String>,
    pub icon: Option<String>,
    /// `Some(None)` makes it a top-level category.
    pub parent_id: Option<Option<CategoryId>>,
    pub archived: Option<bool>,
}

/// A colour as `#RRGGBB` in upper case; the leading `#` is optional.
pub fn colour(p: &mut Problems, field: &str, value: &str) -> String {
    let value = value.trim();
    let hex = value.strip_prefix('#').unwrap_or(value);
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        p.add(field, UserErrorCode::InvalidFormat, Text::ColourFormat);
        return value.to_string();
    }
    format!("#{}", hex.to_ascii_uppercase())
}

/// The book's categories, by kind then name; top-level and subcategories alike (a
/// subcategory names its parent).
pub async fn list_categories<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    kind: Option<CategoryKind>,
    include_archived: bool,
) -> DomainResult<Vec<book_category::Model>> {
    Ok(categories(book, kind, include_archived).all(db).await?)
}

/// The categories of `book` as [`list_categories`] lists them: of `kind` (both when
/// `None`), archived ones only when `include_archived`; by kind, then name.
pub fn categories(
    book: &book::Model,
    kind: Option<CategoryKind>,
    include_archived: bool,
) -> Listing<book_category::Entity> {
    let mut query = book_category::Entity::find().filter(book_category::Column::BookId.eq(book.id));
    if let Some(kind) = kind {
        query = query.filter(book_category::Column::Kind.eq(kind));
    }
    if !include_archived {
        query = query.filter(book_category::Column::Archived.eq(false));
    }
    Listing::new(
        query,
        [
            (book_category::Column::Kind, Order::Asc),
            (book_category::Column::Name, Order::Asc),
            (book_category::Column::Id, Order::Asc),
        ],
    )
}

/// One category of `book`; any other is "not found", exactly as a missing one.
async fn own_category<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: i64,
) -> DomainResult<Option<book_category::Model>> {
    Ok(book_category::Entity::find_by_id(id)
        .filter(book_category::Column::BookId.eq(book.id))
        .one(db)
        .await?)
}

/// The book's default category of `kind`: where records go when nothing else is said.
pub async fn default_category<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    kind: CategoryKind,
) -> DomainResult<book_category::Model> {
    book_category::Entity::find()
        .filter(book_category::Column::BookId.eq(book.id))
        .filter(book_category::Column::Kind.eq(kind))
        .filter(book_category::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal("the book has no default category".into()))
}

async fn code_taken(
    txn: &DatabaseTransaction,
    book: &book::Model,
    code: &str,
    except: Option<i64>,
) -> DomainResult<bool> {
    let mut query = book_category::Entity::find()
        .filter(book_category::Column::BookId.eq(book.id))
        .filter(book_category::Column::Code.eq(code));
    if let Some(id) = except {
        query = query.filter(book_category::Column::Id.ne(id));
    }
    Ok(query.count(txn).await? > 0)
}

async fn has_children(txn: &DatabaseTransaction, id: i64) -> DomainResult<bool> {
    Ok(book_category::Entity::find()
        .filter(book_category::Column::ParentId.eq(id))
        .count(txn)
        .await?
        > 0)
}

/// Records a problem unless `parent_id` is a top-level category of `book` of `kind` and
/// not `child` itself.
async fn check_parent(
    txn: &DatabaseTransaction,
    p: &mut Problems,
    book: &book::Model,
    kind: CategoryKind,
    parent_id: i64,
    child: Option<i64>,
) -> DomainResult<()> {
    if child == Some(parent_id) {
        p.add("parentId", UserErrorCode::InvalidParent, Text::OwnParent);
        return Ok(());
    }
    match own_category(txn, book, parent_id).await? {
        None => p.add("parentId", UserErrorCode::NotFound, Text::NoSuchCategory),
        Some(parent) if parent.parent_id.is_some() => p.add(
            "parentId",
            UserErrorCode::InvalidParent,
            Text::ParentIsSubcategory,
        ),
        Some(parent) if parent.kind != kind => p.add(
            "parentId",
            UserErrorCode::KindMismatch,
            Text::ParentOfOtherKind,
        ),
        Some(_) => {}
    }
    Ok(())
}

pub async fn create_category(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewCategory,
    now: DateTime<Utc>,
) -> DomainResult<book_category::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    // A blank name is reported once, not again as the code derived from it.
    let code = if new.code.is_none() && name.is_empty() {
        String::new()
    } else {
        checks::code(&mut p, "code", new.code.as_deref(), &name)
    };
    let colour = colour(
        &mut p,
        "colour",
        new.colour.as_deref().unwrap_or(DEFAULT_COLOUR),
    );
    let icon = checks::icon(&mut p, "icon", new.icon.as_deref().unwrap_or(""));
    if let Some(parent_id) = new.parent_id {
        check_parent(txn, &mut p, book, new.kind, parent_id.get(), None).await?;
    }
    if !code.is_empty() && code_taken(txn, book, &code, None).await? {
        p.add(
            "code",
            UserErrorCode::Duplicate,
            Text::DuplicateCategoryCode,
        );
    }
    p.finish()?;
    let count = book_category::Entity::find()
        .filter(book_category::Column::BookId.eq(book.id))
        .count(txn)
        .await?;
    if count >= MAX_CATEGORIES_PER_BOOK {
        return Err(DomainError::invalid(
            "",
            UserErrorCode::LimitReached,
            Text::TooManyCategories {
                max: MAX_CATEGORIES_PER_BOOK.to_string(),
            },
        ));
    }
    book_category::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(new.kind),
        name: Set(name),
        code: Set(code),
        colour: Set(colour),
        icon: Set(icon),
        parent_id: Set(new.parent_id.map(Id::get)),
        archived: Set(false),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| checks::duplicate(e, "code", Text::DuplicateCategoryCode))
}

/// Changes the fields sent. The kind stays (the category's records are of that kind); a
/// default category cannot be archived; a category with subcategories cannot become one.
/// Returns the category as it was and as it is now.
pub async fn update_category(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: CategoryId,
    changes: CategoryChanges,
    now: DateTime<Utc>,
) -> DomainResult<(book_category::Model, book_category::Model)> {
    require_writer(viewer)?;
    let row = own_category(txn, book, id.get())
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Category))?;
    let before = row.clone();
    let mut p = Problems::default();
    if changes.archived == Some(true) && row.is_default {
        p.add(
            "archived",
            UserErrorCode::IsDefault,
            Text::DefaultCategoryArchived,
        );
    }
    if let Some(Some(parent_id)) = changes.parent_id {
        check_parent(txn, &mut p, book, row.kind, parent_id.get(), Some(row.id)).await?;
        if has_children(txn, row.id).await? {
            p.add(
                "parentId",
                UserErrorCode::InvalidParent,
                Text::SubcategoriesStayTopLevel,
            );
        }
    }
    let row_id = row.id;
    let mut active = row.into_active_model();
    if let Some(name) = changes.name {
        active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
    }
    if let Some(code) = changes.code {
        let code = checks::code(&mut p, "code", Some(&code), "");
        if !code.is_empty() && code_taken(txn, book, &code, Some(row_id)).await? {
            p.add(
                "code",
                UserErrorCode::Duplicate,
                Text::DuplicateCategoryCode,
            );
        }
        active.code = Set(code);
    }
    if let Some(value) = changes.colour {
        active.colour = Set(colour(&mut p, "colour", &value));
    }
    if let Some(icon) = changes.icon {
        active.icon = Set(checks::icon(&mut p, "icon", &icon));
    }
    if let Some(parent_id) = changes.parent_id {
        active.parent_id = Set(parent_id.map(Id::get));
    }
    if let Some(archived) = changes.archived {
        active.archived = Set(archived);
    }
    p.finish()?;
    active.updated_at = Set(now);
    let after = active
        .update(txn)
        .await
        .map_err(|e| checks::duplicate(e, "code", Text::DuplicateCategoryCode))?;
    Ok((before, after))
}

/// Makes a category the book's default of its kind; the previous default of that kind no
/// longer is. An archived category is unarchived, as the default must be at hand.
/// Returns the category as it was and as it is now.
pub async fn set_default_category(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: CategoryId,
    now: DateTime<Utc>,
) -> DomainResult<(book_category::Model, book_category::Model)> {
    require_writer(viewer)?;
    let chosen = own_category(txn, book, id.get())
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Category))?;
    if chosen.is_default {
        return Ok((chosen.clone(), chosen));
    }
    // Cleared first: the unique index refuses two defaults of a kind at any moment.
    book_category::Entity::update_many()
        .col_expr(book_category::Column::IsDefault, Expr::value(false))
        .filter(book_category::Column::BookId.eq(book.id))
        .filter(book_category::Column::Kind.eq(chosen.kind))
        .filter(book_category::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    let mut active = chosen.clone().into_active_model();
    active.is_default = Set(true);
    active.archived = Set(false);
    active.updated_at = Set(now);
    Ok((chosen, active.update(txn).await?))
}

/// Deletes a category and returns it with the category that takes over its records:
/// `replacement_id` (same book, same kind, not itself) or, without one, the book's
/// default category of its kind. Refused for a default category and for a category with
/// subcategories (move or delete them first: moving them silently could make a
/// subcategory of a subcategory).
///
/// Its transactions and budgets move to the replacement in the same transaction.
pub async fn delete_category(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: CategoryId,
    replacement_id: Option<CategoryId>,
    now: DateTime<Utc>,
) -> DomainResult<(book_category::Model, book_category::Model)> {
    require_writer(viewer)?;
    let row = own_category(txn, book, id.get())
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Category))?;
    if row.is_default {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::IsDefault,
            Text::DefaultCategoryDeleted,
        ));
    }
    if has_children(txn, row.id).await? {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::InUse,
            Text::SubcategoriesFirst,
        ));
    }
    let replacement = match replacement_id {
        Some(rid) if rid == Id::new(row.id) => {
            return Err(DomainError::invalid(
                "replacementId",
                UserErrorCode::SameRecord,
                Text::ReplacesItself,
            ));
        }
        Some(rid) => {
            let found = own_category(txn, book, rid.get()).await?.ok_or_else(|| {
                DomainError::invalid(
                    "replacementId",
                    UserErrorCode::NotFound,
                    Text::NoSuchCategory,
                )
            })?;
            if found.kind != row.kind {
                return Err(DomainError::invalid(
                    "replacementId",
                    UserErrorCode::KindMismatch,
                    Text::ReplacementOfOtherKind,
                ));
            }
            found
        }
        None => default_category(txn, book, row.kind).await?,
    };
    move_records(txn, row.id, replacement.id, now).await?;
    book_category::Entity::delete_by_id(row.id)
        .exec(txn)
        .await
        .map_err(checks::in_use)?;
    Ok((row, replacement))
}

/// Hands a category's transactions, series templates and budgets to `to`. A budget of a month for which
/// `to` already has one is added to it: both amounts were meant for what is now one
/// category.
async fn move_records(
    txn: &DatabaseTransaction,
    from: i64,
    to: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    book_transaction::Entity::update_many()
        .col_expr(book_transaction::Column::CategoryId, Expr::value(to))
        .col_expr(book_transaction::Column::UpdatedAt, Expr::value(now))
        .filter(book_transaction::Column::CategoryId.eq(from))
        .exec(txn)
        .await?;
    // A recurring series' occurrences not written yet follow the category too.
    book_series::Entity::update_many()
        .col_expr(book_series::Column::CategoryId, Expr::value(to))
        .col_expr(book_series::Column::UpdatedAt, Expr::value(now))
        .filter(book_series::Column::CategoryId.eq(from))
        .exec(txn)
        .await?;
    let moving = book_budget::Entity::find()
        .filter(book_budget::Column::CategoryId.eq(from))
        .all(txn)
        .await?;
    for budget in moving {
        let existing = book_budget::Entity::find()
            .filter(book_budget::Column::CategoryId.eq(to))
            .filter(book_budget::Column::Month.eq(budget.month))
            .one(txn)
            .await?;
        match existing {
            Some(kept) => {
                let total = kept
                    .amount_minor
                    .checked_add(budget.amount_minor)
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "replacementId",
                            UserErrorCode::InvalidAmount,
                            Text::BudgetsTooLarge,
                        )
                    })?;
                book_budget::Entity::delete_by_id(budget.id)
                    .exec(txn)
                    .await?;
                let mut active = kept.into_active_model();
                active.amount_minor = Set(total);
                active.updated_at = Set(now);
                active.update(txn).await?;
            }
            None => {
                let mut active = budget.into_active_model();
                active.category_id = Set(to);
                active.updated_at = Set(now);
                active.update(txn).await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_normalised_or_refused() {
        let mut p = Problems::default();
        assert_eq!(colour(&mut p, "colour", "#1e88e5"), "#1E88E5");
        assert_eq!(colour(&mut p, "colour", " ffffff "), "#FFFFFF");
        assert!(p.is_empty());
        for bad in ["", "#fff", "#GGGGGG", "1E88E5FF", "red", "##1E88E5"] {
            let mut p = Problems::default();
            colour(&mut p, "colour", bad);
            assert!(!p.is_empty(), "{bad}");
        }
    }
}
