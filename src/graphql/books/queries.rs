//! `book`: the caller's book.

use crate::domain::commons::Id;
use async_graphql::{Context, Object};

use super::book::Book;
use crate::{domain::books, graphql::commons::ContextExt};

#[derive(Default)]
pub struct BooksQuery;

#[Object]
impl BooksQuery {
    /// The caller's book: a driver's own personal book, or for staff the organization's
    /// business book (COLLECTORs read it, ADMINs also change it). It is opened, with a
    /// cash account and default categories, when its reader first gets a session.
    async fn book(&self, ctx: &Context<'_>) -> async_graphql::Result<Book> {
        let viewer = ctx.viewer()?;
        let found = books::book_in_context(ctx.db(), viewer).await?;
        // What reading the book's periods needs came with it: no statement of its own.
        let loaders = ctx.loaders();
        if let Some(organization) = found.organization {
            loaders
                .organizations
                .prime(Id::new(organization.id), Some(organization));
        }
        loaders
            .recurring_series
            .prime(Id::new(found.book.id), Some(found.recurring));
        Ok(Book(found.book))
    }
}
