//! What the books' resolvers share to change a book: the write itself (`write_book`,
//! around one of the domain's [`crate::domain::books::writes`], which opens the locked
//! transaction and records the change), the optional idempotency key, the announcement
//! of recorded transactions, and the book's recurring series that every read of a period
//! computes occurrences from. It
//! names no object type of the schema, so that every file of an object type can use it
//! without importing the others (a helper beside one type made its users import that
//! type's file, and with it a cycle).

use crate::domain::commons::Id;
use async_graphql::Context;

use crate::{
    domain::{DomainError, DomainResult, FieldError, UserErrorCode, idempotency::IdempotencyKey},
    entities::{book, book_series, book_transaction},
    events::{Event, TransactionRecorded},
    graphql::commons::ContextExt,
};

/// Awaits `write`, a change to the caller's book, and leaves its answer for `payload`.
/// The write may have changed the book's recurring series, so later reads of this
/// request read them again: every book's, since a caller reaches only one (a driver
/// their own, staff the business book).
pub(super) async fn write_book<T>(
    ctx: &Context<'_>,
    write: impl Future<Output = DomainResult<T>>,
) -> DomainResult<T> {
    let result = write.await;
    ctx.loaders().recurring_series.forget_all();
    result
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
            super::text::Text::BlankIdempotencyKey,
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
    ctx.state().events.publish(
        rows.into_iter()
            .map(|row| Event::TransactionRecorded(TransactionRecorded::of(row))),
    );
}

/// The book's recurring series, read once per request whatever the number of periods
/// read: every reader computes their occurrences from them (see
/// [`crate::domain::books::occurrences`]).
pub(super) async fn recurring(
    ctx: &Context<'_>,
    book: &book::Model,
) -> async_graphql::Result<Vec<book_series::Model>> {
    Ok(ctx
        .loaders()
        .recurring_series
        .load_one(Id::new(book.id))
        .await?
        .unwrap_or_default())
}
