//! Users whose access ended before their access tokens expire: deactivated, or given
//! another role (the role is a claim of every token). Their tokens issued before that
//! instant are refused at once, on every replica, without a query per request: each
//! replica keeps the instants in memory, loads the recent ones when it starts, and hears
//! of new ones through the event bus. An entry is forgotten once every token it voids
//! has expired anyway.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::{
    commons::{Id, UserId},
    entities::user,
};

#[derive(Debug, Clone, Default)]
pub struct EndedAccess(Arc<RwLock<HashMap<UserId, DateTime<Utc>>>>);

impl EndedAccess {
    /// Tokens of `user_id` issued up to `at` are void. Recording an older instant than the
    /// one known changes nothing.
    pub fn record(&self, user_id: UserId, at: DateTime<Utc>, ttl: Duration) {
        let Ok(mut ended) = self.0.write() else {
            return;
        };
        let horizon = Utc::now() - ttl;
        ended.retain(|_, at| *at > horizon);
        let known = ended.entry(user_id).or_insert(at);
        if *known < at {
            *known = at;
        }
    }

    /// Whether a token of `user_id` issued at `issued_at` (seconds, as the `iat` claim)
    /// still holds. A token of the very second access ended is refused: `iat` has no
    /// finer resolution, and logging in again is the cheap way out.
    pub fn holds(&self, user_id: UserId, issued_at: i64) -> bool {
        let Ok(ended) = self.0.read() else {
            return false;
        };
        ended
            .get(&user_id)
            .is_none_or(|at| issued_at > at.timestamp())
    }

    /// Loads the accesses that ended within `ttl` (when a replica starts).
    pub async fn load<C: ConnectionTrait>(&self, db: &C, ttl: Duration) -> Result<(), DbErr> {
        let since = Utc::now() - ttl;
        let users = user::Entity::find()
            .filter(user::Column::AccessEndedAt.gt(since))
            .all(db)
            .await?;
        for found in users {
            if let Some(at) = found.access_ended_at {
                self.record(Id::new(found.id), at, ttl);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_issued_before_the_end_are_refused() {
        let ended = EndedAccess::default();
        let user = Id::new(7);
        let at = Utc::now();
        assert!(ended.holds(user, at.timestamp() - 60));
        ended.record(user, at, Duration::minutes(15));
        assert!(!ended.holds(user, at.timestamp() - 60));
        assert!(!ended.holds(user, at.timestamp()));
        assert!(ended.holds(user, at.timestamp() + 1));
        assert!(ended.holds(Id::new(8), at.timestamp() - 60));
        ended.record(user, at - Duration::minutes(5), Duration::minutes(15));
        assert!(
            !ended.holds(user, at.timestamp()),
            "an older end changes nothing"
        );
    }
}
