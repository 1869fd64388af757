//! The fast read path: a wide read costs one statement per relation level and little CPU
//! per row, and answers exactly as the resolvers would.
//!
//! - [`batch`]: the DataLoaders' batches, released when the request has nothing else to
//!   do ([`batch::Scheduler`]), so that each relation level is one statement however
//!   wide its lists.
//! - [`plain`]: lists whose items are answered straight from their rows
//!   ([`plain::PlainList`]), without a future per field.
//! - [`compiled`], [`fleet`], [`invoices`] and [`books`]: on PostgreSQL the staff's fleet
//!   page is one statement that builds the answer's JSON (drivers with their profile
//!   fields and wallet, contracts, cars, invoices), as is a driver's `me` (their
//!   dashboard's caller, plan, wallet, contracts and invoices); a page of a book's transactions
//!   builds each transaction's JSON (category, account and tags too) in the page's own
//!   SELECT.
//! - [`wallet`]: a driver's wallet history (movements with their recharges and payments,
//!   recharges) compiled as whole connections, `pageInfo` included, for every driver of
//!   a level in one statement.
//! - [`business`]: the business books' pages (customers, sales invoices, receipts) built
//!   beside the rows of the domain's listing, read through [`listing`], which any page of
//!   a `Listing` can use.
//! - [`selection`]: the fields a document selects below a field, as the compilers read
//!   them, fragments on another type left out.
//! - [`raw`]: that JSON goes into the HTTP body as it is.
//! - [`columns`]: the fields both paths read from a row, declared once each beside their
//!   resolvers, and the test that they are the schema's.
//!
//! [`execute`] is the entry point of HTTP requests: it gives each operation its context
//! (the caller, the request's loaders and raw parts), runs the batch's operations under
//! one scheduler on the extension-free schema of the caller's complexity budget (running
//! a refused one again on `live`, whose extensions word the refusal; see [`Schemas`]),
//! and [`Executed::into_body`] writes the answer with its compiled parts. A WebSocket
//! connection's operations get [`websocket_data`]: loaders that pace themselves, and no
//! raw parts.
//!
//! Every path gives the resolvers' answer: `tests/api/compiled.rs`, `tests/api/contracts.rs`
//! and `tests/api/contracts_batching.rs` compare them; each file's unit tests test its part.

pub mod batch;
pub mod books;
pub mod business;
pub mod columns;
pub mod compiled;
pub mod fleet;
pub mod invoices;
pub mod listing;
pub mod plain;
pub mod raw;
pub mod selection;
pub mod wallet;

use std::sync::Arc;

use async_graphql::{BatchRequest, BatchResponse, Data};

use self::{batch::Scheduler, raw::RawParts};
use crate::{
    config::RequestLimits,
    graphql::{
        Schemas,
        commons::{
            RequestContext,
            errors::{code_errors, failed_before_execution},
        },
        loaders::OperationLoaders,
    },
    state::AppState,
};

/// Runs an HTTP request's operations (`batch`) for the caller of `request`, with loaders
/// over `state`'s pools (a query's over the read-only one, see [`OperationLoaders`]) and
/// the request limits `limits`. Dropping the future cancels them (and rolls back any open
/// transaction).
pub async fn execute(
    schemas: &Schemas,
    state: &AppState,
    limits: &RequestLimits,
    request: &RequestContext,
    batch: BatchRequest,
) -> Executed {
    let scheduler = Scheduler::new();
    let raw = Arc::new(RawParts::default());
    let context = |operation: async_graphql::Request| {
        operation
            .data(request.clone())
            .data(OperationLoaders::new(
                &state.db,
                &state.read_only,
                &scheduler,
            ))
            .data(raw.clone())
    };
    let run = |operation| run_one(schemas, state, limits, request, operation, &context);
    // The scheduler releases DataLoader batches whenever the execution has nothing else
    // to do: one statement per relation level, however wide the lists.
    let response = scheduler
        .drive(async {
            match batch {
                BatchRequest::Single(operation) => BatchResponse::Single(run(operation).await),
                BatchRequest::Batch(operations) => BatchResponse::Batch(
                    futures_util::future::join_all(operations.into_iter().map(run)).await,
                ),
            }
        })
        .await;
    Executed { response, raw }
}

