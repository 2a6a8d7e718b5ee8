//! Writing feeds: a validated [`Calendar`] and one feed's selection of events in, RFC 5545 out.
//!
//! The output is byte-for-byte reproducible: events are sorted by start and then id, zones by
//! name, and nothing depends on the clock unless no `updated` and no `SOURCE_DATE_EPOCH` say when
//! an event last changed. Each event becomes one `VEVENT` with an always-present `DTEND`
//! (computed here, because parsers mis-add a `DURATION` across DST changes) and an explicit
//! `STATUS` and `TRANSP`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use crate::tz::Zone;
use chrono::{
    DateTime, Datelike, Duration as ChronoDuration, NaiveDate, NaiveDateTime, NaiveTime, Timelike,
    Utc,
};

use crate::ics::ContentWriter;
use crate::model::{Calendar, Event, Feed, Moment, Repeat, Status, TimezoneStyle, When};
use crate::recur::{End, Until};
use crate::text::Text;
use crate::tz;

/// The product identifier written to every feed.
pub fn prodid(tzdata: &str) -> String {
    format!(
        "-//calfeed//calfeed {} tzdata {tzdata}//EN",
        env!("CARGO_PKG_VERSION")
    )
}

/// One output file: its name and what it holds.
#[derive(Debug, Clone)]
pub struct FeedView<'a> {
    /// File name without `.ics`.
    pub name: &'a str,
    /// Calendar name.
    pub title: &'a Text,
    /// Calendar description.
    pub description: Option<&'a Text>,
    /// Language of the texts.
    pub language: &'a str,
    /// The events, in output order.
    pub events: Vec<&'a Event>,
}

/// The feeds of one calendar, ready to write: the events in order and the generated timezones
/// they share.
pub struct Feeds<'a> {
    calendar: &'a Calendar,
    /// Events sorted by start, then id.
    sorted: Vec<&'a Event>,
    /// The generated `VTIMEZONE` of each zone used, as content lines.
    vtimezones: BTreeMap<&'static str, Vec<String>>,
    stamp: DateTime<Utc>,
    /// Events already written as text, one set per language (see [`Feeds::prerender`]).
    rendered: Vec<Rendered>,
}

/// The `VEVENT`s of every event of a calendar (each followed by its overrides) in one language,
/// written once and copied into every file that holds them.
struct Rendered {
    language: String,
    /// The text, in pieces of [`EVENTS_PER_TASK`] events.
    chunks: Vec<Vec<u8>>,
    /// Where each event's text ends in its piece, by the event's place in
    /// [`Calendar::events`]; an event not written ends where the one before it does.
    ends: Vec<usize>,
}

/// Events written per task when events are written on several threads: enough to make a task
/// worth handing out, few enough to share the work evenly.
const EVENTS_PER_TASK: usize = 512;

impl<'a> Feeds<'a> {
    /// Sorts the events and generates one `VTIMEZONE` per zone, valid from the zone's earliest
    /// use in the whole calendar. `stamp` is the `DTSTAMP` of events without `updated`.
    pub fn new(calendar: &'a Calendar, stamp: DateTime<Utc>) -> Self {
        let mut sorted: Vec<&Event> = calendar.events.iter().collect();
        sorted.sort_by(|a, b| (a.sort_key(), &a.id).cmp(&(b.sort_key(), &b.id)));
        let mut earliest: BTreeMap<&'static str, (Zone, DateTime<Utc>)> = BTreeMap::new();
        if calendar.timezones == TimezoneStyle::Vtimezone {
            for event in &sorted {
                for moment in zoned_moments(event) {
                    if let Some(zone) = moment.zone {
                        let entry = earliest.entry(zone.name()).or_insert((zone, moment.utc));
                        entry.1 = entry.1.min(moment.utc);
                    }
                }
            }
        }
        let vtimezones = earliest
            .into_iter()
            .map(|(name, (zone, first))| (name, tz::vtimezone(zone, first).lines()))
            .collect();
        Feeds {
            calendar,
            sorted,
            vtimezones,
            stamp,
            rendered: Vec::new(),
        }
    }

