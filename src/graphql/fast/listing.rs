//! A page of a listing (`domain::reads::Listing`) read as rows, or, when PostgreSQL can
//! build its nodes (a [`CompiledPage`]), as their JSON texts: the same statements either
//! way (the count, then the page), cut by the same window, so the answer and its
//! `pageInfo` do not depend on which way it was read. A connection type takes either
//! ([`Listed`]) through its `listed` constructor (`commons::connection`'s macro). A list
//! read whole (a book's accounts) is [`all`].

use async_graphql::{Context, SelectionField};
use sea_orm::DatabaseConnection;

use super::{
    compiled::{CompiledPage, Sql, compilable},
    raw::CompiledOr,
};
use crate::{
    domain::reads::Listing,
    graphql::commons::{
        ContextExt, PageArgs,
        connection::{Listed, Window},
    },
};

/// The page `args` asks of `listing`, counted first (the window needs the total), read
/// as `compiled` says when it is given, else as rows.
pub async fn page<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    listing: &Listing<E>,
    args: &PageArgs,
    compiled: Option<CompiledPage>,
) -> async_graphql::Result<(Window, Listed<E::Model>)>
where
    E::Model: Send + Sync,
{
    let total = listing.count(db).await?;
    let window = args.window(total)?;
    let Some(compiled) = compiled else {
        let rows = listing.page(db, window.offset, window.limit).await?;
        return Ok((window, Listed::Rows(rows)));
    };
    // An empty window reads nothing, as `Listing::page`.
    let nodes = if window.limit == 0 {
        Vec::new()
    } else {
        listing
            .page_as_text(db, window.offset, window.limit, compiled.node)
            .await?
    };
    let listed = match compiled.edges {
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
/// node `node` builds over the listing's row `table`), the JSON PostgreSQL built, in one
/// statement; else its rows, each made an item by `item`, for the resolvers.
pub async fn all<E: sea_orm::EntityTrait, T>(
    ctx: &Context<'_>,
    listing: &Listing<E>,
    table: &str,
    node: fn(SelectionField<'_>, &str, &mut Sql) -> Option<String>,
    item: impl Fn(E::Model) -> T,
) -> async_graphql::Result<CompiledOr<Vec<T>>>
where
    E::Model: Send + Sync,
{
    let compiled = match compilable(ctx) {
        true => node(ctx.field(), table, &mut Sql::default()),
        false => None,
    };
    Ok(match compiled {
        Some(node) => {
            let nodes = listing
                .all_as_text(ctx.db(), format!("({node})::text"))
                .await?;
            CompiledOr::Json(format!("[{}]", nodes.join(",")))
        }
        None => CompiledOr::Resolved(listing.all(ctx.db()).await?.into_iter().map(item).collect()),
    })
}
