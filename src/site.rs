//! The subscribe page (`index.html`, and `index.<lang>.html` for the other feed languages) and
//! the one-event files (`events/<id>.ics`).
//!
//! Nothing here touches the output folder: [`write_page`] writes a page to any writer and
//! [`event_files`] returns each one-event file's path, relative to the output folder, and bytes;
//! [`crate::output`] puts them in place with the feeds. The page is rendered with
//! minijinja from the templates in `templates/`, which escapes every value as HTML. It loads
//! nothing from anywhere: its style and script are inline, and its links are built from
//! `calendar.url` (relative when the calendar has none).

pub mod locale;

use std::io;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::model::{Calendar, Event, Status, When};
use crate::occurrences::{self, Occurrence};
use crate::render::{FeedView, Feeds};
use crate::tz::Zone;
use locale::{Locale, Words};

/// Folder of the one-event files inside the output folder.
pub const EVENTS_DIR: &str = "events";

/// One file of the site: where it goes inside the output folder and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the output folder, with `/` between parts (`events/nara.ics`).
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Why the site could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A page template failed to render.
    #[error("cannot make the page `{path}`")]
    Page {
        /// The page concerned.
        path: String,
        /// What the template engine said.
        #[source]
        source: minijinja::Error,
    },
    /// A one-event file could not be written to memory.
    #[error("cannot make the event file `{path}`")]
    Event {
        /// The file concerned.
        path: String,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
}

/// The wall-clock time of `instant` in `zone`.
///
/// The one place where the page and the agenda turn instants into local times.
pub fn wall(instant: DateTime<Utc>, zone: Zone) -> NaiveDateTime {
    zone.to_local(instant)
}

/// `UTC+09:00`, `UTC-04:00`: the offset of `zone` at `instant`.
pub fn offset_label(instant: DateTime<Utc>, zone: Zone) -> String {
    let seconds = (wall(instant, zone) - instant.naive_utc()).num_seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The languages that get a page: the calendar's first, then every other feed language in the
/// order the feeds name them.
pub fn languages(calendar: &Calendar) -> Vec<&str> {
    let mut languages = vec![calendar.language.as_str()];
    for feed in &calendar.feeds {
        if !languages.contains(&feed.language.as_str()) {
            languages.push(&feed.language);
        }
    }
    languages
}

/// Marks the pages calfeed writes, so that a page a build put in place is known as calfeed's
/// even when the build was stopped before it listed it.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"calfeed\">";

/// Whether the file at `path` is a page calfeed wrote.
pub fn is_ours(path: &std::path::Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        bytes
            .windows(GENERATOR.len())
            .take(4096)
            .any(|w| w == GENERATOR.as_bytes())
    })
}

/// The file name of the page in `language`: `index.html` for the calendar's language.
pub fn page_path(calendar: &Calendar, language: &str) -> String {
    if language == calendar.language {
        "index.html".to_owned()
    } else {
        format!("index.{language}.html")
    }
}

/// The path of an event's one-event file.
pub fn event_path(event: &Event) -> String {
    format!("{EVENTS_DIR}/{}.ics", event.id)
}

/// Every one-event file of the calendar, made one at a time as the iterator is read, so that a
/// large calendar never holds them all in memory. The pages are written by [`write_page`].
pub fn event_files<'a>(
    calendar: &'a Calendar,
    prepared: &'a Feeds<'a>,
) -> impl Iterator<Item = Result<SiteFile, SiteError>> + 'a {
    prepared.all().events.into_iter().map(move |event| {
        let path = event_path(event);
        match event_file(calendar, prepared, event) {
            Ok(bytes) => Ok(SiteFile { path, bytes }),
            Err(source) => Err(SiteError::Event { path, source }),
        }
    })
}

