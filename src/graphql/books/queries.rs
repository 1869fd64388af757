//! `book`: the caller's book.

use async_graphql::{Context, Object};

use super::types::Book;
use crate::{
    domain::books,
    graphql::commons::{ContextExt, domain_error},
};

#[derive(Default)]
pub struct BooksQuery;

#[Object]
impl BooksQuery {
    /// The caller's book: a driver's own personal book, or for staff the organization's
    /// business book (COLLECTORs read it, ADMINs also change it). Created on first use.
    async fn book(&self, ctx: &Context<'_>) -> async_graphql::Result<Book> {
        let viewer = ctx.viewer()?;
        let book = books::book_for(ctx.db(), viewer, ctx.now())
            .await
            .map_err(|e| domain_error(ctx, e))?;
        Ok(Book(book))
    }
}