    /// Writes each event of `views` once per language it is shown in, and every event in
    /// `every_event_in` if given, on all cores (rayon's threads; see `RAYON_NUM_THREADS`), so
    /// that writing the feeds and files that hold them only copies text. The output is the same
    /// byte for byte as without it.
    pub fn prerender(
        &mut self,
        views: &[FeedView<'_>],
        every_event_in: Option<&str>,
    ) -> io::Result<()> {
        use rayon::prelude::*;
        let count = self.calendar.events.len();
        let mut wanted: Vec<(&str, Vec<bool>)> = Vec::new();
        let mut want = |language, index: Option<usize>| {
            let at = match wanted.iter().position(|(l, _)| *l == language) {
                Some(at) => at,
                None => {
                    wanted.push((language, vec![false; count]));
                    wanted.len() - 1
                }
            };
            match index {
                Some(i) => wanted[at].1[i] = true,
                None => wanted[at].1.fill(true),
            }
        };
        if let Some(language) = every_event_in {
            want(language, None);
        }
        for view in views {
            for event in &view.events {
                if let Some(index) = self.index_of(event) {
                    want(view.language, Some(index));
                }
            }
        }
        for (language, needed) in wanted {
            let write_chunk = |(events, needed): (&[Event], &[bool])| {
                let mut w = ContentWriter::new(Vec::new());
                let mut ends = Vec::with_capacity(events.len());
                for (event, &needed) in events.iter().zip(needed) {
                    if needed {
                        self.write_event_and_overrides(&mut w, event, language)?;
                    }
                    ends.push(w.written());
                }
                let mut text = w.finish()?;
                text.shrink_to_fit();
                Ok((text, ends))
            };
            let events = &self.calendar.events;
            // A small calendar is written before other threads would have started.
            let written: Vec<io::Result<(Vec<u8>, Vec<usize>)>> = if count > EVENTS_PER_TASK {
                events
                    .par_chunks(EVENTS_PER_TASK)
                    .zip(needed.par_chunks(EVENTS_PER_TASK))
                    .map(write_chunk)
                    .collect()
            } else {
                events
                    .chunks(EVENTS_PER_TASK)
                    .zip(needed.chunks(EVENTS_PER_TASK))
                    .map(write_chunk)
                    .collect()
            };
            let mut chunks = Vec::with_capacity(written.len());
            let mut ends = Vec::with_capacity(count);
            for piece in written {
                let (text, piece_ends) = piece?;
                chunks.push(text);
                ends.extend(piece_ends);
            }
            self.rendered.retain(|r| r.language != language);
            self.rendered.push(Rendered {
                language: language.to_owned(),
                chunks,
                ends,
            });
        }
        Ok(())
    }

    /// The place of `event` in [`Calendar::events`], from its address: views hold references
    /// into that list.
    fn index_of(&self, event: &Event) -> Option<usize> {
        let size = std::mem::size_of::<Event>();
        let base = self.calendar.events.as_ptr() as usize;
        let offset = (event as *const Event as usize).checked_sub(base)?;
        let index = offset / size;
        (offset % size == 0 && index < self.calendar.events.len()).then_some(index)
    }

    /// The text of `event` in `language`, if [`prerender`](Self::prerender) wrote it.
    fn prerendered(&self, event: &Event, language: &str) -> Option<&[u8]> {
        let rendered = self.rendered.iter().find(|r| r.language == language)?;
        let index = self.index_of(event)?;
        let start = if index % EVENTS_PER_TASK == 0 {
            0
        } else {
            rendered.ends[index - 1]
        };
        // Every event's text is at least its BEGIN and END lines: empty is not written.
        let end = rendered.ends[index];
        let chunk = &rendered.chunks[index / EVENTS_PER_TASK];
        (end > start).then(|| &chunk[start..end])
    }

    /// The feed holding every event: `all.ics`.
    pub fn all(&self) -> FeedView<'a> {
        FeedView {
            name: "all",
            title: &self.calendar.name,
            description: self.calendar.description.as_ref(),
            language: &self.calendar.language,
            events: self.sorted.clone(),
        }
    }

