//! A zone's changes of offset, DST or abbreviation, read exactly from the tz database.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::zone::{State, Zone, naive};

/// A change of [`State`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The instant of the change, in seconds since 1970 UTC.
    pub at: i64,
    /// The offset before the change.
    pub from: i32,
    /// What holds from `at` on.
    pub to: State,
}

impl Transition {
    /// The wall-clock time of the change, read with the offset before it (the `DTSTART` of an
    /// observance, RFC 5545 §3.6.5).
    pub fn onset(&self) -> NaiveDateTime {
        naive(self.at + i64::from(self.from))
    }
}

/// Every change of `zone`'s state in `(start, end]`, in order. Entries of the database that
/// change nothing (a new rule giving the same offset, DST flag and abbreviation) are left out.
pub fn transitions(zone: Zone, start: i64, end: i64) -> Vec<Transition> {
    let mut state = zone.state_at(start);
    let mut out = Vec::new();
    for (at, to) in zone.changes(start, end) {
        if to != state {
            out.push(Transition {
                at,
                from: state.offset,
                to,
            });
            state = to;
        }
    }
    out
}

/// Instants at which a zone's `VTIMEZONE` is worth checking in `[start, end)`: noon UTC on the
/// first of every month, and one second before, at and after every transition.
pub fn sample_instants(zone: Zone, start: i64, end: i64) -> Vec<i64> {
    let mut instants = Vec::new();
    let first = naive(start).date();
    let mut month = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    loop {
        let t = month
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp();
        if t >= end {
            break;
        }
        if t >= start {
            instants.push(t);
        }
        match month.checked_add_months(chrono::Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    for t in transitions(zone, start, end) {
        instants.extend(
            [t.at - 1, t.at, t.at + 1]
                .into_iter()
                .filter(|&i| i >= start && i < end),
        );
    }
    instants.sort_unstable();
    instants.dedup();
    instants
}
