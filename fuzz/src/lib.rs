//! The properties the fuzz targets check, kept apart from the AFL++ entry points in `src/bin/`
//! so that `cargo test` here can replay the seed corpus through them without AFL++.
//!
//! - [`events`]: any bytes as `events.toml` are either rejected with diagnostics that point into
//!   the file, or accepted, and then every feed is well-formed iCalendar (CRLF lines of at most
//!   75 octets, balanced `BEGIN`/`END`) that the `icalendar` crate reads back with the same
//!   number of events.
//! - [`dst`]: an event near a daylight saving change of a real zone is accepted exactly when
//!   its times exist and are unambiguous, and the instants in the feed are the ones the tz
//!   database gives (read here with jiff's own zone arithmetic, from the copy that calfeed is
//!   told to use too).
//!
//! Only calfeed's public API and the text of its feeds are used, so the checks do not depend on
//! how calfeed represents zones internally.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Offset, TimeZoneDatabase};

/// The `DTSTAMP` of events without `updated` in every rendered feed.
const STAMP: i64 = 1_767_225_600;

/// Makes calfeed use its own copy of the tz database, the one the expectations come from,
/// never the system's (the first choice made in a process stays).
fn use_bundled_database() {
    calfeed::tz::select(&calfeed::tz::Choice::Bundled).expect("the bundled tz database");
}

/// Validates `text` and renders every feed, or returns the diagnostics.
fn render(text: &str) -> Result<Vec<(String, usize, String)>, Vec<calfeed::diag::Diagnostic>> {
    use_bundled_database();
    let loaded = calfeed::load::parse(text)?;
    let stamp = chrono::DateTime::from_timestamp(STAMP, 0).expect("a valid stamp");
    let feeds = calfeed::render::Feeds::new(&loaded.calendar, stamp);
    Ok(feeds
        .views()
        .iter()
        .map(|view| {
            let bytes = feeds.write(view, Vec::new()).expect("writing to memory");
            let text = String::from_utf8(bytes).expect("feeds are UTF-8");
            (view.name.to_owned(), view.events.len(), text)
        })
        .collect())
}

/// Checks target (a): panics, with the reason, if a property does not hold.
pub fn events(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match render(text) {
        Ok(feeds) => {
            for (name, count, feed) in feeds {
                if let Err(problem) = well_formed(&feed, count) {
                    panic!("{name}.ics is not well-formed: {problem}\n{feed}");
                }
            }
        }
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "rejected without an error"
            );
            for d in &diagnostics {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= text.len() + 1,
                    "span {:?} outside a text of {} bytes",
                    d.span,
                    text.len()
                );
            }
            let shown = calfeed::diag::render(&diagnostics, "events.toml", text);
            assert!(shown.contains("events.toml:"), "{shown}");
        }
    }
}

/// The content-line layer of RFC 5545 (section 3.1) and the nesting of components, then a
/// reading by the `icalendar` crate.
pub fn well_formed(feed: &str, events: usize) -> Result<(), String> {
    let Some(body) = feed.strip_suffix("\r\n") else {
        return Err("does not end with CRLF".into());
    };
    let mut open: Vec<&str> = Vec::new();
    let mut seen = 0;
    let mut closed = false;
    for (n, line) in body.split("\r\n").enumerate() {
        let n = n + 1;
        if closed {
            return Err(format!("line {n} is after END:VCALENDAR"));
        }
        if line.len() > 75 {
            return Err(format!("line {n} has {} octets", line.len()));
        }
        if line.contains(['\r', '\n']) {
            return Err(format!("line {n} holds a bare CR or LF"));
        }
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!("line {n} holds a control character"));
        }
        if let Some(name) = line.strip_prefix("BEGIN:") {
            open.push(name);
            if name == "VEVENT" {
                seen += 1;
            }
        } else if let Some(name) = line.strip_prefix("END:") {
            if open.pop() != Some(name) {
                return Err(format!("line {n} ends {name}, which is not open"));
            }
        } else if n == 1 {
            return Err("does not start with BEGIN:VCALENDAR".into());
        }
        closed = open.is_empty();
    }
    if !open.is_empty() || !feed.starts_with("BEGIN:VCALENDAR\r\n") {
        return Err(format!("unbalanced components: {open:?} left open"));
    }
    if seen != events {
        return Err(format!("{seen} VEVENTs for {events} events"));
    }
    let parsed: icalendar::Calendar = feed
        .parse()
        .map_err(|e| format!("the icalendar crate cannot read it: {e}"))?;
    let read = parsed
        .components
        .iter()
        .filter(|c| matches!(c, icalendar::CalendarComponent::Event(_)))
        .count();
    if read != events {
        return Err(format!(
            "the icalendar crate reads {read} of {events} events"
        ));
    }
    Ok(())
}