/// A complete calendar holding only `event`, with its `VTIMEZONE`: the same `VEVENT` bytes as in
/// the feeds, in the calendar's language.
pub fn event_file(calendar: &Calendar, prepared: &Feeds<'_>, event: &Event) -> io::Result<Vec<u8>> {
    let name = format!("{EVENTS_DIR}/{}", event.id);
    let view = FeedView {
        name: &name,
        title: &calendar.name,
        description: calendar.description.as_ref(),
        language: &calendar.language,
        events: vec![event],
    };
    prepared.write(&view, Vec::new())
}

/// Percent-encodes everything but RFC 3986's unreserved characters, like JavaScript's
/// `encodeURIComponent` but also encoding `!'()*`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The subscribe links of one feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Links {
    /// The `https://` (or, unpublished, relative) address of the feed.
    pub https: String,
    /// `webcal://` address, when published.
    pub webcal: Option<String>,
    /// Google Calendar's add link, when published.
    pub google: Option<String>,
    /// Outlook.com's add link, when published.
    pub outlook: Option<String>,
}

/// The links of the feed `name` titled `title`, published at `base` (a URL ending in `/`).
pub fn links(base: Option<&str>, name: &str, title: &str) -> Links {
    let file = format!("{name}.ics");
    let Some(base) = base else {
        return Links {
            https: file,
            webcal: None,
            google: None,
            outlook: None,
        };
    };
    let https = format!("{base}{file}");
    let webcal = match https.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https.clone(),
    };
    Links {
        google: Some(format!(
            "https://calendar.google.com/calendar/r?cid={}",
            percent_encode(&webcal)
        )),
        outlook: Some(format!(
            "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
            percent_encode(&https),
            percent_encode(title)
        )),
        webcal: Some(webcal),
        https,
    }
}

#[derive(Serialize)]
struct PageContext<'a> {
    lang: &'a str,
    t: &'static Words,
    name: &'a str,
    description: Option<&'a str>,
    languages: Vec<LanguageLink>,
    published: bool,
    feeds: Vec<FeedContext>,
    has_upcoming: bool,
    has_past: bool,
    /// Where the months of the agenda go: they are made and written after the rest of the
    /// page (see [`write_months`]).
    upcoming: minijinja::Value,
    past: minijinja::Value,
}

/// Stand for the agenda's months in the rest of the page; no text from the input can hold a
/// NUL character.
const UPCOMING_HERE: &str = "\0calfeed-upcoming\0";
const PAST_HERE: &str = "\0calfeed-past\0";

/// The context of `month.html`.
#[derive(Serialize)]
struct MonthContext {
    m: Month,
    t: &'static Words,
}

#[derive(Serialize)]
struct LanguageLink {
    tag: String,
    name: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct FeedContext {
    name: String,
    title: String,
    description: Option<String>,
    count: String,
    links: Links,
}

#[derive(Serialize)]
struct Month {
    key: String,
    label: String,
    events: Vec<EventContext>,
}

#[derive(Serialize)]
struct EventContext {
    uid: String,
    /// Which occurrence of a repeating event this is (see [`Occurrence::recurrence_id`]).
    occurrence: Option<String>,
    /// The rule of a repeating event in words.
    repeats: Option<String>,
    /// The language of `repeats` when it differs from the page's (English words on a page in
    /// a language that cannot say the rule).
    repeats_lang: Option<&'static str>,
    title: String,
    /// The language of the title when it differs from the page's (a fallback).
    title_lang: Option<String>,
    status: &'static str,
    status_label: Option<&'static str>,
    location: Option<String>,
    location_lang: Option<String>,
    participants: Option<String>,
    description: Option<String>,
    sources: Option<String>,
    url: Option<String>,
    file: String,
    zone: &'static str,
    all_day: bool,
    start: String,
    end: String,
    start_text: String,
    end_text: Option<String>,
    zone_text: String,
}

/// Renders the page in `language` (see [`write_page`]).
pub fn page(
    calendar: &Calendar,
    prepared: &Feeds<'_>,
    language: &str,
    now: DateTime<Utc>,
) -> Result<String, minijinja::Error> {
    let html = write_page(calendar, prepared, language, now, Vec::new())?;
    // The templates and every value put into them are UTF-8.
    String::from_utf8(html).map_err(|_| {
        minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "the page is not UTF-8")
    })
}