/// Runs one operation. The request limits are checked first
/// ([`crate::graphql::commons::limits::check_request`]: linear in the request's size,
/// before async-graphql parses or validates; a document sent before is not parsed again,
/// see [`crate::graphql::commons::documents`]) and refuse with their own error. A request within them runs on the extension-free schema of the caller's
/// complexity budget; when async-graphql's validation or complexity limit refuses it
/// there, it runs again on the `live` schema, whose extensions word the refusal (see
/// [`Schemas`]). A refused request ran no resolver, so running it again changes nothing.
async fn run_one(
    schemas: &Schemas,
    state: &AppState,
    limits: &RequestLimits,
    request: &RequestContext,
    operation: async_graphql::Request,
    context: &impl Fn(async_graphql::Request) -> async_graphql::Request,
) -> async_graphql::Response {
    let again = || {
        let mut copy = async_graphql::Request::new(operation.query.clone())
            .variables(operation.variables.clone());
        copy.operation_name = operation.operation_name.clone();
        copy.extensions = operation.extensions.clone();
        context(copy)
    };
    let mut fast = again();
    if let Err(refused) = schemas.documents.check(&mut fast, limits) {
        let mut response = async_graphql::Response::from_errors(vec![refused]);
        let language = request.language(&state.read_only).await;
        code_errors(&mut response, &request.request_id, language);
        return response;
    }
    let mut response = schemas
        .for_viewer(request.viewer.as_ref())
        .execute(fast)
        .await;
    if !failed_before_execution(&response) {
        let language = if response.errors.is_empty() {
            request.language_known()
        } else {
            request.language(&state.read_only).await
        };
        code_errors(&mut response, &request.request_id, language);
        return response;
    }
    schemas.live.execute(again()).await
}

/// An HTTP request's answer, before it is written.
pub struct Executed {
    response: BatchResponse,
    raw: Arc<RawParts>,
}

impl Executed {
    /// The answer as async-graphql gives it: its errors, its cache policy.
    pub fn response(&self) -> &BatchResponse {
        &self.response
    }

    /// Whether the request failed before execution: one operation (not a batch) that
    /// parsing, validation or a limit refused, so that no resolver ran.
    pub fn failed_before_execution(&self) -> bool {
        matches!(&self.response, BatchResponse::Single(r) if failed_before_execution(r))
    }

    /// The answer as JSON, with each compiled part written in its marker's place. A
    /// request that failed before execution has no `data` key at all, as the GraphQL
    /// spec says (async-graphql would write `"data": null`).
    pub fn into_body(self) -> Vec<u8> {
        let serialized = match &self.response {
            BatchResponse::Single(response) => serde_json::to_vec(&Answered::of(response)),
            BatchResponse::Batch(responses) => {
                serde_json::to_vec(&responses.iter().map(Answered::of).collect::<Vec<_>>())
            }
        };
        let serialized = serialized.unwrap_or_else(|_| {
            br#"{"errors":[{"message":"response serialization failed","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
        });
        self.raw.splice(serialized)
    }
}

/// One operation's answer as sent: the response, or only its errors when it failed
/// before execution.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Answered<'a> {
    Executed(&'a async_graphql::Response),
    Refused {
        errors: &'a [async_graphql::ServerError],
    },
}

impl<'a> Answered<'a> {
    fn of(response: &'a async_graphql::Response) -> Self {
        if failed_before_execution(response) {
            Answered::Refused {
                errors: &response.errors,
            }
        } else {
            Answered::Executed(response)
        }
    }
}

/// The data of a WebSocket connection's operations: the caller's `request` and the
/// connection's loaders over `state`'s pools. No scheduler drives a WebSocket operation,
/// so its batches pace themselves ([`batch`]); and with no raw parts, compiled JSON is
/// read into the answer's values.
pub fn websocket_data(state: &AppState, request: RequestContext) -> Data {
    let mut data = Data::default();
    data.insert(request);
    data.insert(OperationLoaders::new(
        &state.db,
        &state.read_only,
        &Scheduler::new(),
    ));
    data
}