    /// The events of a `[[feed]]`.
    pub fn feed(&self, feed: &'a Feed) -> FeedView<'a> {
        FeedView {
            name: &feed.name,
            title: &feed.title,
            description: feed
                .description
                .as_ref()
                .or(self.calendar.description.as_ref()),
            language: &feed.language,
            events: self
                .sorted
                .iter()
                .copied()
                .filter(|e| feed.includes(e))
                .collect(),
        }
    }

    /// Every output of the calendar: `all` first, then the feeds in file order.
    pub fn views(&self) -> Vec<FeedView<'a>> {
        let mut views = vec![self.all()];
        views.extend(self.calendar.feeds.iter().map(|f| self.feed(f)));
        views
    }

    /// Writes `view` as an iCalendar stream.
    pub fn write<W: Write>(&self, view: &FeedView<'_>, out: W) -> io::Result<W> {
        let cal = self.calendar;
        let mut w = ContentWriter::new(out);
        w.line("BEGIN:VCALENDAR")?;
        w.line("VERSION:2.0")?;
        w.text("PRODID", &[], &prodid(&cal.tzdata))?;
        w.line("CALSCALE:GREGORIAN")?;
        let name = view.title.get(view.language, &cal.language);
        w.text("NAME", &language_param(name.language), name.text)?;
        w.text("X-WR-CALNAME", &[], name.text)?;
        if let Some(description) = view.description {
            let d = description.get(view.language, &cal.language);
            w.text("DESCRIPTION", &language_param(d.language), d.text)?;
            w.text("X-WR-CALDESC", &[], d.text)?;
        }
        w.text("X-WR-TIMEZONE", &[], cal.timezone.name())?;
        let refresh = cal.refresh.to_string();
        w.property("REFRESH-INTERVAL", &[("VALUE", "DURATION")], &refresh)?;
        w.property("X-PUBLISHED-TTL", &[], &refresh)?;
        if let Some(url) = &cal.url {
            let address = format!("{url}{}.ics", view.name);
            w.property("URL", &[], &address)?;
            w.property("SOURCE", &[("VALUE", "URI")], &address)?;
        }

        if cal.timezones == TimezoneStyle::Vtimezone {
            let used: BTreeSet<&str> = view
                .events
                .iter()
                .flat_map(|e| zoned_moments(e))
                .filter_map(|m| m.zone.map(|z| z.name()))
                .collect();
            for name in used {
                for line in &self.vtimezones[name] {
                    w.line(line)?;
                }
            }
        }
        for event in &view.events {
            match self.prerendered(event, view.language) {
                Some(text) => w.raw(text)?,
                None => self.write_event_and_overrides(&mut w, event, view.language)?,
            }
        }
        w.line("END:VCALENDAR")?;
        w.finish()
    }

    /// The `VEVENT` of `event`, then one for each of its overrides.
    fn write_event_and_overrides<W: Write>(
        &self,
        w: &mut ContentWriter<W>,
        event: &Event,
        language: &str,
    ) -> io::Result<()> {
        self.write_event(w, event, language, None)?;
        for over in event.repeat.iter().flat_map(|r| &r.overrides) {
            let replaced = (event.when, over.occurrence);
            self.write_event(w, &over.event, language, Some(replaced))?;
        }
        Ok(())
    }

