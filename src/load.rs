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
    NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::{OffsetName, Tz};
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::{Datetime, Offset as TomlOffset};

use crate::countries;
use crate::diag::{self, Diagnostic};
use crate::duration::Duration;
use crate::model::{Calendar, Event, Feed, Moment, Status, TimezoneStyle, When};
use crate::text::{self, Text};
use crate::tz;

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

/// Reads and validates the file at `path`.
pub fn from_file(path: &Path) -> Result<(Loaded, String), LoadError> {
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
    match parse(&text) {
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
pub fn parse(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    // A byte-order mark is not TOML; blank it without moving any offset.
    let owned;
    let text = if let Some(rest) = text.strip_prefix('\u{feff}') {
        owned = format!("   {rest}");
        owned.as_str()
    } else {
        text
    };
    if let Some(outcome) = walk(text, &sections::split(text)) {
        return outcome;
    }
    // A section did not parse on its own: parse the whole file at once, so that syntax errors
    // are reported exactly where the TOML parser finds them.
    let whole = [sections::Section {
        range: 0..text.len(),
        has_calendar: true,
    }];
    walk(text, &whole).unwrap_or_else(|| Err(Vec::new()))
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

/// Validates the document section by section, holding only one section's syntax tree at a time
/// (and those of the few feeds).
///
/// Returns `None` when a section does not parse on its own, so that the caller can parse the
/// whole file instead; with a single section the TOML errors are the result.
fn walk(text: &str, sections: &[sections::Section]) -> Option<Result<Loaded, Vec<Diagnostic>>> {
    let single = sections.len() == 1;
    let syntax = |section: &sections::Section, errors: Vec<toml::de::Error>| {
        if !single {
            return None;
        }
        let mut diagnostics: Vec<Diagnostic> = errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let span = span.start + section.range.start..span.end + section.range.start;
                Diagnostic::error(span, format!("invalid TOML: {}", e.message().trim_end()))
            })
            .collect();
        sort(&mut diagnostics);
        diagnostics.dedup();
        Some(Err(diagnostics))
    };
    let mut loader = Loader {
        diagnostics: Vec::new(),
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
            Err(errors) => return syntax(section, errors),
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
    let context = Context {
        language: calendar
            .as_ref()
            .map_or_else(|| "en".to_owned(), |c: &Calendar| c.language.clone()),
        timezone: calendar.as_ref().map_or(Tz::UTC, |c| c.timezone),
        default_duration: calendar
            .as_ref()
            .map_or(DEFAULT_DURATION, |c| c.default_duration),
    };

    // Then the events, a section at a time; sections with feeds are kept for the end.
    let mut events = Vec::new();
    let mut ids: HashMap<String, Range<usize>> = HashMap::new();
    let mut feed_sections = Vec::new();
    for section in sections {
        let tree = match parse_section(text, section) {
            Ok(tree) => tree,
            Err(errors) => return syntax(section, errors),
        };
        loader.offset = section.range.start;
        let fields = loader.fields(tree.get_ref(), 0..0, "the top level of the file", ROOT_KEYS);
        let has_feeds = fields.get("feed").is_some();
        loader.events(fields.get("event"), &context, &mut events, &mut ids);
        drop(fields);
        if has_feeds {
            feed_sections.push((section.range.start, tree));
        }
    }

    // Last the feeds, which are checked against the events.
    let mut feeds = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for (offset, tree) in &feed_sections {
        loader.offset = *offset;
        loader.feeds(
            tree.get_ref().get("feed"),
            &context,
            &events,
            &mut feeds,
            &mut names,
        );
    }

    let mut diagnostics = loader.diagnostics;
    sort(&mut diagnostics);
    Some(match calendar {
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
];

/// The keys of one table, after unknown keys have been reported.
struct Fields<'a, 'i> {
    span: Range<usize>,
    map: HashMap<&'a str, &'a Value<'i>>,
    /// Known keys suggested for misspelt ones; their absence is not reported again.
    suggested: HashSet<&'static str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.map.get(key).copied()
    }
}

/// Settings of `[calendar]` that the rest of the file is checked against.
struct Context {
    language: String,
    timezone: Tz,
    default_duration: Duration,
}

struct Loader<'t> {
    diagnostics: Vec<Diagnostic>,
    text: &'t str,
    /// Line starts, built only when a message needs a line number.
    lines: std::cell::OnceCell<diag::LineIndex<'t>>,
    /// Where the section being read starts in the file; spans are relative to it.
    offset: usize,
}

/// What kind of value a `start` or `end` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeKind {
    Date,
    Local,
    Offset,
}

impl TimeKind {
    fn describe(self) -> &'static str {
        match self {
            TimeKind::Date => "a date",
            TimeKind::Local => "a local date-time",
            TimeKind::Offset => "a date-time with an offset",
        }
    }
}

