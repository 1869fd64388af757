//! What every subscription shares: events reach a caller only while the credential they
//! connected with holds.
//!
//! - Before each event, the session (or API token) is checked against the database: a
//!   logout, a password change or a revoked API token ends the subscription at its next
//!   event instead of letting it listen forever on a token that is still unexpired.
//! - When the access token expires the subscription ends, whether or not events came;
//!   the client subscribes again with a fresh token (graphql-ws clients do so on their
//!   own when they reconnect with new `connectionParams`).
//!
//! Either way the last message is an error with code UNAUTHENTICATED, then `complete`.
//!
//! [`guarded`] is also where a subscription's setup ends (see [`SubscriptionSetup`]).

use std::{pin::Pin, sync::Arc};

use async_graphql::{Context, ErrorExtensions};
use chrono::Utc;
use futures_util::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use tokio::{
    sync::{
        Notify,
        broadcast::{self, error::RecvError},
    },
    time::{Instant, Sleep},
};

use super::{ContextExt, ErrorCode, text::Text};
use crate::auth::{self, Viewer};

struct Guard<T> {
    events: Pin<Box<dyn Stream<Item = T> + Send>>,
    db: DatabaseConnection,
    viewer: Viewer,
    expiry: Option<Pin<Box<Sleep>>>,
    ended: bool,
}

enum Next<T> {
    Event(T),
    Expired,
    Closed,
}

/// The events of a broadcast channel that `keep` accepts. Events dropped for a slow reader
/// are skipped: the next one still carries the current state.
pub fn filtered<T: Clone + Send + 'static>(
    receiver: broadcast::Receiver<T>,
    keep: impl Fn(&T) -> bool + Send + 'static,
) -> impl Stream<Item = T> + Send + 'static {
    futures_util::stream::unfold((receiver, keep), move |(mut receiver, keep)| async move {
        loop {
            match receiver.recv().await {
                Ok(event) if keep(&event) => return Some((event, (receiver, keep))),
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    })
}

/// Tells the WebSocket transport (`http::ws`) that a subscription's setup is over. Its
/// setup (the resolver checking the caller and reading what it needs) runs like any
/// operation, holding an execution turn within the request timeout; waiting for events
/// holds neither. Every subscription ends its setup with [`guarded`], which says so here.
#[derive(Clone, Default)]
pub struct SubscriptionSetup(Arc<Notify>);

impl SubscriptionSetup {
    /// The setup is over: the subscription now only waits for events.
    pub fn done(&self) {
        self.0.notify_one();
    }

    /// Resolves once [`Self::done`] was called (before or after this call).
    pub async fn finished(&self) {
        self.0.notified().await;
    }
}

/// `events` for the caller of `ctx`, ended as the module says. Each event costs one
/// small SELECT (the credential check) for each subscriber it reaches.
pub fn guarded<T, S>(
    ctx: &Context<'_>,
    events: S,
) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<T>> + use<T, S>>
where
    T: Send + 'static,
    S: Stream<Item = T> + Send + 'static,
{
    if let Some(setup) = ctx.data_opt::<SubscriptionSetup>() {
        setup.done();
    }
    let viewer = ctx.viewer()?.clone();
    let expiry = ctx.request().and_then(|r| r.expires_at).map(|at| {
        let left = (at - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep_until(Instant::now() + left))
    });
    let guard = Guard {
        events: Box::pin(events),
        db: ctx.db().clone(),
        viewer,
        expiry,
        ended: false,
    };
    Ok(futures_util::stream::unfold(
        guard,
        |mut guard| async move {
            if guard.ended {
                return None;
            }
            let next = match guard.expiry.as_mut() {
                Some(expiry) => tokio::select! {
                    () = expiry => Next::Expired,
                    event = guard.events.next() => event.map_or(Next::Closed, Next::Event),
                },
                None => guard.events.next().await.map_or(Next::Closed, Next::Event),
            };
            let item = match next {
                Next::Closed => return None,
                // `reason` as over HTTP: TOKEN_EXPIRED, refresh and subscribe again;
                // TOKEN_INVALID, log in again.
                Next::Expired => Err(ErrorCode::Unauthenticated
                    .error(Text::SubscriptionTokenExpired)
                    .extend_with(|_, e| e.set("reason", "TOKEN_EXPIRED"))),
                Next::Event(event) => {
                    match auth::credential_holds(&guard.db, &guard.viewer).await {
                        Ok(true) => return Some((Ok(event), guard)),
                        Ok(false) => Err(ErrorCode::Unauthenticated
                            .error(Text::SessionEnded)
                            .extend_with(|_, e| e.set("reason", "TOKEN_INVALID"))),
                        Err(error) => {
                            tracing::error!(%error, "a subscriber's credential could not be checked");
                            Err(ErrorCode::Internal.error(Text::SubscriptionCannotGoOn))
                        }
                    }
                }
            };
            guard.ended = true;
            Some((item, guard))
        },
    ))
}
