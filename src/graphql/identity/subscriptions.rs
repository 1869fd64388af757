use std::time::Duration;

use async_graphql::{Context, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};

use super::text::Text;
use crate::graphql::commons::{ContextExt, ErrorCode, guarded};

/// A tick of the connection check.
#[derive(SimpleObject)]
pub struct Heartbeat {
    /// Counts ticks from 1.
    pub sequence: i32,
    /// Server time of the tick.
    pub at: DateTime<Utc>,
}

#[derive(Default)]
pub struct IdentitySubscription;

#[Subscription]
impl IdentitySubscription {
    /// Ticks every `intervalSeconds` (1 to 60, default 10) for an authenticated
    /// connection: proves the WebSocket transport and its `connection_init` auth. Ends
    /// (UNAUTHENTICATED) when the access token expires or the session ends.
    async fn heartbeat(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "Seconds between ticks, 1 to 60.")] interval_seconds: i32,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Heartbeat>>> {
        ctx.viewer()?;
        if !(1..=60).contains(&interval_seconds) {
            return Err(ErrorCode::BadUserInput.error(Text::HeartbeatInterval));
        }
        let period = Duration::from_secs(interval_seconds as u64);
        let ticks = tokio_stream_interval(period);
        let beats = ticks.enumerate().map(|(i, _)| Heartbeat {
            sequence: i32::try_from(i + 1).unwrap_or(i32::MAX),
            at: Utc::now(),
        });
        guarded(ctx, beats)
    }
}

/// A stream that yields immediately and then once per period.
fn tokio_stream_interval(period: Duration) -> impl Stream<Item = ()> {
    futures_util::stream::unfold(tokio::time::interval(period), |mut interval| async move {
        interval.tick().await;
        Some(((), interval))
    })
}
