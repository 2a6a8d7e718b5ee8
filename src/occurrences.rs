//! Events as the occurrences that take place, for the page and the agenda: a repeating event
//! becomes one [`Occurrence`] per occurrence of its rule, without the skipped ones and with the
//! overridden ones as their overrides say.
//!
//! A rule may go on for ever, so occurrences are only ever listed within a window: [`within`]
//! takes one from the caller (the agenda's `--from` and `--to`), [`listed`] the one the page
//! uses (see [`MONTHS_BEFORE`] and [`MONTHS_AFTER`]).

use std::borrow::Cow;
use std::collections::VecDeque;

use chrono::{DateTime, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::model::{Event, Override, Repeat, When};
use crate::recur::{End, Until};

/// How far back the page lists the occurrences of a repeating event, in months before it is
/// built.
pub const MONTHS_BEFORE: u32 = 3;

/// How far ahead the page lists the occurrences of a repeating event, in months after it is
/// built.
pub const MONTHS_AFTER: u32 = 12;

/// At most this many occurrences of one repeating event that are over when the page is built
/// are listed (the latest ones).
pub const MOST_PAST: usize = 10;

/// At most this many occurrences of one repeating event that are still ahead when the page is
/// built are listed (the next ones).
pub const MOST_UPCOMING: usize = 60;

/// One occurrence of an event, as it takes place.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    /// What takes place: the event itself, or for a repeating event a copy of it (or of the
    /// override that changes this occurrence) with this occurrence's times and no `repeat`.
    pub event: Cow<'a, Event>,
    /// The repeating event it is an occurrence of; `None` for an event that does not repeat.
    pub series: Option<&'a Event>,
    /// The occurrence of the rule it is, as a wall time of [`When::rule_zone`] (midnight for
    /// all-day events): what `RECURRENCE-ID` names. `None` for an event that does not repeat.
    pub recurrence: Option<NaiveDateTime>,
}

impl Occurrence<'_> {
    /// The occurrence of the rule it is, as `RECURRENCE-ID` names it, written as the instant in
    /// UTC (`2026-03-03T14:00:00Z`) or, for an all-day event, the date (`2026-03-03`). `None`
    /// for an event that does not repeat.
    pub fn recurrence_id(&self) -> Option<String> {
        let (series, wall) = (self.series?, self.recurrence?);
        Some(match series.when {
            When::AllDay { .. } => wall.date().format("%Y-%m-%d").to_string(),
            When::Timed { .. } => series
                .when
                .rule_zone()
                .resolve_rfc(wall)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        })
    }

    /// The repeating event's rule and skips, when it repeats.
    pub fn repeat(&self) -> Option<&Repeat> {
        self.series.and_then(|s| s.repeat.as_ref())
    }

    /// Whether this occurrence is over at `now` (see [`crate::site::is_past`]).
    pub fn is_past(&self, now: DateTime<Utc>) -> bool {
        crate::site::is_past(&self.event, now)
    }

    /// The order of the page and the agenda: by start, then by id.
    pub fn sort_key(&self) -> (DateTime<Utc>, &str) {
        (self.event.sort_key(), self.event.id.as_str())
    }
}

