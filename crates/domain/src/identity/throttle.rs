//! Failed logins, limited per document and per client address (issue 17).
//!
//! Each key (`document:<document>`, `address:<ip>`) has a row in `login_throttles`. An
//! attempt is charged to its keys before its password is hashed, in one transaction that
//! refuses to charge a key while it is blocked: concurrent guesses queue on the row, so
//! they cannot all pass before the first failure is counted. A key's first few failures
//! are free; the charge that reaches the allowance, and each one after it, blocks the key
//! for a delay that doubles (1 s, 2 s, 4 s, ... at most 15 minutes). An attempt refused
//! because a key is blocked is not charged and hashes nothing. A successful login forgets
//! its document's failures and gives its own charge back to its address (it does not
//! clear the address: an attacker who owns one account would clear it between guesses).
//! A key's count is forgotten an hour after its last failure.
//!
//! Unknown documents are charged like known ones, so the answers say nothing about which
//! documents exist. The rows live in the database so that every replica counts the same
//! attempts; the times come from the caller's clock.

use std::net::IpAddr;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, OnConflict, Query},
};

use crate::{
    DomainError, DomainResult,
    entities::login_throttle::{self, Column},
};

/// Failures of one document before it waits.
pub const FREE_FAILURES_PER_DOCUMENT: i32 = 5;
/// Failures from one client address, across documents, before it waits (an office or a
/// mobile carrier's NAT puts many people behind one address).
pub const FREE_FAILURES_PER_ADDRESS: i32 = 20;
/// The first wait; each further failure doubles it.
pub const FIRST_DELAY: TimeDelta = TimeDelta::seconds(1);
/// The longest wait.
pub const MAX_DELAY: TimeDelta = TimeDelta::minutes(15);
/// A key's failures are forgotten this long after its last one (longer than
/// [`MAX_DELAY`], so a key is never forgotten while blocked).
pub const FORGET_AFTER: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    Address,
}

/// One thing an attempt is charged to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    name: String,
    kind: Kind,
}

impl Key {
    /// A document, trimmed and in lower case (so `ab1` and ` AB1` count together).
    pub fn document(document: &str) -> Self {
        Self {
            name: format!("document:{}", document.trim().to_ascii_lowercase()),
            kind: Kind::Document,
        }
    }

    /// A client address. An IPv6 client is counted by its /64, the block one subscriber
    /// gets: counting single addresses would give an attacker 2^64 fresh counters.
    pub fn address(address: IpAddr) -> Self {
        let name = match address.to_canonical() {
            IpAddr::V4(v4) => format!("address:{v4}"),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("address:{prefix}/64")
            }
        };
        Self {
            name,
            kind: Kind::Address,
        }
    }

    /// The key as stored, e.g. `document:10442008642`.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn free_failures(&self) -> i32 {
        match self.kind {
            Kind::Document => FREE_FAILURES_PER_DOCUMENT,
            Kind::Address => FREE_FAILURES_PER_ADDRESS,
        }
    }
}

/// How long a key waits after its `failures`-th charged failure: nothing before its
/// allowance, then [`FIRST_DELAY`] doubled per failure, at most [`MAX_DELAY`].
pub fn delay(failures: i32, free_failures: i32) -> Option<TimeDelta> {
    let past = failures.checked_sub(free_failures)?;
    if past < 0 {
        return None;
    }
    // 2^10 seconds is already past the cap: no need to compute larger powers.
    let factor = 1i32 << past.min(10);
    Some((FIRST_DELAY * factor).min(MAX_DELAY))
}

/// What charging an attempt decided.
#[derive(Debug)]
pub enum Charge {
    /// Charged: check the password, and call [`succeeded`] if it was right.
    Charged(Receipt),
    /// A key is blocked: refuse without hashing. Whole seconds until it is not.
    Refused { retry_after: u32 },
}

/// What an attempt was charged, to give back on success.
#[derive(Debug)]
pub struct Receipt {
    /// Each key charged, and the block this charge set on it (if it set one).
    charges: Vec<(Key, Option<DateTime<Utc>>)>,
}

/// Charges an attempt to every key, or to none when one of them is blocked. `db` is the
/// connection, not a transaction: the charge must be committed, and seen by concurrent
/// attempts, before the password is hashed.
pub async fn charge(
    db: &DatabaseConnection,
    keys: &[Key],
    now: DateTime<Utc>,
) -> DomainResult<Charge> {
    // Microseconds, as PostgreSQL keeps them: a block set now compares equal when given
    // back.
    let now = now.trunc_subsecs(6);
    let txn = db.begin().await?;
    let mut charges = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(failures) = charge_key(&txn, key, now).await? else {
            txn.rollback().await?;
            let retry_after = retry_after(db, keys, now).await?;
            return Ok(Charge::Refused { retry_after });
        };
        let blocked_until = delay(failures, key.free_failures()).map(|d| now + d);
        if let Some(until) = blocked_until {
            login_throttle::Entity::update_many()
                .col_expr(Column::BlockedUntil, Expr::value(until))
                .filter(Column::Key.eq(key.name()))
                .exec(&txn)
                .await?;
        }
        charges.push((key.clone(), blocked_until));
    }
    txn.commit().await?;
    Ok(Charge::Charged(Receipt { charges }))
}