/// Writes the page in `language` to `out`, as it is made.
///
/// `now` decides which events the page lists as upcoming before its script runs (the script
/// decides again with the viewer's clock).
pub fn write_page<W: io::Write>(
    calendar: &Calendar,
    prepared: &Feeds<'_>,
    language: &str,
    now: DateTime<Utc>,
    mut out: W,
) -> Result<W, minijinja::Error> {
    let default = calendar.language.as_str();
    let locale = Locale::for_tag(language);
    let words = locale.words();
    let languages = languages(calendar)
        .into_iter()
        .map(|tag| {
            let own = Locale::for_tag(tag);
            LanguageLink {
                tag: tag.to_owned(),
                name: if own == Locale::En && !tag.starts_with("en") {
                    tag.to_owned()
                } else {
                    own.words().language_name.to_owned()
                },
                href: page_path(calendar, tag),
                current: tag == language,
            }
        })
        .collect();
    let feeds = prepared
        .views()
        .iter()
        .map(|view| {
            let title = view.title.get(language, default).text.to_owned();
            FeedContext {
                name: view.name.to_owned(),
                links: links(calendar.url.as_deref(), view.name, &title),
                title,
                // A feed without a description of its own shares the calendar's, which the
                // page already shows at the top.
                description: view
                    .description
                    .filter(|d| Some(*d) != calendar.description.as_ref())
                    .map(|d| d.get(language, default).text.to_owned()),
                count: locale.count(view.events.len()),
            }
        })
        .collect();

    let mut listed: Vec<Occurrence<'_>> = prepared
        .all()
        .events
        .into_iter()
        .flat_map(|event| occurrences::listed(event, now))
        .collect();
    occurrences::sort(&mut listed);
    let mut upcoming: Vec<&Occurrence<'_>> = Vec::new();
    let mut past = Vec::new();
    for occurrence in &listed {
        if is_past(&occurrence.event, now) {
            past.push(occurrence);
        } else {
            upcoming.push(occurrence);
        }
    }
    past.reverse();

    let env = environment()?;
    let month =
        |occurrences: &[&Occurrence<'_>]| month_context(calendar, occurrences, language, locale);
    let context = PageContext {
        lang: language,
        t: words,
        name: calendar.name.get(language, default).text,
        description: calendar
            .description
            .as_ref()
            .map(|d| d.get(language, default).text),
        languages,
        published: calendar.url.is_some(),
        feeds,
        has_upcoming: !upcoming.is_empty(),
        has_past: !past.is_empty(),
        upcoming: minijinja::Value::from_safe_string(UPCOMING_HERE.to_owned()),
        past: minijinja::Value::from_safe_string(PAST_HERE.to_owned()),
    };
    let page = env
        .get_template("index.html")?
        .render(minijinja::value::Serde(&context))?;
    let (head, middle, tail) = around_the_months(&page).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "the page template must show `upcoming` and then `past` once each",
        )
    })?;
    let write = |out: &mut W, text: &str| {
        out.write_all(text.as_bytes()).map_err(|e| {
            minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write the page")
                .with_source(e)
        })
    };
    write(&mut out, head)?;
    write_months(&env, &upcoming, words, &month, &mut |html| {
        write(&mut out, html)
    })?;
    write(&mut out, middle)?;
    write_months(&env, &past, words, &month, &mut |html| {
        write(&mut out, html)
    })?;
    write(&mut out, tail)?;
    Ok(out)
}

