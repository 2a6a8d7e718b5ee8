//! `calfeed agenda`: the events as a list for the terminal, at the viewer's local times.
//!
//! Timed events are shown on the viewer's wall clock, with the event's own local time beside
//! them where the two differ; all-day events stay on their dates in every zone. Tentative and
//! cancelled events are marked in words (and in colour when asked for). A repeating event is
//! listed once per occurrence, with its rule in words.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};

use crate::model::{Calendar, Event, Status, When};
use crate::occurrences::{self, Occurrence};
use crate::site::locale::{Locale, Words};
use crate::site::{self, wall};
use crate::tz::{Tzdb, Zone};

/// What to show and how.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The viewer's zone.
    pub zone: Zone,
    /// Show only events that end on or after this day (in the viewer's zone).
    pub from: Option<NaiveDate>,
    /// Show only events that start on or before this day (in the viewer's zone). Repeating
    /// events stop [`YEAR_AFTER_FROM`] after `from` when only `from` is given.
    pub to: Option<NaiveDate>,
    /// Show only the events of this feed (`all` for every event).
    pub feed: Option<&'a str>,
    /// Language of the texts; default: the feed's, else the calendar's.
    pub language: Option<&'a str>,
    /// Colour with ANSI escapes.
    pub color: bool,
    /// The current time, which separates upcoming from past events when no range is given.
    pub now: DateTime<Utc>,
}

/// Why the agenda cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    /// `--feed` names no feed of the calendar.
    #[error("there is no feed `{name}`; the feeds are: {}", known.join(", "))]
    UnknownFeed {
        /// The name given.
        name: String,
        /// The feeds there are.
        known: Vec<String>,
    },
    /// `--from` is after `--to`.
    #[error("--from {from} is after --to {to}")]
    EmptyRange {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
}

/// The system's time zone as jiff finds it (`TZ`, else `/etc/localtime`), looked up by its
/// IANA name in `db`; UTC when it has no name there.
pub fn system_zone(db: &Tzdb) -> Zone {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().and_then(|name| db.zone(name)))
        .unwrap_or_else(Zone::utc)
}

/// With `from` but no `to`, the occurrences of repeating events are listed up to this long
/// after `from` (an open-ended rule has no last one).
pub const YEAR_AFTER_FROM: Months = Months::new(12);

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const STRIKE: &str = "\x1b[9m";

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, codes: &[&str], text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("{}{text}{RESET}", codes.concat())
        } else {
            text.to_owned()
        }
    }
}

/// One event as lines of the agenda.
struct Row {
    date: String,
    time: String,
    title: String,
    details: Vec<String>,
}

/// The agenda as text, ending in a line break.
pub fn render(calendar: &Calendar, options: &Options<'_>) -> Result<String, AgendaError> {
    let default = calendar.language.as_str();
    let feed =
        match options.feed {
            None | Some("all") => None,
            Some(name) => Some(calendar.feeds.iter().find(|f| f.name == name).ok_or_else(
                || {
                    AgendaError::UnknownFeed {
                        name: name.to_owned(),
                        known: std::iter::once("all".to_owned())
                            .chain(calendar.feeds.iter().map(|f| f.name.clone()))
                            .collect(),
                    }
                },
            )?),
        };
    if let (Some(from), Some(to)) = (options.from, options.to)
        && from > to
    {
        return Err(AgendaError::EmptyRange { from, to });
    }
    let language = options
        .language
        .or(feed.map(|f| f.language.as_str()))
        .unwrap_or(default);
    let locale = Locale::for_tag(language);
    let words = locale.words();
    let style = Style { on: options.color };

    let mut events: Vec<Occurrence<'_>> = calendar
        .events
        .iter()
        .filter(|e| feed.is_none_or(|f| f.includes(e)))
        .flat_map(|e| shown(e, options))
        .collect();
    occurrences::sort(&mut events);

    let title = match feed {
        Some(f) => &f.title,
        None => &calendar.name,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.paint(&[BOLD], &terminal_safe(title.get(language, default).text))
    );
    let _ = writeln!(
        out,
        "{}",
        style.paint(
            &[DIM],
            &format!("{}: {}", words.times_in, options.zone.name())
        )
    );

    if events.is_empty() {
        let _ = writeln!(out, "\n{}", words.nothing);
        return Ok(out);
    }
    let ranged = options.from.is_some() || options.to.is_some();
    if ranged {
        let events: Vec<&Occurrence<'_>> = events.iter().collect();
        section(
            &mut out, calendar, &events, language, locale, options, &style,
        );
    } else {
        let (past, upcoming): (Vec<&Occurrence<'_>>, Vec<&Occurrence<'_>>) =
            events.iter().partition(|o| o.is_past(options.now));
        let _ = writeln!(out, "\n{}", style.paint(&[BOLD], words.upcoming));
        if upcoming.is_empty() {
            let _ = writeln!(out, "{}", words.no_upcoming);
        }
        section(
            &mut out, calendar, &upcoming, language, locale, options, &style,
        );
        if !past.is_empty() {
            let past: Vec<&Occurrence<'_>> = past.into_iter().rev().collect();
            let _ = writeln!(out, "\n{}", style.paint(&[BOLD], words.past));
            section(&mut out, calendar, &past, language, locale, options, &style);
        }
    }
    Ok(out)
}

