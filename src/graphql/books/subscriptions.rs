//! `transactionRecorded`: the caller's book as others write to it (a driver's other
//! device, the business book's integrations and staff).

use async_graphql::{Context, Subscription};
use futures_util::{Stream, StreamExt};

use super::{changes, text::Text, transactions::Transaction};
use crate::{
    domain::{
        DomainError,
        books::{books, transactions::own_transaction},
        commons::Id,
    },
    graphql::commons::{ContextExt, ErrorCode, filtered, guarded},
};

#[derive(Default)]
pub struct BooksSubscription;

#[Subscription]
impl BooksSubscription {
    /// Every transaction recorded in the caller's book (a driver's own; the business book
    /// for staff), after it committed: created one by one (a purchase in installments as
    /// its first installment), with `recordIncome` /
    /// `recordExpense`, as the sides of a transfer or a statement payment, or by an
    /// integration's API token. Not the occurrences a recurring series writes when a
    /// period is read. Private rows of the business book reach only whom they are
    /// visible to. Ends (UNAUTHENTICATED) when the access token expires or the session
    /// ends.
    async fn transaction_recorded(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Transaction>>> {
        let viewer = ctx.viewer()?.clone();
        let book = books::book_for(ctx.db(), &viewer, ctx.now()).await?;
        let book_id = book.id;
        let db = ctx.db().clone();
        let events = filtered(ctx.state().events.subscribe_transactions(), move |e| {
            e.book_id == book_id
        })
        .filter_map(move |event| {
            let db = db.clone();
            let viewer = viewer.clone();
            let book = book.clone();
            // The row as it is now, if it still exists and the caller may see it.
            async move {
                match own_transaction(&db, &viewer, &book, Id::new(event.transaction_id)).await {
                    Ok(row) => Some(Ok(Transaction(row))),
                    Err(DomainError::NotFound(_)) => None,
                    Err(error) => {
                        tracing::error!(%error, "a recorded transaction could not be read");
                        Some(Err(ErrorCode::Internal.error(Text::TransactionUnreadable)))
                    }
                }
            }
        });
        let stream = guarded(ctx, events)?;
        Ok(stream.map(|item| item.and_then(|inner| inner)))
    }

    /// Every change of the caller's book (a driver's own; the business book for staff)
    /// as it commits, whoever made it and on whichever replica: the same changes as
    /// `Book.changes`, in the same order. From the next change on, or from `since` (a
    /// `cursor` read before) so that a client that reconnects misses nothing. Ends
    /// (UNAUTHENTICATED) when the access token expires or the session ends.
    async fn book_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `cursor` of the last change seen; the next change when omitted.")]
        since: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<changes::BookChange>>> {
        let viewer = ctx.viewer()?.clone();
        let book = books::book_for(ctx.db(), &viewer, ctx.now()).await?;
        let changes = changes::subscribe(ctx, book, since)?;
        let stream = guarded(ctx, changes)?;
        Ok(stream.map(|item| item.and_then(|inner| inner)))
    }
}