/// Zones with daylight saving changes of every kind: northern and southern, half-hour and
/// negative saving, changes at midnight, abolished and historic saving, and none at all.
pub const ZONES: &[&str] = &[
    "America/New_York",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Berlin",
    "Europe/Moscow",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "America/St_Johns",
    "America/Havana",
    "Asia/Tehran",
    "Pacific/Apia",
    "Antarctica/Troll",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "UTC",
];

/// Reads bytes as a sequence of small choices; zeros once they run out.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    /// A signed number of minutes within about ±`hours` hours.
    fn minutes(&mut self, hours: i64) -> i64 {
        let raw = i64::from(u16::from_le_bytes([self.byte(), self.byte()]));
        raw % (2 * hours * 60 + 1) - hours * 60
    }
}

/// How a start or an end is written.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// A wall time in the event's zone.
    Local(DateTime),
    /// A wall time with an explicit offset.
    WithOffset(DateTime, Offset),
}

impl Form {
    fn toml(self) -> String {
        match self {
            Form::Local(t) => t.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
            Form::WithOffset(t, o) => {
                let seconds = o.seconds();
                let sign = if seconds < 0 { '-' } else { '+' };
                let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
                format!("{}{sign}{h:02}:{m:02}", t.strftime("%Y-%m-%dT%H:%M:%S"))
            }
        }
    }
}

/// The end of an event.
#[derive(Debug, Clone, Copy)]
enum End {
    /// Neither `end` nor `duration`: one hour.
    Default,
    /// `duration = "P{days}DT{minutes}M"`.
    Duration { days: i64, minutes: i64 },
    /// `end = ...`.
    At(Form),
}

/// One generated case: an event near a transition of a zone.
#[derive(Debug)]
pub struct Case {
    zone: String,
    /// Whether the event names the zone (else only the calendar does).
    zone_on_event: bool,
    start: Form,
    end: End,
    utc_style: bool,
}

impl Case {
    /// Builds a case from fuzzer bytes: a zone, a change of that zone between 1970 and 2037,
    /// wall times within hours of it, written in any of the forms calfeed accepts.
    pub fn from_bytes(data: &[u8]) -> Case {
        let mut c = Choices(data);
        // Half the time one of the zones above, else any zone of the database.
        let zone = if c.below(2) == 0 {
            ZONES[c.below(ZONES.len())].to_owned()
        } else {
            let all = all_zones();
            let n = usize::from(u16::from_le_bytes([c.byte(), c.byte()]));
            all[n % all.len()].clone()
        };
        let tz = database().get(&zone).expect("a known zone");
        let year = 1970 + c.below(68) as i16;
        let from = Offset::UTC
            .to_timestamp(jiff::civil::date(year, 1 + c.below(12) as i8, 1).at(0, 0, 0, 0))
            .expect("a valid date");
        let change = tz
            .following(from)
            .next()
            .map_or(from, |t| t.timestamp())
            .min(
                from.checked_add(jiff::SignedDuration::from_hours(24 * 400))
                    .unwrap(),
            );
        let before = tz.to_offset(
            change
                .checked_sub(jiff::SignedDuration::from_secs(1))
                .unwrap(),
        );
        let wall = before.to_datetime(change);
        let near = |c: &mut Choices, at: DateTime| {
            at.checked_add(jiff::SignedDuration::from_mins(c.minutes(4)))
                .expect("within range")
        };
        let form = |c: &mut Choices, at: DateTime| match c.below(4) {
            0 | 1 => Form::Local(at),
            _ => {
                let offset = match c.below(3) {
                    0 => before,
                    1 => tz.to_offset(change),
                    _ => Offset::from_seconds(c.minutes(14) as i32 * 60).unwrap_or(Offset::UTC),
                };
                // TOML offsets are hours and minutes; a zone's seconds (Monrovia's -00:44:30
                // until 1972) cannot be written, so the case uses the offset as written.
                let seconds = offset.seconds();
                let written = seconds.signum() * (seconds.abs() / 60 * 60);
                Form::WithOffset(at, Offset::from_seconds(written).expect("a valid offset"))
            }
        };
        let start_wall = near(&mut c, wall);
        let start = form(&mut c, start_wall);
        let end = match c.below(3) {
            0 => End::Default,
            1 => End::Duration {
                days: c.below(3) as i64,
                minutes: c.minutes(5).abs(),
            },
            _ => {
                let at = near(&mut c, start_wall);
                End::At(form(&mut c, at))
            }
        };
        Case {
            zone,
            zone_on_event: c.below(4) != 0,
            start,
            end,
            utc_style: c.below(4) == 0,
        }
    }