    fn write_event<W: Write>(
        &self,
        w: &mut ContentWriter<W>,
        event: &Event,
        language: &str,
        replaced: Option<(When, NaiveDateTime)>,
    ) -> io::Result<()> {
        let cal = self.calendar;
        let default = cal.language.as_str();
        w.line("BEGIN:VEVENT")?;
        w.text("UID", &[], &format!("{}@{}", event.id, cal.domain))?;
        w.property(
            "DTSTAMP",
            &[],
            utc_stamp(event.updated.unwrap_or(self.stamp)).as_str(),
        )?;
        if let Some((master, occurrence)) = replaced {
            self.occurrence(w, "RECURRENCE-ID", master, occurrence)?;
        }
        match event.when {
            When::AllDay { first, last } => {
                let after = last + ChronoDuration::days(1);
                w.property(
                    "DTSTART",
                    &[("VALUE", "DATE")],
                    IcalTime::date(first).as_str(),
                )?;
                w.property(
                    "DTEND",
                    &[("VALUE", "DATE")],
                    IcalTime::date(after).as_str(),
                )?;
            }
            When::Timed { start, end } => {
                self.moment(w, "DTSTART", start)?;
                self.moment(w, "DTEND", end)?;
            }
        }
        if let Some(repeat) = &event.repeat {
            self.repeat(w, event.when, repeat)?;
        }

        let title = event.title.get(language, default);
        // The marker speaks to the reader of this feed, even where the title fell back.
        let marker = match event.status {
            Status::Confirmed => None,
            Status::Tentative => Some(&cal.tentative_marker),
            Status::Cancelled => Some(&cal.cancelled_marker),
        }
        .map(|m| m.get(language, default).text)
        .filter(|m| !m.is_empty());
        let summary = match marker {
            Some(marker) => format!("{marker} {}", title.text),
            None => title.text.to_owned(),
        };
        w.text("SUMMARY", &language_param(title.language), &summary)?;

        let (description, description_language) = full_description(event, language, default);
        if !description.is_empty() {
            w.text(
                "DESCRIPTION",
                &language_param(description_language),
                &description,
            )?;
        }
        if let Some(location) = &event.location {
            let l = location.get(language, default);
            w.text("LOCATION", &language_param(l.language), l.text)?;
        }
        if let Some((lat, lon)) = event.geo {
            w.property(
                "GEO",
                &[],
                &format!("{};{}", coordinate(lat), coordinate(lon)),
            )?;
        }
        if let Some(url) = &event.url {
            w.property("URL", &[], url)?;
        }
        if !event.tags.is_empty() {
            let tags: Vec<String> = event
                .tags
                .iter()
                .map(|t| crate::ics::escape_text(t))
                .collect();
            w.property("CATEGORIES", &[], &tags.join(","))?;
        }
        w.property("STATUS", &[], event.status.ical())?;
        let transparent =
            matches!(event.when, When::AllDay { .. }) || event.status != Status::Confirmed;
        w.property(
            "TRANSP",
            &[],
            if transparent { "TRANSPARENT" } else { "OPAQUE" },
        )?;
        w.property("SEQUENCE", &[], &event.sequence.to_string())?;
        if let Some(updated) = event.updated {
            w.property("LAST-MODIFIED", &[], utc_stamp(updated).as_str())?;
        }
        w.line("END:VEVENT")
    }

    /// `RRULE` and one `EXDATE` per skipped occurrence, written like `DTSTART`.
    fn repeat<W: Write>(
        &self,
        w: &mut ContentWriter<W>,
        when: When,
        repeat: &Repeat,
    ) -> io::Result<()> {
        let zone = when.rule_zone();
        let until = match (repeat.rule.end, when) {
            (End::Until(Until::Date(day)), When::AllDay { .. }) => {
                Some(IcalTime::date(day).as_str().to_owned())
            }
            (End::Until(until), When::Timed { .. }) => {
                // RFC 5545: UNTIL is in UTC when DTSTART has a zone (or is in UTC).
                let utc = match until {
                    Until::Utc(t) => t.and_utc(),
                    Until::Local(t) => zone.resolve_rfc(t),
                    Until::Date(day) => {
                        let next = (day + ChronoDuration::days(1)).and_time(NaiveTime::MIN);
                        zone.resolve_rfc(next) - ChronoDuration::seconds(1)
                    }
                };
                Some(utc_stamp(utc).as_str().to_owned())
            }
            _ => None,
        };
        w.property("RRULE", &[], &repeat.rule.to_ical(until.as_deref()))?;
        for skip in &repeat.skips {
            self.occurrence(w, "EXDATE", when, *skip)?;
        }
        Ok(())
    }

