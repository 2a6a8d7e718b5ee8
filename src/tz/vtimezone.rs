//! `VTIMEZONE` components built from a zone's exact transitions, in the form every client reads
//! (RFC 5545 §3.6.5; Microsoft's MS-STANOICAL 2.2.47 for Outlook):
//!
//! - transitions that repeat every year on the same rule (month, `BYDAY` such as `-1SU` or
//!   `2SU`, time of day, offsets and name) become one observance with a yearly `RRULE`; the
//!   zone's current rule is left open-ended, so it holds for the far future;
//! - transitions that follow no yearly rule become observances of their own with just a
//!   `DTSTART` (no `RDATE` lists, which ical.js reads only in part and Outlook not at all);
//! - a zone without changes gets a single `STANDARD`;
//! - the component starts at the transition in effect at the earliest instant the feed uses, so
//!   every parser agrees on every instant in the feed, and feeds of recent events get the
//!   compact standard/daylight pair that Outlook approximates every zone to.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{
    DateTime, Datelike, Duration as ChronoDuration, NaiveDate, NaiveDateTime, Timelike, Utc,
    Weekday,
};

use super::transitions::{Transition, transitions};
use super::zone::{State, Zone, naive};

/// A rule still giving changes in this year is the zone's current rule and stays open-ended.
pub(super) const OPEN_END_YEAR: i32 = 2099;

/// Transitions are looked for from here on (older ones are local mean time, before time zones).
const SCAN_FROM: i64 = -2_208_988_800; // 1900-01-01T00:00:00Z

/// ...and up to here.
pub(super) const SCAN_UNTIL: i64 = 4_102_444_800; // 2100-01-01T00:00:00Z

/// 1970-01-01T00:00:00Z, the conventional first onset of a zone that has not changed since.
const EPOCH_1970: i64 = 0;

/// Whether an observance is standard or daylight time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `BEGIN:STANDARD`.
    Standard,
    /// `BEGIN:DAYLIGHT`.
    Daylight,
}

/// Which day of the month a yearly rule falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayRule {
    /// The n-th (1 to 4) or, for -1, the last given weekday: `BYDAY=2SU`, `BYDAY=-1SU`.
    Nth(i8, Weekday),
    /// The given weekday on or after a day of the month (tzdata `Fri>=23`):
    /// `BYDAY=FR;BYMONTHDAY=23,...,29`.
    OnOrAfter(Weekday, u32),
    /// A fixed day of the month: `BYMONTHDAY=21`.
    MonthDay(u32),
}

/// A yearly recurrence of an observance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yearly {
    /// Month, 1 to 12.
    pub month: u32,
    /// Day within the month.
    pub day: DayRule,
    /// Last onset (UTC), or `None` when the rule still holds.
    pub until: Option<NaiveDateTime>,
}

/// One `STANDARD` or `DAYLIGHT` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    /// Standard or daylight time.
    pub kind: Kind,
    /// First onset, as a wall time read with `offset_from`.
    pub start: NaiveDateTime,
    /// Offset before the onset, seconds.
    pub offset_from: i32,
    /// Offset from the onset on, seconds.
    pub offset_to: i32,
    /// Abbreviation (`TZNAME`).
    pub name: String,
    /// Yearly repetition, if any.
    pub rule: Option<Yearly>,
}

/// A generated `VTIMEZONE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vtimezone {
    /// The IANA name, used as `TZID`.
    pub tzid: &'static str,
    /// Observances ordered by first onset.
    pub observances: Vec<Observance>,
}

/// Builds the `VTIMEZONE` of `zone` that is right for every instant from `earliest` on.
pub fn vtimezone(zone: Zone, earliest: DateTime<Utc>) -> Vtimezone {
    let cut = earliest.timestamp();
    let scan_from = SCAN_FROM.min(cut - 86_400);
    let all = transitions(zone, scan_from, SCAN_UNTIL.max(cut + 86_400));
    let after_cut = all.partition_point(|t| t.at <= cut);
    let in_effect = after_cut.checked_sub(1);

    let mut observances = Vec::new();
    let kept = match in_effect {
        Some(i) if all[i].at >= EPOCH_1970 || cut < EPOCH_1970 => &all[i..],
        _ => {
            // Nothing changed between 1970 (or the cut) and `earliest`: one onset at local
            // midnight of 1 January stands for whatever came before.
            let state = zone.state_at(cut);
            let local_year = naive(cut + i64::from(state.offset)).year();
            let start = NaiveDate::from_ymd_opt(local_year.min(1970), 1, 1)
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default();
            observances.push(Observance {
                kind: kind_of(state),
                start,
                offset_from: state.offset,
                offset_to: state.offset,
                name: state.name.as_str().to_owned(),
                rule: None,
            });
            &all[after_cut..]
        }
    };
    observances.extend(observances_of(kept));
    observances.sort_by_key(|o| {
        (
            o.start - ChronoDuration::seconds(i64::from(o.offset_from)),
            o.kind,
        )
    });
    Vtimezone {
        tzid: zone.name(),
        observances,
    }
}

fn kind_of(state: State) -> Kind {
    if state.dst {
        Kind::Daylight
    } else {
        Kind::Standard
    }
}

/// What must be equal for two transitions to belong to one yearly rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RuleKey {
    to: State,
    from: i32,
    month: u32,
    time: (u32, u32, u32),
}