    /// The `events.toml` of the case.
    pub fn toml(&self) -> String {
        let mut text = String::new();
        writeln!(
            text,
            "[calendar]\nname = \"DST\"\ndomain = \"example.org\"\ntimezone = \"{}\"",
            self.zone
        )
        .unwrap();
        if self.utc_style {
            text.push_str("timezones = \"utc\"\n");
        }
        text.push_str("\n[[event]]\nid = \"near-a-change\"\ntitle = \"Near a change\"\n");
        writeln!(text, "start = {}", self.start.toml()).unwrap();
        match self.end {
            End::Default => {}
            End::Duration { days, minutes } => {
                writeln!(text, "duration = \"P{days}DT{minutes}M\"").unwrap()
            }
            End::At(form) => writeln!(text, "end = {}", form.toml()).unwrap(),
        }
        if self.zone_on_event {
            writeln!(text, "timezone = \"{}\"", self.zone).unwrap();
        }
        text
    }

    /// The instants the event must have, or `None` if calfeed must refuse it.
    pub fn expected(&self) -> Option<(Timestamp, Timestamp)> {
        let tz = database().get(&self.zone).expect("a known zone");
        // An offset without a zone on the event is just an instant.
        let instant = |form: Form| -> Option<Timestamp> {
            match form {
                Form::Local(t) => match tz.to_ambiguous_timestamp(t).offset() {
                    AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(t).ok(),
                    AmbiguousOffset::Gap { .. } | AmbiguousOffset::Fold { .. } => None,
                },
                Form::WithOffset(t, offset) => {
                    let at = offset.to_timestamp(t).ok()?;
                    (!self.zone_on_event || tz.to_offset(at) == offset).then_some(at)
                }
            }
        };
        let start = instant(self.start)?;
        let end = match self.end {
            End::Default => start
                .checked_add(jiff::SignedDuration::from_hours(1))
                .ok()?,
            End::Duration { days, minutes } => {
                // Days on the wall clock (RFC 5545 3.3.6), a skipped time read with the offset
                // before the gap and a repeated one as the first; then elapsed minutes.
                let after_days = if days == 0 {
                    start
                } else {
                    let wall = tz
                        .to_datetime(start)
                        .checked_add(jiff::Span::new().days(days))
                        .ok()?;
                    tz.to_ambiguous_timestamp(wall).compatible().ok()?
                };
                after_days
                    .checked_add(jiff::SignedDuration::from_mins(minutes))
                    .ok()?
            }
            End::At(form) => instant(form)?,
        };
        (end > start).then_some((start, end))
    }
}

/// Every zone name of the database, sorted.
fn all_zones() -> &'static [String] {
    static ZONES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ZONES.get_or_init(|| {
        use_bundled_database();
        let mut names: Vec<String> = database()
            .available()
            .map(|name| name.as_str().to_owned())
            .filter(|name| {
                calfeed::load::parse(&format!(
                    "[calendar]\nname = \"z\"\ndomain = \"example.org\"\ntimezone = \"{name}\"\n"
                ))
                .is_ok()
            })
            .collect();
        names.sort();
        names
    })
}

/// The tz database the expected instants come from.
fn database() -> &'static TimeZoneDatabase {
    static DATABASE: std::sync::OnceLock<TimeZoneDatabase> = std::sync::OnceLock::new();
    DATABASE.get_or_init(TimeZoneDatabase::bundled)
}

