//! The GraphQL schema: types, resolvers and loaders, kept thin over `domain`.

pub mod books;
pub mod business;
pub mod clients;
pub mod collections;
pub mod commons;
pub mod content;
pub mod contracts;
pub mod descriptions;
pub mod fast;
pub mod identity;
pub mod loaders;
pub mod node;
pub mod staff;
pub mod wallet;
pub mod webhooks;

use std::sync::Arc;

use async_graphql::{MergedObject, MergedSubscription, SDLExportOptions, Schema, SchemaBuilder};

use crate::{config::Config, state::AppState};

/// Everything that can be read.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    node::NodeQuery,
    identity::IdentityQuery,
    contracts::queries::ContractsQuery,
    wallet::WalletQuery,
    clients::ClientsQuery,
    content::ContentQuery,
    books::BooksQuery,
    business::BusinessQuery,
    staff::StaffQuery,
    collections::CollectionsQuery,
    webhooks::WebhooksQuery,
);

/// Everything that changes data. Each mutation takes one `input` and returns a payload
/// with `userErrors` for what the user can fix.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    identity::IdentityMutation,
    identity::PasswordsMutation,
    clients::ClientsMutation,
    clients::OnboardingMutation,
    contracts::signing::ContractsMutation,
    contracts::signing::InvoiceOperationsMutation,
    contracts::lifecycle::ContractLifecycleMutation,
    wallet::WalletMutation,
    wallet::CardsMutation,
    content::ContentMutation,
    books::BooksMutation,
    books::TransactionsMutation,
    books::EntriesMutation,
    books::TransfersMutation,
    books::BudgetsMutation,
    books::CreditCardsMutation,
    books::ImportsMutation,
    business::BusinessMutation,
    staff::StaffMutation,
    webhooks::WebhooksMutation,
);

/// Live events over `/graphql/ws` (graphql-ws), authenticated in `connection_init`.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct Subscriptions(
    identity::IdentitySubscription,
    wallet::WalletSubscription,
    books::BooksSubscription,
);

/// The subscription root, registered last: it unwraps every description of the schema
/// ([`descriptions::Unwrapping`]).
pub type SubscriptionRoot = descriptions::Unwrapping<Subscriptions>;

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        descriptions::Unwrapping(Subscriptions::default()),
    )
    // async-graphql's own description of chrono's type speaks of Rust, not of the API.
    .override_output_type_description::<chrono::DateTime<chrono::Utc>>(
        "An instant, as an RFC 3339 string in UTC (`2026-12-05T15:00:00Z`, fractions of a \
         second allowed). Inputs may carry any offset (`2026-12-05T10:00:00-05:00`); \
         outputs are always UTC. Days (due dates, periods) are `Date`, in the \
         organization's time zone.",
    )
}

/// The executable schemas of a running server.
///
/// async-graphql runs every field of every request through the registered extensions
/// when there is any, which costs a few allocations and lookups per field (a tenth of
/// the server's CPU on a page of 50 drivers with their invoices). So HTTP requests run
/// on schemas with no extension, one per complexity budget, with async-graphql's own
/// complexity limit; the fast path's entry point ([`fast::execute`]) checks the rest of
/// the limits itself, before async-graphql parses ([`commons::limits::check_request`]),
/// and codes the errors ([`commons::errors::code_errors`]). A request any limit refuses
/// runs again on `live`, whose extensions word the refusal (the depth or cost found, the
/// limit): no resolver ran the first time. `live`, with the extensions, also serves
/// WebSocket operations.
#[derive(Clone)]
pub struct Schemas {
    pub live: AppSchema,
    anonymous: AppSchema,
    client: AppSchema,
    staff: AppSchema,
    /// The documents that passed the limits, parsed, for requests that send them again.
    pub documents: Arc<commons::documents::Documents>,
}

impl Schemas {
    /// The extension-free schema whose complexity limit is `viewer`'s budget.
    pub fn for_viewer(&self, viewer: Option<&crate::auth::Viewer>) -> &AppSchema {
        match viewer {
            Some(v) if v.is_staff() => &self.staff,
            Some(_) => &self.client,
            None => &self.anonymous,
        }
    }
}

fn configured(
    state: &AppState,
    config: &Config,
) -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    let builder = builder()
        .data(state.clone())
        // A backstop only: `commons::limits::check_request` refuses deeper documents
        // first, with its own code, and before this check walks every fragment spread.
        .limit_recursive_depth(2 * config.limits.max_nesting + 2);
    if config.introspection {
        builder
    } else {
        builder.disable_introspection().disable_suggestions()
    }
}

/// The schemas, with the request limits of `config`.
pub fn build_schemas(state: AppState, config: &Config) -> Schemas {
    let limits = &config.limits;
    let fast = |budget: usize| configured(&state, config).limit_complexity(budget).finish();
    Schemas {
        live: configured(&state, config)
            .extension(commons::limits::Limits(Arc::new(limits.clone())))
            .extension(commons::errors::ErrorCodes)
            .finish(),
        anonymous: fast(limits.max_complexity),
        client: fast(limits.max_client_complexity),
        staff: fast(limits.max_staff_complexity),
        documents: Arc::default(),
    }
}

/// A schema for the server's own operations (the objects of webhook events,
/// `webhooks::render`): over `state`, without the request limits, which are for what
/// clients send, and with introspection, which builds their selections, whatever the
/// configuration says of clients' introspection.
pub fn internal_schema(state: &AppState) -> AppSchema {
    builder().data(state.clone()).finish()
}

/// The schema in SDL, sorted, with descriptions: what `schema.graphql` holds.
pub fn sdl() -> String {
    let sdl = builder().finish().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items(),
    );
    format!(
        "# The contract of the gateway's GraphQL API, generated by `gateway schema`.\n# Do not edit: change the code and regenerate.\n\n{}",
        sdl.trim_start()
    )
}
