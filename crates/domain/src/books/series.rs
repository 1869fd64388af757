//! Series (issue 6): the dates of a transaction that repeats (Organizze's "fixa",
//! open-ended) or is paid in installments ("parcelada", a fixed number), and how an
//! installment purchase's total is split. Plain rules on dates and money; storing the
//! series and its scoped edits is the caller's.
//!
//! Rules kept here:
//! - occurrence `n` (0 is the first, so installment `n + 1` of a finite series) is always
//!   computed from the series' START date, never from the previous occurrence. For the
//!   month-based periodicities this means a day that a shorter month lacks (the 29th to
//!   31st) falls back to that month's last day and the original day comes back in the
//!   next month that has it: a monthly series from Jan 31 gives Feb 28 (29 in leap
//!   years), Mar 31, Apr 30, May 31... Chaining would drift to the 28th for good. A yearly
//!   series from Feb 29 gives Feb 28 in common years and Feb 29 again in leap years;
//! - weekly and biweekly steps are exact 7 and 14 days, so they never fall back;
//! - listing the occurrences in a period jumps arithmetically to the first one that can
//!   fall in it, so a far-future period costs what a near one does (at most the 53
//!   occurrences a one-year [`Period`] holds, plus one skipped);
//! - an installment total is split into `count` amounts that add up exactly to it: each
//!   gets `floor(total / count)` cents and the FIRST installment also takes the remainder
//!   (100.00 in 3 is 33.34, 33.33, 33.33). Issue 6 asks for the undivided cents to go to
//!   one installment; the first is the one paid soonest, so the series never ends on an
//!   odd amount.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::text::Text;
use crate::{
    Message,
    commons::{Money, Period},
};

/// The most installments a purchase may be split into: 35 years of monthly payments.
pub const MAX_INSTALLMENTS: u32 = 420;

/// How often a series repeats (the Organizze REST API's `periodicity` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Periodicity {
    /// Every 7 days.
    Weekly,
    /// Every 14 days (every two weeks, not twice a month).
    Biweekly,
    /// Every month, on the start's day or the month's last day when it lacks that day.
    Monthly,
    /// Every 2 months, with the month-end rule of [`Periodicity::Monthly`].
    Bimonthly,
    /// Every 3 months, with the month-end rule of [`Periodicity::Monthly`].
    Trimonthly,
    /// Every year on the start's month and day; Feb 29 falls back to Feb 28 in common years.
    Yearly,
}

/// The distance between two occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Days(u32),
    Months(u32),
}

impl Periodicity {
    /// Every periodicity, shortest first.
    pub const ALL: [Periodicity; 6] = [
        Self::Weekly,
        Self::Biweekly,
        Self::Monthly,
        Self::Bimonthly,
        Self::Trimonthly,
        Self::Yearly,
    ];

    /// The name stored and shown (`WEEKLY`, ...), as the GraphQL enum spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Weekly => "WEEKLY",
            Self::Biweekly => "BIWEEKLY",
            Self::Monthly => "MONTHLY",
            Self::Bimonthly => "BIMONTHLY",
            Self::Trimonthly => "TRIMONTHLY",
            Self::Yearly => "YEARLY",
        }
    }

    /// The periodicity named by [`Periodicity::as_str`]; `None` for any other text.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    fn step(self) -> Step {
        match self {
            Self::Weekly => Step::Days(7),
            Self::Biweekly => Step::Days(14),
            Self::Monthly => Step::Months(1),
            Self::Bimonthly => Step::Months(2),
            Self::Trimonthly => Step::Months(3),
            Self::Yearly => Step::Months(12),
        }
    }
}

/// The date of occurrence `n` of a series starting on `start` (`n = 0` is `start`
/// itself). Month-based steps add `n` whole steps to `start` and clamp to the month's
/// last day (see the module's rules). `None` only past the last representable date.
pub fn occurrence_date(start: NaiveDate, periodicity: Periodicity, n: u32) -> Option<NaiveDate> {
    match periodicity.step() {
        Step::Days(days) => start.checked_add_days(Days::new(u64::from(days) * u64::from(n))),
        Step::Months(months) => start.checked_add_months(Months::new(months.checked_mul(n)?)),
    }
}

