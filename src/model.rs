//! The validated calendar: what the rest of calfeed works with once `events.toml` has been read.
//!
//! Every value here has passed the checks in [`crate::load`]: timezones exist, times are
//! unambiguous, ends come after starts. Times are kept as distinct variants (all-day dates versus
//! instants with the zone they are shown in), never as strings.

use crate::tz::Zone;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::duration::Duration;
use crate::recur::Rule;
use crate::text::Text;

/// The whole input: calendar settings, feeds and events.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Calendar name (`NAME`, `X-WR-CALNAME`).
    pub name: Text,
    /// Calendar description (`DESCRIPTION`, `X-WR-CALDESC`).
    pub description: Option<Text>,
    /// Default zone of events without one (`X-WR-TIMEZONE`).
    pub timezone: Zone,
    /// Domain part of every UID.
    pub domain: String,
    /// Where the feeds are published, ending in `/`.
    pub url: Option<String>,
    /// How often clients should refresh.
    pub refresh: Duration,
    /// Default language of texts.
    pub language: String,
    /// How timed values are written.
    pub timezones: TimezoneStyle,
    /// Length of a timed event that gives neither `end` nor `duration`.
    pub default_duration: Duration,
    /// Title prefix of tentative events; empty to disable.
    pub tentative_marker: Text,
    /// Title prefix of cancelled events; empty to disable.
    pub cancelled_marker: Text,
    /// The IANA tz database release the times were placed with, e.g. `2026f` (named in
    /// `PRODID`).
    pub tzdata: String,
    /// The `[[feed]]`s, in file order.
    pub feeds: Vec<Feed>,
    /// The events, in file order.
    pub events: Vec<Event>,
}

/// How timed values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimezoneStyle {
    /// `TZID=<IANA name>` backed by a generated `VTIMEZONE`.
    Vtimezone,
    /// Every timed value in UTC, no `VTIMEZONE`.
    Utc,
}

/// One extra feed: a filtered, possibly translated view of the events.
#[derive(Debug, Clone)]
pub struct Feed {
    /// File name without `.ics`.
    pub name: String,
    /// Calendar name of this feed.
    pub title: Text,
    /// Description of this feed; defaults to the calendar's.
    pub description: Option<Text>,
    /// Keep events that involve every one of these countries.
    pub countries: Vec<String>,
    /// Keep events that have at least one of these tags.
    pub tags: Vec<String>,
    /// Keep events whose status is one of these.
    pub status: Vec<Status>,
    /// Language of the texts in this feed.
    pub language: String,
}

impl Feed {
    /// Whether `event` belongs in this feed.
    pub fn includes(&self, event: &Event) -> bool {
        self.countries.iter().all(|c| event.countries.contains(c))
            && (self.tags.is_empty() || self.tags.iter().any(|t| event.tags.contains(t)))
            && (self.status.is_empty() || self.status.contains(&event.status))
    }
}

/// Whether an event takes place as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// It takes (or took) place.
    Confirmed,
    /// Planned or proposed, not fixed.
    Tentative,
    /// Called off.
    Cancelled,
}

