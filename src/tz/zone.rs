//! A zone of the tz database and the wall-time questions calfeed asks of it: what the clocks
//! read at an instant, and which instant (if any, or which two) a wall-clock reading names.

use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDateTime, Utc};
use jiff::Timestamp;
use jiff::civil;
use jiff::tz::{AmbiguousOffset, Dst, TimeZone};

/// A time zone of the database in use, such as `Asia/Seoul`.
///
/// Zones are looked up by name in a [`crate::tz::Tzdb`]; a `Zone` is a cheap handle that can be
/// copied freely. Two zones are equal when they have the same name.
#[derive(Clone, Copy)]
pub struct Zone(&'static ZoneData);

pub(super) struct ZoneData {
    pub(super) name: &'static str,
    pub(super) tz: TimeZone,
}

/// The offset, DST flag and abbreviation in force at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct State {
    /// Total offset from UTC in seconds (standard offset plus DST).
    pub offset: i32,
    /// Whether daylight saving time is in force.
    pub dst: bool,
    /// Abbreviation such as `CET`, `EDT` or `+03`.
    pub name: Abbreviation,
}

/// A zone abbreviation, stored inline so that [`State`] stays cheap to copy and compare.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Abbreviation {
    bytes: [u8; 16],
    len: u8,
}

impl Abbreviation {
    /// The database's abbreviation; the numeric ones tzdata gives zones without a name of
    /// their own (`+0545`, `-03`) only repeat the offset, and are left empty.
    pub(super) fn new(name: &str) -> Self {
        let name = if name.starts_with(['+', '-']) {
            ""
        } else {
            name
        };
        let mut bytes = [0; 16];
        // tzdata abbreviations are 3 to 6 ASCII characters; cut on a character boundary anyway.
        let mut len = name.len().min(16);
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        Abbreviation {
            bytes,
            len: len as u8,
        }
    }

    /// The abbreviation as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }
}

impl fmt::Debug for Abbreviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_str().fmt(f)
    }
}

/// What a wall-clock reading names in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallTime {
    /// Exactly one instant.
    Single(DateTime<Utc>),
    /// Two instants: the clocks went back over this reading.
    Repeated {
        /// The first time the clocks show it, and what holds then.
        first: (DateTime<Utc>, State),
        /// The second time, and what holds then.
        second: (DateTime<Utc>, State),
    },
    /// No instant: the clocks jumped forward over this reading.
    Skipped {
        /// The last wall-clock reading before the jump (the start of the gap).
        from: NaiveDateTime,
        /// The reading the clocks jumped to (the end of the gap).
        to: NaiveDateTime,
        /// The offset in force before the gap, seconds.
        offset_before: i32,
    },
}

impl Zone {
    pub(super) fn new(data: &'static ZoneData) -> Self {
        Zone(data)
    }

    /// The IANA name, as written in `TZID`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// Whether this is UTC under one of its names; its times are written as `...Z`.
    pub fn is_utc(self) -> bool {
        matches!(
            self.name(),
            "UTC"
                | "Etc/UTC"
                | "Etc/UCT"
                | "UCT"
                | "Etc/Universal"
                | "Universal"
                | "Etc/Zulu"
                | "Zulu"
        )
    }

    /// What holds at `seconds` since 1970 UTC.
    pub fn state_at(self, seconds: i64) -> State {
        let info = self.0.tz.to_offset_info(timestamp(seconds));
        State {
            offset: info.offset().seconds(),
            dst: info.dst() == Dst::Yes,
            name: Abbreviation::new(info.abbreviation()),
        }
    }

    /// The offset from UTC at `utc`, in seconds.
    pub fn offset_at(self, utc: DateTime<Utc>) -> i32 {
        self.0.tz.to_offset(timestamp(utc.timestamp())).seconds()
    }

    /// The wall-clock reading at `utc`.
    pub fn to_local(self, utc: DateTime<Utc>) -> NaiveDateTime {
        naive(utc.timestamp() + i64::from(self.offset_at(utc)))
    }

