//! Statement cycles of a credit card (issue 6): which statement a purchase belongs to and
//! the dates of each statement. Plain rules on dates; storing cards, cycles and
//! purchases is the caller's.
//!
//! Rules kept here:
//! - a statement is named by the month it CLOSES in ([`Month`]); it closes on the card's
//!   closing day of that month, or the month's last day when the month is shorter (a
//!   closing day of 30 closes February on the 28th or 29th);
//! - it starts the day after the previous statement closed, so consecutive statements
//!   cover every day exactly once, whatever the closing days were;
//! - a purchase ON the closing day belongs to the statement that closes that day; one
//!   made after it belongs to the next month's (the Organizze users' report of a purchase
//!   on May 31 with a closing day of 30 vanishing from both months: it is June's);
//! - a statement is due on the due day of its closing month when the due day comes after
//!   the closing day, and of the next month otherwise (closing 4, due 17: July 4 closes,
//!   July 17 is due; closing 30, due 10: June 30 closes, July 10 is due);
//! - the days can change from a statement on ([`Cycles`]): earlier statements keep theirs.

use chrono::{Datelike, Days, NaiveDate};

/// A calendar month as one number (`year * 12 + month - 1`), the way statements are
/// named and stored (`statement_month`): consecutive months are consecutive numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// `month` is 1 to 12; `None` otherwise or out of chrono's years.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Month(year * 12 + month as i32 - 1))
    }

    pub fn of(date: NaiveDate) -> Month {
        Month(date.year() * 12 + date.month0() as i32)
    }

    /// As stored in `statement_month`.
    pub fn from_index(index: i32) -> Month {
        Month(index)
    }

    pub fn index(self) -> i32 {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 to 12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.plus(1)
            .first_day()
            .pred_opt()
            .unwrap_or(NaiveDate::MAX)
    }

    /// Day `day` of the month, or its last day when the month is shorter.
    pub fn day(self, day: u32) -> NaiveDate {
        let last = self.last_day();
        if day >= last.day() {
            last
        } else {
            NaiveDate::from_ymd_opt(self.year(), self.month(), day.max(1)).unwrap_or(last)
        }
    }
}

/// The closing and due days of a card's statements (1 to 31 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    pub closing_day: u32,
    pub due_day: u32,
}

impl Cycle {
    /// Both days 1 to 31; `None` otherwise.
    pub fn new(closing_day: u32, due_day: u32) -> Option<Cycle> {
        let valid = |d: u32| (1..=31).contains(&d);
        (valid(closing_day) && valid(due_day)).then_some(Cycle {
            closing_day,
            due_day,
        })
    }
}

/// The cycles a card has had: each applies from its month (a statement's closing month)
/// until the next one's. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycles {
    /// Sorted by month, months distinct.
    from: Vec<(Month, Cycle)>,
}

impl Cycles {
    /// A card's only cycle.
    pub fn single(cycle: Cycle) -> Cycles {
        Cycles {
            from: vec![(Month(i32::MIN / 2), cycle)],
        }
    }

    /// From stored rows in any order; `None` when there are none. A later row for the
    /// same month replaces the earlier one.
    pub fn from_rows(rows: impl IntoIterator<Item = (Month, Cycle)>) -> Option<Cycles> {
        let mut from: Vec<(Month, Cycle)> = rows.into_iter().collect();
        from.sort_by_key(|(month, _)| *month);
        from.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 = later.1;
                true
            } else {
                false
            }
        });
        (!from.is_empty()).then_some(Cycles { from })
    }

    /// The cycle statement `month` follows (the first one for months before any).
    pub fn at(&self, month: Month) -> Cycle {
        let i = self.from.partition_point(|(from, _)| *from <= month);
        self.from[i.saturating_sub(1)].1
    }

    /// The closing date of statement `month`.
    pub fn closing(&self, month: Month) -> NaiveDate {
        month.day(self.at(month).closing_day)
    }

    /// The statement a purchase made on `date` belongs to.
    pub fn statement_for(&self, date: NaiveDate) -> Month {
        let month = Month::of(date);
        if date <= self.closing(month) {
            month
        } else {
            month.plus(1)
        }
    }

    /// The dates of statement `month`.
    pub fn dates(&self, month: Month) -> StatementDates {
        let cycle = self.at(month);
        let closing = month.day(cycle.closing_day);
        let start = self
            .closing(month.plus(-1))
            .checked_add_days(Days::new(1))
            .unwrap_or(closing);
        // A short month can bring both days together (closing 30, due 31 in February):
        // a statement is never due the day it closes, so it is then due next month.
        let same_month = month.day(cycle.due_day);
        let due = if cycle.due_day > cycle.closing_day && same_month > closing {
            same_month
        } else {
            month.plus(1).day(cycle.due_day)
        };
        StatementDates {
            month,
            start,
            closing,
            due,
        }
    }
}

