//! A page of a listing (`domain::reads::Listing`) read as rows, or, when PostgreSQL can
//! build its nodes (a [`CompiledPage`]), as their JSON texts: the same statements either
//! way (a forward page with its count in one; a backward one counted first), cut by the
//! same window (`commons::connection::cut`), so the answer and its `pageInfo` do not
//! depend on which way it was read. A connection type takes either
//! ([`Listed`]) through its `listed` constructor (`commons::connection`'s macro). A list
//! read whole (a book's accounts) is [`all`].

use async_graphql::Context;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::selection::Selected;
use super::{
    compiled::{CompiledPage, Sql, compilable, row_of},
    raw::CompiledOr,
};
use crate::{
    domain::reads::Listing,
    graphql::commons::{
        ContextExt, PageArgs,
        connection::{Listed, Window, cut, page_of},
    },
};

/// The page `args` asks of `listing` (cut by `commons::connection::cut`), read as
/// `compiled` says when it is given, else as rows.
pub async fn page<E: EntityTrait>(
    db: &DatabaseConnection,
    listing: &Listing<E>,
    args: &PageArgs,
    compiled: Option<CompiledPage>,
) -> async_graphql::Result<(Window, Listed<E::Model>)>
where
    E::Model: Send + Sync,
{
    let Some(CompiledPage { node, edges }) = compiled else {
        let (window, rows) = page_of(db, listing, args).await?;
        return Ok((window, Listed::Rows(rows)));
    };
    let (window, nodes) = cut(
        args,
        async || listing.count(db).await,
        async |offset, limit| listing.page_as_text(db, offset, limit, &node).await,
        async |offset, limit| listing.page_as_text_counted(db, offset, limit, &node).await,
    )
    .await?;
    let listed = match edges {
        None => Listed::Nodes(nodes),
        Some(shape) => Listed::Edges(
            nodes
                .iter()
                .enumerate()
                .map(|(i, node)| shape.edge(&window.cursor_at(i), node))
                .collect(),
        ),
    };
    Ok((window, listed))
}

/// Every item of `listing` for the list field `ctx`: when its selection compiles (the
/// node `node` builds over the listing's row, [`row_of`]), the JSON PostgreSQL built, in
/// one statement; else its rows, each made an item by `item`, for the resolvers.
pub async fn all<E: EntityTrait, T>(
    ctx: &Context<'_>,
    listing: &Listing<E>,
    node: fn(Selected<'_>, &str, &mut Sql) -> Option<String>,
    item: impl Fn(E::Model) -> T,
) -> async_graphql::Result<CompiledOr<Vec<T>>>
where
    E::Model: Send + Sync,
{
    let row = row_of::<E>();
    let mut sql = Sql::default().over_listing(&row);
    let compiled = match compilable(ctx) {
        true => node(Selected::of(ctx), &row, &mut sql),
        false => None,
    };
    Ok(match compiled {
        Some(node) => {
            let nodes = listing.all_as_text(ctx.db(), &sql.row_text(&node)).await?;
            CompiledOr::Json(format!("[{}]", nodes.join(",")))
        }
        None => CompiledOr::Resolved(listing.all(ctx.db()).await?.into_iter().map(item).collect()),
    })
}
