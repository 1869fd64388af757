//! A book's tags (Organizze's tags): free labels for transactions, unique by name within
//! the book, whatever the letter case.

use crate::commons::text::NotFound;
use crate::commons::{Id, TagId, TransactionId};
use crate::reads::Listing;
use sea_orm::Order;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    RelationTrait, Set, sea_query::Expr,
};

use super::{require_writer, text::Text};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, Problems},
    entities::{book, book_tag, book_transaction_tag},
};

pub const MAX_TAG_CHARS: usize = 50;
/// Keeps `Book.tags` a short plain list rather than a connection.
pub const MAX_TAGS_PER_BOOK: usize = 200;

/// The book's tags by name.
pub async fn list_tags<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
) -> DomainResult<Vec<book_tag::Model>> {
    Ok(tags(book).all(db).await?)
}

/// The tags of `book` as [`list_tags`] lists them: by name.
pub fn tags(book: &book::Model) -> Listing<book_tag::Entity> {
    Listing::new(
        book_tag::Entity::find().filter(book_tag::Column::BookId.eq(book.id)),
        [
            (book_tag::Column::Name, Order::Asc),
            (book_tag::Column::Id, Order::Asc),
        ],
    )
}

async fn own_tag(
    txn: &DatabaseTransaction,
    book: &book::Model,
    id: i64,
) -> DomainResult<book_tag::Model> {
    book_tag::Entity::find_by_id(id)
        .filter(book_tag::Column::BookId.eq(book.id))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Tag))
}

/// Checks a tag name: required, short, and no other tag of the book has it in any letter
/// case ("Uber" and "uber" are one tag).
async fn checked_name(
    txn: &DatabaseTransaction,
    book: &book::Model,
    name: &str,
    except: Option<i64>,
) -> DomainResult<String> {
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", name, true, MAX_TAG_CHARS);
    if p.is_empty() {
        let key = name.to_lowercase();
        let existing = list_tags(txn, book).await?;
        if existing
            .iter()
            .any(|t| Some(t.id) != except && t.name.to_lowercase() == key)
        {
            p.add("name", UserErrorCode::Duplicate, Text::DuplicateTagName);
        } else if except.is_none() && existing.len() >= MAX_TAGS_PER_BOOK {
            p.add(
                "",
                UserErrorCode::LimitReached,
                Text::TooManyTags {
                    max: MAX_TAGS_PER_BOOK.to_string(),
                },
            );
        }
    }
    p.finish()?;
    Ok(name)
}

pub async fn create_tag(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    name: &str,
    now: DateTime<Utc>,
) -> DomainResult<book_tag::Model> {
    require_writer(viewer)?;
    let name = checked_name(txn, book, name, None).await?;
    book_tag::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        name: Set(name),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| checks::duplicate(e, "name", Text::DuplicateTagName))
}

/// The book's tag of this name in any letter case, created when there is none (tags
/// named on a transaction, as Organizze takes them). Problems go on `tagNames`.
pub async fn find_or_create(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    name: &str,
    now: DateTime<Utc>,
) -> DomainResult<book_tag::Model> {
    let key = name.trim().to_lowercase();
    if let Some(found) = list_tags(txn, book)
        .await?
        .into_iter()
        .find(|t| t.name.to_lowercase() == key)
    {
        return Ok(found);
    }
    create_tag(txn, viewer, book, name, now)
        .await
        .map_err(|e| match e {
            DomainError::Invalid(mut errors) => {
                for e in &mut errors {
                    e.field = vec!["tagNames".into()];
                }
                DomainError::Invalid(errors)
            }
            other => other,
        })
}

