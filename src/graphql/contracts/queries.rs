use async_graphql::{Context, InputObject, Object};

use super::{text::Text, types::Contract};

/// The largest page of `clients`: a whole fleet screen (other listings stop at 100).
const MAX_CLIENTS_PAGE: u64 = 500;
use crate::{
    domain::{clients::drivers, contracts},
    graphql::{
        commons::{ContextExt, ErrorCode, PageArgs, connection::Window, list_cost_up_to},
        fast::fleet,
        identity::types::{Client, ClientConnection},
    },
};

/// Narrows the staff's list of drivers.
#[derive(InputObject, Default)]
pub struct ClientFilter {
    /// Matches part of the document, first name, last name or email (case-insensitive).
    pub search: Option<String>,
}

#[derive(Default)]
pub struct ContractsQuery;

#[Object]
impl ContractsQuery {
    /// A contract by its public hash (the UUID the Leasy app uses); null when it does not
    /// exist or is not yours.
    async fn contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contract's public hash, the UUID the Leasy app shows and links to.")]
        hash: String,
    ) -> async_graphql::Result<Option<Contract>> {
        let viewer = ctx.viewer()?;
        if hash.len() > 64 {
            return Err(ErrorCode::BadUserInput.error(Text::NotContractHash));
        }
        Ok(contracts::by_hash(ctx.db(), viewer, &hash)
            .await?
            .map(Contract))
    }

    /// The organization's drivers, by last then first name (staff only; COLLECTORs read
    /// too). Pages hold up to 500 drivers, for back-office screens that show a whole
    /// fleet at once; the complexity budget still bounds what each driver brings along.
    #[graphql(complexity = "list_cost_up_to(first, last, child_complexity, MAX_CLIENTS_PAGE)")]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Narrows the list (a search); every driver of the organization without it."
        )]
        filter: Option<ClientFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<ClientConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate_up_to(MAX_CLIENTS_PAGE)?;
        let search = filter.and_then(|f| f.search);
        let listing = drivers::drivers(ctx.viewer()?, search.as_deref())?;
        let page = |offset: u64, limit: u64| listing.page(ctx.db(), offset, limit);
        // Paging forward, one driver more than the page says whether a next page exists;
        // the drivers are counted only when `totalCount` is asked, at the same time.
        if let Some((offset, limit)) = args.forward_up_to(MAX_CLIENTS_PAGE)? {
            let wants_total = ctx.look_ahead().field("totalCount").exists();
            let count = async {
                if wants_total {
                    listing.count(ctx.db()).await.map(Some)
                } else {
                    Ok(None)
                }
            };
            // A page PostgreSQL can build whole comes as one JSON text per driver.
            if let Some(page) = fleet::client_page(ctx) {
                let nodes = listing.page_as_text(ctx.db(), offset, limit + 1, &page.node);
                let (mut nodes, total) = futures_util::try_join!(nodes, count)?;
                let window = Window::forward_trimming(offset, limit, &mut nodes, total);
                return Ok(match page.edges {
                    None => ClientConnection::compiled(window, nodes),
                    Some(shape) => {
                        let edges = nodes
                            .iter()
                            .enumerate()
                            .map(|(i, node)| shape.edge(&window.cursor_at(i), node))
                            .collect();
                        ClientConnection::compiled_edges(window, edges)
                    }
                });
            }
            let (mut rows, total) = futures_util::try_join!(page(offset, limit + 1), count)?;
            let window = Window::forward_trimming(offset, limit, &mut rows, total);
            return Ok(ClientConnection::new(window, rows.into_iter().map(Client)));
        }
        let total = listing.count(ctx.db()).await?;
        let window = args.window_up_to(total, MAX_CLIENTS_PAGE)?;
        let rows = page(window.offset, window.limit).await?;
        Ok(ClientConnection::new(window, rows.into_iter().map(Client)))
    }
}