    /// The instant or instants that the wall-clock reading `local` names.
    pub fn resolve(self, local: NaiveDateTime) -> WallTime {
        let wall = local.and_utc().timestamp();
        match self.0.tz.to_ambiguous_timestamp(civil_of(local)).offset() {
            AmbiguousOffset::Unambiguous { offset } => {
                WallTime::Single(utc_of(wall - i64::from(offset.seconds())))
            }
            AmbiguousOffset::Fold { before, after } => {
                let first = wall - i64::from(before.seconds());
                let second = wall - i64::from(after.seconds());
                WallTime::Repeated {
                    first: (utc_of(first), self.state_at(first)),
                    second: (utc_of(second), self.state_at(second)),
                }
            }
            AmbiguousOffset::Gap { before, after } => {
                let (before, after) = (before.seconds(), after.seconds());
                // The jump happened at the last change at or before this reading taken with the
                // old offset.
                let probe = wall - i64::from(before);
                let at = self
                    .0
                    .tz
                    .preceding(timestamp(probe + 1))
                    .next()
                    .map_or(probe, |t| t.timestamp().as_second());
                WallTime::Skipped {
                    from: naive(at + i64::from(before)),
                    to: naive(at + i64::from(after)),
                    offset_before: before,
                }
            }
        }
    }

    /// The instant of wall time `local`, as RFC 5545 §3.3.5 reads it: the first of two
    /// occurrences, and a time in a gap with the offset in force before the gap.
    pub fn resolve_rfc(self, local: NaiveDateTime) -> DateTime<Utc> {
        match self.resolve(local) {
            WallTime::Single(t) => t,
            WallTime::Repeated { first, .. } => first.0,
            WallTime::Skipped { offset_before, .. } => {
                utc_of(local.and_utc().timestamp() - i64::from(offset_before))
            }
        }
    }

    /// Whether the wall time of `utc` occurs twice (the clocks went back over it).
    pub fn is_repeated(self, utc: DateTime<Utc>) -> bool {
        matches!(self.resolve(self.to_local(utc)), WallTime::Repeated { .. })
    }

    /// Every change of state in `(start, end]`, in order (seconds since 1970 UTC).
    pub fn changes(self, start: i64, end: i64) -> impl Iterator<Item = (i64, State)> {
        self.0
            .tz
            .following(timestamp(start))
            .map(|t| {
                let state = State {
                    offset: t.offset().seconds(),
                    dst: t.dst() == Dst::Yes,
                    name: Abbreviation::new(t.abbreviation()),
                };
                (t.timestamp().as_second(), state)
            })
            .skip_while(move |(at, _)| *at <= start)
            .take_while(move |(at, _)| *at <= end)
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.name().fmt(f)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Zone {}

impl Hash for Zone {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name().hash(state);
    }
}

impl PartialOrd for Zone {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Zone {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

/// Seconds since 1970, clamped to what jiff can represent (years -9999 to 9999).
fn timestamp(seconds: i64) -> Timestamp {
    let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(seconds.clamp(min, max)).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(super) fn naive(seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .naive_utc()
}

fn utc_of(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

fn civil_of(local: NaiveDateTime) -> civil::DateTime {
    use chrono::{Datelike, Timelike};
    let date = local.date();
    // calfeed only asks about years 1900 to 9999, which jiff represents; others clamp.
    let year = date.year().clamp(-9999, 9999) as i16;
    let day = civil::Date::new(year, date.month() as i8, date.day() as i8)
        .or_else(|_| civil::Date::new(year, date.month() as i8, 28))
        .unwrap_or_default();
    day.at(
        local.hour() as i8,
        local.minute() as i8,
        local.second() as i8,
        0,
    )
}

static UTC: std::sync::LazyLock<ZoneData> = std::sync::LazyLock::new(|| ZoneData {
    name: "UTC",
    tz: TimeZone::UTC,
});

impl Zone {
    /// UTC, the zone of a calendar that names none, whatever the database holds.
    pub fn utc() -> Zone {
        Zone(&UTC)
    }
}