/// Renames a tag. Returns it as it was and as it is now.
pub async fn update_tag(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TagId,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<(book_tag::Model, book_tag::Model)> {
    require_writer(viewer)?;
    let row = own_tag(txn, book, id.get()).await?;
    let Some(name) = name else {
        return Ok((row.clone(), row));
    };
    let name = checked_name(txn, book, name, Some(row.id)).await?;
    let mut active = row.clone().into_active_model();
    active.name = Set(name);
    active.updated_at = Set(now);
    let after = active
        .update(txn)
        .await
        .map_err(|e| checks::duplicate(e, "name", Text::DuplicateTagName))?;
    Ok((row, after))
}

/// Deletes a tag and its links to transactions, never the transactions. Returns the tag
/// as it was.
pub async fn delete_tag(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TagId,
) -> DomainResult<book_tag::Model> {
    require_writer(viewer)?;
    let row = own_tag(txn, book, id.get()).await?;
    book_tag::Entity::delete_by_id(row.id).exec(txn).await?;
    Ok(row)
}

/// A tag with the transaction it is on.
#[derive(FromQueryResult)]
struct TagOf {
    transaction_id: i64,
    id: i64,
    organization_id: i64,
    book_id: i64,
    name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

/// The tags of each transaction of `keys`, by name; an occurrence of a recurring series
/// that has no row carries its series' template tags.
pub async fn tags_of_transactions<C: ConnectionTrait>(
    db: &C,
    keys: &[TransactionId],
) -> Result<HashMap<TransactionId, Vec<book_tag::Model>>, DbErr> {
    let unstored: Vec<i64> = keys.iter().map(|k| k.get()).filter(|id| *id < 0).collect();
    let mut tags: HashMap<TransactionId, Vec<book_tag::Model>> =
        super::occurrences::tags_of_unstored(db, &unstored)
            .await?
            .into_iter()
            .map(|(id, list)| (Id::new(id), list))
            .collect();
    let rows = book_tag::Entity::find()
        .join_rev(
            JoinType::InnerJoin,
            book_transaction_tag::Relation::Tag.def(),
        )
        .column(book_transaction_tag::Column::TransactionId)
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            book_transaction_tag::Column::TransactionId,
            keys.iter().copied(),
        ))
        .order_by_asc(book_tag::Column::Name)
        .order_by_asc(book_tag::Column::Id)
        .into_model::<TagOf>()
        .all(db)
        .await?;
    for key in keys {
        tags.entry(*key).or_default();
    }
    for row in rows {
        tags.entry(Id::new(row.transaction_id))
            .or_default()
            .push(book_tag::Model {
                id: row.id,
                organization_id: row.organization_id,
                book_id: row.book_id,
                name: row.name,
                created_at: row.created_at,
                updated_at: row.updated_at,
            });
    }
    Ok(tags)
}

/// The JSON texts `items` (SQL expressions over a `book_tags` row, which they read by the
/// table's name) make of the tags of each stored transaction of `transactions` that has
/// any: per transaction, one JSON array per item, its tags by name then id as
/// [`tags_of_transactions`] orders them. Transactions with no tag are absent. One
/// statement, grouped by transaction, where a subquery per transaction sorted and
/// aggregated each list apart; PostgreSQL only (its JSON functions): the API's compiled
/// book pages read their tags this way, after their rows.
pub async fn tag_lists_as_text<C: ConnectionTrait>(
    db: &C,
    items: &[String],
    transactions: &[TransactionId],
) -> Result<HashMap<TransactionId, Vec<String>>, DbErr> {
    let mut select = book_transaction_tag::Entity::find()
        .select_only()
        .column(book_transaction_tag::Column::TransactionId)
        .join(
            JoinType::InnerJoin,
            book_transaction_tag::Relation::Tag.def(),
        );
    for (i, item) in items.iter().enumerate() {
        select = select.column_as(
            Expr::cust(format!(
                "array_to_json(array_agg(({item}) ORDER BY \"book_tags\".\"name\", \"book_tags\".\"id\"))::text"
            )),
            format!("list{i}"),
        );
    }
    let backend = db.get_database_backend();
    let statement = select
        .filter(crate::reads::one_of(
            backend,
            book_transaction_tag::Column::TransactionId,
            transactions.iter().copied(),
        ))
        .group_by(book_transaction_tag::Column::TransactionId)
        .build(backend);
    crate::reads::keyed_texts(db, statement, items.len()).await
}
