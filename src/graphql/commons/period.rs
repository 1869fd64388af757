//! `PeriodInput`: the period a listing or a summary covers, as the REST APIs take it: a
//! month (`{month, year}`, Leasy's summaries) or a range of days (`{from, to}`, Leasy's
//! `start_date`/`end_date`, Fipli's `from_date`/`to_date`).

use async_graphql::InputObject;
use chrono::{Datelike, NaiveDate};

use super::{Date, ErrorCode, text::Text};
use crate::domain::{Message, commons::Period};

/// A period: either a month (`month`, with `year` defaulting to the current one) or a
/// range of whole days (`from` and `to`, both included, at most one year apart). Dates
/// are days in the organization's timezone.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PeriodInput {
    /// A month, 1 to 12.
    pub month: Option<i32>,
    /// The month's year; the current year when omitted.
    pub year: Option<i32>,
    /// The first day included.
    pub from: Option<Date>,
    /// The last day included; at most one year after `from`. Today when omitted.
    pub to: Option<Date>,
}

impl PeriodInput {
    /// The period asked for; `default` when nothing was sent. BAD_USER_INPUT for a month
    /// mixed with days, a month out of range, reversed dates or more than a year.
    pub fn resolve(&self, today: NaiveDate, default: Period) -> async_graphql::Result<Period> {
        let bad = |message: Message| ErrorCode::BadUserInput.error(message);
        let has_days = self.from.is_some() || self.to.is_some();
        let has_month = self.month.is_some() || self.year.is_some();
        if has_days && has_month {
            return Err(bad(Text::PeriodMonthOrDays.into()));
        }
        if has_month {
            let Some(month) = self.month else {
                return Err(bad(Text::YearNeedsMonth.into()));
            };
            let year = self.year.unwrap_or(today.year());
            let month = u32::try_from(month).unwrap_or(0);
            return Period::month(year, month).map_err(|e| bad(e.message().into()));
        }
        if has_days {
            let Some(from) = self.from else {
                return Err(bad(Text::ToNeedsFrom.into()));
            };
            let to = self.to.map_or(today, |d| d.0);
            return Period::new(from.0, to).map_err(|e| bad(e.message().into()));
        }
        Ok(default)
    }
}
