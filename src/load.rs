//! Reading `events.toml`: TOML text in, a validated [`Calendar`] or every problem found out.
//!
//! The TOML is parsed into a tree that keeps the byte span of every key and value
//! (`toml::de::DeTable`), then walked by hand so that *all* problems are reported in one run, each
//! pointing at the exact key or value: unknown keys (with the closest known one), wrong types,
//! unknown timezones and countries, impossible or ambiguous wall times, ends before starts. The
//! walk produces the types of [`crate::model`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{
    DateTime, Datelike, Duration as ChronoDuration, LocalResult, NaiveDate, NaiveDateTime,
    NaiveTime, TimeZone, Utc,
};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::{Datetime, Offset as TomlOffset};

use crate::countries;
use crate::diag::{self, Diagnostic};
use crate::duration::Duration;
use crate::model::{Calendar, Event, Feed, Moment, Status, TimezoneStyle, When};
use crate::plans::{self, Today};
use crate::text::{self, Text};
use crate::tz::{self, Tzdb, WallTime, Zone};

mod repeat;
mod sections;
mod times;
mod values;

use times::RawTime;
use values::{is_slug, not_a_slug, value_kind};

type Value<'i> = Spanned<DeValue<'i>>;

/// A calendar read without errors, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The validated calendar.
    pub calendar: Calendar,
    /// Problems that do not stop a build.
    pub warnings: Vec<Diagnostic>,
}

/// Why a file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but holds errors.
    #[error("`{}` has {} {}", path.display(), count_errors(diagnostics), plural(count_errors(diagnostics), "error"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Its text, for showing the offending lines.
        text: String,
        /// Every problem found, errors and warnings, in file order.
        diagnostics: Vec<Diagnostic>,
    },
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// What the loader checks besides the file itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Warn about tentative events whose dates are before this day (see [`crate::plans`]);
    /// `None` leaves plans unchecked, so that the result does not depend on the date.
    pub today: Option<Today>,
}

/// Reads and validates the file at `path`.
pub fn from_file(path: &Path) -> Result<(Loaded, String), LoadError> {
    from_file_with(path, Options::default())
}

/// Reads and validates the file at `path`, with the checks that `options` asks for.
pub fn from_file_with(path: &Path, options: Options) -> Result<(Loaded, String), LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let d = Diagnostic::error(at..at + 1, "the file is not valid UTF-8")
                .with_label("not UTF-8")
                .with_help("save the file as UTF-8 (most editors offer it under \"Save as\" or \"Encoding\")");
            return Err(LoadError::Invalid {
                path: path.to_owned(),
                text,
                diagnostics: vec![d],
            });
        }
    };
    match parse_with_options(&text, tz::database(), options) {
        Ok(loaded) => Ok((loaded, text)),
        Err(diagnostics) => Err(LoadError::Invalid {
            path: path.to_owned(),
            text,
            diagnostics,
        }),
    }
}

/// Validates the text of an `events.toml`.
///
/// On success returns the calendar and its warnings; otherwise every diagnostic (errors and
/// warnings) sorted by position.
///
/// ```
/// let text = r#"
/// [calendar]
/// name = "Summits"
/// domain = "example.org"
///
/// [[event]]
/// id = "busan"
/// title = "Trump–Xi meeting"
/// start = 2025-10-30
/// timezone = "Asia/Seoul"
/// "#;
/// let loaded = calfeed::load::parse(text).unwrap();
/// assert_eq!(loaded.calendar.events[0].id, "busan");
/// ```
///
/// Zones come from [`tz::database`]; [`parse_with`] takes another copy of the tz database.
pub fn parse(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    parse_with(text, tz::database())
}

/// Validates the text of an `events.toml` against the zones of `db`.
pub fn parse_with(text: &str, db: &'static Tzdb) -> Result<Loaded, Vec<Diagnostic>> {
    parse_with_options(text, db, Options::default())
}