/// A `start` or `end` as read, before it is placed in a zone.
#[derive(Debug, Clone, Copy)]
enum RawTime {
    Date(NaiveDate),
    Local(NaiveDateTime),
    Offset(DateTime<chrono::FixedOffset>),
}

impl RawTime {
    fn kind(&self) -> TimeKind {
        match self {
            RawTime::Date(_) => TimeKind::Date,
            RawTime::Local(_) => TimeKind::Local,
            RawTime::Offset(_) => TimeKind::Offset,
        }
    }
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
                        format!("`calendar` must be a table, found {}", describe(other)),
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
        context: &Context,
        events: &mut Vec<Event>,
        ids: &mut HashMap<String, Range<usize>>,
    ) {
        for (table, span) in self.array_of_tables(value, "event") {
            if let Some(event) = self.event(table, span, context) {
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

    /// Reads the `[[feed]]`s of one section into `feeds`, checking names against `names`.
    fn feeds(
        &mut self,
        value: Option<&Value<'_>>,
        context: &Context,
        events: &[Event],
        feeds: &mut Vec<Feed>,
        names: &mut HashMap<String, usize>,
    ) {
        for (table, span) in self.array_of_tables(value, "feed") {
            let Some(feed) = self.feed(table, span.clone(), context) else {
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
        let mut map = HashMap::new();
        let mut suggested = HashSet::new();
        for (key, value) in table.iter() {
            let name: &'a str = key.get_ref();
            if allowed.contains(&name) {
                map.insert(name, value);
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
                        describe(value.get_ref())
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
                        format!("each `{name}` must be a table, found {}", describe(other)),
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
        let context = Context {
            language: language.clone(),
            timezone: Tz::UTC,
            default_duration: DEFAULT_DURATION,
        };
        let name = self.required(&f, "name", "[calendar]", "name = \"Summit diplomacy\"");
        let name = name.and_then(|v| self.text(v, "name", &context));
        let description = self.optional_text(&f, "description", &context, &mut ok);
        let timezone = match f.get("timezone") {
            Some(v) => self.timezone(v),
            None => Some(Tz::UTC),
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
            &context,
            &[("en", "[Tentative]"), ("ja", "[未定]"), ("ko", "[미정]")],
        );
        let cancelled_marker = self.marker(
            f.get("cancelled_marker"),
            "cancelled_marker",
            &context,
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
            feeds: Vec::new(),
            events: Vec::new(),
        })
    }

    fn marker(
        &mut self,
        value: Option<&Value<'_>>,
        key: &str,
        context: &Context,
        defaults: &[(&str, &str)],
    ) -> Option<Text> {
        match value {
            Some(v) => self.text_allow_empty(v, key, context),
            None => {
                let mut map: BTreeMap<String, String> = defaults
                    .iter()
                    .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                    .collect();
                if !map.contains_key(&context.language) {
                    map.insert(context.language.clone(), defaults[0].1.to_owned());
                }
                Some(Text::Localized(map.into_iter().collect()))
            }
        }
    }

    fn duration_setting(
        &mut self,
        value: Option<&Value<'_>>,
        key: &str,
        default: &str,
    ) -> Option<Duration> {
        let Some(v) = value else {
            return Some(Duration::parse(default).expect("built-in default durations parse"));
        };
        let s = self.string(v, key)?;
        match Duration::parse(&s) {
            Ok(d) if d.is_zero() => {
                self.push(
                    Diagnostic::error(v.span(), format!("`{key}` must be longer than zero"))
                        .with_label("zero"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.push(
                    Diagnostic::error(v.span(), format!("invalid duration `{s}` in `{key}`"))
                        .with_label("not a duration")
                        .with_help(e.to_string()),
                );
                None
            }
        }
    }

    fn feed(&mut self, table: &DeTable<'_>, span: Range<usize>, cal: &Context) -> Option<Feed> {
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
                    self.push(
                        Diagnostic::error(v.span(), format!("invalid feed name `{s}`"))
                            .with_label("not a file name calfeed accepts")
                            .with_help(format!(
                                "use lowercase letters, digits and `-`, for example `{}`",
                                slugify(&s)
                            )),
                    );
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
                            .with_help_opt(
                                diag::suggest(tag, sorted).map(|s| format!("did you mean `{s}`?")),
                            ),
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

    fn unknown_status(&mut self, given: &str, span: Range<usize>) {
        self.push(
            Diagnostic::error(span, format!("unknown status `{given}`"))
                .with_label("expected confirmed, tentative or cancelled")
                .with_help_opt(
                    diag::suggest(given, Status::NAMES).map(|s| format!("did you mean `{s}`?")),
                ),
        );
    }

    fn event(&mut self, table: &DeTable<'_>, span: Range<usize>, cal: &Context) -> Option<Event> {
        let f = self.fields(table, span, "[[event]]", EVENT_KEYS);
        let mut ok = true;
        let id = self
            .required(&f, "id", "[[event]]", "id = \"tokyo-summit-2025\"")
            .and_then(|v| {
                let s = self.string(v, "id")?;
                if is_slug(&s) {
                    Some(s)
                } else {
                    self.push(
                        Diagnostic::error(v.span(), format!("invalid event id `{s}`"))
                            .with_label("not an id calfeed accepts")
                            .with_help(format!(
                                "use lowercase letters, digits and `-`, for example `{}`; the id becomes \
                                 part of the event's UID and must never change once published",
                                slugify(&s)
                            )),
                    );
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
        Some(Event {
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
        })
    }

    /// Reads `start`, `end` and `duration` into a [`When`].
    fn when(&mut self, f: &Fields<'_, '_>, event_zone: Option<Tz>, cal: &Context) -> Option<When> {
        let start_value = self.required(f, "start", "[[event]]", "start = 2025-10-28T10:00:00")?;
        let start = self.raw_time(start_value, "start");
        let end_value = f.get("end");
        let end = end_value.map(|v| (self.raw_time(v, "end"), v));
        let duration_value = f.get("duration");
        let duration = duration_value.map(|v| {
            let d = self.string(v, "duration").and_then(|s| match Duration::parse(&s) {
                Ok(d) if d.is_zero() => {
                    self.push(
                        Diagnostic::error(v.span(), "`duration` must be longer than zero")
                            .with_label("zero")
                            .with_help("give the event a length, or leave `duration` out to use `default_duration` from [calendar] (1 hour unless set)"),
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(e) => {
                    self.push(
                        Diagnostic::error(v.span(), format!("invalid duration `{s}`"))
                            .with_label("not a duration")
                            .with_help(e.to_string()),
                    );
                    None
                }
            });
            (d, v)
        });
        if let (Some(_), Some((_, dur_v))) = (&end, &duration) {
            self.push(
                Diagnostic::error(
                    dur_v.span(),
                    "an event cannot have both `end` and `duration`",
                )
                .with_label("remove this or `end`")
                .with_help("give either the end or the length of the event"),
            );
            return None;
        }
        let start = start?;
        let zone = event_zone.unwrap_or(cal.timezone);
        match start {
            RawTime::Date(first) => {
                let last = match (end, duration) {
                    (Some((end, end_v)), _) => match end? {
                        RawTime::Date(last) if last < first => {
                            self.push(
                                Diagnostic::error(end_v.span(), "`end` is before `start`")
                                    .with_label(format!("{last} is before {first}"))
                                    .with_help(
                                        "for all-day events `end` is the last day, inclusive",
                                    ),
                            );
                            return None;
                        }
                        RawTime::Date(last) => last,
                        other => {
                            self.kind_mismatch(end_v, start.kind(), other.kind());
                            return None;
                        }
                    },
                    (None, Some((duration, dur_v))) => {
                        let duration = duration?;
                        if duration.seconds != 0 {
                            self.push(
                                Diagnostic::error(dur_v.span(), "an all-day event lasts whole days")
                                    .with_label("has hours, minutes or seconds")
                                    .with_help("use days or weeks (`P2D`, `P1W`), or give `start` a time of day"),
                            );
                            return None;
                        }
                        first + ChronoDuration::days(duration.days - 1)
                    }
                    (None, None) => first,
                };
                self.supported(When::AllDay { first, last }, start_value)
            }
            RawTime::Local(_) | RawTime::Offset(_) => {
                let start_moment = self.moment(start, start_value, zone, event_zone.is_some())?;
                let end_moment = match (end, duration) {
                    (Some((end, end_v)), _) => {
                        let end = end?;
                        // A local end may follow a start with an offset (picked at a fall-back).
                        if end.kind() == TimeKind::Date {
                            self.kind_mismatch(end_v, start.kind(), end.kind());
                            return None;
                        }
                        let end_moment = self.moment(end, end_v, zone, event_zone.is_some())?;
                        if end_moment.utc <= start_moment.utc {
                            let (what, label) = if end_moment.utc == start_moment.utc {
                                ("`end` is the same instant as `start`", "same as start")
                            } else {
                                ("`end` is before `start`", "before start")
                            };
                            self.push(
                                Diagnostic::error(end_v.span(), what)
                                    .with_label(label)
                                    .with_help("move `end` after `start`, or leave it out to use `default_duration` from [calendar] (1 hour unless set)"),
                            );
                            return None;
                        }
                        end_moment
                    }
                    (None, Some((duration, _))) => add_duration(start_moment, duration?, zone),
                    (None, None) => add_duration(start_moment, cal.default_duration, zone),
                };
                self.supported(
                    When::Timed {
                        start: start_moment,
                        end: end_moment,
                    },
                    start_value,
                )
            }
        }
    }

    /// Refuses events outside the years iCalendar and the tz data can express well.
    fn supported(&mut self, when: When, start_value: &Value<'_>) -> Option<When> {
        let years = match when {
            When::AllDay { first, last } => [first.year(), last.year() + 1],
            When::Timed { start, end } => [start.utc.year() - 1, end.utc.year() + 1],
        };
        if years
            .iter()
            .all(|y| (SUPPORTED_YEARS.0..=SUPPORTED_YEARS.1).contains(y))
        {
            return Some(when);
        }
        self.push(
            Diagnostic::error(
                start_value.span(),
                "the event lies outside the years calfeed supports",
            )
            .with_label(format!(
                "supported: {} to {}",
                SUPPORTED_YEARS.0 + 1,
                SUPPORTED_YEARS.1 - 1
            ))
            .with_help("check the year of `start`, `end` and `duration`"),
        );
        None
    }

    fn kind_mismatch(&mut self, end_v: &Value<'_>, start: TimeKind, end: TimeKind) {
        self.push(
            Diagnostic::error(
                end_v.span(),
                format!("`end` is {} but `start` is {}", end.describe(), start.describe()),
            )
            .with_label("different kind from start")
            .with_help("write `start` and `end` the same way: both dates (all-day), both local date-times, or both with an offset"),
        );
    }

    /// Reads a TOML date or date-time.
    fn raw_time(&mut self, v: &Value<'_>, key: &str) -> Option<RawTime> {
        let dt = match v.get_ref() {
            DeValue::Datetime(dt) => *dt,
            other => {
                let mut d = Diagnostic::error(
                    v.span(),
                    format!(
                        "`{key}` must be a date or a date-time, found {}",
                        describe(other)
                    ),
                )
                .with_label(format!("expected e.g. {key} = 2025-10-28T10:00:00"));
                if let DeValue::String(s) = other
                    && s.trim().parse::<Datetime>().is_ok()
                {
                    d = d.with_help(format!("write it without quotes: `{key} = {}`", s.trim()));
                } else {
                    d = d.with_help(
                        "write a date (`2025-10-28`) for an all-day event, or a date and time (`2025-10-28T10:00:00`)",
                    );
                }
                self.push(d);
                return None;
            }
        };
        self.convert_datetime(&dt, v.span(), key)
    }

    fn convert_datetime(
        &mut self,
        dt: &Datetime,
        span: Range<usize>,
        key: &str,
    ) -> Option<RawTime> {
        let Some(date) = dt.date else {
            self.push(
                Diagnostic::error(span, format!("`{key}` has a time but no date"))
                    .with_label("time of day only")
                    .with_help(format!("add the date: `{key} = 2025-10-28T{}`", dt)),
            );
            return None;
        };
        let Some(naive_date) = NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        ) else {
            self.push(
                Diagnostic::error(span, format!("`{key}` is not a real date"))
                    .with_label(format!("{date} does not exist")),
            );
            return None;
        };
        let Some(time) = dt.time else {
            if dt.offset.is_some() {
                self.push(Diagnostic::error(
                    span,
                    format!("`{key}` has an offset but no time"),
                ));
                return None;
            }
            return Some(RawTime::Date(naive_date));
        };
        if time.nanosecond.unwrap_or(0) != 0 {
            self.push(
                Diagnostic::error(span, format!("`{key}` has fractions of a second"))
                    .with_label("fraction")
                    .with_help("iCalendar times have whole seconds; remove the fraction"),
            );
            return None;
        }
        let Some(naive_time) = NaiveTime::from_hms_opt(
            u32::from(time.hour),
            u32::from(time.minute),
            u32::from(time.second.unwrap_or(0)),
        ) else {
            self.push(
                Diagnostic::error(span, format!("`{key}` is not a real time of day"))
                    .with_label("a leap second")
                    .with_help("iCalendar has no leap seconds; use :59"),
            );
            return None;
        };
        let local = naive_date.and_time(naive_time);
        match dt.offset {
            None => Some(RawTime::Local(local)),
            Some(offset) => {
                let minutes = match offset {
                    TomlOffset::Z => 0,
                    TomlOffset::Custom { minutes } => i32::from(minutes),
                };
                let fixed = chrono::FixedOffset::east_opt(minutes * 60)?;
                match fixed.from_local_datetime(&local) {
                    LocalResult::Single(t) => Some(RawTime::Offset(t)),
                    _ => {
                        self.push(Diagnostic::error(span, format!("`{key}` is out of range")));
                        None
                    }
                }
            }
        }
    }

    /// Places a start or end on the time line of `zone`, refusing impossible wall times.
    fn moment(
        &mut self,
        raw: RawTime,
        v: &Value<'_>,
        zone: Tz,
        zone_given: bool,
    ) -> Option<Moment> {
        match raw {
            RawTime::Date(_) => None,
            RawTime::Local(local) => {
                match zone.from_local_datetime(&local) {
                    LocalResult::Single(t) => Some(Moment {
                        utc: t.with_timezone(&Utc),
                        zone: written_zone(zone),
                    }),
                    LocalResult::None => {
                        let (before, after) = gap_around(zone, local);
                        self.push(
                        Diagnostic::error(
                            v.span(),
                            format!("{} does not exist in {}", local.format("%Y-%m-%dT%H:%M:%S"), zone.name()),
                        )
                        .with_label("skipped when the clocks go forward")
                        .with_help(format!(
                            "on {} the clocks jump from {} to {}; choose a time outside that gap",
                            local.date(),
                            before.format("%H:%M"),
                            after.format("%H:%M"),
                        )),
                    );
                        None
                    }
                    LocalResult::Ambiguous(first, second) => {
                        let f = first.offset().fix();
                        let s = second.offset().fix();
                        let local_text = local.format("%Y-%m-%dT%H:%M:%S");
                        self.push(
                            Diagnostic::error(
                                v.span(),
                                format!("{local_text} happens twice in {}", zone.name()),
                            )
                            .with_label("the clocks go back over this time")
                            .with_help(format!(
                                "add the offset to say which one you mean:\n\
                             {local_text}{f} for the first ({}), or\n\
                             {local_text}{s} for the second ({})",
                                first.offset().abbreviation().unwrap_or("earlier"),
                                second.offset().abbreviation().unwrap_or("later"),
                            )),
                        );
                        None
                    }
                }
            }
            RawTime::Offset(t) => {
                let utc = t.with_timezone(&Utc);
                if !zone_given {
                    return Some(Moment { utc, zone: None });
                }
                let actual = zone.offset_from_utc_datetime(&utc.naive_utc()).fix();
                if actual != *t.offset() {
                    let wall = utc.with_timezone(&zone).naive_local();
                    self.push(
                        Diagnostic::error(
                            v.span(),
                            format!(
                                "the offset {} is not {}'s offset at that time ({actual})",
                                t.offset(),
                                zone.name()
                            ),
                        )
                        .with_label("offset does not match the timezone")
                        .with_help(format!(
                            "write the local time without an offset ({}), or with {}'s offset ({}{})",
                            t.naive_local().format("%Y-%m-%dT%H:%M:%S"),
                            zone.name(),
                            wall.format("%Y-%m-%dT%H:%M:%S"),
                            actual
                        )),
                    );
                    return None;
                }
                Some(Moment {
                    utc,
                    zone: if tz::is_repeated_wall_time(zone, utc) {
                        None
                    } else {
                        written_zone(zone)
                    },
                })
            }
        }
    }

    fn required<'a, 'i>(
        &mut self,
        f: &Fields<'a, 'i>,
        key: &str,
        context: &str,
        example: &str,
    ) -> Option<&'a Value<'i>> {
        let value = f.get(key);
        if value.is_none() && !f.suggested.contains(key) {
            self.push(
                Diagnostic::error(f.span.clone(), format!("{context} has no `{key}`"))
                    .with_label(format!("`{key}` missing here"))
                    .with_help(format!("add it, for example: {example}")),
            );
        }
        value
    }

    fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.push(
                    Diagnostic::error(
                        v.span(),
                        format!("`{key}` must be a string, found {}", describe(other)),
                    )
                    .with_label("expected a string in quotes"),
                );
                None
            }
        }
    }

    fn string_list<'a, 'i>(&mut self, v: &'a Value<'i>, key: &str) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = v.get_ref() else {
            let mut d = Diagnostic::error(
                v.span(),
                format!(
                    "`{key}` must be a list of strings, found {}",
                    describe(v.get_ref())
                ),
            )
            .with_label("expected a list");
            if let Some(s) = v.get_ref().as_str() {
                d = d.with_help(format!("put it in brackets: `{key} = [\"{s}\"]`"));
            }
            self.push(d);
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(item.span(), s.to_string())),
                other => {
                    ok = false;
                    self.push(
                        Diagnostic::error(
                            item.span(),
                            format!(
                                "each entry of `{key}` must be a string, found {}",
                                describe(other)
                            ),
                        )
                        .with_label("expected a string in quotes"),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    fn clean_text(&mut self, s: &str, span: Range<usize>, key: &str) -> Option<String> {
        match text::clean(s) {
            Ok(cleaned) if cleaned.is_empty() => {
                self.push(
                    Diagnostic::error(span, format!("`{key}` is empty"))
                        .with_label("empty text")
                        .with_help("write the text, or remove the key"),
                );
                None
            }
            Ok(cleaned) => Some(cleaned),
            Err(e) => {
                self.push(
                    Diagnostic::error(span, format!("`{key}` {e}"))
                        .with_label("control character")
                        .with_help("remove it; write line breaks as `\\n` or in a \"\"\"multi-line string\"\"\""),
                );
                None
            }
        }
    }

    fn optional_text(
        &mut self,
        f: &Fields<'_, '_>,
        key: &str,
        cal: &Context,
        ok: &mut bool,
    ) -> Option<Text> {
        let v = f.get(key)?;
        let text = self.text(v, key, cal);
        if text.is_none() {
            *ok = false;
        }
        text
    }

    /// A string, or a table of language tag to string that holds the default language.
    fn text(&mut self, v: &Value<'_>, key: &str, cal: &Context) -> Option<Text> {
        self.text_inner(v, key, cal, false)
    }

    fn text_allow_empty(&mut self, v: &Value<'_>, key: &str, cal: &Context) -> Option<Text> {
        self.text_inner(v, key, cal, true)
    }

    fn text_inner(
        &mut self,
        v: &Value<'_>,
        key: &str,
        cal: &Context,
        allow_empty: bool,
    ) -> Option<Text> {
        let clean = |this: &mut Self, s: &str, span: Range<usize>| {
            if allow_empty {
                match text::clean(s) {
                    Ok(c) => Some(c),
                    Err(_) => this.clean_text(s, span, key),
                }
            } else {
                this.clean_text(s, span, key)
            }
        };
        match v.get_ref() {
            DeValue::String(s) => clean(self, s, v.span()).map(Text::Plain),
            DeValue::Table(table) => {
                let mut map = BTreeMap::new();
                let mut ok = true;
                for (lang, value) in table.iter() {
                    if !is_language_tag(lang.get_ref()) {
                        ok = false;
                        self.push(
                            Diagnostic::error(
                                lang.span(),
                                format!("`{}` is not a language tag", lang.get_ref()),
                            )
                            .with_label("expected a language like en, ko or ja")
                            .with_help(format!(
                                "`{key}` is either one string, or a table of languages such as \
                                 {{ en = \"...\", ko = \"...\" }}"
                            )),
                        );
                        continue;
                    }
                    match value.get_ref() {
                        DeValue::String(s) => match clean(self, s, value.span()) {
                            Some(c) => {
                                map.insert(lang.get_ref().to_string(), c);
                            }
                            None => ok = false,
                        },
                        other => {
                            ok = false;
                            self.push(
                                Diagnostic::error(
                                    value.span(),
                                    format!(
                                        "the `{}` text of `{key}` must be a string, found {}",
                                        lang.get_ref(),
                                        describe(other)
                                    ),
                                )
                                .with_label("expected a string in quotes"),
                            );
                        }
                    }
                }
                if ok && !map.contains_key(&cal.language) {
                    self.push(
                        Diagnostic::error(
                            v.span(),
                            format!("`{key}` has no `{}` text", cal.language),
                        )
                        .with_label(format!("`{}` missing", cal.language))
                        .with_help(format!(
                            "`{}` is the calendar's language (`language` in [calendar]); every translated \
                             text needs it, as it is shown where no other translation fits",
                            cal.language
                        )),
                    );
                    return None;
                }
                ok.then_some(Text::Localized(map.into_iter().collect()))
            }
            other => {
                self.push(
                    Diagnostic::error(
                        v.span(),
                        format!(
                            "`{key}` must be a string or a table of languages, found {}",
                            describe(other)
                        ),
                    )
                    .with_label("expected text")
                    .with_help(format!(
                        "write `{key} = \"...\"` or `{key} = {{ en = \"...\", ko = \"...\" }}`"
                    )),
                );
                None
            }
        }
    }

    fn text_list(&mut self, v: &Value<'_>, key: &str, cal: &Context) -> Option<Vec<Text>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                Diagnostic::error(
                    v.span(),
                    format!("`{key}` must be a list, found {}", describe(v.get_ref())),
                )
                .with_label("expected a list")
                .with_help(format!("write `{key} = [\"...\", \"...\"]`")),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match self.text(item, key, cal) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn language_tag(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        let s = self.string(v, key)?;
        if is_language_tag(&s) {
            Some(s)
        } else {
            self.push(
                Diagnostic::error(v.span(), format!("`{s}` is not a language tag"))
                    .with_label("expected a language like en, ko or ja")
                    .with_help("use a BCP 47 language tag: two or three letters, optionally followed by `-` and a region, e.g. `en`, `ko`, `pt-BR`"),
            );
            None
        }
    }

    fn timezone(&mut self, v: &Value<'_>) -> Option<Tz> {
        let name = self.string(v, "timezone")?;
        match name.parse::<Tz>() {
            Ok(zone) => Some(zone),
            Err(_) => {
                self.push(
                    Diagnostic::error(v.span(), format!("unknown timezone `{name}`"))
                        .with_label("not an IANA timezone")
                        .with_help(match tz::suggest(&name) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "use an IANA timezone name such as `Asia/Tokyo`, `America/New_York` or `UTC`".to_owned(),
                        }),
                );
                None
            }
        }
    }

    fn domain(&mut self, v: &Value<'_>) -> Option<String> {
        let s = self.string(v, "domain")?;
        let valid = !s.is_empty()
            && s.len() <= 253
            && s.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if valid {
            Some(s.to_ascii_lowercase())
        } else {
            self.push(
                Diagnostic::error(v.span(), format!("invalid domain `{s}`"))
                    .with_label("not a domain name")
                    .with_help("write a plain domain you control, such as `example.org` (no `https://`, no path); it makes every event's UID unique"),
            );
            None
        }
    }

    fn url(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        let s = self.string(v, key)?;
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        let valid = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
            && !s
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '"' || c == '<' || c == '>');
        if valid {
            Some(s)
        } else {
            self.push(
                Diagnostic::error(v.span(), format!("invalid URL `{}`", s.escape_debug()))
                    .with_label("not an http(s) URL")
                    .with_help("write a full address starting with `https://`, without spaces (encode a space as `%20`)"),
            );
            None
        }
    }

    fn geo(&mut self, v: &Value<'_>) -> Option<(f64, f64)> {
        let DeValue::Table(table) = v.get_ref() else {
            self.push(
                Diagnostic::error(
                    v.span(),
                    format!("`geo` must be a table, found {}", describe(v.get_ref())),
                )
                .with_label("expected { lat = ..., lon = ... }")
                .with_help("write `geo = { lat = 35.68, lon = 139.72 }`"),
            );
            return None;
        };
        let f = self.fields(table, v.span(), "`geo`", &["lat", "lon"]);
        let lat = self
            .required(&f, "lat", "`geo`", "geo = { lat = 35.68, lon = 139.72 }")
            .and_then(|v| self.coordinate(v, "lat", 90.0));
        let lon = self
            .required(&f, "lon", "`geo`", "geo = { lat = 35.68, lon = 139.72 }")
            .and_then(|v| self.coordinate(v, "lon", 180.0));
        Some((lat?, lon?))
    }

    fn coordinate(&mut self, v: &Value<'_>, key: &str, limit: f64) -> Option<f64> {
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) if i.radix() == 10 => {
                i.as_str().replace('_', "").parse::<f64>().ok()
            }
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n.abs() <= limit => Some(n),
            Some(_) => {
                self.push(
                    Diagnostic::error(v.span(), format!("`{key}` is out of range"))
                        .with_label(format!("must be between -{limit} and {limit}"))
                        .with_help("latitude is -90 to 90 (north positive), longitude -180 to 180 (east positive)"),
                );
                None
            }
            None => {
                self.push(
                    Diagnostic::error(
                        v.span(),
                        format!("`{key}` must be a number, found {}", describe(v.get_ref())),
                    )
                    .with_label("expected degrees, e.g. 35.68"),
                );
                None
            }
        }
    }

    fn countries(&mut self, v: Option<&Value<'_>>) -> Option<Vec<String>> {
        let Some(v) = v else {
            return Some(Vec::new());
        };
        let items = self.string_list(v, "countries")?;
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let code = item.get_ref();
            if countries::is_assigned(code) {
                if !out.contains(code) {
                    out.push(code.clone());
                }
                continue;
            }
            ok = false;
            let upper = code.to_ascii_uppercase();
            let help = if countries::is_assigned(&upper) {
                format!("country codes are upper case: `{upper}`")
            } else if upper == "UK" {
                "the ISO code of the United Kingdom is `GB`".to_owned()
            } else if upper == "EU" {
                "the EU is not a country; list its member countries".to_owned()
            } else {
                "use two-letter ISO 3166-1 codes such as `JP`, `US`, `CN`, `KR`".to_owned()
            };
            self.push(
                Diagnostic::error(item.span(), format!("unknown country code `{code}`"))
                    .with_label("not an ISO 3166-1 alpha-2 code")
                    .with_help(help),
            );
        }
        ok.then_some(out)
    }

    fn tags(&mut self, v: Option<&Value<'_>>) -> Option<Vec<String>> {
        let Some(v) = v else {
            return Some(Vec::new());
        };
        let items = self.string_list(v, "tags")?;
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let tag = item.get_ref();
            if is_slug(tag) {
                if !out.contains(tag) {
                    out.push(tag.clone());
                }
            } else {
                ok = false;
                self.push(
                    Diagnostic::error(item.span(), format!("invalid tag `{}`", tag.escape_debug()))
                        .with_label("not a tag calfeed accepts")
                        .with_help(format!(
                            "use lowercase letters, digits and `-`, for example `{}`",
                            slugify(tag)
                        )),
                );
            }
        }
        ok.then_some(out)
    }

    fn updated(&mut self, v: &Value<'_>) -> Option<DateTime<Utc>> {
        let raw = self.raw_time(v, "updated")?;
        match raw {
            RawTime::Offset(t) => Some(t.with_timezone(&Utc)),
            RawTime::Local(local) => {
                self.push(
                    Diagnostic::error(v.span(), "`updated` needs an offset")
                        .with_label("local time without a zone")
                        .with_help(format!(
                            "add `Z` for UTC: `updated = {}Z`",
                            local.format("%Y-%m-%dT%H:%M:%S")
                        )),
                );
                None
            }
            RawTime::Date(date) => {
                self.push(
                    Diagnostic::error(v.span(), "`updated` needs a time and an offset")
                        .with_label("date only")
                        .with_help(format!("write `updated = {date}T00:00:00Z`")),
                );
                None
            }
        }
    }

    fn sequence(&mut self, v: &Value<'_>) -> Option<u32> {
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match parsed {
            Some(n) if (0..=i64::from(i32::MAX)).contains(&n) => Some(n as u32),
            Some(_) => {
                self.push(
                    Diagnostic::error(v.span(), "`sequence` is out of range")
                        .with_label("must be 0 or more")
                        .with_help(
                            "start at 0 and add 1 each time the event's date or time changes",
                        ),
                );
                None
            }
            None => {
                self.push(
                    Diagnostic::error(
                        v.span(),
                        format!(
                            "`sequence` must be a whole number, found {}",
                            describe(v.get_ref())
                        ),
                    )
                    .with_label("expected e.g. 0"),
                );
                None
            }
        }
    }
}

/// Events must lie strictly between these years (time zones before 1900 were local mean time;
/// iCalendar years have four digits).
const SUPPORTED_YEARS: (i32, i32) = (1900, 9999);

/// Length of a timed event without `end` or `duration` when `[calendar]` sets none.
const DEFAULT_DURATION: Duration = Duration {
    days: 0,
    seconds: 3600,
};

/// Adds `duration` to `start`: days as nominal days in `zone`, then seconds as elapsed time.
fn add_duration(start: Moment, duration: Duration, zone: Tz) -> Moment {
    let shown = start.zone.unwrap_or(zone);
    let after_days = if duration.days == 0 {
        start.utc
    } else {
        let wall =
            start.utc.with_timezone(&shown).naive_local() + ChronoDuration::days(duration.days);
        tz::resolve_wall_time(shown, wall)
    };
    let utc = after_days + ChronoDuration::seconds(duration.seconds);
    // A wall time that occurs twice is written in UTC, like the start it came from.
    let zone = if start.zone.is_none() || tz::is_repeated_wall_time(shown, utc) {
        None
    } else {
        written_zone(shown)
    };
    Moment { utc, zone }
}

/// The zone to write a wall time in, or `None` for UTC zones (written as `...Z`).
fn written_zone(zone: Tz) -> Option<Tz> {
    (!tz::is_utc(zone)).then_some(zone)
}

/// The wall-clock readings just before and just after the gap that swallows `local`.
fn gap_around(zone: Tz, local: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let utc = tz::resolve_wall_time(zone, local);
    let offset_after = zone.offset_from_utc_datetime(&utc.naive_utc()).fix();
    let offset_before = zone
        .offset_from_utc_datetime(&(utc.naive_utc() - ChronoDuration::hours(24)))
        .fix();
    let change = i64::from(offset_after.local_minus_utc() - offset_before.local_minus_utc());
    // The gap starts at the transition instant, read with the old offset.
    let transition = tz::transition_before(zone, utc);
    let start = transition.naive_utc()
        + ChronoDuration::seconds(i64::from(offset_before.local_minus_utc()));
    (start, start + ChronoDuration::seconds(change))
}

/// `[a-z0-9-]+`, not starting or ending with `-`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A slug suggestion for `s`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "my-name".to_owned()
    } else {
        out
    }
}

/// A BCP 47 language tag, loosely: `ll`, `lll`, `ll-RR`, `zh-Hant`, ...
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

mod sections;

#[cfg(test)]
mod tests;
