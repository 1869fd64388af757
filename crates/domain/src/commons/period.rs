//! A period of whole days: what listings and summaries of a book cover. Dates, never
//! instants, so that a month is the organization's month (an Organizze complaint: their
//! API rounded any range to whole months).

use chrono::{Datelike, Months, NaiveDate};

use super::{Calendar, sentences::Text};

/// Why a period was refused; `Display` is its message in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::Message::from(self.message()))]
pub enum PeriodError {
    Reversed { from: NaiveDate, to: NaiveDate },
    LongerThanAYear { latest: NaiveDate },
    NoSuchMonth { year: i32, month: u32 },
}

impl PeriodError {
    /// What the caller is told.
    pub fn message(&self) -> Text {
        match self {
            PeriodError::Reversed { from, to } => Text::PeriodReversed {
                from: from.to_string(),
                to: to.to_string(),
            },
            PeriodError::LongerThanAYear { latest } => Text::PeriodTooLong {
                latest: latest.to_string(),
            },
            PeriodError::NoSuchMonth { year, month } => Text::NoSuchMonth {
                month: month.to_string(),
                year: year.to_string(),
            },
        }
    }
}

/// The days from `from` to `to`, both included, at most one year apart (the Fipli
/// REST API's limit: a longer range is refused, not cut).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

impl Period {
    /// The days from `from` to `to`; `to` at most one year after `from` (2024-07-01 to
    /// 2025-07-01 is accepted, one day more is not).
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if from > to {
            return Err(PeriodError::Reversed { from, to });
        }
        let latest = from
            .checked_add_months(Months::new(12))
            .unwrap_or(NaiveDate::MAX);
        if to > latest {
            return Err(PeriodError::LongerThanAYear { latest });
        }
        Ok(Self { from, to })
    }

    /// A whole calendar month.
    pub fn month(year: i32, month: u32) -> Result<Self, PeriodError> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or(PeriodError::NoSuchMonth { year, month })?;
        let to = from
            .checked_add_months(Months::new(1))
            .and_then(|next| next.pred_opt())
            .ok_or(PeriodError::NoSuchMonth { year, month })?;
        Ok(Self { from, to })
    }

    /// The whole month `date` falls in.
    pub fn month_of(date: NaiveDate) -> Self {
        Self::month(date.year(), date.month()).unwrap_or(Self {
            from: date,
            to: date,
        })
    }

    /// The first day of `today`'s month to `today`: a listing's default (Fipli's).
    pub fn month_to_date(today: NaiveDate) -> Self {
        Self {
            from: Calendar::month_start(today),
            to: today,
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The month both ends fall in, when they fall in one (a summary's `month`).
    pub fn single_month(&self) -> Option<(i32, u32)> {
        (self.from.year() == self.to.year() && self.from.month() == self.to.month())
            .then(|| (self.from.year(), self.from.month()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    #[test]
    fn a_year_is_the_limit() {
        assert!(Period::new(d(2024, 7, 1), d(2025, 7, 1)).is_ok());
        assert_eq!(
            Period::new(d(2024, 7, 1), d(2025, 7, 2)),
            Err(PeriodError::LongerThanAYear {
                latest: d(2025, 7, 1)
            })
        );
        assert!(Period::new(d(2024, 2, 29), d(2025, 2, 28)).is_ok());
        assert!(Period::new(d(2024, 2, 29), d(2025, 3, 1)).is_err());
        assert!(matches!(
            Period::new(d(2024, 7, 2), d(2024, 7, 1)),
            Err(PeriodError::Reversed { .. })
        ));
    }

    #[test]
    fn months_are_whole() {
        let feb = Period::month(2024, 2).expect("February");
        assert_eq!((feb.from(), feb.to()), (d(2024, 2, 1), d(2024, 2, 29)));
        let dec = Period::month(2026, 12).expect("December");
        assert_eq!(dec.to(), d(2026, 12, 31));
        assert_eq!(dec.single_month(), Some((2026, 12)));
        assert!(Period::month(2026, 13).is_err());
        assert!(Period::month(2026, 0).is_err());
        let mtd = Period::month_to_date(d(2026, 11, 30));
        assert_eq!((mtd.from(), mtd.to()), (d(2026, 11, 1), d(2026, 11, 30)));
    }
}