/// The occurrences of `event` to show: those in the range when one is given (for a repeating
/// event with `from` but no `to`, up to [`YEAR_AFTER_FROM`] later), else those the page lists.
fn shown<'e>(event: &'e Event, options: &Options<'_>) -> Vec<Occurrence<'e>> {
    let in_range = |event: &Event, to: Option<NaiveDate>| {
        let (first, last) = days(event, options.zone);
        options.from.is_none_or(|from| last >= from) && to.is_none_or(|to| first <= to)
    };
    if event.repeat.is_none() {
        return occurrences::first(event)
            .filter(|_| in_range(event, options.to))
            .into_iter()
            .collect();
    }
    let to = match (options.from, options.to) {
        (None, None) => return occurrences::listed(event, options.now),
        (_, Some(to)) => to,
        (Some(from), None) => from
            .checked_add_months(YEAR_AFTER_FROM)
            .unwrap_or(NaiveDate::MAX),
    };
    // The range is on the viewer's clock; two days either side cover every zone.
    let instant = |day: NaiveDate| day.and_time(NaiveTime::MIN).and_utc();
    let from = options
        .from
        .and_then(|from| from.checked_sub_days(Days::new(2)))
        .map(instant);
    let until = to
        .checked_add_days(Days::new(3))
        .map_or(DateTime::<Utc>::MAX_UTC, instant);
    occurrences::within(event, from, until)
        .into_iter()
        .filter(|o| in_range(&o.event, Some(to)))
        .collect()
}

/// The first and last day an event touches: its own dates when all-day, else on the viewer's
/// clock (an end at midnight does not touch the next day).
fn days(event: &Event, zone: Zone) -> (NaiveDate, NaiveDate) {
    match event.when {
        When::AllDay { first, last } => (first, last),
        When::Timed { start, end } => {
            let first = wall(start.utc, zone).date();
            let last = wall(end.utc - chrono::Duration::seconds(1), zone).date();
            (first, last.max(first))
        }
    }
}

fn section(
    out: &mut String,
    calendar: &Calendar,
    events: &[&Occurrence<'_>],
    language: &str,
    locale: Locale,
    options: &Options<'_>,
    style: &Style,
) {
    let rows: Vec<(NaiveDate, Row)> = events
        .iter()
        .map(|o| {
            (
                days(&o.event, options.zone).0,
                row(calendar, o, language, locale, options, style),
            )
        })
        .collect();
    let date_width = rows.iter().map(|(_, r)| width(&r.date)).max().unwrap_or(0);
    let time_width = rows.iter().map(|(_, r)| width(&r.time)).max().unwrap_or(0);
    let indent = " ".repeat(2 + date_width + 2 + time_width + 2);
    let mut month = None;
    for (day, row) in rows {
        let key = (day.year(), day.month());
        if month != Some(key) {
            month = Some(key);
            let _ = writeln!(
                out,
                "\n{}",
                style.paint(&[BOLD], &locale.month(day.year(), day.month()))
            );
        }
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            pad(&row.date, date_width),
            pad(&row.time, time_width),
            row.title
        );
        for detail in row.details {
            let _ = writeln!(out, "{indent}{}", style.paint(&[DIM], &detail));
        }
    }
}