impl Status {
    /// The spelling in `events.toml`.
    pub const NAMES: [&'static str; 3] = ["confirmed", "tentative", "cancelled"];

    /// Reads the spelling used in `events.toml`.
    pub fn from_name(name: &str) -> Option<Status> {
        match name {
            "confirmed" => Some(Status::Confirmed),
            "tentative" => Some(Status::Tentative),
            "cancelled" => Some(Status::Cancelled),
            _ => None,
        }
    }

    /// The iCalendar `STATUS` value.
    pub fn ical(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// One event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Stable identifier; the UID is `<id>@<domain>`.
    pub id: String,
    /// Title (`SUMMARY`).
    pub title: Text,
    /// When it happens.
    pub when: When,
    /// Where it happens, as a zone (also set for all-day events).
    pub timezone: Zone,
    /// Whether it takes place.
    pub status: Status,
    /// Place (`LOCATION`).
    pub location: Option<Text>,
    /// Latitude and longitude (`GEO`).
    pub geo: Option<(f64, f64)>,
    /// Description (`DESCRIPTION`).
    pub description: Option<Text>,
    /// A page about the event (`URL`).
    pub url: Option<String>,
    /// Who takes part.
    pub participants: Vec<Text>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// ISO 3166-1 alpha-2 codes of the countries involved.
    pub countries: Vec<String>,
    /// Tags (`CATEGORIES`).
    pub tags: Vec<String>,
    /// Last change (`LAST-MODIFIED`, `DTSTAMP`).
    pub updated: Option<DateTime<Utc>>,
    /// Revision (`SEQUENCE`).
    pub sequence: u32,
    /// How the event repeats (`RRULE`, `EXDATE`), if it does.
    pub repeat: Option<Repeat>,
}

/// How an event repeats: a rule, minus the occurrences that do not happen.
///
/// The rule follows the wall clock of [`When::rule_zone`]: a weekly 09:00 meeting in New York
/// stays at 09:00 local time across DST changes.
#[derive(Debug, Clone)]
pub struct Repeat {
    /// The rule (`RRULE`), checked against the start: the start is its first occurrence, and no
    /// occurrence is one that calendar apps would place differently.
    pub rule: Rule,
    /// Occurrences that do not happen (`EXDATE`), as wall times of [`When::rule_zone`]
    /// (midnight for all-day events), each an occurrence of the rule, in order.
    pub skips: Vec<NaiveDateTime>,
    /// Occurrences changed (`RECURRENCE-ID`), in order of the occurrences they replace.
    pub overrides: Vec<Override>,
}

/// One occurrence of a repeating event, changed.
#[derive(Debug, Clone)]
pub struct Override {
    /// The occurrence it replaces, as a wall time of [`When::rule_zone`] (midnight for all-day
    /// events).
    pub occurrence: NaiveDateTime,
    /// The occurrence as it takes place: the repeating event's fields with the changes made,
    /// and no `repeat`.
    pub event: Event,
}

/// When an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Whole days, from `first` to `last` inclusive.
    AllDay {
        /// First day.
        first: NaiveDate,
        /// Last day (inclusive).
        last: NaiveDate,
    },
    /// From one instant to a later one.
    Timed {
        /// Start.
        start: Moment,
        /// End (exclusive), after the start.
        end: Moment,
    },
}

impl When {
    /// The zone whose wall clock a repeating event follows: the zone its start is written in,
    /// UTC for a start written in UTC or for an all-day event (which repeats dates).
    pub fn rule_zone(&self) -> Zone {
        match *self {
            When::Timed { start, .. } => start.zone.unwrap_or_else(Zone::utc),
            When::AllDay { .. } => Zone::utc(),
        }
    }

    /// The times of the occurrence at `wall` (a wall time of [`When::rule_zone`], midnight for
    /// all-day events) of a repeating event that first happens at these times: the same length
    /// (in days for all-day events, in elapsed time otherwise), as RFC 5545 places it.
    pub fn occurrence(&self, wall: NaiveDateTime) -> When {
        match *self {
            When::AllDay { first, last } => When::AllDay {
                first: wall.date(),
                last: wall.date() + (last - first),
            },
            When::Timed { start, end } => {
                let utc = self.rule_zone().resolve_rfc(wall);
                When::Timed {
                    start: Moment {
                        utc,
                        zone: start.zone,
                    },
                    end: Moment {
                        utc: utc + (end.utc - start.utc),
                        zone: end.zone,
                    },
                }
            }
        }
    }

    /// The start as a wall time of [`When::rule_zone`] (midnight for all-day events): the
    /// first occurrence of a repeating event.
    pub fn rule_start(&self) -> NaiveDateTime {
        match *self {
            When::Timed { start, .. } => self.rule_zone().to_local(start.utc),
            When::AllDay { first, .. } => first.and_time(chrono::NaiveTime::MIN),
        }
    }
}

/// An instant and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant.
    pub utc: DateTime<Utc>,
    /// The zone whose wall time is written with `TZID`, or `None` to write the instant in UTC
    /// (given as an offset without a zone, in a UTC zone, or a wall time that occurs twice).
    pub zone: Option<Zone>,
}

impl Event {
    /// The instant events are sorted by: the start, or midnight UTC of the first day.
    pub fn sort_key(&self) -> DateTime<Utc> {
        match self.when {
            When::AllDay { first, .. } => first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            When::Timed { start, .. } => start.utc,
        }
    }
}
