//! Time as the organization sees it. "Today", "this month" and a paid date are dates in the
//! organization's timezone (America/Lima in the demo), never in UTC: at 21:00 in Lima it is
//! already tomorrow in UTC, and a driver who pays on Monday night must see Monday.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::entities::organization;

/// Where "now" comes from: the system clock, or a fixed instant so that tests can stand at
/// any hour of any day, or an instant a test moves by hand (set in `Config::clock`; never
/// read from the environment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
    Manual(ManualClock),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Fixed(at) => *at,
            Self::Manual(clock) => clock.now(),
        }
    }
}

/// A clock that stands still until a test moves it (to see a wait end without sleeping).
/// Clones share the instant.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(at) => *at,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Moves the clock forward (or back, with a negative `by`).
    pub fn advance(&self, by: TimeDelta) {
        let mut at = match self.0.lock() {
            Ok(at) => at,
            Err(poisoned) => poisoned.into_inner(),
        };
        *at += by;
    }
}

/// Two manual clocks are the same clock when they share their instant.
impl PartialEq for ManualClock {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for ManualClock {}

/// An organization's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    zone: Tz,
}

/// The zone of an organization whose stored zone name is unknown (it is validated when an
/// organization is created, so this is a guard, not a path).
pub const DEFAULT_ZONE: Tz = chrono_tz::America::Lima;

impl Calendar {
    pub fn new(zone: Tz) -> Self {
        Self { zone }
    }

    pub fn of(organization: &organization::Model) -> Self {
        Self::new(organization.timezone.parse().unwrap_or(DEFAULT_ZONE))
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The date it is in the organization at `now`.
    pub fn date_of(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.zone).date_naive()
    }

    /// The first day of the month `date` falls in.
    pub fn month_start(date: NaiveDate) -> NaiveDate {
        date.with_day(1).unwrap_or(date)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn late_evening_in_lima_is_still_the_same_day_there() {
        let lima = Calendar::new(DEFAULT_ZONE);
        // 2026-11-24 03:30 UTC is 2026-11-23 22:30 in Lima (UTC-5).
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 3, 30, 0).unwrap();
        assert_eq!(
            lima.date_of(now),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
        assert_eq!(
            Calendar::new(chrono_tz::UTC).date_of(now),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
    }

    #[test]
    fn month_start_is_the_first() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(
            Calendar::month_start(d),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
    }
}