/// Sorts occurrences by start, then by id.
pub fn sort(occurrences: &mut [Occurrence<'_>]) {
    occurrences.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// The start and end of `when` as instants: midnight UTC of the days for all-day events.
fn span(when: &When) -> (DateTime<Utc>, DateTime<Utc>) {
    match *when {
        When::AllDay { first, last } => (midnight(first), midnight(last + Days::new(1))),
        When::Timed { start, end } => (start.utc, end.utc),
    }
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// The occurrences of `event` (the event itself when it does not repeat) that end after `from`
/// (when given) and start before `to`, in order of their start. All-day events count from
/// midnight UTC of their first day to midnight UTC after their last.
///
/// The rule is followed only up to `to`, so an open-ended rule ends; an override is listed
/// where it takes place, wherever the occurrence it replaces is.
pub fn within(
    event: &Event,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> Vec<Occurrence<'_>> {
    let Some(repeat) = &event.repeat else {
        return first(event)
            .filter(|_| inside(&event.when, from, to))
            .into_iter()
            .collect();
    };
    let mut found: Vec<Found<'_>> = unchanged(event, repeat, from, to).collect();
    found.extend(overrides(repeat, from, to));
    made(event, found)
}

/// The first occurrence of `event` that takes place (not skipped), overridden or not.
pub fn first(event: &Event) -> Option<Occurrence<'_>> {
    let Some(repeat) = &event.repeat else {
        return Some(Occurrence {
            event: Cow::Borrowed(event),
            series: None,
            recurrence: None,
        });
    };
    let wall = walls(event, repeat).next()?;
    let over = repeat.overrides.iter().find(|o| o.occurrence == wall);
    Some(make(event, (wall, event.when.occurrence(wall), over)))
}

/// The occurrences the page lists (and the agenda when no range is given), at `now`.
///
/// An event that does not repeat is listed as it is. A repeating event is listed once per
/// occurrence from [`MONTHS_BEFORE`] months before `now` to [`MONTHS_AFTER`] months after it,
/// at most the [`MOST_PAST`] latest ones that are over and the [`MOST_UPCOMING`] next ones;
/// its first occurrence is always listed, so that every event is shown at least once.
pub fn listed(event: &Event, now: DateTime<Utc>) -> Vec<Occurrence<'_>> {
    let Some(repeat) = &event.repeat else {
        return first(event).into_iter().collect();
    };
    let from = now.checked_sub_months(Months::new(MONTHS_BEFORE));
    let to = now
        .checked_add_months(Months::new(MONTHS_AFTER))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let over = |found: &Found<'_>| crate::site::is_over(&found.1, event.timezone, now);
    // Only the latest past ones and the next upcoming ones are kept while the rule is followed,
    // which stops at the last upcoming one kept; the overrides, which may be anywhere, are added
    // after, and the limits applied again.
    let mut past: VecDeque<Found<'_>> = VecDeque::new();
    let mut upcoming: Vec<Found<'_>> = Vec::new();
    for found in unchanged(event, repeat, from, to) {
        if over(&found) {
            if past.len() == MOST_PAST {
                past.pop_front();
            }
            past.push_back(found);
        } else if upcoming.len() < MOST_UPCOMING {
            upcoming.push(found);
        } else {
            break;
        }
    }
    let mut found: Vec<Found<'_>> = past.into_iter().chain(upcoming).collect();
    found.extend(overrides(repeat, from, to));
    found.sort_by_key(|f| span(&f.1).0);
    let (past, upcoming): (Vec<_>, Vec<_>) = found.into_iter().partition(over);
    let skip = past.len().saturating_sub(MOST_PAST);
    let mut found: Vec<Found<'_>> = past
        .into_iter()
        .skip(skip)
        .chain(upcoming.into_iter().take(MOST_UPCOMING))
        .collect();
    if let Some(wall) = walls(event, repeat).next()
        && !found.iter().any(|f| f.0 == wall)
    {
        let over = repeat.overrides.iter().find(|o| o.occurrence == wall);
        found.push((wall, event.when.occurrence(wall), over));
    }
    made(event, found)
}

/// An occurrence found: the rule's wall time, when it takes place, and the override that
/// changes it, if one does.
type Found<'e> = (NaiveDateTime, When, Option<&'e Override>);

/// Whether `when` ends after `from` (when given) and starts before `to`.
fn inside(when: &When, from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> bool {
    let (start, end) = span(when);
    start < to && from.is_none_or(|from| end > from)
}

/// The occurrences no override changes that end after `from` and start before `to`, in order.
fn unchanged<'e>(
    event: &'e Event,
    repeat: &'e Repeat,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> impl Iterator<Item = Found<'e>> + 'e {
    walls(event, repeat)
        .map(|wall| (wall, event.when.occurrence(wall), None))
        .take_while(move |found| span(&found.1).0 < to)
        .filter(move |found| {
            inside(&found.1, from, to) && !repeat.overrides.iter().any(|o| o.occurrence == found.0)
        })
}

/// The overrides that end after `from` and start before `to`, wherever the occurrences they
/// replace are.
fn overrides(
    repeat: &Repeat,
    from: Option<DateTime<Utc>>,
    to: DateTime<Utc>,
) -> impl Iterator<Item = Found<'_>> {
    repeat
        .overrides
        .iter()
        .filter(move |o| inside(&o.event.when, from, to))
        .map(|o| (o.occurrence, o.event.when, Some(o)))
}

/// The occurrences found, made and sorted.
fn made<'e>(event: &'e Event, found: Vec<Found<'e>>) -> Vec<Occurrence<'e>> {
    let mut out: Vec<Occurrence<'e>> = found.into_iter().map(|f| make(event, f)).collect();
    sort(&mut out);
    out
}