/// A set of consecutive yearly transitions sharing a key and at least one day rule.
struct Run {
    members: Vec<Transition>,
    year: i32,
    rules: Vec<DayRule>,
}

/// Groups transitions into yearly rules where they follow one, single onsets elsewhere.
fn observances_of(transitions: &[Transition]) -> Vec<Observance> {
    let mut finished: Vec<(RuleKey, Run)> = Vec::new();
    let mut open: HashMap<RuleKey, Run> = HashMap::new();
    for t in transitions {
        let onset = t.onset();
        let key = RuleKey {
            to: t.to,
            from: t.from,
            month: onset.month(),
            time: (onset.hour(), onset.minute(), onset.second()),
        };
        let rules = day_rules(onset.date());
        if let Some(run) = open.get_mut(&key)
            && run.year + 1 == onset.year()
        {
            let common: Vec<DayRule> = run
                .rules
                .iter()
                .copied()
                .filter(|r| rules.contains(r))
                .collect();
            if !common.is_empty() {
                run.rules = common;
                run.year = onset.year();
                run.members.push(*t);
                continue;
            }
        }
        let run = Run {
            members: vec![*t],
            year: onset.year(),
            rules,
        };
        if let Some(previous) = open.insert(key, run) {
            finished.push((key, previous));
        }
    }
    finished.extend(open);

    let mut out = Vec::new();
    for (key, run) in finished {
        let first = run.members[0];
        let observance = |start: &Transition, rule: Option<Yearly>| Observance {
            kind: kind_of(key.to),
            start: start.onset(),
            offset_from: key.from,
            offset_to: key.to.offset,
            name: key.to.name.as_str().to_owned(),
            rule,
        };
        if run.members.len() == 1 {
            out.push(observance(&first, None));
            continue;
        }
        let last = run.members[run.members.len() - 1];
        // UNTIL is inclusive and in UTC; any instant before the next (yearly) occurrence ends
        // the rule after `last`. A day later keeps the last onset for readers that take UNTIL
        // as local time (dateutil, behind Python `icalendar`), in zones east of UTC too.
        let until = (run.year < OPEN_END_YEAR).then(|| naive(last.at + 86_400));
        out.push(observance(
            &first,
            Some(Yearly {
                month: key.month,
                day: run.rules[0],
                until,
            }),
        ));
    }
    out
}

/// The ways of naming `date`'s day within its month, best first: by weekday position (what
/// Outlook reads), by weekday on or after a day, by day of month.
fn day_rules(date: NaiveDate) -> Vec<DayRule> {
    let day = date.day();
    let weekday = date.weekday();
    let mut rules = Vec::new();
    let nth = (day - 1) / 7 + 1;
    if nth <= 4 {
        rules.push(DayRule::Nth(nth as i8, weekday));
    }
    if day + 7 > days_in_month(date.year(), date.month()) {
        rules.push(DayRule::Nth(-1, weekday));
    }
    let shortest = match date.month() {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    for first in day.saturating_sub(6).max(1)..=day {
        if first + 6 <= shortest && (first - 1) % 7 != 0 {
            rules.push(DayRule::OnOrAfter(weekday, first));
        }
    }
    rules.push(DayRule::MonthDay(day));
    rules
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day())
}

impl Vtimezone {
    /// The component as unfolded content lines (`BEGIN:VTIMEZONE` ... `END:VTIMEZONE`).
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec!["BEGIN:VTIMEZONE".to_owned(), format!("TZID:{}", self.tzid)];
        for o in &self.observances {
            let block = match o.kind {
                Kind::Standard => "STANDARD",
                Kind::Daylight => "DAYLIGHT",
            };
            lines.push(format!("BEGIN:{block}"));
            lines.push(format!("DTSTART:{}", o.start.format("%Y%m%dT%H%M%S")));
            if let Some(rule) = &o.rule {
                lines.push(rrule(rule));
            }
            lines.push(format!("TZOFFSETFROM:{}", format_offset(o.offset_from)));
            lines.push(format!("TZOFFSETTO:{}", format_offset(o.offset_to)));
            if !o.name.is_empty() {
                lines.push(format!("TZNAME:{}", crate::ics::escape_text(&o.name)));
            }
            lines.push(format!("END:{block}"));
        }
        lines.push("END:VTIMEZONE".to_owned());
        lines
    }
}

fn rrule(rule: &Yearly) -> String {
    let mut s = format!("RRULE:FREQ=YEARLY;BYMONTH={}", rule.month);
    match rule.day {
        DayRule::Nth(n, weekday) => {
            let _ = write!(s, ";BYDAY={n}{}", weekday_code(weekday));
        }
        DayRule::OnOrAfter(weekday, first) => {
            let days: Vec<String> = (first..first + 7).map(|d| d.to_string()).collect();
            let _ = write!(
                s,
                ";BYDAY={};BYMONTHDAY={}",
                weekday_code(weekday),
                days.join(",")
            );
        }
        DayRule::MonthDay(day) => {
            let _ = write!(s, ";BYMONTHDAY={day}");
        }
    }
    if let Some(until) = rule.until {
        let _ = write!(s, ";UNTIL={}", until.format("%Y%m%dT%H%M%SZ"));
    }
    s
}

fn weekday_code(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// `+0900`, `-0330`, and seconds only where a zone really had them (`-004430`).
pub fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let a = seconds.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}