/// Validates the text of an `events.toml` against the zones of `db`, with the checks that
/// `options` asks for.
///
/// ```
/// use calfeed::load::{parse_with_options, Options};
/// use calfeed::plans::Today;
/// let text = r#"
/// [calendar]
/// name = "Summits"
/// domain = "example.org"
///
/// [[event]]
/// id = "visit"
/// title = "Visit, late March"
/// start = 2026-03-20
/// end = 2026-03-31
/// status = "tentative"
/// "#;
/// let today = Some(Today::Date("2026-04-01".parse().unwrap()));
/// let loaded = parse_with_options(text, calfeed::tz::database(), Options { today }).unwrap();
/// assert!(loaded.warnings[0].message.contains("ended on 2026-03-31"));
/// ```
pub fn parse_with_options(
    text: &str,
    db: &'static Tzdb,
    options: Options,
) -> Result<Loaded, Vec<Diagnostic>> {
    // A byte-order mark is not TOML; blank it without moving any offset.
    let owned;
    let text = if let Some(rest) = text.strip_prefix('\u{feff}') {
        owned = format!("   {rest}");
        owned.as_str()
    } else {
        text
    };
    read(text, &sections::split(text), db, options)
}

/// Validates the document cut into `sections`; on a syntax error, reports the TOML errors of
/// every section.
fn read(
    text: &str,
    sections: &[sections::Section],
    db: &'static Tzdb,
    options: Options,
) -> Result<Loaded, Vec<Diagnostic>> {
    match walk(text, sections, db, options) {
        Walk::Read(outcome) => outcome,
        Walk::InvalidToml => Err(syntax_errors(text, sections)),
    }
}

/// The TOML parser's errors about each section, one section's syntax tree at a time.
///
/// A section starts on a top-level `[[event]]` or `[[feed]]` header, where the parser reads
/// exactly as it would reading the whole file, so its errors are the file's, found without
/// holding the whole file's tokens.
fn syntax_errors(text: &str, sections: &[sections::Section]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for section in sections {
        let Err(errors) = parse_section(text, section) else {
            continue;
        };
        diagnostics.extend(errors.iter().map(|e| {
            let span = e.span().unwrap_or(0..0);
            let span = span.start + section.range.start..span.end + section.range.start;
            let message = e.message().trim_end();
            let help = if message.contains("date") || message.contains("time") {
                "dates are written 2025-10-28, times 2025-10-28T10:00:00, and the day must exist"
            } else {
                "events.toml is TOML (https://toml.io): check the quotes, brackets and `=` here"
            };
            Diagnostic::error(span, format!("invalid TOML: {message}")).with_help(help)
        }));
    }
    sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

/// Files with at least this many sections are parsed on a second thread while the first one
/// validates; smaller ones are not worth the thread.
const PIPELINE_FROM: usize = 256;

/// Sections parsed ahead of the one being validated, at most, in batches of [`PIPELINE_BATCH`].
const PIPELINE_DEPTH: usize = 256;

/// Sections handed from one thread to the other at once: one hand-over per section would cost
/// more in waking threads than the parsing it shares.
const PIPELINE_BATCH: usize = 64;

/// Parses `sections` in order on a second thread and hands each syntax tree to `read` on this
/// one, so that parsing the TOML and validating it use two cores. Only a few sections' trees are
/// held at once. Returns `false` at the first section that is not valid TOML.
fn parse_ahead<'t>(
    text: &'t str,
    sections: &[sections::Section],
    mut read: impl FnMut(&sections::Section, Spanned<DeTable<'t>>),
) -> bool {
    type Batch<'s, 't> = Vec<(&'s sections::Section, Option<Spanned<DeTable<'t>>>)>;
    std::thread::scope(|scope| {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<Batch<'_, 't>>(PIPELINE_DEPTH / PIPELINE_BATCH);
        scope.spawn(move || {
            for chunk in sections.chunks(PIPELINE_BATCH) {
                let mut batch = Vec::with_capacity(chunk.len());
                let mut failed = false;
                for section in chunk {
                    let tree = parse_section(text, section).ok();
                    failed = tree.is_none();
                    batch.push((section, tree));
                    if failed {
                        break;
                    }
                }
                // The reader has stopped (a syntax error ahead of these sections), or one
                // failed: either way nothing after it is needed.
                if sender.send(batch).is_err() || failed {
                    break;
                }
            }
        });
        for batch in receiver {
            for (section, tree) in batch {
                match tree {
                    Some(tree) => read(section, tree),
                    None => return false,
                }
            }
        }
        true
    })
}

/// Parses one section, or returns the TOML parser's errors about it.
fn parse_section<'t>(
    text: &'t str,
    section: &sections::Section,
) -> Result<Spanned<DeTable<'t>>, Vec<toml::de::Error>> {
    let (tree, errors) = DeTable::parse_recoverable(&text[section.range.clone()]);
    if errors.is_empty() {
        Ok(tree)
    } else {
        Err(errors)
    }
}