/// The occurrences of a series that fall in `period`, as `(n, date)` with `n` the
/// occurrence's index as in [`occurrence_date`], oldest first. `limit` is `None` for an
/// open-ended (recurring) series and `Some(total)` for one of `total` installments
/// (indexes `0..total`).
///
/// The first index that can fall in the period is computed, not searched for: every
/// earlier occurrence is before `period.from()` (for month steps, occurrence `k` always
/// falls in the month `k` steps after the start's month), so listing 2090 of a weekly
/// series started in 2026 takes as long as listing 2026.
pub fn occurrences_in(
    start: NaiveDate,
    periodicity: Periodicity,
    period: &Period,
    limit: Option<u32>,
) -> Vec<(u32, NaiveDate)> {
    let end = limit.unwrap_or(u32::MAX);
    let mut found = Vec::new();
    if period.to() < start {
        return found;
    }
    let Some(mut n) = first_candidate(start, periodicity, period.from()) else {
        return found;
    };
    while n < end {
        let Some(date) = occurrence_date(start, periodicity, n) else {
            break;
        };
        if date > period.to() {
            break;
        }
        if date >= period.from() {
            found.push((n, date));
        }
        let Some(next) = n.checked_add(1) else {
            break;
        };
        n = next;
    }
    found
}

/// The smallest index whose occurrence may be on or after `from`: every smaller one is
/// strictly before it. `None` when that index does not fit in a `u32`.
fn first_candidate(start: NaiveDate, periodicity: Periodicity, from: NaiveDate) -> Option<u32> {
    if from <= start {
        return Some(0);
    }
    let index = match periodicity.step() {
        // Occurrence k is start + k·step days: before `from` exactly when k·step < days.
        Step::Days(step) => {
            let days = (from - start).num_days();
            days.div_euclid(i64::from(step)) + i64::from(days.rem_euclid(i64::from(step)) != 0)
        }
        // Occurrence k falls in the month k·step after the start's: when that month is
        // before `from`'s, so is the occurrence. The occurrence in `from`'s month (if any)
        // may still be before `from`'s day; the caller skips it.
        Step::Months(step) => {
            let months = (i64::from(from.year()) - i64::from(start.year())) * 12
                + i64::from(from.month0())
                - i64::from(start.month0());
            months.div_euclid(i64::from(step))
        }
    };
    u32::try_from(index).ok()
}

/// The dates of a series: occurrence `k` is occurrence `offset + k` of the series that
/// starts on `anchor` ([`occurrence_date`]). A series starts as its own anchor; one split
/// off another keeps the other's anchor, so that a monthly series from Jan 31 split at
/// its February occurrence (Feb 28) still falls on Mar 31, not on Mar 28.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub anchor: NaiveDate,
    pub offset: u32,
    pub periodicity: Periodicity,
}

impl Rule {
    /// The date of occurrence `k`; `None` only past the last representable date.
    pub fn date(&self, k: u32) -> Option<NaiveDate> {
        occurrence_date(self.anchor, self.periodicity, self.offset.checked_add(k)?)
    }

    /// The occurrences in `period` as `(k, date)`, oldest first, of a series of `limit`
    /// occurrences (`None`: without end); see [`occurrences_in`].
    pub fn in_period(&self, period: &Period, limit: Option<u32>) -> Vec<(u32, NaiveDate)> {
        let limit = limit.map(|limit| self.offset.saturating_add(limit));
        occurrences_in(self.anchor, self.periodicity, period, limit)
            .into_iter()
            .filter(|(n, _)| *n >= self.offset)
            .map(|(n, date)| (n - self.offset, date))
            .collect()
    }
}

/// Why an installment split was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeriesError {
    #[error("a purchase is split into 1 to {MAX_INSTALLMENTS} installments, not {count}")]
    InstallmentCount { count: u32 },
    #[error("the total of the installments must be positive")]
    NotPositive,
    #[error("{total} cannot be split into {count} installments of at least 0.01")]
    LessThanACentEach { total: Money, count: u32 },
}

impl SeriesError {
    /// What the caller is told.
    pub fn message(&self) -> Message {
        match self {
            SeriesError::InstallmentCount { .. } => Text::InstallmentCount {
                max: MAX_INSTALLMENTS.to_string(),
            }
            .into(),
            SeriesError::NotPositive => Text::InstallmentsNotPositive.into(),
            SeriesError::LessThanACentEach { total, count } => Text::InstallmentsUnderACent {
                total: total.to_string(),
                count: count.to_string(),
            }
            .into(),
        }
    }
}