/// One occurrence of `event`: the override's event, or a copy of `event` at its times.
fn make<'e>(event: &'e Event, (wall, when, over): Found<'e>) -> Occurrence<'e> {
    let shown = match over {
        Some(over) => Cow::Borrowed(&over.event),
        None => Cow::Owned(Event {
            when,
            ..event_fields(event)
        }),
    };
    Occurrence {
        event: shown,
        series: Some(event),
        recurrence: Some(wall),
    }
}

/// The rule's occurrences that are not skipped, as wall times, in order; a UTC `UNTIL` is
/// compared with the instants.
fn walls<'e>(event: &'e Event, repeat: &'e Repeat) -> impl Iterator<Item = NaiveDateTime> + 'e {
    let zone = event.when.rule_zone();
    let until = match repeat.rule.end {
        End::Until(Until::Utc(until)) => Some(until.and_utc()),
        _ => None,
    };
    repeat
        .rule
        .occurrences(event.when.rule_start())
        .take_while(move |wall| until.is_none_or(|until| zone.resolve_rfc(*wall) <= until))
        .filter(|wall| repeat.skips.binary_search(wall).is_err())
}

/// A copy of `event` without its `repeat` (which the copy of each occurrence does not need).
fn event_fields(event: &Event) -> Event {
    Event {
        id: event.id.clone(),
        title: event.title.clone(),
        when: event.when,
        timezone: event.timezone,
        status: event.status,
        location: event.location.clone(),
        geo: event.geo,
        description: event.description.clone(),
        url: event.url.clone(),
        participants: event.participants.clone(),
        sources: event.sources.clone(),
        countries: event.countries.clone(),
        tags: event.tags.clone(),
        updated: event.updated,
        sequence: event.sequence,
        repeat: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar(events: &str) -> crate::model::Calendar {
        let text = format!(
            "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\
             timezone = \"America/New_York\"\n\n{events}"
        );
        crate::load::parse(&text).unwrap().calendar
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn starts(list: &[Occurrence<'_>]) -> Vec<String> {
        list.iter()
            .map(|o| o.event.sort_key().format("%m-%dT%H:%MZ").to_string())
            .collect()
    }

    /// Weekly at 09:00 New York across the change of 8 March, once skipped, once moved.
    const WEEKLY: &str = "[[event]]\nid = \"briefing\"\ntitle = \"Briefing\"\n\
        start = 2026-02-24T09:00:00\nduration = \"PT30M\"\n\
        repeat = \"FREQ=WEEKLY;BYDAY=TU;COUNT=6\"\nskip = [2026-03-03T09:00:00]\n\n\
        [[event.override]]\noccurrence = 2026-03-17T09:00:00\nstart = 2026-03-17T11:00:00\n\
        title = \"Briefing, late\"\n";

    #[test]
    fn occurrences_leave_out_skips_and_take_overrides() {
        let cal = calendar(WEEKLY);
        let event = &cal.events[0];
        let all = within(event, None, DateTime::<Utc>::MAX_UTC);
        assert_eq!(
            starts(&all),
            [
                "02-24T14:00Z",
                "03-10T13:00Z",
                "03-17T15:00Z",
                "03-24T13:00Z",
                "03-31T13:00Z"
            ]
        );
        let late = &all[2];
        assert_eq!(late.event.title.get("en", "en").text, "Briefing, late");
        assert_eq!(
            late.recurrence_id().as_deref(),
            Some("2026-03-17T13:00:00Z")
        );
        assert_eq!(all[1].event.title.get("en", "en").text, "Briefing");
        assert!(all.iter().all(|o| o.event.repeat.is_none()));
        assert!(
            all.iter()
                .all(|o| o.series.is_some_and(|s| s.id == "briefing"))
        );

        let some = within(
            event,
            Some(utc("2026-03-12T00:00:00Z")),
            utc("2026-03-25T00:00:00Z"),
        );
        assert_eq!(starts(&some), ["03-17T15:00Z", "03-24T13:00Z"]);
    }

    #[test]
    fn an_override_is_listed_where_it_takes_place() {
        let cal = calendar(
            "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-01-05T09:00:00\n\
             repeat = \"FREQ=WEEKLY;COUNT=3\"\n\n\
             [[event.override]]\noccurrence = 2026-01-19T09:00:00\n\
             start = 2026-01-09T09:00:00\n",
        );
        let event = &cal.events[0];
        // The 19 January occurrence, moved to the 9th, is in a window that ends before the
        // 19th.
        let list = within(event, None, utc("2026-01-10T00:00:00Z"));
        assert_eq!(starts(&list), ["01-05T14:00Z", "01-09T14:00Z"]);
    }

    #[test]
    fn an_event_that_does_not_repeat_is_itself() {
        let cal = calendar("[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-01-05T09:00:00\n");
        let event = &cal.events[0];
        let list = listed(event, utc("2030-01-01T00:00:00Z"));
        assert_eq!(list.len(), 1);
        assert!(matches!(list[0].event, Cow::Borrowed(_)));
        assert_eq!(list[0].recurrence_id(), None);
        assert!(
            within(
                event,
                Some(utc("2026-02-01T00:00:00Z")),
                DateTime::<Utc>::MAX_UTC
            )
            .is_empty()
        );
    }

    #[test]
    fn an_open_ended_rule_is_listed_within_bounds() {
        let cal = calendar(
            "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2020-01-01T09:00:00\n\
             repeat = \"FREQ=DAILY\"\n",
        );
        let event = &cal.events[0];
        let now = utc("2026-06-01T12:00:00Z");
        let list = listed(event, now);
        // The first, the 10 latest past ones and the 60 next ones.
        assert_eq!(list.len(), 1 + MOST_PAST + MOST_UPCOMING);
        assert_eq!(
            list[0].recurrence_id().as_deref(),
            Some("2020-01-01T14:00:00Z")
        );
        assert_eq!(
            list[1].recurrence_id().as_deref(),
            Some("2026-05-22T13:00:00Z")
        );
        assert_eq!(
            list[11].recurrence_id().as_deref(),
            Some("2026-06-01T13:00:00Z")
        );
        assert_eq!(
            list[70].recurrence_id().as_deref(),
            Some("2026-07-30T13:00:00Z")
        );
        assert!(list[10].is_past(now) && !list[11].is_past(now));

        // A yearly rule that goes on gives only the year ahead.
        let cal = calendar(
            "[[event]]\nid = \"y\"\ntitle = \"Y\"\nstart = 2026-07-04\n\
             repeat = \"FREQ=YEARLY\"\nskip = [2027-07-04]\n",
        );
        let list = listed(&cal.events[0], utc("2027-01-01T00:00:00Z"));
        assert_eq!(
            list.iter()
                .map(|o| o.recurrence_id().unwrap())
                .collect::<Vec<_>>(),
            ["2026-07-04"]
        );
        let list = listed(&cal.events[0], utc("2027-08-01T00:00:00Z"));
        assert_eq!(
            list.iter()
                .map(|o| o.recurrence_id().unwrap())
                .collect::<Vec<_>>(),
            ["2026-07-04", "2028-07-04"]
        );
    }

    #[test]
    fn a_rule_every_minute_is_followed_only_as_far_as_it_is_listed() {
        let cal = calendar(
            "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-05-01T00:00:00\n\
             timezone = \"UTC\"\nduration = \"PT1M\"\nrepeat = \"FREQ=MINUTELY\"\n\n\
             [[event.override]]\noccurrence = 2026-06-01T12:30:00\n\
             start = 2026-06-01T11:58:30\n",
        );
        let list = listed(&cal.events[0], utc("2026-06-01T12:00:00Z"));
        assert_eq!(list.len(), 1 + MOST_PAST + MOST_UPCOMING);
        let ids: Vec<String> = list.iter().map(|o| o.recurrence_id().unwrap()).collect();
        // The moved occurrence, at 11:58:30, is one of the 10 latest past ones; the next
        // upcoming one takes the place of 12:30.
        assert_eq!(ids[0], "2026-05-01T00:00:00Z");
        assert_eq!(ids[1], "2026-06-01T11:51:00Z");
        assert_eq!(ids[9], "2026-06-01T12:30:00Z");
        assert_eq!(ids[10], "2026-06-01T11:59:00Z");
        assert_eq!(ids[11], "2026-06-01T12:00:00Z");
        assert_eq!(ids[70], "2026-06-01T13:00:00Z");
    }

    #[test]
    fn a_utc_until_ends_the_occurrences() {
        let cal = calendar(
            "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-06-28T09:00:00\n\
             repeat = \"FREQ=DAILY;UNTIL=20260630T125959Z\"\n",
        );
        let list = within(&cal.events[0], None, DateTime::<Utc>::MAX_UTC);
        assert_eq!(starts(&list), ["06-28T13:00Z", "06-29T13:00Z"]);
        assert_eq!(
            first(&cal.events[0]).unwrap().recurrence_id().as_deref(),
            Some("2026-06-28T13:00:00Z")
        );
    }
}