/// Adds one failure to `key` unless it is blocked at `now`; its failures after the charge,
/// or `None` when blocked. One statement: the row is locked (PostgreSQL) or the database
/// is (SQLite) from here to the end of the transaction.
async fn charge_key(
    txn: &impl ConnectionTrait,
    key: &Key,
    now: DateTime<Utc>,
) -> DomainResult<Option<i32>> {
    use sea_orm::sea_query::ExprTrait;
    let stored = |column: Column| Expr::col((login_throttle::Entity, column));
    let no_block: Option<DateTime<Utc>> = None;
    let mut insert = Query::insert();
    insert
        .into_table(login_throttle::Entity)
        .columns([
            Column::Key,
            Column::Failures,
            Column::LastFailureAt,
            Column::BlockedUntil,
        ])
        .values([key.name().into(), 1i32.into(), now.into(), no_block.into()])
        .map_err(|e| DomainError::Internal(format!("login throttle insert: {e}")))?;
    insert
        .on_conflict(
            OnConflict::column(Column::Key)
                .value(
                    Column::Failures,
                    Expr::case(stored(Column::LastFailureAt).lt(now - FORGET_AFTER), 1i32)
                        .finally(stored(Column::Failures).add(1i32)),
                )
                .value(Column::LastFailureAt, now)
                .action_and_where(
                    stored(Column::BlockedUntil)
                        .is_null()
                        .or(stored(Column::BlockedUntil).lte(now)),
                )
                .to_owned(),
        )
        .returning_col(Column::Failures);
    let Some(row) = txn.query_one(&insert).await? else {
        return Ok(None);
    };
    Ok(Some(row.try_get::<i32>("", "failures")?))
}

/// Whole seconds (rounded up, at least 1) until every blocked key of `keys` is free.
async fn retry_after(
    db: &DatabaseConnection,
    keys: &[Key],
    now: DateTime<Utc>,
) -> DomainResult<u32> {
    let rows = login_throttle::Entity::find()
        .filter(Column::Key.is_in(keys.iter().map(|k| k.name().to_string())))
        .all(db)
        .await?;
    let wait = rows
        .iter()
        .filter_map(|row| row.blocked_until)
        .map(|until| until - now)
        .max()
        .unwrap_or_default();
    Ok(whole_seconds(wait))
}

/// A wait in whole seconds, rounded up, at least 1.
fn whole_seconds(wait: TimeDelta) -> u32 {
    let millis = wait.num_milliseconds().max(1);
    u32::try_from((millis + 999) / 1000).unwrap_or(u32::MAX)
}

/// The attempt's password was right: its document's failures are forgotten, and its
/// address gets this attempt's charge back (and the block the charge set, unless a later
/// failure has set another since).
pub async fn succeeded(db: &DatabaseConnection, receipt: Receipt) -> DomainResult<()> {
    use sea_orm::sea_query::ExprTrait;
    for (key, set_block) in receipt.charges {
        match key.kind {
            Kind::Document => {
                login_throttle::Entity::delete_many()
                    .filter(Column::Key.eq(key.name()))
                    .exec(db)
                    .await?;
            }
            Kind::Address => {
                let mut refund = login_throttle::Entity::update_many()
                    .col_expr(
                        Column::Failures,
                        Expr::case(Column::Failures.gt(0), Expr::col(Column::Failures).sub(1))
                            .finally(0)
                            .into(),
                    )
                    .filter(Column::Key.eq(key.name()));
                if let Some(set) = set_block {
                    let no_block: Option<DateTime<Utc>> = None;
                    refund = refund.col_expr(
                        Column::BlockedUntil,
                        Expr::case(Column::BlockedUntil.eq(set), Expr::value(no_block))
                            .finally(Expr::col(Column::BlockedUntil))
                            .into(),
                    );
                }
                refund.exec(db).await?;
            }
        }
    }
    Ok(())
}

/// Deletes the keys whose failures are forgotten (the last one more than
/// [`FORGET_AFTER`] ago; such a key is not blocked either). Housekeeping for a periodic
/// job: forgotten rows would otherwise stay, one per document or address ever tried.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> DomainResult<u64> {
    let pruned = login_throttle::Entity::delete_many()
        .filter(Column::LastFailureAt.lt(now - FORGET_AFTER))
        .exec(db)
        .await?;
    Ok(pruned.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_failures_cost_nothing_then_the_wait_doubles_up_to_fifteen_minutes() {
        let waits: Vec<_> = (1..=20)
            .map(|n| delay(n, 5).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(&waits[..4], [None, None, None, None]);
        assert_eq!(
            &waits[4..15],
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900].map(Some)
        );
        assert!(waits[15..].iter().all(|w| *w == Some(900)));
        assert_eq!(delay(i32::MAX, 5), Some(MAX_DELAY));
        assert_eq!(delay(i32::MIN, 5), None);
        assert!(FORGET_AFTER > MAX_DELAY);
    }

    #[test]
    fn waits_are_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(TimeDelta::milliseconds(1)), 1);
        assert_eq!(whole_seconds(TimeDelta::milliseconds(1000)), 1);
        assert_eq!(whole_seconds(TimeDelta::milliseconds(1001)), 2);
        assert_eq!(whole_seconds(TimeDelta::seconds(-3)), 1);
    }

    #[test]
    fn keys_are_normalised() {
        assert_eq!(Key::document(" Ab12 ").name(), "document:ab12");
        let v4: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(Key::address(v4).name(), "address:203.0.113.9");
        let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert_eq!(Key::address(mapped), Key::address(v4));
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        assert_eq!(Key::address(a).name(), "address:2001:db8:1:2::/64");
        assert_eq!(Key::address(a), Key::address(b));
    }
}
