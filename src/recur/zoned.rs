//! Occurrences placed in a time zone, and the ones calendar apps would place differently.
//!
//! Three parsers were compared on recurring events (see `tests/interop/README.md` of the
//! repository): they disagree on an occurrence whose wall time falls in a DST gap, on one whose
//! wall time occurs twice, and on one whose span crosses a change of offset that the first
//! occurrence's span does not (RFC 5545 keeps the exact duration, Python `icalendar` and ical.js
//! keep the wall-clock length). [`place`] finds them.

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

use super::{End, Rule, Until};
use crate::duration::Duration;
use crate::tz::{WallTime, Zone};

/// The last year checked for a rule without `COUNT` or `UNTIL`.
pub const LAST_CHECKED_YEAR: i32 = 2100;

/// The most occurrences placed for one rule; a rule with more (say, every minute until 2100)
/// is checked only that far.
pub const MOST_OCCURRENCES: usize = 100_000;

/// An occurrence that calendar apps would show at different times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// The wall time does not exist: the clocks jump from `from` to `to` that night.
    InGap {
        /// The occurrence's wall time.
        at: NaiveDateTime,
        /// The start of the gap.
        from: NaiveDateTime,
        /// The end of the gap.
        to: NaiveDateTime,
    },
    /// The wall time occurs twice: the clocks go back over it.
    Repeated {
        /// The occurrence's wall time.
        at: NaiveDateTime,
    },
    /// The occurrence's span crosses a change of offset (by `change` seconds) that the first
    /// occurrence's span does not cross, or the other way round.
    CrossesChange {
        /// The occurrence's wall time.
        at: NaiveDateTime,
        /// How the offset changes between its start and its end, in seconds.
        change: i32,
    },
}

/// How far a rule was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every occurrence: the rule ends.
    All,
    /// Up to the end of [`LAST_CHECKED_YEAR`]: the rule goes on.
    UntilYear(i32),
    /// The first [`MOST_OCCURRENCES`].
    FirstOnes(usize),
}

/// The occurrences of a rule in a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Each occurrence's wall time and instant (RFC 5545's instant for clashing ones).
    pub occurrences: Vec<(NaiveDateTime, DateTime<Utc>)>,
    /// The occurrences that apps would place differently, in order.
    pub clashes: Vec<Clash>,
    /// How far the rule was followed.
    pub reach: Reach,
}

/// Places the occurrences of `rule` from `start` in `zone`, each lasting `length` (days on the
/// wall clock, then elapsed seconds, as RFC 5545 adds a duration), and finds the [`Clash`]es.
///
/// A UTC `UNTIL` is compared with the instants. Open-ended rules are followed to the end of
/// [`LAST_CHECKED_YEAR`].
pub fn place(rule: &Rule, start: NaiveDateTime, zone: Zone, length: Duration) -> Placed {
    let span_change = |begin: DateTime<Utc>| -> i32 {
        let wall = zone.to_local(begin) + chrono::Duration::days(length.days);
        let end = zone.resolve_rfc(wall) + chrono::Duration::seconds(length.seconds);
        zone.offset_at(end) - zone.offset_at(begin)
    };
    let first_change = span_change(zone.resolve_rfc(start));
    let mut placed = Placed {
        occurrences: Vec::new(),
        clashes: Vec::new(),
        reach: Reach::All,
    };
    for at in rule.occurrences(start) {
        if rule.end == End::Never && at.year() > LAST_CHECKED_YEAR {
            placed.reach = Reach::UntilYear(LAST_CHECKED_YEAR);
            break;
        }
        if placed.occurrences.len() == MOST_OCCURRENCES {
            placed.reach = Reach::FirstOnes(MOST_OCCURRENCES);
            break;
        }
        let instant = zone.resolve_rfc(at);
        if let End::Until(Until::Utc(until)) = rule.end
            && instant > until.and_utc()
        {
            break;
        }
        match zone.resolve(at) {
            WallTime::Single(_) => {}
            WallTime::Repeated { .. } => placed.clashes.push(Clash::Repeated { at }),
            WallTime::Skipped { from, to, .. } => {
                placed.clashes.push(Clash::InGap { at, from, to });
            }
        }
        let change = span_change(instant);
        if change != first_change {
            placed.clashes.push(Clash::CrossesChange { at, change });
        }
        placed.occurrences.push((at, instant));
    }
    placed
}