/// Checks target (b): panics, with the case, if calfeed and the tz database disagree.
pub fn dst(data: &[u8]) {
    let case = Case::from_bytes(data);
    let text = case.toml();
    let expected = case.expected();
    match (render(&text), expected) {
        (Err(diagnostics), None) => {
            assert!(diagnostics.iter().any(|d| d.is_error()));
        }
        (Err(diagnostics), Some(instants)) => panic!(
            "refused although the database gives {instants:?}:\n{text}\n{}",
            calfeed::diag::render(&diagnostics, "events.toml", &text)
        ),
        (Ok(_), None) => panic!("accepted although a time does not exist or is ambiguous:\n{text}"),
        (Ok(feeds), Some((start, end))) => {
            let (_, _, feed) = &feeds[0];
            let read = |property: &str| {
                read_instant(feed, property)
                    .unwrap_or_else(|problem| panic!("{problem}\n{text}\n{feed}"))
            };
            assert_eq!(read("DTSTART"), start, "DTSTART of\n{text}\n{feed}");
            assert_eq!(read("DTEND"), end, "DTEND of\n{text}\n{feed}");
        }
    }
}

/// The instant of `DTSTART` or `DTEND` in a feed: UTC as written, or a wall time in the named
/// zone, which must be neither skipped nor repeated there (clients disagree about those).
fn read_instant(feed: &str, property: &str) -> Result<Timestamp, String> {
    let line = feed
        .split("\r\n")
        .skip_while(|l| *l != "BEGIN:VEVENT")
        .find(|l| l.starts_with(&format!("{property}:")) || l.starts_with(&format!("{property};")))
        .ok_or_else(|| format!("no {property}"))?;
    let (name, value) = line.split_once(':').expect("a property line has a colon");
    let wall: DateTime = value
        .trim_end_matches('Z')
        .parse()
        .map_err(|e| format!("{line}: {e}"))?;
    if value.ends_with('Z') {
        return Offset::UTC.to_timestamp(wall).map_err(|e| e.to_string());
    }
    let zone = name
        .split(';')
        .find_map(|p| p.strip_prefix("TZID="))
        .ok_or_else(|| format!("{line}: a wall time without TZID"))?;
    let tz = database().get(zone).map_err(|e| format!("{line}: {e}"))?;
    match tz.to_ambiguous_timestamp(wall).offset() {
        AmbiguousOffset::Unambiguous { offset } => {
            offset.to_timestamp(wall).map_err(|e| e.to_string())
        }
        other => Err(format!("{line}: written as a wall time that is {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the seed corpus of `target`.
    fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                (path.display().to_string(), std::fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds in {}", dir.display());
        files
    }

    #[test]
    fn the_events_seeds_hold() {
        for (_, data) in corpus("events") {
            events(&data);
        }
    }

    #[test]
    fn the_dst_seeds_hold() {
        for (_, data) in corpus("dst") {
            dst(&data);
        }
    }

    #[test]
    fn cases_reach_gaps_folds_and_valid_times() {
        let (mut refused, mut accepted) = (0, 0);
        for seed in 0..20_000u32 {
            let bytes: Vec<u8> = (0..16)
                .map(|i| (seed.wrapping_mul(2_654_435_761) >> (i % 4 * 8)) as u8 ^ i)
                .collect();
            let case = Case::from_bytes(&bytes);
            match case.expected() {
                Some(_) => accepted += 1,
                None => refused += 1,
            }
            dst(&bytes);
        }
        assert!(
            refused > 100 && accepted > 100,
            "{refused} refused, {accepted} accepted"
        );
    }

    #[test]
    fn broken_feeds_are_caught() {
        let good = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n";
        assert_eq!(well_formed(good, 0), Ok(()));
        assert!(well_formed(&good.replace("\r\n", "\n"), 0).is_err());
        assert!(well_formed(&good.replace("END:VCALENDAR\r\n", ""), 0).is_err());
        let long = good.replace("PRODID:x", &format!("PRODID:{}", "x".repeat(70)));
        assert!(well_formed(&long, 0).is_err());
        assert!(well_formed(good, 1).is_err());
    }
}