/// How a walk over the sections ended.
#[expect(
    clippy::large_enum_variant,
    reason = "one per file read, taken apart at once"
)]
enum Walk {
    /// Every section parsed: the calendar, or every problem found in it.
    Read(Result<Loaded, Vec<Diagnostic>>),
    /// A section is not valid TOML; the walk stopped there.
    InvalidToml,
}

/// Validates the document section by section, holding only one section's syntax tree at a time
/// (and those of the few feeds).
fn walk<'t>(
    text: &'t str,
    sections: &[sections::Section],
    db: &'static Tzdb,
    options: Options,
) -> Walk {
    let mut loader = Loader {
        diagnostics: Vec::new(),
        db,
        disagreements: Vec::new(),
        text,
        lines: std::cell::OnceCell::new(),
        offset: 0,
    };

    // First the calendar's settings, which everything else is checked against.
    let mut calendar = None;
    let mut calendar_at: Option<Range<usize>> = None;
    for section in sections.iter().filter(|s| s.has_calendar) {
        let tree = match parse_section(text, section) {
            Ok(tree) => tree,
            Err(_) => return Walk::InvalidToml,
        };
        loader.offset = section.range.start;
        if let Some((key, value)) = tree.get_ref().get_key_value("calendar") {
            if let Some(first) = &calendar_at {
                let line = loader.line_of(first.start);
                loader.push(
                    Diagnostic::error(key.span(), "a second `[calendar]` table")
                        .with_label("already defined")
                        .with_help(format!(
                            "the calendar's settings start on line {line}; keep them in one table"
                        )),
                );
            } else {
                calendar_at = Some(loader.absolute(key.span()));
                calendar = loader.calendar_value(value);
            }
        }
    }
    if calendar_at.is_none() {
        loader.offset = 0;
        loader.push(
            Diagnostic::error(0..0, "the file has no `[calendar]` table").with_help(
                "start the file with the calendar's settings, for example:\n\
                 [calendar]\n\
                 name = \"Summit diplomacy\"\n\
                 domain = \"example.org\"",
            ),
        );
    }
    let defaults = Defaults {
        language: calendar
            .as_ref()
            .map_or_else(|| "en".to_owned(), |c: &Calendar| c.language.clone()),
        timezone: calendar.as_ref().map_or(Zone::utc(), |c| c.timezone),
        default_duration: calendar
            .as_ref()
            .map_or(DEFAULT_DURATION, |c| c.default_duration),
        today: options.today,
        timezones: calendar
            .as_ref()
            .map_or(TimezoneStyle::Vtimezone, |c| c.timezones),
    };

    // Then the events, a section at a time; sections with feeds are kept for the end.
    let mut events = Vec::new();
    let mut ids: HashMap<String, Range<usize>> = HashMap::new();
    let mut feed_sections = Vec::new();
    let mut read_section = |section: &sections::Section, tree: Spanned<DeTable<'t>>| {
        loader.offset = section.range.start;
        let fields = loader.fields(tree.get_ref(), 0..0, "the top level of the file", ROOT_KEYS);
        let has_feeds = fields.get("feed").is_some();
        loader.events(fields.get("event"), &defaults, &mut events, &mut ids);
        drop(fields);
        if has_feeds {
            feed_sections.push((section.range.start, tree));
        }
    };
    if sections.len() < PIPELINE_FROM {
        for section in sections {
            match parse_section(text, section) {
                Ok(tree) => read_section(section, tree),
                Err(_) => return Walk::InvalidToml,
            }
        }
    } else if !parse_ahead(text, sections, read_section) {
        return Walk::InvalidToml;
    }

    // Last the feeds, which are checked against the events.
    let mut feeds = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (offset, tree) in &feed_sections {
        loader.offset = *offset;
        loader.feeds(
            tree.get_ref().get("feed"),
            &defaults,
            &events,
            &mut feeds,
            &mut names,
        );
    }

    loader.warn_disagreements();
    let mut diagnostics = loader.diagnostics;
    sort(&mut diagnostics);
    Walk::Read(match calendar {
        Some(mut calendar) if !diagnostics.iter().any(Diagnostic::is_error) => {
            calendar.events = events;
            calendar.feeds = feeds;
            Ok(Loaded {
                calendar,
                warnings: diagnostics,
            })
        }
        _ => Err(diagnostics),
    })
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.severity).cmp(&(b.span.start, b.span.end, b.severity))
    });
}

