//! What the books' resolvers share to change a book: the global IDs of an input, the
//! locked transaction of a change (`in_book`), the optional idempotency key, the
//! announcement of recorded transactions, and the occurrences a read of a period writes
//! first. It names no object type of the schema, so that every file of an object type can
//! use it without importing the others (a helper beside one type made its users import
//! that type's file, and with it a cycle).

use crate::domain::commons::Id;
use async_graphql::Context;
use sea_orm::{DatabaseTransaction, TransactionTrait};

use crate::{
    domain::{
        DomainError, DomainResult, FieldError, UserErrorCode,
        books::{self, occurrences},
        commons::Period,
        idempotency::IdempotencyKey,
    },
    entities::{book, book_transaction},
    graphql::commons::{ContextExt, finish},
};

/// Runs one change to the caller's book in a transaction that first locks the book. The
/// book is created beforehand when this is its first use. What `run` answers is left for
/// `payload`; only the steps before it (who calls, the book, the connection) fail here.
pub(super) async fn in_book<T, F>(
    ctx: &Context<'_>,
    run: F,
) -> async_graphql::Result<DomainResult<T>>
where
    F: AsyncFnOnce(&DatabaseTransaction, &book::Model) -> DomainResult<T>,
{
    let viewer = ctx.viewer()?;
    books::require_writer(viewer)?;
    let book = books::book_for(ctx.db(), viewer, ctx.now()).await?;
    let txn = ctx.db().begin().await?;
    let result = match books::lock_book(&txn, &book).await {
        Ok(()) => run(&txn, &book).await,
        Err(e) => Err(e),
    };
    let finished = finish(txn, result).await;
    // The write may have changed the book's series; later reads of this request see it.
    ctx.loaders().recurring_series.forget(&Id::new(book.id));
    Ok(finished)
}

/// The optional key, checked: a key sent blank is a mistake, not "no key".
pub(super) fn key(raw: Option<&str>) -> Result<Option<IdempotencyKey>, DomainError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    if raw.trim().is_empty() {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "idempotencyKey",
            UserErrorCode::InvalidFormat,
            "Leave idempotencyKey out, or send 8 to 100 letters, digits or -_.: (a UUID fits)",
        )]));
    }
    IdempotencyKey::parse("idempotencyKey", raw)
        .map(Some)
        .map_err(|e| DomainError::Invalid(vec![e]))
}

/// Announces transactions a mutation recorded, once its transaction committed.
pub(super) fn announce<'a>(
    ctx: &Context<'_>,
    rows: impl IntoIterator<Item = &'a book_transaction::Model>,
) {
    for row in rows {
        ctx.state()
            .events
            .transactions_recorded(row.organization_id, row.book_id, [row.id]);
    }
}

/// Writes the occurrences of the book's recurring series that fall in `period` and are
/// not written yet, so that what is read next holds them (see
/// [`occurrences::ensure_occurrences`]). Every reader over a period calls it first.
pub(super) async fn ensure_period(
    ctx: &Context<'_>,
    book: &book::Model,
    period: &Period,
) -> async_graphql::Result<()> {
    let recurring = ctx
        .loaders()
        .recurring_series
        .load_one(Id::new(book.id))
        .await?
        .unwrap_or_default();
    occurrences::ensure_occurrences_of(ctx.db(), &recurring, period.from(), period.to())
        .await
        .map(|_| ())
        .map_err(Into::into)
}
