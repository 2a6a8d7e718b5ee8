//! Plans whose dates have passed.
//!
//! A `tentative` event is a plan. Once its last day is over, the plan either happened (and the
//! event should be confirmed with its real dates), was called off, or was dropped: in every
//! case the feed no longer tells subscribers the truth. [`passed`] finds such events; the loader
//! turns them into warnings.
//!
//! "Today" is taken from the clock, in each event's own zone. It is deliberately not
//! `SOURCE_DATE_EPOCH`, which fixes what a build writes, not what day it is. Tests and
//! scripts can fix it with the environment variable [`VARIABLE`] (`CALFEED_TODAY=2026-12-02`).

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{Event, Status, When};
use crate::tz::Zone;

/// The environment variable that fixes the date of today, as `YYYY-MM-DD`.
pub const VARIABLE: &str = "CALFEED_TODAY";

/// The day that plans are compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Today {
    /// The current instant: today is its date in each event's zone.
    Now(DateTime<Utc>),
    /// The same date in every zone.
    Date(NaiveDate),
}

/// `CALFEED_TODAY` holds something other than a date.
#[derive(Debug, thiserror::Error)]
#[error("CALFEED_TODAY must be a date written YYYY-MM-DD, such as 2026-12-02, found `{0}`")]
pub struct TodayError(pub String);

impl Today {
    /// Today from the value of `CALFEED_TODAY` if it is set, else from the clock reading `now`.
    ///
    /// ```
    /// use calfeed::plans::Today;
    /// let now = chrono::Utc::now();
    /// assert_eq!(Today::new(None, now).unwrap(), Today::Now(now));
    /// assert_eq!(Today::new(Some(""), now).unwrap(), Today::Now(now));
    /// let fixed = Today::new(Some("2026-12-02"), now).unwrap();
    /// assert_eq!(fixed, Today::Date("2026-12-02".parse().unwrap()));
    /// assert!(Today::new(Some("yesterday"), now).is_err());
    /// assert!(Today::new(Some("2026-02-30"), now).is_err());
    /// ```
    pub fn new(fixed: Option<&str>, now: DateTime<Utc>) -> Result<Today, TodayError> {
        match fixed.map(str::trim) {
            None | Some("") => Ok(Today::Now(now)),
            Some(value) => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .filter(|_| value.len() == 10)
                .map(Today::Date)
                .ok_or_else(|| TodayError(value.to_owned())),
        }
    }

    /// The date of today where `zone`'s clocks are.
    pub fn in_zone(self, zone: Zone) -> NaiveDate {
        match self {
            Today::Now(now) => date_in(now, zone),
            Today::Date(date) => date,
        }
    }
}

/// The date that `instant` falls on in `zone`: the one place where a zone is consulted.
fn date_in(instant: DateTime<Utc>, zone: Zone) -> NaiveDate {
    zone.to_local(instant).date()
}

/// The last day of `event` in its own zone: the last date of an all-day event, the date its end
/// falls on for a timed one.
pub fn last_day(event: &Event) -> NaiveDate {
    match event.when {
        When::AllDay { last, .. } => last,
        When::Timed { end, .. } => date_in(end.utc, event.timezone),
    }
}

/// A plan that is over: `event`'s last day and today's date, both in the event's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Passed {
    /// The event's last day.
    pub last_day: NaiveDate,
    /// Today.
    pub today: NaiveDate,
}

/// Whether `event` is a tentative plan whose last day is before today, in the event's zone.
pub fn passed(event: &Event, today: Today) -> Option<Passed> {
    if event.status != Status::Tentative {
        return None;
    }
    let last_day = last_day(event);
    let today = today.in_zone(event.timezone);
    (last_day < today).then_some(Passed { last_day, today })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn instant(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// The only event of a small calendar whose `[[event]]` holds `body`.
    fn event(body: &str) -> Event {
        let text = format!(
            "[calendar]\nname = \"C\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"plan\"\ntitle = \"Plan\"\n{body}"
        );
        let loaded = crate::load::parse(&text).expect("the test calendar is valid");
        loaded
            .calendar
            .events
            .into_iter()
            .next()
            .expect("one event")
    }

    fn all_day(first: &str, last: &str, zone: &str, status: &str) -> Event {
        event(&format!(
            "start = {first}\nend = {last}\ntimezone = \"{zone}\"\nstatus = \"{status}\"\n"
        ))
    }

    #[test]
    fn a_plan_is_stale_the_day_after_its_last_day() {
        let plan = all_day("2026-03-20", "2026-03-31", "Asia/Tokyo", "tentative");
        assert_eq!(passed(&plan, Today::Date(date("2026-03-31"))), None);
        assert_eq!(
            passed(&plan, Today::Date(date("2026-04-01"))),
            Some(Passed {
                last_day: date("2026-03-31"),
                today: date("2026-04-01")
            })
        );
    }

    #[test]
    fn only_tentative_events_are_plans() {
        for status in ["confirmed", "cancelled"] {
            let e = all_day("2026-03-19", "2026-03-19", "UTC", status);
            assert_eq!(passed(&e, Today::Date(date("2026-12-02"))), None);
        }
    }

    #[test]
    fn today_is_the_date_in_the_events_zone() {
        // 2026-04-01T02:00Z is already 1 April in Tokyo but still 31 March in New York.
        let now = Today::Now(instant("2026-04-01T02:00:00Z"));
        let tokyo = all_day("2026-03-31", "2026-03-31", "Asia/Tokyo", "tentative");
        let washington = all_day("2026-03-31", "2026-03-31", "America/New_York", "tentative");
        assert!(passed(&tokyo, now).is_some());
        assert_eq!(passed(&washington, now), None);
    }

    #[test]
    fn a_timed_plan_ends_on_the_date_of_its_end_in_its_zone() {
        // Ends at 23:30 on 13 May in Beijing, which is 15:30 UTC.
        let plan = event(
            "start = 2026-05-13T09:00:00\nend = 2026-05-13T23:30:00\n\
             timezone = \"Asia/Shanghai\"\nstatus = \"tentative\"\n",
        );
        assert_eq!(last_day(&plan), date("2026-05-13"));
        assert_eq!(
            passed(&plan, Today::Now(instant("2026-05-13T15:59:59Z"))),
            None
        );
        assert!(passed(&plan, Today::Now(instant("2026-05-13T16:00:00Z"))).is_some());
    }

    #[test]
    fn fixed_dates_must_be_written_in_full() {
        let now = instant("2026-12-02T00:00:00Z");
        for bad in [
            "2026-1-2",
            "02/12/2026",
            "2026-12-02T00:00:00",
            "+2026-12-02",
        ] {
            assert!(Today::new(Some(bad), now).is_err(), "{bad}");
        }
    }
}