const ROOT_KEYS: &[&str] = &["calendar", "feed", "event"];
const CALENDAR_KEYS: &[&str] = &[
    "name",
    "description",
    "timezone",
    "domain",
    "url",
    "refresh",
    "language",
    "timezones",
    "default_duration",
    "tentative_marker",
    "cancelled_marker",
];
const FEED_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "countries",
    "tags",
    "status",
    "language",
];
const EVENT_KEYS: &[&str] = &[
    "id",
    "title",
    "start",
    "end",
    "duration",
    "timezone",
    "status",
    "location",
    "geo",
    "description",
    "url",
    "participants",
    "sources",
    "countries",
    "tags",
    "updated",
    "sequence",
    "repeat",
    "skip",
    "override",
];

/// The keys of one table, after unknown keys have been reported.
struct Fields<'a, 'i> {
    span: Range<usize>,
    /// The known keys and their values, in the table's order: a few, so a list beats hashing.
    map: Vec<(&'a str, &'a Value<'i>)>,
    /// Known keys suggested for misspelt ones; their absence is not reported again.
    suggested: HashSet<&'static str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map
            .iter()
            .find_map(|&(name, value)| (name == key).then_some(value))
    }
}

/// The calendar's settings that events and feeds fall back on: the default language, zone and
/// event length; and the day that plans are checked against, if any.
struct Defaults {
    language: String,
    timezone: Zone,
    default_duration: Duration,
    today: Option<Today>,
    timezones: TimezoneStyle,
}

struct Loader<'t> {
    diagnostics: Vec<Diagnostic>,
    /// The tz database zones are looked up in.
    db: &'static Tzdb,
    /// Times on which the tz database not chosen disagrees (see [`Tzdb::other`]).
    disagreements: Vec<times::Disagreement>,
    text: &'t str,
    /// Line starts, built only when a message needs a line number.
    lines: std::cell::OnceCell<diag::LineIndex<'t>>,
    /// Where the section being read starts in the file; spans are relative to it.
    offset: usize,
}