fn row(
    calendar: &Calendar,
    occurrence: &Occurrence<'_>,
    language: &str,
    locale: Locale,
    options: &Options<'_>,
    style: &Style,
) -> Row {
    let event: &Event = &occurrence.event;
    let default = calendar.language.as_str();
    let words: &Words = locale.words();
    let mut details = Vec::new();
    let (date, time) = match event.when {
        When::AllDay { first, last } => {
            if last != first {
                details.push(format!(
                    "{} – {}",
                    locale.short_date(first).trim_start(),
                    locale.short_date(last).trim_start()
                ));
            }
            (locale.short_date(first), words.all_day.to_owned())
        }
        When::Timed { start, end } => {
            let viewer = clock(start.utc, end.utc, options.zone);
            let own = clock(start.utc, end.utc, event.timezone);
            let (s, e) = (wall(start.utc, options.zone), wall(end.utc, options.zone));
            let (os, oe) = (
                wall(start.utc, event.timezone),
                wall(end.utc, event.timezone),
            );
            if (s, e) != (os, oe) {
                details.push(format!(
                    "{}: {} {own} {}",
                    words.local_time,
                    locale.short_date(os.date()).trim_start(),
                    event.timezone.name()
                ));
            }
            (locale.short_date(s.date()), viewer)
        }
    };
    let name = terminal_safe(event.title.get(language, default).text);
    let title = match site::status_word(event.status, words) {
        None => style.paint(&[BOLD], &name),
        Some(word) => {
            let (mark, title) = match event.status {
                Status::Cancelled => ([RED, BOLD], style.paint(&[STRIKE], &name)),
                _ => ([YELLOW, BOLD], style.paint(&[BOLD], &name)),
            };
            format!("{} {title}", style.paint(&mark, &format!("[{word}]")))
        }
    };
    if let Some(location) = &event.location {
        details.push(format!(
            "{}: {}",
            words.place,
            terminal_safe(location.get(language, default).text)
        ));
    }
    if !event.participants.is_empty() {
        let names: Vec<String> = event
            .participants
            .iter()
            .map(|p| terminal_safe(p.get(language, default).text))
            .collect();
        details.push(format!("{}: {}", words.participants, names.join(", ")));
    }
    if let (Some(series), Some(repeat)) = (occurrence.series, occurrence.repeat()) {
        let start = series.when.rule_start();
        let summary = locale
            .rule_summary(&repeat.rule, start)
            .unwrap_or_else(|| repeat.rule.summary(start));
        details.push(format!("{}: {summary}", words.repeats));
    }
    Row {
        date,
        time,
        title,
        details,
    }
}

/// `06:00–07:00`, with `+1` (or `+N`) when the end falls on a later day of that clock.
fn clock(start: DateTime<Utc>, end: DateTime<Utc>, zone: Zone) -> String {
    let (s, e) = (wall(start, zone), wall(end, zone));
    let days = (e.date() - s.date()).num_days();
    let later = if days > 0 {
        format!("+{days}")
    } else {
        String::new()
    };
    format!("{}–{}{later}", s.format("%H:%M"), e.format("%H:%M"))
}

/// A text from `events.toml` made safe for a terminal: line breaks become spaces and invisible
/// formatting characters (bidirectional overrides and the like) are shown as `<U+XXXX>`.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push(' '),
            c if c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}') =>
            {
                let _ = write!(out, "<U+{:04X}>", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Columns a text of our own takes in a terminal: two for Hangul, kana and CJK ideographs.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF => 2,
            0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_characters_do_not_reach_the_terminal() {
        assert_eq!(terminal_safe("a\nb"), "a b");
        assert_eq!(terminal_safe("x\u{202e}y"), "x<U+202E>y");
        assert_eq!(terminal_safe("회담"), "회담");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("Tue 28 Oct"), 10);
        assert_eq!(width("10월 28일 (화)"), 14);
        assert_eq!(width("10月28日(火)"), 12);
    }

    #[test]
    fn times_past_midnight_say_how_many_days_later() {
        let start = DateTime::from_timestamp(1_793_507_400, 0).unwrap(); // 2026-11-01T04:30Z
        let end = start + chrono::Duration::hours(4);
        let db = Tzdb::bundled();
        let la = db.zone("America/Los_Angeles").unwrap();
        let seoul = db.zone("Asia/Seoul").unwrap();
        assert_eq!(clock(start, end, la), "21:30–01:30+1");
        assert_eq!(clock(start, end, seoul), "13:30–17:30");
    }
}
