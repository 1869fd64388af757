//! A page of a listing (`domain::reads::Listing`) read as rows, or, when PostgreSQL can
//! build its nodes (a [`CompiledPage`]), as their JSON texts: the same statements either
//! way (a forward page with its count in one; a backward one counted first), cut by the
//! same window, so the answer and its
//! `pageInfo` do not depend on which way it was read. A connection type takes either
//! ([`Listed`]) through its `listed` constructor (`commons::connection`'s macro). A list
//! read whole (a book's accounts) is [`all`].

use async_graphql::{Context, SelectionField};
use sea_orm::DatabaseConnection;

use super::{
    compiled::{CompiledPage, EdgeShape, Sql, compilable},
    raw::CompiledOr,
};
use crate::{
    domain::reads::Listing,
    graphql::commons::{
        ContextExt, PageArgs,
        connection::{Listed, Window},
    },
};

/// The page `args` asks of `listing`, read as `compiled` says when it is given, else as
/// rows. A forward page (`first`, `after`) is read with the listing's count in one
/// statement; a backward one needs the count first (its window ends at the end).
pub async fn page<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    listing: &Listing<E>,
    args: &PageArgs,
    compiled: Option<CompiledPage>,
) -> async_graphql::Result<(Window, Listed<E::Model>)>
where
    E::Model: Send + Sync,
{
    let (total, read) = match args.forward()? {
        // From the cursor: the rows the window of the count holds, as it never reaches
        // past the listing's end.
        Some((offset, limit)) => {
            let (read, total) = read_counted(db, listing, offset, limit, compiled).await?;
            (total, read)
        }
        None => {
            let total = listing.count(db).await?;
            let window = args.window(total)?;
            let (read, _) =
                read_counted(db, listing, window.offset, window.limit, compiled).await?;
            (total, read)
        }
    };
    let window = args.window(total)?;
    let listed = match read {
        Read::Rows(rows) => Listed::Rows(rows),
        Read::Texts(nodes, None) => Listed::Nodes(nodes),
        Read::Texts(nodes, Some(shape)) => Listed::Edges(
            nodes
                .iter()
                .enumerate()
                .map(|(i, node)| shape.edge(&window.cursor_at(i), node))
                .collect(),
        ),
    };
    Ok((window, listed))
}

/// A page as read: rows, or the JSON texts of its nodes with the shape of its edges.
enum Read<M> {
    Rows(Vec<M>),
    Texts(Vec<String>, Option<EdgeShape>),
}

/// The `limit` items of `listing` after the first `offset`, as rows or as `compiled`
/// says, with the listing's count.
async fn read_counted<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    listing: &Listing<E>,
    offset: u64,
    limit: u64,
    compiled: Option<CompiledPage>,
) -> async_graphql::Result<(Read<E::Model>, u64)>
where
    E::Model: Send + Sync,
{
    Ok(match compiled {
        None => {
            let (rows, total) = listing.page_counted(db, offset, limit).await?;
            (Read::Rows(rows), total)
        }
        Some(compiled) => {
            let (texts, total) = listing
                .page_as_text_counted(db, offset, limit, compiled.node)
                .await?;
            (Read::Texts(texts, compiled.edges), total)
        }
    })
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
