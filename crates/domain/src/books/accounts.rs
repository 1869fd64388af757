//! A book's accounts (Organizze's bank accounts, the driver's cash): CRUD and the one
//! default account of each book.

use crate::commons::text::NotFound;
use crate::reads::Listing;
use chrono::{DateTime, Utc};
use sea_orm::Order;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{require_writer, text::Text};
use crate::commons::AccountId;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Problems},
    entities::{book, book_account, book_account::AccountKind, book_series, book_transaction},
};

/// Keeps `Book.accounts` a short plain list rather than a connection.
pub const MAX_ACCOUNTS_PER_BOOK: u64 = 50;

/// An account to create.
pub struct NewAccount {
    pub kind: AccountKind,
    pub name: String,
    pub description: Option<String>,
    /// Make it the book's default account.
    pub make_default: bool,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct AccountChanges {
    pub kind: Option<AccountKind>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub archived: Option<bool>,
}

/// The book's accounts, the default first, then in the order they were created.
pub async fn list_accounts<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    include_archived: bool,
) -> DomainResult<Vec<book_account::Model>> {
    Ok(accounts(book, include_archived).all(db).await?)
}

/// The accounts of `book` as [`list_accounts`] lists them: a credit card's own account
/// left out, archived ones only when `include_archived`; the default first, then oldest
/// first.
pub fn accounts(book: &book::Model, include_archived: bool) -> Listing<book_account::Entity> {
    let mut query = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::ForCreditCard.eq(false));
    if !include_archived {
        query = query.filter(book_account::Column::Archived.eq(false));
    }
    Listing::new(
        query,
        [
            (book_account::Column::IsDefault, Order::Desc),
            (book_account::Column::Id, Order::Asc),
        ],
    )
}

/// One account of `book`; any other is "not found", exactly as a missing one.
async fn own_account<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: i64,
) -> DomainResult<book_account::Model> {
    book_account::Entity::find_by_id(id)
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::ForCreditCard.eq(false))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Account))
}

/// Clears the book's default account, before another one becomes the default (the
/// unique index refuses two at any moment).
async fn clear_default(txn: &DatabaseTransaction, book: &book::Model) -> DomainResult<()> {
    book_account::Entity::update_many()
        .col_expr(book_account::Column::IsDefault, Expr::value(false))
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    Ok(())
}

/// Creates an account; with `make_default` it becomes the book's default.
pub async fn create_account(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewAccount,
    now: DateTime<Utc>,
) -> DomainResult<book_account::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    let count = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::ForCreditCard.eq(false))
        .count(txn)
        .await?;
    if count >= MAX_ACCOUNTS_PER_BOOK {
        return Err(DomainError::invalid(
            "",
            UserErrorCode::LimitReached,
            Text::TooManyAccounts {
                max: MAX_ACCOUNTS_PER_BOOK.to_string(),
            },
        ));
    }
    if new.make_default {
        clear_default(txn, book).await?;
    }
    Ok(book_account::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(new.kind),
        name: Set(name),
        description: Set(description),
        archived: Set(false),
        is_default: Set(new.make_default),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Changes the fields sent. The default account cannot be archived. Returns the account
/// as it was and as it is now.
pub async fn update_account(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: AccountId,
    changes: AccountChanges,
    now: DateTime<Utc>,
) -> DomainResult<(book_account::Model, book_account::Model)> {
    require_writer(viewer)?;
    let row = own_account(txn, book, id.get()).await?;
    let before = row.clone();
    let mut p = Problems::default();
    if changes.archived == Some(true) && row.is_default {
        p.add(
            "archived",
            UserErrorCode::IsDefault,
            Text::DefaultAccountArchived,
        );
    }
    let mut active = row.into_active_model();
    if let Some(name) = changes.name {
        active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
    }
    if let Some(description) = changes.description {
        active.description = Set(checks::text(
            &mut p,
            "description",
            &description,
            false,
            MAX_DESCRIPTION_CHARS,
        ));
    }
    if let Some(kind) = changes.kind {
        active.kind = Set(kind);
    }
    if let Some(archived) = changes.archived {
        active.archived = Set(archived);
    }
    p.finish()?;
    active.updated_at = Set(now);
    Ok((before, active.update(txn).await?))
}

/// Deletes an account and returns it as it was. The default account, and so the book's
/// last one, stays.
pub async fn delete_account(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: AccountId,
) -> DomainResult<book_account::Model> {
    require_writer(viewer)?;
    let row = own_account(txn, book, id.get()).await?;
    let count = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::ForCreditCard.eq(false))
        .count(txn)
        .await?;
    if count <= 1 {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::LastRecord,
            Text::LastAccount,
        ));
    }
    if row.is_default {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::IsDefault,
            Text::DefaultAccountDeleted,
        ));
    }
    let used = book_transaction::Entity::find()
        .filter(book_transaction::Column::AccountId.eq(row.id))
        .count(txn)
        .await?;
    if used > 0 {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::InUse,
            Text::AccountUsedByTransactions {
                count: used.to_string(),
            },
        ));
    }
    // A recurring series would write its next occurrences to it.
    let series = book_series::Entity::find()
        .filter(book_series::Column::AccountId.eq(row.id))
        .count(txn)
        .await?;
    if series > 0 {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::InUse,
            Text::AccountUsedBySeries {
                count: series.to_string(),
            },
        ));
    }
    book_account::Entity::delete_by_id(row.id)
        .exec(txn)
        .await
        .map_err(checks::in_use)?;
    Ok(row)
}

/// Makes an account the book's default; the previous default no longer is. An archived
/// account is unarchived, as the default must be at hand. Returns the account as it was
/// and as it is now.
pub async fn set_default_account(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: AccountId,
    now: DateTime<Utc>,
) -> DomainResult<(book_account::Model, book_account::Model)> {
    require_writer(viewer)?;
    let chosen = own_account(txn, book, id.get()).await?;
    if chosen.is_default {
        return Ok((chosen.clone(), chosen));
    }
    clear_default(txn, book).await?;
    let mut active = chosen.clone().into_active_model();
    active.is_default = Set(true);
    active.archived = Set(false);
    active.updated_at = Set(now);
    Ok((chosen, active.update(txn).await?))
}