/// When a statement opens, closes and is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementDates {
    /// The month it closes in; its name.
    pub month: Month,
    /// The first day of its purchases (the day after the previous one closed).
    pub start: NaiveDate,
    /// The last day of its purchases.
    pub closing: NaiveDate,
    pub due: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cycles(closing: u32, due: u32) -> Cycles {
        Cycles::single(Cycle::new(closing, due).unwrap())
    }

    #[test]
    fn months_count_across_years() {
        let dec = Month::new(2025, 12).unwrap();
        assert_eq!(dec.plus(1), Month::new(2026, 1).unwrap());
        assert_eq!((dec.year(), dec.month()), (2025, 12));
        assert_eq!(Month::of(d(2026, 2, 14)).last_day(), d(2026, 2, 28));
        assert_eq!(Month::of(d(2028, 2, 1)).day(31), d(2028, 2, 29));
        assert_eq!(Month::new(2026, 13), None);
        assert_eq!(Month::from_index(dec.index()), dec);
    }

    #[test]
    fn the_rest_api_statement_dates() {
        // Organizze's card 3: closing day 4, due day 17 (statement 186).
        let dates = cycles(4, 17).dates(Month::new(2015, 7).unwrap());
        assert_eq!(dates.start, d(2015, 6, 5));
        assert_eq!(dates.closing, d(2015, 7, 4));
        assert_eq!(dates.due, d(2015, 7, 17));
        // Card 4: closing 2, due 15 (statement 180).
        let dates = cycles(2, 15).dates(Month::new(2015, 1).unwrap());
        assert_eq!(dates.start, d(2014, 12, 3));
        assert_eq!(dates.closing, d(2015, 1, 2));
        assert_eq!(dates.due, d(2015, 1, 15));
    }

    #[test]
    fn a_purchase_after_the_closing_day_goes_to_the_next_statement() {
        let card = cycles(30, 10);
        let may = Month::new(2019, 5).unwrap();
        assert_eq!(card.statement_for(d(2019, 5, 30)), may);
        assert_eq!(card.statement_for(d(2019, 5, 31)), may.plus(1));
        let june = card.dates(may.plus(1));
        assert_eq!(june.start, d(2019, 5, 31));
        assert_eq!(june.closing, d(2019, 6, 30));
        assert_eq!(june.due, d(2019, 7, 10));
        // February closes on its last day, and March starts the day after.
        let feb = card.dates(Month::new(2019, 2).unwrap());
        assert_eq!((feb.start, feb.closing), (d(2019, 1, 31), d(2019, 2, 28)));
        assert_eq!(card.dates(feb.month.plus(1)).start, d(2019, 3, 1));
        assert_eq!(card.statement_for(d(2019, 1, 31)), feb.month);
    }

    #[test]
    fn new_days_apply_from_their_month_on() {
        let old = Cycle::new(30, 10).unwrap();
        let new = Cycle::new(5, 15).unwrap();
        let june = Month::new(2026, 6).unwrap();
        let card = Cycles::from_rows([(june, new), (Month(0), old)]).unwrap();
        assert_eq!(card.dates(june.plus(-1)).closing, d(2026, 5, 30));
        let dates = card.dates(june);
        assert_eq!(
            (dates.start, dates.closing),
            (d(2026, 5, 31), d(2026, 6, 5))
        );
        assert_eq!(dates.due, d(2026, 6, 15));
        assert_eq!(card.statement_for(d(2026, 6, 6)), june.plus(1));
        assert_eq!(Cycles::from_rows([]), None);
    }

    proptest! {
        /// Statements tile the calendar: every day is in exactly the statement
        /// `statement_for` names, between its start and closing, however the days change.
        #[test]
        fn every_day_is_in_exactly_one_statement(
            a in 1u32..=31, b in 1u32..=31, due in 1u32..=31,
            change in 0i32..24, offset in 0u64..1500,
        ) {
            let base = Month::new(2025, 1).unwrap();
            let card = Cycles::from_rows([
                (base, Cycle::new(a, due).unwrap()),
                (base.plus(change), Cycle::new(b, due).unwrap()),
            ]).unwrap();
            let day = d(2025, 1, 1) + Days::new(offset);
            let month = card.statement_for(day);
            let dates = card.dates(month);
            prop_assert!(dates.start <= day && day <= dates.closing);
            let next = card.dates(month.plus(1));
            prop_assert_eq!(next.start, dates.closing + Days::new(1));
            prop_assert!(dates.due > dates.closing);
        }
    }
}