    /// An occurrence (a wall time of the rule's zone) of the event that starts at `when`,
    /// written like its `DTSTART`.
    fn occurrence<W: Write>(
        &self,
        w: &mut ContentWriter<W>,
        name: &str,
        when: When,
        occurrence: NaiveDateTime,
    ) -> io::Result<()> {
        match when {
            When::AllDay { .. } => w.property(
                name,
                &[("VALUE", "DATE")],
                IcalTime::date(occurrence.date()).as_str(),
            ),
            When::Timed { start, .. } => {
                let moment = Moment {
                    utc: when.rule_zone().resolve_rfc(occurrence),
                    zone: start.zone,
                };
                self.moment(w, name, moment)
            }
        }
    }

    fn moment<W: Write>(
        &self,
        w: &mut ContentWriter<W>,
        name: &str,
        moment: Moment,
    ) -> io::Result<()> {
        match moment.zone {
            Some(zone) if self.calendar.timezones == TimezoneStyle::Vtimezone => {
                let local = zone.to_local(moment.utc);
                w.property(
                    name,
                    &[("TZID", zone.name())],
                    IcalTime::local(local).as_str(),
                )
            }
            _ => w.property(name, &[], utc_stamp(moment.utc).as_str()),
        }
    }
}

/// The start and end of a timed event and of its overrides; nothing for all-day events.
fn zoned_moments(event: &Event) -> Vec<Moment> {
    let mut out = match event.when {
        When::Timed { start, end } => vec![start, end],
        When::AllDay { .. } => Vec::new(),
    };
    for over in event.repeat.iter().flat_map(|r| &r.overrides) {
        out.extend(zoned_moments(&over.event));
    }
    out
}

fn language_param(language: Option<&str>) -> Vec<(&'static str, &str)> {
    language.map(|l| ("LANGUAGE", l)).into_iter().collect()
}

fn utc_stamp(t: DateTime<Utc>) -> IcalTime {
    IcalTime::utc(t.naive_utc())
}

/// An iCalendar DATE (`20260319`), local DATE-TIME (`20260319T100000`) or UTC DATE-TIME
/// (`20260319T010000Z`), written without allocating. Years have four digits (calfeed accepts
/// 1901 to 9998).
struct IcalTime {
    bytes: [u8; 16],
    len: usize,
}

impl IcalTime {
    fn date(date: NaiveDate) -> Self {
        let mut t = IcalTime {
            bytes: [0; 16],
            len: 0,
        };
        t.digits(date.year().clamp(0, 9999) as u32, 4);
        t.digits(date.month(), 2);
        t.digits(date.day(), 2);
        t
    }

    fn local(local: NaiveDateTime) -> Self {
        let mut t = IcalTime::date(local.date());
        t.push(b'T');
        t.digits(local.hour(), 2);
        t.digits(local.minute(), 2);
        t.digits(local.second(), 2);
        t
    }

    fn utc(utc: NaiveDateTime) -> Self {
        let mut t = IcalTime::local(utc);
        t.push(b'Z');
        t
    }

    fn push(&mut self, byte: u8) {
        self.bytes[self.len] = byte;
        self.len += 1;
    }

