//! Leases on periodic jobs (see `entities::job_lease`): claim, renew, release.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
    sea_query::OnConflict,
};

use crate::{DomainResult, entities::job_lease};

/// Claims the lease on `job` for `holder` until `now + ttl`, if nobody holds it; true when
/// claimed. Atomic on both databases: one conditional UPDATE decides.
pub async fn claim(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: TimeDelta,
) -> DomainResult<bool> {
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(job.to_string()),
        holder: Set(String::new()),
        leased_until: Set(DateTime::<Utc>::UNIX_EPOCH),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let claimed = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::LeasedUntil, Expr::value(now + ttl))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::LeasedUntil.lt(now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Extends `holder`'s lease on `job` to `until`; false when the holder lost it (it
/// expired and another process claimed it), and should then stop.
pub async fn renew(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    until: DateTime<Utc>,
) -> DomainResult<bool> {
    let renewed = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::LeasedUntil, Expr::value(until))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// Gives the lease back early (it would expire anyway).
pub async fn release(
    db: &impl ConnectionTrait,
    job: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    job_lease::Entity::update_many()
        .col_expr(job_lease::Column::LeasedUntil, Expr::value(now))
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}