/// Splits `total` into `count` installment amounts that add up exactly to it: each is
/// `floor(total / count)` in cents and the FIRST also takes the remainder
/// (`total % count` cents, so it exceeds the others by less than `count` cents):
/// 100.00 in 3 is 33.34, 33.33, 33.33; 0.05 in 3 is 0.03, 0.01, 0.01.
///
/// `count` is 1 to [`MAX_INSTALLMENTS`]; `total` must be positive and at least one cent
/// per installment.
pub fn split_installments(total: Money, count: u32) -> Result<Vec<Money>, SeriesError> {
    if !(1..=MAX_INSTALLMENTS).contains(&count) {
        return Err(SeriesError::InstallmentCount { count });
    }
    if !total.is_positive() {
        return Err(SeriesError::NotPositive);
    }
    let cents = total.minor();
    let parts = i64::from(count);
    if cents < parts {
        return Err(SeriesError::LessThanACentEach { total, count });
    }
    let each = cents / parts;
    let remainder = cents % parts;
    let mut amounts = vec![Money::from_minor(each); count as usize];
    amounts[0] = Money::from_minor(each + remainder);
    Ok(amounts)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    fn m(text: &str) -> Money {
        text.parse().expect("an amount")
    }

    fn dates(start: NaiveDate, periodicity: Periodicity, count: u32) -> Vec<NaiveDate> {
        (0..count)
            .map(|n| occurrence_date(start, periodicity, n).expect("a date"))
            .collect()
    }

    /// Every occurrence in the period by walking from the start, one by one.
    fn brute_force(
        start: NaiveDate,
        periodicity: Periodicity,
        period: &Period,
        limit: Option<u32>,
    ) -> Vec<(u32, NaiveDate)> {
        let mut found = Vec::new();
        for n in 0..limit.unwrap_or(u32::MAX) {
            let Some(date) = occurrence_date(start, periodicity, n) else {
                break;
            };
            if date > period.to() {
                break;
            }
            if period.contains(date) {
                found.push((n, date));
            }
        }
        found
    }

    #[test]
    fn monthly_from_the_31st_falls_back_and_returns() {
        assert_eq!(
            dates(d(2026, 1, 31), Periodicity::Monthly, 8),
            [
                d(2026, 1, 31),
                d(2026, 2, 28),
                d(2026, 3, 31),
                d(2026, 4, 30),
                d(2026, 5, 31),
                d(2026, 6, 30),
                d(2026, 7, 31),
                d(2026, 8, 31),
            ]
        );
        // In a leap year February has its 29th.
        assert_eq!(
            dates(d(2028, 1, 31), Periodicity::Monthly, 3),
            [d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31)]
        );
        // The 30th and 29th come back after February too.
        assert_eq!(
            dates(d(2026, 1, 30), Periodicity::Monthly, 3),
            [d(2026, 1, 30), d(2026, 2, 28), d(2026, 3, 30)]
        );
        assert_eq!(
            dates(d(2026, 1, 29), Periodicity::Monthly, 3),
            [d(2026, 1, 29), d(2026, 2, 28), d(2026, 3, 29)]
        );
        // Across the year end.
        assert_eq!(
            occurrence_date(d(2026, 10, 31), Periodicity::Monthly, 4),
            Some(d(2027, 2, 28))
        );
    }

    #[test]
    fn bimonthly_and_trimonthly_keep_the_start_day() {
        assert_eq!(
            dates(d(2025, 12, 31), Periodicity::Bimonthly, 4),
            [
                d(2025, 12, 31),
                d(2026, 2, 28),
                d(2026, 4, 30),
                d(2026, 6, 30)
            ]
        );
        assert_eq!(
            occurrence_date(d(2025, 12, 31), Periodicity::Bimonthly, 4),
            Some(d(2026, 8, 31))
        );
        assert_eq!(
            dates(d(2025, 11, 30), Periodicity::Trimonthly, 5),
            [
                d(2025, 11, 30),
                d(2026, 2, 28),
                d(2026, 5, 30),
                d(2026, 8, 30),
                d(2026, 11, 30)
            ]
        );
    }

    #[test]
    fn yearly_from_february_29_returns_in_leap_years() {
        assert_eq!(
            dates(d(2024, 2, 29), Periodicity::Yearly, 5),
            [
                d(2024, 2, 29),
                d(2025, 2, 28),
                d(2026, 2, 28),
                d(2027, 2, 28),
                d(2028, 2, 29)
            ]
        );
        // 2100 is not a leap year.
        assert_eq!(
            occurrence_date(d(2096, 2, 29), Periodicity::Yearly, 4),
            Some(d(2100, 2, 28))
        );
    }

    #[test]
    fn weekly_and_biweekly_are_exact_days() {
        assert_eq!(
            dates(d(2026, 12, 24), Periodicity::Weekly, 3),
            [d(2026, 12, 24), d(2026, 12, 31), d(2027, 1, 7)]
        );
        assert_eq!(
            dates(d(2026, 2, 15), Periodicity::Biweekly, 3),
            [d(2026, 2, 15), d(2026, 3, 1), d(2026, 3, 15)]
        );
    }

    #[test]
    fn occurrence_past_the_calendar_is_none_not_a_panic() {
        assert_eq!(
            occurrence_date(d(2026, 1, 1), Periodicity::Yearly, u32::MAX),
            None
        );
        assert_eq!(
            occurrence_date(d(2026, 1, 1), Periodicity::Weekly, u32::MAX),
            None
        );
        assert_eq!(
            occurrence_date(NaiveDate::MAX, Periodicity::Monthly, 1),
            None
        );
        assert_eq!(
            occurrence_date(NaiveDate::MAX, Periodicity::Monthly, 0),
            Some(NaiveDate::MAX)
        );
    }

    #[test]
    fn periodicity_names_round_trip() {
        for periodicity in Periodicity::ALL {
            assert_eq!(
                Periodicity::from_name(periodicity.as_str()),
                Some(periodicity)
            );
        }
        assert_eq!(Periodicity::from_name("monthly"), None);
        assert_eq!(Periodicity::from_name(""), None);
    }

    /// One year from 2026-01-31. "Within 365 days" is 2026-01-31 to 2027-01-30: day 364
    /// is 52 weeks exactly, so weekly has 53 occurrences and biweekly 27 (day 364 is 26
    /// fortnights); the monthly ones end on Dec 31, Nov 30 and Oct 31. The longest
    /// [`Period`] from that day also takes 2027-01-31 (day 365), which is one more
    /// occurrence of every month-based periodicity (the 13th month, the 7th second month,
    /// the 5th quarter, the 2nd year) and none of the week-based ones.
    #[test]
    fn every_periodicity_over_one_year_from_january_31() {
        let start = d(2026, 1, 31);
        let days_365 = Period::new(start, d(2027, 1, 30)).expect("a period");
        let longest = Period::new(start, d(2027, 1, 31)).expect("a period");
        assert!(Period::new(start, d(2027, 2, 1)).is_err());
        let expected = [
            (Periodicity::Weekly, 53, 53),
            (Periodicity::Biweekly, 27, 27),
            (Periodicity::Monthly, 12, 13),
            (Periodicity::Bimonthly, 6, 7),
            (Periodicity::Trimonthly, 4, 5),
            (Periodicity::Yearly, 1, 2),
        ];
        for (periodicity, within_365, within_longest) in expected {
            let found = occurrences_in(start, periodicity, &days_365, None);
            assert_eq!(found.len(), within_365, "{periodicity:?} in 365 days");
            assert_eq!(found[0], (0, start));
            let indexes: Vec<u32> = found.iter().map(|(n, _)| *n).collect();
            assert_eq!(indexes, (0..within_365 as u32).collect::<Vec<_>>());
            assert_eq!(
                occurrences_in(start, periodicity, &longest, None).len(),
                within_longest,
                "{periodicity:?} in the longest period"
            );
        }
        let last = |periodicity| {
            occurrences_in(start, periodicity, &days_365, None)
                .last()
                .map(|(_, date)| *date)
        };
        assert_eq!(last(Periodicity::Weekly), Some(d(2027, 1, 30)));
        assert_eq!(last(Periodicity::Biweekly), Some(d(2027, 1, 30)));
        assert_eq!(last(Periodicity::Monthly), Some(d(2026, 12, 31)));
        assert_eq!(last(Periodicity::Bimonthly), Some(d(2026, 11, 30)));
        assert_eq!(last(Periodicity::Trimonthly), Some(d(2026, 10, 31)));
        assert_eq!(last(Periodicity::Yearly), Some(start));
    }

    /// A calendar year from a series that starts on its first day.
    #[test]
    fn every_periodicity_over_calendar_2026() {
        let year = Period::new(d(2026, 1, 1), d(2026, 12, 31)).expect("a period");
        let expected = [53, 27, 12, 6, 4, 1];
        for (periodicity, count) in Periodicity::ALL.into_iter().zip(expected) {
            assert_eq!(
                occurrences_in(d(2026, 1, 1), periodicity, &year, None).len(),
                count,
                "{periodicity:?}"
            );
        }
    }

    #[test]
    fn listing_a_month_shows_the_occurrence_that_falls_in_it() {
        let start = d(2026, 1, 31);
        let february = Period::month(2026, 2).expect("February");
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &february, None),
            [(1, d(2026, 2, 28))]
        );
        // A month the bimonthly series skips.
        assert_eq!(
            occurrences_in(start, Periodicity::Bimonthly, &february, None),
            []
        );
        // Before the series starts: nothing.
        let january = Period::month(2026, 1).expect("January");
        assert_eq!(
            occurrences_in(d(2026, 2, 1), Periodicity::Weekly, &january, None),
            []
        );
        // The first week of the series only from its start.
        assert_eq!(
            occurrences_in(d(2026, 1, 20), Periodicity::Weekly, &january, None),
            [(0, d(2026, 1, 20)), (1, d(2026, 1, 27))]
        );
    }

    #[test]
    fn a_finite_series_stops_after_its_last_installment() {
        let start = d(2026, 1, 15);
        let twelve = Some(12);
        // Installment 12 (index 11) is in December; nothing after.
        let december = Period::month(2026, 12).expect("December");
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &december, twelve),
            [(11, d(2026, 12, 15))]
        );
        let next_january = Period::month(2027, 1).expect("January");
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &next_january, twelve),
            []
        );
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &next_january, None),
            [(12, d(2027, 1, 15))]
        );
        let year = Period::new(start, d(2027, 1, 15)).expect("a period");
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &year, twelve).len(),
            12
        );
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &year, Some(0)),
            []
        );
    }

    #[test]
    fn a_far_future_period_jumps_to_its_occurrences() {
        let start = d(2026, 1, 1);
        let year_2090 = Period::new(d(2090, 1, 1), d(2090, 12, 31)).expect("a period");
        let found = occurrences_in(start, Periodicity::Weekly, &year_2090, None);
        assert_eq!(
            found,
            brute_force(start, Periodicity::Weekly, &year_2090, None)
        );
        assert_eq!(found.len(), 52);
        let (first, first_date) = found[0];
        assert_eq!(
            occurrence_date(start, Periodicity::Weekly, first),
            Some(first_date)
        );
        assert!(first_date >= d(2090, 1, 1) && first_date < d(2090, 1, 8));
        // Millions of weeks ahead answers at once (walking would take 13 million steps).
        let far = Period::new(d(262_000, 1, 1), d(262_000, 12, 31)).expect("a period");
        let found = occurrences_in(start, Periodicity::Weekly, &far, None);
        assert_eq!(found.len(), 52);
        assert!(found[0].0 > 13_000_000);
        // A monthly series ending before the far period shows nothing there.
        assert_eq!(
            occurrences_in(start, Periodicity::Monthly, &far, Some(420)),
            []
        );
    }

    #[test]
    fn a_period_at_the_end_of_the_calendar_does_not_panic() {
        let end = Period::new(
            NaiveDate::MAX.pred_opt().expect("a day before"),
            NaiveDate::MAX,
        )
        .expect("a period");
        for periodicity in Periodicity::ALL {
            let found = occurrences_in(d(2026, 1, 1), periodicity, &end, None);
            assert!(found.len() <= 1, "{periodicity:?}");
            let found = occurrences_in(NaiveDate::MAX, periodicity, &end, None);
            assert_eq!(found, [(0, NaiveDate::MAX)], "{periodicity:?}");
        }
    }

    #[test]
    fn installments_of_a_total_that_does_not_divide() {
        assert_eq!(
            split_installments(m("100.00"), 3),
            Ok(vec![m("33.34"), m("33.33"), m("33.33")])
        );
        assert_eq!(
            split_installments(m("0.05"), 3),
            Ok(vec![m("0.03"), m("0.01"), m("0.01")])
        );
        assert_eq!(
            split_installments(m("120.00"), 12),
            Ok(vec![m("10.00"); 12])
        );
        assert_eq!(split_installments(m("7.99"), 1), Ok(vec![m("7.99")]));
        assert_eq!(split_installments(m("4.20"), 420), Ok(vec![m("0.01"); 420]));
    }

    #[test]
    fn impossible_splits_are_refused() {
        assert_eq!(
            split_installments(m("100"), 0),
            Err(SeriesError::InstallmentCount { count: 0 })
        );
        assert_eq!(
            split_installments(m("100"), 421),
            Err(SeriesError::InstallmentCount { count: 421 })
        );
        assert_eq!(split_installments(m("0"), 3), Err(SeriesError::NotPositive));
        assert_eq!(
            split_installments(m("-10"), 3),
            Err(SeriesError::NotPositive)
        );
        assert_eq!(
            split_installments(m("0.02"), 3),
            Err(SeriesError::LessThanACentEach {
                total: m("0.02"),
                count: 3
            })
        );
        assert_eq!(
            SeriesError::LessThanACentEach {
                total: m("0.02"),
                count: 3
            }
            .to_string(),
            "0.02 cannot be split into 3 installments of at least 0.01"
        );
    }

    fn periodicity() -> impl Strategy<Value = Periodicity> {
        prop::sample::select(Periodicity::ALL.to_vec())
    }

    /// Any day from 1990 to 2110.
    fn date() -> impl Strategy<Value = NaiveDate> {
        (0u64..44_000).prop_map(|offset| d(1990, 1, 1) + Days::new(offset))
    }

    proptest! {
        #[test]
        fn installments_add_up_to_the_total(
            cents in 1i64..=100_000_000_000,
            count in 1u32..=MAX_INSTALLMENTS,
        ) {
            prop_assume!(cents >= i64::from(count));
            let total = Money::from_minor(cents);
            let amounts = split_installments(total, count).expect("a valid split");
            prop_assert_eq!(amounts.len(), count as usize);
            prop_assert_eq!(Money::sum(amounts.iter().copied()), Some(total));
            let remainder = cents % i64::from(count);
            let least = amounts.iter().min().expect("one").minor();
            let most = amounts.iter().max().expect("one").minor();
            prop_assert!(least >= 1);
            prop_assert!(most - least <= remainder);
            prop_assert_eq!(amounts[0].minor() - amounts[count as usize - 1].minor(), remainder);
            prop_assert!(amounts[1..].iter().all(|a| a.minor() == least));
        }

        #[test]
        fn too_small_totals_are_refused(count in 2u32..=MAX_INSTALLMENTS, cents in 1i64..420) {
            prop_assume!(cents < i64::from(count));
            prop_assert!(
                matches!(
                    split_installments(Money::from_minor(cents), count),
                    Err(SeriesError::LessThanACentEach { .. })
                ),
                "split {} into {}", cents, count
            );
        }

        #[test]
        fn monthly_occurrences_keep_the_day_or_take_the_last_one(
            start in date(),
            n in 0u32..1_200,
        ) {
            let date = occurrence_date(start, Periodicity::Monthly, n).expect("a date");
            let months = start.year() * 12 + start.month0() as i32 + n as i32;
            prop_assert_eq!(date.year() * 12 + date.month0() as i32, months);
            prop_assert!(date.day() <= start.day());
            let last_day = Period::month_of(date).to().day();
            if start.day() > last_day {
                prop_assert_eq!(date.day(), last_day);
            } else {
                prop_assert_eq!(date.day(), start.day());
            }
        }

        #[test]
        fn occurrences_in_agree_with_walking_from_the_start(
            start in date(),
            periodicity in periodicity(),
            from in date(),
            length in 0u64..=366,
            limit in prop::option::of(0u32..600),
        ) {
            let to = from + Days::new(length);
            let Ok(period) = Period::new(from, to) else {
                // 366 days is over a year unless it spans a February 29.
                return Ok(());
            };
            prop_assert_eq!(
                occurrences_in(start, periodicity, &period, limit),
                brute_force(start, periodicity, &period, limit)
            );
        }
    }
}