impl Loader<'_> {
    /// The line number of byte `offset` of the file.
    fn line_of(&self, offset: usize) -> usize {
        self.lines
            .get_or_init(|| diag::LineIndex::new(self.text))
            .position(offset)
            .line
    }

    fn push(&mut self, mut d: Diagnostic) {
        d.span = self.absolute(d.span);
        self.diagnostics.push(d);
    }

    /// A span of the current section as a span of the whole file.
    fn absolute(&self, span: Range<usize>) -> Range<usize> {
        span.start + self.offset..span.end + self.offset
    }

    /// The value of the `calendar` key.
    fn calendar_value(&mut self, value: &Value<'_>) -> Option<Calendar> {
        match value.get_ref() {
            DeValue::Table(table) => self.calendar(table, value.span()),
            other => {
                self.push(
                    Diagnostic::error(
                        value.span(),
                        format!("`calendar` must be a table, found {}", value_kind(other)),
                    )
                    .with_help("start the settings with a `[calendar]` line"),
                );
                None
            }
        }
    }

    /// Reads the `[[event]]`s of one section into `events`, checking ids against `ids`.
    fn events(
        &mut self,
        value: Option<&Value<'_>>,
        defaults: &Defaults,
        events: &mut Vec<Event>,
        ids: &mut HashMap<String, Range<usize>>,
    ) {
        for (table, span) in self.array_of_tables(value, "event") {
            if let Some(event) = self.event(table, span.clone(), defaults) {
                // A repeating plan goes on after its first occurrence: not checked here.
                if let Some(today) = defaults.today
                    && event.repeat.is_none()
                {
                    self.passed_plan(table, span, &event, today);
                }
                events.push(event);
            }
            let Some(id) = table.get("id") else { continue };
            let Some(s) = id.get_ref().as_str() else {
                continue;
            };
            if let Some(first) = ids.get(s) {
                let line = self.line_of(first.start);
                self.push(
                    Diagnostic::error(id.span(), format!("duplicate event id `{s}`"))
                        .with_label("used before")
                        .with_help(format!(
                            "the first event with this id is on line {line}; \
                             every event needs its own id, and an id must never change once published"
                        )),
                );
            } else {
                ids.insert(s.to_owned(), self.absolute(id.span()));
            }
        }
    }

    /// Warns when `event` is a plan whose dates have passed, pointing at its `status`.
    fn passed_plan(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        event: &Event,
        today: Today,
    ) {
        let Some(passed) = plans::passed(event, today) else {
            return;
        };
        let at = ["status", "start"]
            .iter()
            .find_map(|key| table.get(*key))
            .map_or(span, |v| v.span());
        self.push(
            Diagnostic::warning(
                at,
                format!(
                    "the plan `{}` ended on {}, before today ({} in {})",
                    event.id,
                    passed.last_day,
                    passed.today,
                    event.timezone.name()
                ),
            )
            .with_label("still tentative")
            .with_help(
                "this plan's dates have passed: confirm it (set `status`, the real dates and \
                 `sequence`), cancel it, or remove it",
            ),
        );
    }

    /// Reads the `[[feed]]`s of one section into `feeds`, checking names against `names`.
    fn feeds(
        &mut self,
        value: Option<&Value<'_>>,
        defaults: &Defaults,
        events: &[Event],
        feeds: &mut Vec<Feed>,
        names: &mut HashMap<String, usize>,
    ) {
        for (table, span) in self.array_of_tables(value, "feed") {
            let Some(feed) = self.feed(table, span.clone(), defaults) else {
                continue;
            };
            if let Some(&line) = names.get(&feed.name) {
                let at = table.get("name").map_or(span.clone(), |v| v.span());
                self.push(
                    Diagnostic::error(at, format!("duplicate feed name `{}`", feed.name))
                        .with_label("used before")
                        .with_help(format!(
                            "the first feed with this name is on line {line}; each feed is written to its own `<name>.ics`"
                        )),
                );
            } else {
                let line = self.line_of(self.absolute(span.clone()).start);
                names.insert(feed.name.clone(), line);
            }
            self.feed_warnings(table, span, &feed, events);
            feeds.push(feed);
        }
    }

    /// Reports unknown keys of `table` and returns the known ones.
    fn fields<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        context: &str,
        allowed: &[&'static str],
    ) -> Fields<'a, 'i> {
        let mut map = Vec::with_capacity(table.len());
        let mut suggested = HashSet::new();
        for (key, value) in table.iter() {
            let name: &'a str = key.get_ref();
            if allowed.contains(&name) {
                map.push((name, value));
            } else {
                let help = match diag::suggest(name, allowed.iter().copied()) {
                    Some(s) => {
                        suggested.insert(s);
                        format!("did you mean `{s}`?")
                    }
                    None if ROOT_KEYS.contains(&name) => format!(
                        "every key after a table's `[...]` line belongs to that table; \
                         write `[[{name}]]` tables after it instead"
                    ),
                    None => format!("the keys allowed here are: {}", allowed.join(", ")),
                };
                self.push(
                    Diagnostic::error(key.span(), format!("unknown key `{name}` in {context}"))
                        .with_label("unknown key")
                        .with_help(help),
                );
            }
        }
        Fields {
            span,
            map,
            suggested,
        }
    }

    /// The tables of `[[name]]`, reporting anything else written under that key.
    fn array_of_tables<'a, 'i>(
        &mut self,
        value: Option<&'a Value<'i>>,
        name: &str,
    ) -> Vec<(&'a DeTable<'i>, Range<usize>)> {
        let Some(value) = value else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.push(
                Diagnostic::error(
                    value.span(),
                    format!(
                        "`{name}` must be a list of tables, found {}",
                        value_kind(value.get_ref())
                    ),
                )
                .with_help(format!("write each one under its own `[[{name}]]` line")),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(table) => out.push((table, item.span())),
                other => self.push(
                    Diagnostic::error(
                        item.span(),
                        format!("each `{name}` must be a table, found {}", value_kind(other)),
                    )
                    .with_help(format!("write each one under its own `[[{name}]]` line")),
                ),
            }
        }
        out
    }

    fn calendar(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<Calendar> {
        let f = self.fields(table, span.clone(), "[calendar]", CALENDAR_KEYS);
        let mut ok = true;

        let language = match f.get("language") {
            Some(v) => self.language_tag(v, "language").unwrap_or_else(|| {
                ok = false;
                "en".to_owned()
            }),
            None => "en".to_owned(),
        };
        let defaults = Defaults {
            language: language.clone(),
            timezone: Zone::utc(),
            default_duration: DEFAULT_DURATION,
            today: None,
            timezones: TimezoneStyle::Vtimezone,
        };
        let name = self.required(&f, "name", "[calendar]", "name = \"Summit diplomacy\"");
        let name = name.and_then(|v| self.text(v, "name", &defaults));
        let description = self.optional_text(&f, "description", &defaults, &mut ok);
        let timezone = match f.get("timezone") {
            Some(v) => self.timezone(v),
            None => Some(Zone::utc()),
        };
        let domain = self
            .required(&f, "domain", "[calendar]", "domain = \"example.org\"")
            .and_then(|v| self.domain(v));
        let url = match f.get("url") {
            Some(v) => self.url(v, "url").map(|mut u| {
                if !u.ends_with('/') {
                    u.push('/');
                }
                Some(u)
            }),
            None => Some(None),
        };
        let refresh = self.duration_setting(f.get("refresh"), "refresh", "PT12H");
        let default_duration = self.duration_setting(
            f.get("default_duration"),
            "default_duration",
            &DEFAULT_DURATION.to_string(),
        );
        let timezones = match f.get("timezones") {
            Some(v) => self.string(v, "timezones").and_then(|s| match s.as_str() {
                "vtimezone" => Some(TimezoneStyle::Vtimezone),
                "utc" => Some(TimezoneStyle::Utc),
                other => {
                    self.push(
                        Diagnostic::error(v.span(), format!("unknown `timezones` style `{other}`"))
                            .with_label("expected \"vtimezone\" or \"utc\"")
                            .with_help(
                                "\"vtimezone\" writes local times with their zone (best in every client); \
                                 \"utc\" writes every time in UTC",
                            ),
                    );
                    None
                }
            }),
            None => Some(TimezoneStyle::Vtimezone),
        };
        let tentative_marker = self.marker(
            f.get("tentative_marker"),
            "tentative_marker",
            &defaults,
            &[("en", "[Tentative]"), ("ja", "[未定]"), ("ko", "[미정]")],
        );
        let cancelled_marker = self.marker(
            f.get("cancelled_marker"),
            "cancelled_marker",
            &defaults,
            &[("en", "[Cancelled]"), ("ja", "[中止]"), ("ko", "[취소]")],
        );
        if !ok {
            return None;
        }
        Some(Calendar {
            name: name?,
            description,
            timezone: timezone?,
            domain: domain?,
            url: url?,
            refresh: refresh?,
            language,
            timezones: timezones?,
            default_duration: default_duration?,
            tentative_marker: tentative_marker?,
            cancelled_marker: cancelled_marker?,
            tzdata: self.db.release_or_unknown().to_owned(),
            feeds: Vec::new(),
            events: Vec::new(),
        })
    }

    fn feed(&mut self, table: &DeTable<'_>, span: Range<usize>, cal: &Defaults) -> Option<Feed> {
        let f = self.fields(table, span, "[[feed]]", FEED_KEYS);
        let mut ok = true;
        let name = self
            .required(&f, "name", "[[feed]]", "name = \"japan-us\"")
            .and_then(|v| {
                let s = self.string(v, "name")?;
                if s == "all" {
                    self.push(
                        Diagnostic::error(v.span(), "the feed name `all` is reserved")
                            .with_label("reserved")
                            .with_help("`all.ics` always holds every event; choose another name"),
                    );
                    None
                } else if !is_slug(&s) {
                    self.push(not_a_slug(
                        v.span(),
                        &s,
                        "feed name",
                        "not a file name calfeed accepts",
                        "",
                    ));
                    None
                } else {
                    Some(s)
                }
            });
        let language = match f.get("language") {
            Some(v) => self.language_tag(v, "language"),
            None => Some(cal.language.clone()),
        };
        let title = self
            .required(&f, "title", "[[feed]]", "title = \"Japan–US summits\"")
            .and_then(|v| self.text(v, "title", cal));
        let description = self.optional_text(&f, "description", cal, &mut ok);
        let countries = self.countries(f.get("countries"));
        let tags = self.tags(f.get("tags"));
        let status = match f.get("status") {
            Some(v) => self.string_list(v, "status").and_then(|items| {
                let mut out = Vec::new();
                for item in items {
                    match Status::from_name(item.get_ref()) {
                        Some(s) => out.push(s),
                        None => {
                            self.unknown_status(item.get_ref(), item.span());
                            return None;
                        }
                    }
                }
                Some(out)
            }),
            None => Some(Vec::new()),
        };
        if !ok {
            return None;
        }
        Some(Feed {
            name: name?,
            title: title?,
            description,
            countries: countries?,
            tags: tags?,
            status: status?,
            language: language?,
        })
    }

    fn feed_warnings(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        feed: &Feed,
        events: &[Event],
    ) {
        let used: HashSet<&str> = events
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .collect();
        if let Some(DeValue::Array(items)) = table.get("tags").map(|v| v.get_ref()) {
            for item in items.iter() {
                if let Some(tag) = item.get_ref().as_str()
                    && !used.contains(tag)
                {
                    let mut sorted: Vec<&str> = used.iter().copied().collect();
                    sorted.sort_unstable();
                    self.push(
                        Diagnostic::warning(item.span(), format!("no event has the tag `{tag}`"))
                            .with_label("unused tag")
                            .with_help(match diag::suggest(tag, sorted) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "check the spelling, or add the tag to the events this feed should hold"
                                    .to_owned(),
                            }),
                    );
                }
            }
        }
        if !events.is_empty() && !events.iter().any(|e| feed.includes(e)) {
            let at = table.get("name").map_or(span, |v| v.span());
            self.push(
                Diagnostic::warning(at, format!("feed `{}` matches no event", feed.name))
                    .with_label("empty feed")
                    .with_help("its countries must all be in an event's `countries`, one of its tags in the event's `tags`, and the event's status in its `status`"),
            );
        }
    }

    fn event(&mut self, table: &DeTable<'_>, span: Range<usize>, cal: &Defaults) -> Option<Event> {
        let f = self.fields(table, span, "[[event]]", EVENT_KEYS);
        let mut ok = true;
        let id = self
            .required(&f, "id", "[[event]]", "id = \"tokyo-summit-2025\"")
            .and_then(|v| {
                let s = self.string(v, "id")?;
                if is_slug(&s) {
                    Some(s)
                } else {
                    self.push(not_a_slug(
                        v.span(),
                        &s,
                        "event id",
                        "not an id calfeed accepts",
                        "; the id becomes part of the event's UID and must never change once published",
                    ));
                    None
                }
            });
        let title = self
            .required(&f, "title", "[[event]]", "title = \"Japan–US summit\"")
            .and_then(|v| self.text(v, "title", cal));
        let timezone = match f.get("timezone") {
            Some(v) => self.timezone(v).map(Some),
            None => Some(None),
        };
        let when = match timezone {
            Some(event_zone) => self.when(&f, event_zone, cal),
            None => None,
        };
        let repeat = match &timezone {
            Some(event_zone) => self.repeat(&f, when.as_ref(), *event_zone, cal),
            None => None,
        };
        let status = match f.get("status") {
            Some(v) => self.string(v, "status").and_then(|s| {
                let status = Status::from_name(&s);
                if status.is_none() {
                    self.unknown_status(&s, v.span());
                }
                status
            }),
            None => Some(Status::Confirmed),
        };
        let location = self.optional_text(&f, "location", cal, &mut ok);
        let description = self.optional_text(&f, "description", cal, &mut ok);
        let geo = match f.get("geo") {
            Some(v) => self.geo(v).map(Some),
            None => Some(None),
        };
        let url = match f.get("url") {
            Some(v) => self.url(v, "url").map(Some),
            None => Some(None),
        };
        let participants = match f.get("participants") {
            Some(v) => self.text_list(v, "participants", cal),
            None => Some(Vec::new()),
        };
        let sources = match f.get("sources") {
            Some(v) => self.string_list(v, "sources").and_then(|items| {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.clean_text(item.get_ref(), item.span(), "sources")?);
                }
                Some(out)
            }),
            None => Some(Vec::new()),
        };
        let countries = self.countries(f.get("countries"));
        let tags = self.tags(f.get("tags"));
        let updated = match f.get("updated") {
            Some(v) => self.updated(v).map(Some),
            None => Some(None),
        };
        let sequence = match f.get("sequence") {
            Some(v) => self.sequence(v).map(Some),
            None => Some(None),
        };
        if !ok {
            return None;
        }
        let timezone = timezone?.unwrap_or(cal.timezone);
        let (repeat, changes) = match repeat? {
            Some((repeat, changes)) => (Some(repeat), changes),
            None => (None, Vec::new()),
        };
        let mut event = Event {
            id: id?,
            title: title?,
            when: when?,
            timezone,
            status: status?,
            location,
            geo: geo?,
            description,
            url: url?,
            participants: participants?,
            sources: sources?,
            countries: countries?,
            tags: tags?,
            updated: updated?,
            sequence: sequence?.unwrap_or(0),
            repeat,
        };
        repeat::apply(&mut event, changes);
        Some(event)
    }
}

/// Length of a timed event without `end` or `duration` when `[calendar]` sets none.
const DEFAULT_DURATION: Duration = Duration {
    days: 0,
    seconds: 3600,
};

#[cfg(test)]
mod tests;
