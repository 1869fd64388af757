//! The money received in a period, per day and per source: invoices paid from the wallet
//! by the driver (payments of source WALLET), by the auto-charge job (AUTO_CHARGE), and
//! the cash staff recorded into wallets (recharges). A day is a day of the
//! organization's calendar, so a payment made at 22:00 in Lima counts on that day even
//! though it is already the next one in UTC.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{
    DomainError, DomainResult,
    auth::Viewer,
    commons::{Calendar, Money, Period},
    entities::{payment, payment::PaymentSource, recharge},
    visibility,
};

/// What came in from each source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Invoices the drivers paid from their wallets.
    pub wallet_payments: Money,
    /// Invoices the auto-charge job paid.
    pub auto_charges: Money,
    /// Money staff recorded into the drivers' wallets.
    pub cash_recharges: Money,
}

impl Received {
    /// The three sources together.
    pub fn total(&self) -> Money {
        Money::from_minor(
            self.wallet_payments
                .minor()
                .saturating_add(self.auto_charges.minor())
                .saturating_add(self.cash_recharges.minor()),
        )
    }

    fn add(&mut self, source: Source, amount: Money) -> DomainResult<()> {
        let slot = match source {
            Source::Wallet => &mut self.wallet_payments,
            Source::AutoCharge => &mut self.auto_charges,
            Source::Cash => &mut self.cash_recharges,
        };
        *slot = slot
            .checked_add(amount)
            .ok_or_else(|| DomainError::Internal("the collections total overflows".into()))?;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum Source {
    Wallet,
    AutoCharge,
    Cash,
}

/// One day's money received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub received: Received,
}

/// The money received in a period: the days something came in (the others are left
/// out), oldest first, and the period's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collections {
    pub period: Period,
    pub days: Vec<Day>,
    pub totals: Received,
}

/// The instant `date` begins in UTC.
fn utc_midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(NaiveTime::MIN).and_utc()
}

/// What `viewer`'s organization received on each day of `period` (days of `calendar`,
/// the organization's). Staff only (COLLECTORs read too). Two statements, a payment's
/// and a recharge's amount and instant each, summed in one pass.
pub async fn collections<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    calendar: Calendar,
    period: Period,
) -> DomainResult<Collections> {
    visibility::require_staff(viewer)?;
    // A UTC window a day wider on each side than the period holds all of its days
    // whatever the zone (offsets stay within ±14 hours), and needs no daylight-saving
    // arithmetic; each row's own day, in the zone, then decides.
    let from = utc_midnight(
        period
            .from()
            .checked_sub_signed(TimeDelta::days(1))
            .unwrap_or(NaiveDate::MIN),
    );
    let until = utc_midnight(
        period
            .to()
            .checked_add_signed(TimeDelta::days(2))
            .unwrap_or(NaiveDate::MAX),
    );
    let payments: Vec<(DateTime<Utc>, PaymentSource, i64)> = payment::Entity::find()
        .select_only()
        .column(payment::Column::CreatedAt)
        .column(payment::Column::Source)
        .column(payment::Column::AmountMinor)
        .filter(payment::Column::OrganizationId.eq(viewer.organization_id))
        .filter(payment::Column::CreatedAt.gte(from))
        .filter(payment::Column::CreatedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    let recharges: Vec<(DateTime<Utc>, i64)> = recharge::Entity::find()
        .select_only()
        .column(recharge::Column::CreatedAt)
        .column(recharge::Column::AmountMinor)
        .filter(recharge::Column::OrganizationId.eq(viewer.organization_id))
        .filter(recharge::Column::CreatedAt.gte(from))
        .filter(recharge::Column::CreatedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    let rows = payments
        .into_iter()
        .map(|(at, source, amount)| {
            let source = match source {
                PaymentSource::Wallet => Source::Wallet,
                PaymentSource::AutoCharge => Source::AutoCharge,
            };
            (at, source, amount)
        })
        .chain(
            recharges
                .into_iter()
                .map(|(at, amount)| (at, Source::Cash, amount)),
        );
    let mut days: BTreeMap<NaiveDate, Received> = BTreeMap::new();
    let mut totals = Received::default();
    for (at, source, amount) in rows {
        let date = calendar.date_of(at);
        if !period.contains(date) {
            continue;
        }
        let amount = Money::from_minor(amount);
        days.entry(date).or_default().add(source, amount)?;
        totals.add(source, amount)?;
    }
    Ok(Collections {
        period,
        days: days
            .into_iter()
            .map(|(date, received)| Day { date, received })
            .collect(),
        totals,
    })
}