/// The occurrences nearest to `wanted` (one before and one after, when there are), for
/// messages about a `skip` or an override that matches none.
pub fn nearest(
    occurrences: &[(NaiveDateTime, DateTime<Utc>)],
    wanted: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let after = occurrences.partition_point(|(t, _)| *t < wanted);
    let mut out = Vec::new();
    if after > 0 {
        out.push(occurrences[after - 1].0);
    }
    if let Some((t, _)) = occurrences.get(after) {
        out.push(*t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    fn zone(name: &str) -> Zone {
        crate::tz::database().zone(name).unwrap()
    }

    fn hours(n: i64) -> Duration {
        Duration {
            days: 0,
            seconds: n * 3600,
        }
    }

    #[test]
    fn weekly_new_york_keeps_the_wall_clock_across_both_changes() {
        let rule: Rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=45".parse().unwrap();
        let placed = place(
            &rule,
            at("2026-01-06T09:00:00"),
            zone("America/New_York"),
            hours(1),
        );
        assert_eq!(placed.reach, Reach::All);
        assert_eq!(placed.clashes, []);
        let utc: Vec<String> = placed
            .occurrences
            .iter()
            .map(|(_, t)| t.format("%m-%dT%H:%MZ").to_string())
            .collect();
        assert_eq!(utc[0], "01-06T14:00Z");
        assert_eq!(utc[9], "03-10T13:00Z"); // after the change of 8 March
        assert_eq!(utc[44], "11-10T14:00Z"); // after the change of 1 November
    }

    #[test]
    fn gaps_repeats_and_spans_across_changes_are_found() {
        let ny = zone("America/New_York");
        let daily: Rule = "FREQ=DAILY;COUNT=5".parse().unwrap();
        let placed = place(&daily, at("2026-03-06T02:30:00"), ny, hours(1));
        assert_eq!(
            placed.clashes,
            [Clash::InGap {
                at: at("2026-03-08T02:30:00"),
                from: at("2026-03-08T02:00:00"),
                to: at("2026-03-08T03:00:00"),
            }]
        );
        // RFC 5545: a time in a gap takes the offset before it (07:30Z).
        assert_eq!(placed.occurrences[2].1.format("%H:%M").to_string(), "07:30");

        // 01:30 on 1 November happens twice; an hour from the first is the second.
        let placed = place(&daily, at("2026-10-30T01:30:00"), ny, hours(1));
        let twice = at("2026-11-01T01:30:00");
        assert_eq!(
            placed.clashes,
            [
                Clash::Repeated { at: twice },
                Clash::CrossesChange {
                    at: twice,
                    change: -3600
                }
            ]
        );

        let placed = place(&daily, at("2026-03-05T22:00:00"), ny, hours(6));
        assert_eq!(
            placed.clashes,
            [Clash::CrossesChange {
                at: at("2026-03-07T22:00:00"),
                change: 3600,
            }]
        );
    }

    #[test]
    fn open_ended_rules_are_checked_to_2100_and_utc_until_on_instants() {
        let rule: Rule = "FREQ=YEARLY".parse().unwrap();
        let placed = place(
            &rule,
            at("2026-07-04T12:00:00"),
            zone("Europe/London"),
            hours(1),
        );
        assert_eq!(placed.reach, Reach::UntilYear(LAST_CHECKED_YEAR));
        assert_eq!(placed.occurrences.len(), 2100 - 2026 + 1);

        // 09:00 in New York is 13:00Z in summer: an UNTIL of 13:00Z keeps 30 June.
        let rule: Rule = "FREQ=DAILY;UNTIL=20260630T130000Z".parse().unwrap();
        let placed = place(
            &rule,
            at("2026-06-28T09:00:00"),
            zone("America/New_York"),
            hours(1),
        );
        assert_eq!(placed.occurrences.len(), 3);
        let rule: Rule = "FREQ=DAILY;UNTIL=20260630T125959Z".parse().unwrap();
        let placed = place(
            &rule,
            at("2026-06-28T09:00:00"),
            zone("America/New_York"),
            hours(1),
        );
        assert_eq!(placed.occurrences.len(), 2);
    }

    #[test]
    fn lord_howe_half_hour_change() {
        let rule: Rule = "FREQ=DAILY;COUNT=3".parse().unwrap();
        // Lord Howe moves from +11 to +10:30 at 02:00 on 5 April 2026: 01:30 to 02:00 happens
        // twice.
        let placed = place(
            &rule,
            at("2026-04-04T01:45:00"),
            zone("Australia/Lord_Howe"),
            hours(1),
        );
        let twice = at("2026-04-05T01:45:00");
        assert_eq!(
            placed.clashes,
            [
                Clash::Repeated { at: twice },
                Clash::CrossesChange {
                    at: twice,
                    change: -1800
                }
            ]
        );
    }

    #[test]
    fn nearest_occurrences() {
        let list: Vec<_> = ["2026-01-06T09:00:00", "2026-01-13T09:00:00"]
            .iter()
            .map(|s| (at(s), at(s).and_utc()))
            .collect();
        assert_eq!(
            nearest(&list, at("2026-01-07T09:00:00")),
            [at("2026-01-06T09:00:00"), at("2026-01-13T09:00:00")]
        );
        assert_eq!(
            nearest(&list, at("2026-01-01T09:00:00")),
            [at("2026-01-06T09:00:00")]
        );
        assert_eq!(
            nearest(&list, at("2026-02-01T09:00:00")),
            [at("2026-01-13T09:00:00")]
        );
    }
}