/// The page before, between and after the places of the upcoming and the past months; `None`
/// unless each is there once, upcoming first.
fn around_the_months(page: &str) -> Option<(&str, &str, &str)> {
    let (head, rest) = page.split_once(UPCOMING_HERE)?;
    let (middle, tail) = rest.split_once(PAST_HERE)?;
    [head, middle, tail]
        .iter()
        .all(|part| !part.contains(UPCOMING_HERE) && !part.contains(PAST_HERE))
        .then_some((head, middle, tail))
}

/// Makes the agenda's month sections for `occurrences` (in the order listed), each from
/// `month.html` on its own, and hands them to `write` in order. A large calendar's months are
/// made a few at a time on all cores, so the page never holds more than those in memory.
fn write_months<'o>(
    env: &Environment<'static>,
    occurrences: &[&'o Occurrence<'o>],
    words: &'static Words,
    month: &(impl Fn(&[&'o Occurrence<'o>]) -> Month + Sync),
    write: &mut dyn FnMut(&str) -> Result<(), minijinja::Error>,
) -> Result<(), minijinja::Error> {
    use rayon::prelude::*;
    let template = env.get_template("month.html")?;
    let render = |group: &[&'o Occurrence<'o>]| {
        template.render(minijinja::value::Serde(&MonthContext {
            m: month(group),
            t: words,
        }))
    };
    let groups: Vec<&[&Occurrence<'_>]> = occurrences
        .chunk_by(|a, b| month_of(&a.event) == month_of(&b.event))
        .collect();
    // A small page is made before other threads would have started.
    if occurrences.len() <= 512 {
        for group in groups {
            write(&render(group)?)?;
        }
        return Ok(());
    }
    for batch in groups.chunks(4 * rayon::current_num_threads()) {
        let made: Vec<String> = batch
            .par_iter()
            .map(|group| render(group))
            .collect::<Result<_, _>>()?;
        for html in &made {
            write(html)?;
        }
    }
    Ok(())
}

/// The year and month of an event's first day, on its own wall clock.
fn month_of(event: &Event) -> (i32, u32) {
    let day = first_day(event);
    (day.year(), day.month())
}

/// One month of the agenda: `occurrences` all start in it.
fn month_context(
    calendar: &Calendar,
    occurrences: &[&Occurrence<'_>],
    language: &str,
    locale: Locale,
) -> Month {
    let (year, month) = occurrences.first().map_or((0, 1), |o| month_of(&o.event));
    Month {
        key: format!("{year:04}-{month:02}"),
        label: locale.month(year, month),
        events: occurrences
            .iter()
            .map(|o| event_context(calendar, o, language, locale))
            .collect(),
    }
}

fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("index.html", include_str!("../templates/index.html"))?;
    env.add_template("month.html", include_str!("../templates/month.html"))?;
    env.add_template("page.css", include_str!("../templates/page.css"))?;
    env.add_template("page.js", include_str!("../templates/page.js"))?;
    Ok(env)
}

/// Whether `event` is over at `now`: timed events once they end, all-day events once their last
/// day is over in their zone.
pub fn is_past(event: &Event, now: DateTime<Utc>) -> bool {
    is_over(&event.when, event.timezone, now)
}

/// Whether an event at `when` in `zone` is over at `now` (see [`is_past`]).
pub fn is_over(when: &When, zone: Zone, now: DateTime<Utc>) -> bool {
    match *when {
        When::AllDay { last, .. } => last < wall(now, zone).date(),
        When::Timed { end, .. } => end.utc <= now,
    }
}

/// The first day of an event on its own wall clock.
pub fn first_day(event: &Event) -> NaiveDate {
    match event.when {
        When::AllDay { first, .. } => first,
        When::Timed { start, .. } => wall(start.utc, event.timezone).date(),
    }
}

/// The status word shown beside a title; none for confirmed events.
pub fn status_word(status: Status, words: &'static Words) -> Option<&'static str> {
    match status {
        Status::Confirmed => None,
        Status::Tentative => Some(words.tentative),
        Status::Cancelled => Some(words.cancelled),
    }
}

fn event_context(
    calendar: &Calendar,
    occurrence: &Occurrence<'_>,
    language: &str,
    locale: Locale,
) -> EventContext {
    let event: &Event = &occurrence.event;
    let default = calendar.language.as_str();
    let zone = event.timezone;
    let (all_day, start, end, start_text, end_text, zone_text) = match event.when {
        When::AllDay { first, last } => (
            true,
            first.format("%Y-%m-%d").to_string(),
            last.format("%Y-%m-%d").to_string(),
            locale.date(first),
            (last != first).then(|| locale.date(last)),
            zone.name().to_owned(),
        ),
        When::Timed { start, end } => {
            let (s, e) = (wall(start.utc, zone), wall(end.utc, zone));
            let end_text = if e.date() == s.date() {
                e.format("%H:%M").to_string()
            } else {
                format!("{}, {}", locale.date(e.date()), e.format("%H:%M"))
            };
            let (s_offset, e_offset) = (offset_label(start.utc, zone), offset_label(end.utc, zone));
            let offsets = if s_offset == e_offset {
                s_offset
            } else {
                format!("{s_offset} → {e_offset}")
            };
            (
                false,
                start.utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                end.utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                format!("{}, {}", locale.date(s.date()), s.format("%H:%M")),
                Some(end_text),
                format!("{} ({offsets})", zone.name()),
            )
        }
    };
    let participants: Vec<&str> = event
        .participants
        .iter()
        .map(|p| p.get(language, default).text)
        .collect();
    let other = |chosen: crate::text::Chosen<'_>| {
        chosen
            .language
            .filter(|l| *l != language)
            .map(str::to_owned)
    };
    let title = event.title.get(language, default);
    let location = event.location.as_ref().map(|l| l.get(language, default));
    let (repeats, repeats_lang) = match (occurrence.series, occurrence.repeat()) {
        (Some(series), Some(repeat)) => {
            let start = series.when.rule_start();
            match locale.rule_summary(&repeat.rule, start) {
                Some(words) => (Some(words), None),
                None => (Some(repeat.rule.summary(start)), Some("en")),
            }
        }
        _ => (None, None),
    };
    EventContext {
        uid: format!("{}@{}", event.id, calendar.domain),
        occurrence: occurrence.recurrence_id(),
        repeats,
        repeats_lang,
        title: title.text.to_owned(),
        title_lang: other(title),
        status: match event.status {
            Status::Confirmed => "confirmed",
            Status::Tentative => "tentative",
            Status::Cancelled => "cancelled",
        },
        status_label: status_word(event.status, locale.words()),
        location: location.map(|l| l.text.to_owned()),
        location_lang: location.and_then(other),
        participants: (!participants.is_empty()).then(|| participants.join(", ")),
        description: event
            .description
            .as_ref()
            .map(|d| d.get(language, default).text.to_owned())
            .filter(|d| !d.is_empty()),
        sources: (!event.sources.is_empty()).then(|| event.sources.join("; ")),
        url: event.url.clone(),
        file: event_path(event),
        zone: zone.name(),
        all_day,
        start,
        end,
        start_text,
        end_text,
        zone_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(
            percent_encode("webcal://example.org/cal/a-b.ics"),
            "webcal%3A%2F%2Fexample.org%2Fcal%2Fa-b.ics"
        );
        assert_eq!(percent_encode("A & B (x)"), "A%20%26%20B%20%28x%29");
        assert_eq!(percent_encode("미일"), "%EB%AF%B8%EC%9D%BC");
        assert_eq!(percent_encode("~_.-"), "~_.-");
    }

    #[test]
    fn published_feeds_get_four_links() {
        let l = links(Some("https://example.org/cal/"), "japan-us", "Japan & US");
        assert_eq!(l.https, "https://example.org/cal/japan-us.ics");
        assert_eq!(
            l.webcal.as_deref(),
            Some("webcal://example.org/cal/japan-us.ics")
        );
        assert_eq!(
            l.google.as_deref(),
            Some(
                "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fcal%2Fjapan-us.ics"
            )
        );
        assert_eq!(
            l.outlook.as_deref(),
            Some(
                "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Fcal%2Fjapan-us.ics&name=Japan%20%26%20US"
            )
        );
    }

    #[test]
    fn unpublished_feeds_get_a_relative_link_only() {
        let l = links(None, "all", "All");
        assert_eq!(l.https, "all.ics");
        assert_eq!((l.webcal, l.google, l.outlook), (None, None, None));
    }

    /// The page of a calendar with a weekly event (skipped once, moved once) and a monthly one,
    /// built at `now`.
    fn repeating_page(language: &str, now: &str) -> String {
        let text = "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\
                    timezone = \"America/New_York\"\n\n\
                    [[feed]]\nname = \"ko\"\ntitle = \"K\"\nlanguage = \"ko\"\n\n\
                    [[event]]\nid = \"briefing\"\ntitle = \"Briefing\"\n\
                    start = 2026-02-24T09:00:00\nduration = \"PT30M\"\n\
                    repeat = \"FREQ=WEEKLY;BYDAY=TU;COUNT=6\"\nskip = [2026-03-03T09:00:00]\n\n\
                    [[event.override]]\noccurrence = 2026-03-17T09:00:00\n\
                    start = 2026-03-17T11:00:00\nstatus = \"tentative\"\n\n\
                    [[event]]\nid = \"drinks\"\ntitle = \"Drinks\"\n\
                    start = 2026-01-30T18:00:00\nrepeat = \"FREQ=MONTHLY;BYDAY=-1FR\"\n\n\
                    [[event]]\nid = \"once\"\ntitle = \"Once\"\nstart = 2026-03-01\n";
        let calendar = crate::load::parse(text).unwrap().calendar;
        let stamp = DateTime::from_timestamp(0, 0).unwrap();
        let feeds = Feeds::new(&calendar, stamp);
        page(&calendar, &feeds, language, now.parse().unwrap()).unwrap()
    }

    #[test]
    fn the_page_lists_each_occurrence_of_a_repeating_event() {
        let html = repeating_page("en", "2026-03-12T00:00:00Z");
        let briefings: Vec<&str> = html
            .split("data-uid=\"briefing@example.org\"")
            .skip(1)
            .map(|rest| rest.split("</li>").next().unwrap())
            .collect();
        // Five of six: 3 March is skipped. Upcoming first, then past ones, latest first.
        let occurrences: Vec<&str> = briefings
            .iter()
            .map(|b| {
                let at = b.find("data-occurrence=\"").unwrap() + 17;
                &b[at..at + 20]
            })
            .collect();
        assert_eq!(
            occurrences,
            [
                "2026-03-17T13:00:00Z",
                "2026-03-24T13:00:00Z",
                "2026-03-31T13:00:00Z",
                "2026-03-10T13:00:00Z",
                "2026-02-24T14:00:00Z",
            ]
        );
        // The moved occurrence at its new time, with its status; every one with the rule and
        // the series' file.
        assert!(briefings[0].contains("<time datetime=\"2026-03-17T15:00:00Z\">"));
        assert!(briefings[0].contains("<span class=\"badge\">Tentative</span>"));
        for b in &briefings {
            assert!(
                b.contains(
                    "<span class=\"label\">Repeats:</span> <span>every Tuesday, 6 times</span>"
                ),
                "{b}"
            );
            assert!(b.contains("href=\"events&#x2f;briefing.ics\""), "{b}");
        }
        // The monthly rule goes on: from three months back (its first, in January) to a year
        // ahead (February 2027).
        let drinks = html.matches("data-uid=\"drinks@example.org\"").count();
        assert_eq!(drinks, 2 + 12, "{html}");
        assert!(html.contains("data-occurrence=\"2027-02-26T23:00:00Z\""));
        assert!(!html.contains("data-occurrence=\"2027-03-26T22:00:00Z\""));
        // An event that does not repeat names no occurrence.
        let once = html.find("data-uid=\"once@example.org\"").unwrap();
        assert!(
            !html[once..]
                .split("</li>")
                .next()
                .unwrap()
                .contains("data-occurrence")
        );
    }

    #[test]
    fn the_korean_page_says_the_rules_it_can_and_marks_english_ones() {
        let html = repeating_page("ko", "2026-03-12T00:00:00Z");
        assert!(html.contains("<span class=\"label\">반복:</span> <span>매주 화요일, 6회</span>"));
        assert!(html.contains(
            "<span class=\"label\">반복:</span> <span lang=\"en\">every month on the last Friday</span>"
        ));
    }

    #[test]
    fn the_months_go_where_the_template_put_each_place_once() {
        let page = format!("a{UPCOMING_HERE}b{PAST_HERE}c");
        assert_eq!(around_the_months(&page), Some(("a", "b", "c")));
        let reversed = format!("a{PAST_HERE}b{UPCOMING_HERE}c");
        assert_eq!(around_the_months(&reversed), None);
        let twice = format!("a{UPCOMING_HERE}b{PAST_HERE}c{UPCOMING_HERE}");
        assert_eq!(around_the_months(&twice), None);
    }

    #[test]
    fn a_large_page_lists_every_event_once_with_its_months_in_order() {
        use std::fmt::Write as _;
        // 800 events, one every other day from January 2025: more than the page makes on one
        // thread, over 53 months.
        let mut text = String::from(
            "[calendar]\nname = \"L\"\ndomain = \"example.org\"\ntimezone = \"Asia/Seoul\"\n",
        );
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        for n in 0..800 {
            let day = first + chrono::Days::new(2 * n);
            write!(
                text,
                "\n[[event]]\nid = \"e{n}\"\ntitle = \"Event {n}\"\nstart = {day}T10:00:00\n"
            )
            .unwrap();
        }
        let calendar = crate::load::parse(&text).unwrap().calendar;
        let feeds = Feeds::new(&calendar, DateTime::from_timestamp(0, 0).unwrap());
        let html = page(
            &calendar,
            &feeds,
            "en",
            "2027-01-01T00:00:00Z".parse().unwrap(),
        )
        .unwrap();

        assert!(html.trim_end().ends_with("</html>"));
        assert!(!html.contains('\0'));
        for n in 0..800 {
            let uid = format!("data-uid=\"e{n}@example.org\"");
            assert_eq!(html.matches(&uid).count(), 1, "{uid}");
        }
        let (upcoming, past) = html.split_once("id=\"past\"").unwrap();
        let months = |part: &str| -> Vec<String> {
            part.split("data-month=\"")
                .skip(1)
                .map(|rest| rest[..7].to_owned())
                .collect()
        };
        let (upcoming, past) = (months(upcoming), months(past));
        // Upcoming months in order, past ones latest first, each once.
        assert!(upcoming.windows(2).all(|w| w[0] < w[1]), "{upcoming:?}");
        assert!(past.windows(2).all(|w| w[0] > w[1]), "{past:?}");
        assert_eq!(upcoming.len() + past.len(), 53);
        assert_eq!(upcoming.first().map(String::as_str), Some("2027-01"));
        assert_eq!(past.first().map(String::as_str), Some("2026-12"));
    }

    #[test]
    fn offsets_are_named_at_the_instant() {
        let summer = DateTime::from_timestamp(1_782_000_000, 0).unwrap(); // June 2026
        let winter = DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // January 2026
        let db = crate::tz::Tzdb::bundled();
        let ny = db.zone("America/New_York").unwrap();
        assert_eq!(offset_label(summer, ny), "UTC-04:00");
        assert_eq!(offset_label(winter, ny), "UTC-05:00");
        let kolkata = db.zone("Asia/Kolkata").unwrap();
        assert_eq!(offset_label(winter, kolkata), "UTC+05:30");
    }
}