    fn digits(&mut self, value: u32, width: u32) {
        for place in (0..width).rev() {
            self.push(b'0' + (value / 10u32.pow(place) % 10) as u8);
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, `T` and `Z` are ever pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// Degrees with at most six decimals (about 10 cm), without trailing zeros.
fn coordinate(value: f64) -> String {
    let s = format!("{value:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Labels of the lines calfeed adds to a description, per language.
fn labels(language: &str) -> (&'static str, &'static str) {
    match language.split('-').next().unwrap_or(language) {
        "ko" => ("참석자", "출처"),
        "ja" => ("参加者", "出典"),
        _ => ("Participants", "Sources"),
    }
}

/// The event's description followed by its participants and sources.
fn full_description<'e>(
    event: &'e Event,
    language: &str,
    default: &str,
) -> (String, Option<&'e str>) {
    let chosen = event.description.as_ref().map(|d| d.get(language, default));
    let text_language = chosen.and_then(|c| c.language);
    let (participants_label, sources_label) = labels(language);
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = chosen {
        parts.push(c.text.to_owned());
    }
    let mut facts = Vec::new();
    if !event.participants.is_empty() {
        let names: Vec<&str> = event
            .participants
            .iter()
            .map(|p| p.get(language, default).text)
            .collect();
        facts.push(format!("{participants_label}: {}", names.join(", ")));
    }
    if !event.sources.is_empty() {
        facts.push(format!("{sources_label}: {}", event.sources.join("; ")));
    }
    if !facts.is_empty() {
        parts.push(facts.join("\n"));
    }
    (parts.join("\n\n"), text_language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_icalendar_dates_and_times() {
        let date = NaiveDate::from_ymd_opt(1901, 2, 3).unwrap();
        assert_eq!(IcalTime::date(date).as_str(), "19010203");
        let local = date.and_hms_opt(4, 5, 6).unwrap();
        assert_eq!(IcalTime::local(local).as_str(), "19010203T040506");
        let late = NaiveDate::from_ymd_opt(9998, 12, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap();
        assert_eq!(IcalTime::utc(late).as_str(), "99981231T235959Z");
        assert_eq!(
            IcalTime::utc(late).as_str(),
            late.format("%Y%m%dT%H%M%SZ").to_string()
        );
    }

    #[test]
    fn coordinates_are_short_and_exact() {
        assert_eq!(coordinate(35.68), "35.68");
        assert_eq!(coordinate(139.0), "139");
        assert_eq!(coordinate(-0.0000001), "0");
        assert_eq!(coordinate(35.123456789), "35.123457");
    }

    fn feed(text: &str) -> String {
        let loaded = crate::load::parse_with(text, crate::tz::Tzdb::bundled()).unwrap();
        let stamp = DateTime::from_timestamp(0, 0).unwrap();
        let feeds = Feeds::new(&loaded.calendar, stamp);
        String::from_utf8(feeds.write(&feeds.all(), Vec::new()).unwrap()).unwrap()
    }

    #[test]
    fn repeats_are_written_like_the_start() {
        let head = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n";
        let event = "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-01-06T09:00:00\n\
                     timezone = \"Asia/Tokyo\"\n\
                     repeat = \"FREQ=WEEKLY;UNTIL=2026-02-03\"\nskip = [2026-01-13T09:00:00]\n";
        let zoned = feed(&format!("{head}\n{event}"));
        assert!(
            zoned.contains("RRULE:FREQ=WEEKLY;UNTIL=20260203T145959Z\r\n"),
            "{zoned}"
        );
        assert!(
            zoned.contains("EXDATE;TZID=Asia/Tokyo:20260113T090000\r\n"),
            "{zoned}"
        );
        let utc = feed(&format!("{head}timezones = \"utc\"\n\n{event}"));
        assert!(utc.contains("DTSTART:20260106T000000Z\r\n"), "{utc}");
        assert!(utc.contains("EXDATE:20260113T000000Z\r\n"), "{utc}");
        assert!(!utc.contains("RDATE"), "{utc}");
    }

    #[test]
    fn an_override_is_its_own_vevent_with_the_same_uid() {
        let text = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n\n[[event]]\n\
                    id = \"a\"\ntitle = \"A\"\nstart = 2026-07-04\nlocation = \"Park\"\n\
                    repeat = \"FREQ=YEARLY;COUNT=3\"\n\n[[event.override]]\n\
                    occurrence = 2027-07-04\nstart = 2027-07-05\nstatus = \"cancelled\"\n";
        let ics = feed(text);
        let over = &ics[ics.rfind("BEGIN:VEVENT").unwrap()..];
        assert!(over.contains("UID:a@example.org\r\n"), "{over}");
        assert!(
            over.contains("RECURRENCE-ID;VALUE=DATE:20270704\r\n"),
            "{over}"
        );
        assert!(over.contains("DTSTART;VALUE=DATE:20270705\r\n"), "{over}");
        assert!(over.contains("SUMMARY:[Cancelled] A\r\n"), "{over}");
        assert!(over.contains("LOCATION:Park\r\n"), "{over}");
        assert!(!over.contains("RRULE"), "{over}");
    }

    #[test]
    fn an_override_has_its_own_dtstamp_and_sequence_or_the_events() {
        let text = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n\n[[event]]\n\
                    id = \"a\"\ntitle = \"A\"\nstart = 2026-07-04\n\
                    updated = 2026-06-01T10:00:00Z\nsequence = 1\n\
                    repeat = \"FREQ=YEARLY;COUNT=3\"\n\n\
                    [[event.override]]\noccurrence = 2027-07-04\ntitle = \"B\"\n\n\
                    [[event.override]]\noccurrence = 2028-07-04\nstatus = \"cancelled\"\n\
                    updated = 2028-06-30T12:00:00Z\nsequence = 4\n";
        let ics = feed(text);
        let vevents: Vec<&str> = ics.split("BEGIN:VEVENT").skip(1).collect();
        assert_eq!(vevents.len(), 3, "{ics}");
        for (vevent, stamp, sequence) in [
            (vevents[0], "20260601T100000Z", "1"),
            (vevents[1], "20260601T100000Z", "1"),
            (vevents[2], "20280630T120000Z", "4"),
        ] {
            assert!(vevent.contains(&format!("DTSTAMP:{stamp}\r\n")), "{vevent}");
            assert!(
                vevent.contains(&format!("LAST-MODIFIED:{stamp}\r\n")),
                "{vevent}"
            );
            assert!(
                vevent.contains(&format!("SEQUENCE:{sequence}\r\n")),
                "{vevent}"
            );
        }
    }

    /// The VTIMEZONE of an open-ended rule is open-ended too: its current observances repeat
    /// without end, so every occurrence, however late, has its offset.
    #[test]
    fn an_open_ended_rule_gets_an_open_ended_vtimezone() {
        let text = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n\n[[event]]\n\
                    id = \"a\"\ntitle = \"A\"\nstart = 2026-01-06T09:00:00\n\
                    timezone = \"Europe/Paris\"\nrepeat = \"FREQ=WEEKLY\"\n";
        let ics = feed(text);
        let zone = &ics[ics.find("BEGIN:VTIMEZONE").unwrap()..ics.find("END:VTIMEZONE").unwrap()];
        let rules: Vec<&str> = zone.lines().filter(|l| l.starts_with("RRULE:")).collect();
        assert_eq!(rules.len(), 2, "{zone}");
        assert!(
            rules
                .iter()
                .all(|r| !r.contains("UNTIL") && !r.contains("COUNT")),
            "{zone}"
        );
        let rule: crate::recur::Rule = "FREQ=WEEKLY".parse().unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 6)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let last = crate::recur::zoned::place(
            &rule,
            start,
            crate::tz::database().zone("Europe/Paris").unwrap(),
            crate::duration::Duration {
                days: 0,
                seconds: 3600,
            },
        );
        // Followed to 2100, where the scan of the VTIMEZONE's transitions ends too.
        assert_eq!(
            last.occurrences
                .last()
                .unwrap()
                .0
                .date()
                .format("%Y")
                .to_string(),
            "2100"
        );
    }

    #[test]
    fn prodid_names_the_tzdata_release_the_feed_was_made_with() {
        let text = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n";
        let loaded = crate::load::parse_with(text, crate::tz::Tzdb::bundled()).unwrap();
        let stamp = DateTime::from_timestamp(0, 0).unwrap();
        let feeds = Feeds::new(&loaded.calendar, stamp);
        let ics = String::from_utf8(feeds.write(&feeds.all(), Vec::new()).unwrap()).unwrap();
        let release = crate::tz::db::bundled_release();
        let expected = format!(
            "PRODID:-//calfeed//calfeed {} tzdata {release}//EN\r\n",
            env!("CARGO_PKG_VERSION")
        );
        assert!(ics.contains(&expected), "{ics}");
    }
}
