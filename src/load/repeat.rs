//! Reading `repeat` (an RFC 5545 recurrence rule) and `skip` (occurrences that do not happen),
//! with the checks that keep every occurrence where calendar apps agree it is.

use chrono::Weekday;

use super::times::TimeKind;
use super::*;
use crate::model::{Override, Repeat};
use crate::recur::zoned::{self, Clash, LAST_CHECKED_YEAR, Placed, Reach};
use crate::recur::{Rule, RuleError};

/// At most this many occurrences are listed in one message.
const LISTED: usize = 5;

impl Loader<'_> {
    /// Reads `repeat` and `skip` of an event whose times were read as `when` (`None` when they
    /// hold errors, which leaves only the rule's own text to check).
    ///
    /// Returns `Some(None)` for an event that does not repeat, `None` after an error.
    pub(super) fn repeat(
        &mut self,
        f: &Fields<'_, '_>,
        when: Option<&When>,
        event_zone: Option<Zone>,
        cal: &Defaults,
    ) -> Option<Option<(Repeat, Vec<Changes>)>> {
        let skip_value = f.get("skip");
        let Some(value) = f.get("repeat") else {
            if let Some(over) = f.get("override") {
                self.push(
                    Diagnostic::error(over.span(), "`[[event.override]]` without `repeat`")
                        .with_label("nothing to override")
                        .with_help(
                            "an override changes one occurrence of a repeating event; add a \
                             `repeat` rule, or change the event itself",
                        ),
                );
                return None;
            }
            if let Some(skip) = skip_value {
                self.push(
                    Diagnostic::error(skip.span(), "`skip` without `repeat`")
                        .with_label("nothing to skip")
                        .with_help(
                            "`skip` lists occurrences of a repeating event that do not happen; \
                             add a `repeat` rule, or remove `skip`",
                        ),
                );
                return None;
            }
            return Some(None);
        };
        let text = self.string(value, "repeat")?;
        let at = RuleText::new(self.text, self.absolute(value.span()), value.span());
        let (rule, parts) = match Rule::parse(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.push(at.diagnostic(&e));
                return None;
            }
        };
        let when = when?;
        let all_day = matches!(when, When::AllDay { .. });
        let start = when.rule_start();
        let zone = when.rule_zone();
        if let Err(e) = rule.check_start(start, all_day, &parts, text.len()) {
            self.push(at.diagnostic(&e));
            return None;
        }
        let length = match *when {
            When::AllDay { first, last } => Duration {
                days: (last - first).num_days() + 1,
                seconds: 0,
            },
            When::Timed { start, end } => Duration {
                days: 0,
                seconds: (end.utc - start.utc).num_seconds(),
            },
        };
        let placed = zoned::place(&rule, start, zone, length);
        let start_kind = f
            .get("start")
            .and_then(|s| match s.get_ref() {
                DeValue::Datetime(dt) => Some(datetime_kind(dt)),
                _ => None,
            })
            .unwrap_or(if all_day {
                TimeKind::Date
            } else {
                TimeKind::Local
            });
        let skips = match skip_value {
            Some(v) => self.skips(v, &placed, zone, all_day, start_kind)?,
            None => Vec::new(),
        };
        let changes = match f.get("override") {
            Some(v) => {
                let context = Occurrences {
                    placed: &placed,
                    zone,
                    all_day,
                    start_kind,
                };
                self.overrides(v, &context, &skips, when, length, event_zone, cal)?
            }
            None => Vec::new(),
        };
        let mut ok = self.clashes(&placed, &skips, zone, at.whole.clone());
        if cal.timezones == TimezoneStyle::Utc && !all_day && !zone.is_utc() {
            ok &= self.drifts_in_utc(&placed, &skips, zone, at.whole.clone());
        }
        ok.then_some(Some((
            Repeat {
                rule,
                skips,
                overrides: Vec::new(),
            },
            changes,
        )))
    }

    /// Reads `skip`: each value written like `start` and matching an occurrence.
    fn skips(
        &mut self,
        v: &Value<'_>,
        placed: &Placed,
        zone: Zone,
        all_day: bool,
        start_kind: TimeKind,
    ) -> Option<Vec<NaiveDateTime>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                Diagnostic::error(
                    v.span(),
                    format!("`skip` must be a list, found {}", value_kind(v.get_ref())),
                )
                .with_label("expected a list in [ ]")
                .with_help(
                    "list the occurrences that do not happen, written like `start`: \
                     `skip = [2026-02-17T09:00:00]`",
                ),
            );
            return None;
        };
        let context = Occurrences {
            placed,
            zone,
            all_day,
            start_kind,
        };
        let mut ok = true;
        let mut out: Vec<NaiveDateTime> = Vec::new();
        for item in items.iter() {
            let Some(wall) = self.occurrence(item, &context, "skip") else {
                ok = false;
                continue;
            };
            let shown = show(wall, all_day);
            if out.contains(&wall) {
                self.push(
                    Diagnostic::error(item.span(), format!("{shown} is skipped twice"))
                        .with_label("listed before")
                        .with_help("list each skipped occurrence once"),
                );
                ok = false;
            } else {
                out.push(wall);
            }
        }
        if !ok {
            return None;
        }
        out.sort_unstable();
        Some(out)
    }

    /// Reads one occurrence of the rule, written like `start` (a `skip` or an override's
    /// `occurrence`), as a wall time; an error names the nearest occurrences.
    fn occurrence(
        &mut self,
        item: &Value<'_>,
        context: &Occurrences<'_>,
        key: &str,
    ) -> Option<NaiveDateTime> {
        let all_day = context.all_day;
        let what = if key == "skip" {
            "a `skip`"
        } else {
            "`occurrence`"
        };
        let raw = match item.get_ref() {
            DeValue::Datetime(dt) => {
                let kind = datetime_kind(dt);
                if kind != context.start_kind {
                    self.push(
                        Diagnostic::error(
                            item.span(),
                            format!(
                                "{what} is {} but `start` is {}",
                                kind.phrase(),
                                context.start_kind.phrase()
                            ),
                        )
                        .with_label("written differently from start")
                        .with_help(
                            "write each occurrence the way `start` is written: its original \
                             date, or date and time, as the rule produces it",
                        ),
                    );
                    return None;
                }
                self.convert_datetime(dt, item.span(), key)?
            }
            other => {
                self.push(
                    Diagnostic::error(
                        item.span(),
                        format!(
                            "{what} must be a date or a date-time, found {}",
                            value_kind(other)
                        ),
                    )
                    .with_label("expected a date or date-time, without quotes")
                    .with_help(
                        "write the occurrence the way `start` is written, e.g. \
                         `2026-02-17T09:00:00`",
                    ),
                );
                return None;
            }
        };
        let wall = match raw {
            RawTime::Date(d) => d.and_time(NaiveTime::MIN),
            RawTime::Local(t) => t,
            RawTime::Offset(t) => context.zone.to_local(t.with_timezone(&Utc)),
        };
        let placed = context.placed;
        if placed
            .occurrences
            .binary_search_by(|(t, _)| t.cmp(&wall))
            .is_ok()
        {
            return Some(wall);
        }
        let nearest = zoned::nearest(&placed.occurrences, wall);
        let listed: Vec<String> = nearest.iter().map(|t| named(*t, all_day)).collect();
        let checked = match placed.reach {
            Reach::UntilYear(year) if wall.year() > year => {
                format!(" (occurrences were checked up to {year})")
            }
            _ => String::new(),
        };
        self.push(
            Diagnostic::error(
                item.span(),
                format!(
                    "the `{key}` {} is not an occurrence of the repeat rule",
                    show(wall, all_day)
                ),
            )
            .with_label("no occurrence then")
            .with_help(match listed.len() {
                0 => format!("the rule has no occurrence near it{checked}"),
                1 => format!("the nearest occurrence is {}{checked}", listed[0]),
                _ => format!(
                    "the nearest occurrences are {} and {}{checked}",
                    listed[0], listed[1]
                ),
            }),
        );
        None
    }

    /// Reads the `[[event.override]]`s: each changes one occurrence that is not skipped.
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of the event read so far"
    )]
    fn overrides(
        &mut self,
        v: &Value<'_>,
        context: &Occurrences<'_>,
        skips: &[NaiveDateTime],
        when: &When,
        length: Duration,
        event_zone: Option<Zone>,
        cal: &Defaults,
    ) -> Option<Vec<Changes>> {
        let mut ok = true;
        let mut out: Vec<Changes> = Vec::new();
        for (table, span) in self.array_of_tables(Some(v), "event.override") {
            let f = self.fields(table, span, "[[event.override]]", OVERRIDE_KEYS);
            let Some(at) = self.required(
                &f,
                "occurrence",
                "[[event.override]]",
                "occurrence = 2026-03-03T09:00:00",
            ) else {
                ok = false;
                continue;
            };
            let occurrence = self.occurrence(at, context, "occurrence");
            if let Some(wall) = occurrence {
                let shown = show(wall, context.all_day);
                let problem = if skips.contains(&wall) {
                    Some((
                        format!("{shown} is skipped"),
                        "listed in `skip`",
                        "remove it from `skip`, or remove this override",
                    ))
                } else if out.iter().any(|c| c.occurrence == wall) {
                    Some((
                        format!("{shown} is overridden twice"),
                        "changed before",
                        "change each occurrence in one `[[event.override]]`",
                    ))
                } else {
                    None
                };
                if let Some((message, label, help)) = problem {
                    self.push(
                        Diagnostic::error(at.span(), message)
                            .with_label(label)
                            .with_help(help),
                    );
                    ok = false;
                    continue;
                }
            }
            let moved = match (f.get("start"), occurrence) {
                (Some(_), _) => {
                    // Without `end` or `duration` the occurrence keeps the event's length.
                    let keeps = Defaults {
                        language: cal.language.clone(),
                        timezone: cal.timezone,
                        default_duration: length,
                        today: None,
                        timezones: cal.timezones,
                    };
                    self.when(&f, event_zone, &keeps)
                }
                (None, Some(wall)) => {
                    if let Some(v) = f.get("end").or_else(|| f.get("duration")) {
                        self.push(
                            Diagnostic::error(v.span(), "an override with an end but no `start`")
                                .with_label("give `start` too")
                                .with_help(
                                    "write the occurrence's new `start` as well, even if it does \
                                     not change",
                                ),
                        );
                        None
                    } else {
                        Some(when.occurrence(wall))
                    }
                }
                (None, None) => None,
            };
            let title = match f.get("title") {
                Some(v) => self.text(v, "title", cal).map(Some),
                None => Some(None),
            };
            let mut texts_ok = true;
            let location = self.optional_text(&f, "location", cal, &mut texts_ok);
            let description = self.optional_text(&f, "description", cal, &mut texts_ok);
            let status = match f.get("status") {
                Some(v) => self.string(v, "status").and_then(|s| {
                    let status = Status::from_name(&s);
                    if status.is_none() {
                        self.unknown_status(&s, v.span());
                    }
                    status.map(Some)
                }),
                None => Some(None),
            };
            let url = match f.get("url") {
                Some(v) => self.url(v, "url").map(Some),
                None => Some(None),
            };
            let participants = match f.get("participants") {
                Some(v) => self.text_list(v, "participants", cal).map(Some),
                None => Some(None),
            };
            let updated = match f.get("updated") {
                Some(v) => self.updated(v).map(Some),
                None => Some(None),
            };
            let sequence = match f.get("sequence") {
                Some(v) => self.sequence(v).map(Some),
                None => Some(None),
            };
            let (
                Some(occurrence),
                Some(when),
                Some(title),
                true,
                Some(status),
                Some(url),
                Some(participants),
                Some(updated),
                Some(sequence),
            ) = (
                occurrence,
                moved,
                title,
                texts_ok,
                status,
                url,
                participants,
                updated,
                sequence,
            )
            else {
                ok = false;
                continue;
            };
            out.push(Changes {
                occurrence,
                when,
                title,
                location,
                description,
                status,
                url,
                participants,
                updated,
                sequence,
            });
        }
        if !ok {
            return None;
        }
        out.sort_by_key(|c| c.occurrence);
        Some(out)
    }

    /// Reports the occurrences (other than skipped ones) that calendar apps would place
    /// differently, one error per kind of clash. Returns whether there were none.
    fn clashes(
        &mut self,
        placed: &Placed,
        skips: &[NaiveDateTime],
        zone: Zone,
        span: Range<usize>,
    ) -> bool {
        let kept = |at: &NaiveDateTime| !skips.contains(at);
        let in_gap: Vec<_> = placed
            .clashes
            .iter()
            .filter_map(|c| match *c {
                Clash::InGap { at, from, to } if kept(&at) => Some((at, from, to)),
                _ => None,
            })
            .collect();
        let repeated: Vec<NaiveDateTime> = placed
            .clashes
            .iter()
            .filter_map(|c| match *c {
                Clash::Repeated { at } if kept(&at) => Some(at),
                _ => None,
            })
            .collect();
        let crossing: Vec<(NaiveDateTime, i32)> = placed
            .clashes
            .iter()
            .filter_map(|c| match *c {
                Clash::CrossesChange { at, change } if kept(&at) => Some((at, change)),
                _ => None,
            })
            .collect();
        let checked = reach_note(placed.reach);
        let name = zone.name();
        if let Some(&(_, from, to)) = in_gap.first() {
            let walls: Vec<NaiveDateTime> = in_gap.iter().map(|c| c.0).collect();
            self.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "{} of the repeat rule {} not exist in {name}{checked}",
                        count(walls.len()),
                        if walls.len() == 1 { "does" } else { "do" },
                    ),
                )
                .with_label(format!(
                    "clocks jump from {} to {} on {}",
                    from.format("%H:%M"),
                    to.format("%H:%M"),
                    from.date()
                ))
                .with_help(format!(
                    "calendar apps show an occurrence in a DST gap at different times:\n  {}\n\
                     skip them with {}\n\
                     and add a separate event at a time that exists, or choose a time of day \
                     outside the change",
                    list(&walls),
                    skip_text(&walls),
                )),
            );
        }
        if !repeated.is_empty() {
            self.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "{} of the repeat rule {} twice in {name}{checked}",
                        count(repeated.len()),
                        if repeated.len() == 1 {
                            "happens"
                        } else {
                            "happen"
                        },
                    ),
                )
                .with_label("the clocks go back over this time")
                .with_help(format!(
                    "calendar apps disagree on which of the two times such an occurrence is:\n  \
                     {}\nskip them with {}\n\
                     and add a separate event with an offset, or choose a time of day outside \
                     the change",
                    list(&repeated),
                    skip_text(&repeated),
                )),
            );
        }
        if !crossing.is_empty() {
            let walls: Vec<NaiveDateTime> = crossing.iter().map(|c| c.0).collect();
            self.push(
                Diagnostic::error(
                    span,
                    format!(
                        "{} of the repeat rule {} a change of the clocks in {name}{checked}",
                        count(walls.len()),
                        if walls.len() == 1 { "spans" } else { "span" },
                    ),
                )
                .with_label("the offset changes during an occurrence")
                .with_help(format!(
                    "calendar apps end such an occurrence at different times (some keep its \
                     length, some its end on the clock):\n  {}\nskip them with {}\n\
                     and add separate events, or make the event end before the change",
                    list(&walls),
                    skip_text(&walls),
                )),
            );
        }
        in_gap.is_empty() && repeated.is_empty() && crossing.is_empty()
    }

    /// With `timezones = "utc"` the rule is written on UTC times, which clients repeat on the
    /// UTC clock: refuses a rule whose occurrences do not all have the start's offset.
    fn drifts_in_utc(
        &mut self,
        placed: &Placed,
        skips: &[NaiveDateTime],
        zone: Zone,
        span: Range<usize>,
    ) -> bool {
        let Some(&(_, first)) = placed.occurrences.first() else {
            return true;
        };
        let offset = zone.offset_at(first);
        let moved: Vec<NaiveDateTime> = placed
            .occurrences
            .iter()
            .filter(|(at, utc)| zone.offset_at(*utc) != offset && !skips.contains(at))
            .map(|(at, _)| *at)
            .collect();
        if moved.is_empty() {
            return true;
        }
        self.push(
            Diagnostic::error(
                span,
                format!(
                    "{} of the repeat rule {} another UTC offset than the start in {}",
                    count(moved.len()),
                    if moved.len() == 1 { "has" } else { "have" },
                    zone.name()
                ),
            )
            .with_label("repeats on local time")
            .with_help(format!(
                "with `timezones = \"utc\"` in [calendar] the rule is written in UTC, and \
                 calendar apps would move these by the change of offset:\n  {}\n\
                 remove `timezones = \"utc\"`, or give the event a zone without clock changes",
                list(&moved)
            )),
        );
        false
    }
}

/// The keys of an `[[event.override]]`.
const OVERRIDE_KEYS: &[&str] = &[
    "occurrence",
    "start",
    "end",
    "duration",
    "title",
    "description",
    "location",
    "status",
    "url",
    "participants",
    "updated",
    "sequence",
];

/// The occurrences of a rule, for reading values that must be one of them.
struct Occurrences<'p> {
    placed: &'p Placed,
    /// The zone of the wall times.
    zone: Zone,
    all_day: bool,
    /// How `start` is written; occurrences are written the same way.
    start_kind: TimeKind,
}

/// What an `[[event.override]]` changes.
pub(super) struct Changes {
    occurrence: NaiveDateTime,
    when: When,
    title: Option<Text>,
    location: Option<Text>,
    description: Option<Text>,
    status: Option<Status>,
    url: Option<String>,
    participants: Option<Vec<Text>>,
    updated: Option<DateTime<Utc>>,
    sequence: Option<u32>,
}

/// Gives `event` (which repeats) its overrides: each a copy of it with the changes made.
pub(super) fn apply(event: &mut Event, changes: Vec<Changes>) {
    let master = event.clone();
    let Some(repeat) = &mut event.repeat else {
        return;
    };
    for c in changes {
        let mut changed = master.clone();
        changed.repeat = None;
        changed.when = c.when;
        if let Some(title) = c.title {
            changed.title = title;
        }
        if let Some(location) = c.location {
            changed.location = Some(location);
        }
        if let Some(description) = c.description {
            changed.description = Some(description);
        }
        if let Some(status) = c.status {
            changed.status = status;
        }
        if let Some(url) = c.url {
            changed.url = Some(url);
        }
        if let Some(participants) = c.participants {
            changed.participants = participants;
        }
        if let Some(updated) = c.updated {
            changed.updated = Some(updated);
        }
        if let Some(sequence) = c.sequence {
            changed.sequence = sequence;
        }
        repeat.overrides.push(Override {
            occurrence: c.occurrence,
            event: changed,
        });
    }
}

/// Where a `repeat` string's text lies in the file.
struct RuleText {
    /// Where byte 0 of the rule text is, relative to the section, when the string is written
    /// without escapes (so that bytes of the text are bytes of the file).
    exact: Option<usize>,
    /// The whole value, relative to the section.
    whole: Range<usize>,
}

impl RuleText {
    /// `absolute` is the value's span in `file`, `relative` the same span within its section.
    fn new(file: &str, absolute: Range<usize>, relative: Range<usize>) -> Self {
        let written = file.get(absolute).unwrap_or("");
        let plain = (written.starts_with('"') && !written.starts_with("\"\"\"")
            || written.starts_with('\'') && !written.starts_with("'''"))
            && !written.contains('\\');
        RuleText {
            exact: plain.then_some(relative.start + 1),
            whole: relative,
        }
    }

    fn diagnostic(&self, e: &RuleError) -> Diagnostic {
        match self.exact {
            Some(offset) => e.diagnostic(offset),
            None => {
                let mut d = e.diagnostic(0);
                d.span = self.whole.clone();
                d
            }
        }
    }
}

/// The kind of a TOML date or date-time.
fn datetime_kind(dt: &Datetime) -> TimeKind {
    match (dt.time, dt.offset) {
        (None, _) => TimeKind::Date,
        (Some(_), None) => TimeKind::Local,
        (Some(_), Some(_)) => TimeKind::Offset,
    }
}

/// " (checked up to 2100)" for a rule that goes on, "" for one that ends.
fn reach_note(reach: Reach) -> String {
    match reach {
        Reach::All => String::new(),
        Reach::UntilYear(_) => format!(" (checked up to {LAST_CHECKED_YEAR})"),
        Reach::FirstOnes(n) => format!(" (checked over the first {n} occurrences)"),
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 occurrence".to_owned()
    } else {
        format!("{n} occurrences")
    }
}

fn show(t: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        t.date().to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

/// An occurrence with its weekday: "2026-02-17T09:00:00 (Tuesday)".
fn named(t: NaiveDateTime, all_day: bool) -> String {
    let day = match t.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    };
    format!("{} ({day})", show(t, all_day))
}

/// The first few wall times, then how many more.
fn list(walls: &[NaiveDateTime]) -> String {
    let mut out: Vec<String> = walls.iter().take(LISTED).map(|t| show(*t, false)).collect();
    if walls.len() > LISTED {
        out.push(format!("and {} more", walls.len() - LISTED));
    }
    out.join(", ")
}

/// `skip = [..]` for the listed wall times.
fn skip_text(walls: &[NaiveDateTime]) -> String {
    let mut out: Vec<String> = walls.iter().take(LISTED).map(|t| show(*t, false)).collect();
    if walls.len() > LISTED {
        out.push("...".to_owned());
    }
    format!("`skip = [{}]`", out.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(body: &str) -> Result<Loaded, Vec<Diagnostic>> {
        parse(&format!(
            "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\n\
             title = \"A\"\n{body}"
        ))
    }

    fn errors(body: &str) -> Vec<(String, String)> {
        let text = format!(
            "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\n\
             title = \"A\"\n{body}"
        );
        parse(&text)
            .expect_err("the input is invalid")
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| (text[d.span.clone()].to_owned(), d.message))
            .collect()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn a_rule_and_its_skips_are_read_on_the_wall_clock_of_the_start() {
        let loaded = load(
            "start = 2026-01-06T09:00:00\ntimezone = \"America/New_York\"\n\
             repeat = \"FREQ=WEEKLY;BYDAY=TU;COUNT=30\"\n\
             skip = [2026-03-10T09:00:00, 2026-02-17T09:00:00]\n",
        )
        .unwrap();
        let repeat = loaded.calendar.events[0].repeat.clone().unwrap();
        assert_eq!(repeat.rule.to_ical(None), "FREQ=WEEKLY;COUNT=30;BYDAY=TU");
        assert_eq!(
            repeat.skips,
            [at("2026-02-17T09:00:00"), at("2026-03-10T09:00:00")]
        );
    }

    #[test]
    fn an_all_day_rule_skips_dates() {
        let loaded = load(
            "start = 2026-07-04\nrepeat = \"FREQ=YEARLY;UNTIL=2030-07-04\"\nskip = [2028-07-04]\n",
        )
        .unwrap();
        let repeat = loaded.calendar.events[0].repeat.clone().unwrap();
        assert_eq!(repeat.skips, [at("2028-07-04T00:00:00")]);
    }

    #[test]
    fn a_start_with_an_offset_takes_skips_with_offsets() {
        let loaded = load(
            "start = 2026-01-06T09:00:00+09:00\nrepeat = \"FREQ=DAILY;COUNT=3\"\n\
             skip = [2026-01-07T09:00:00+09:00]\n",
        )
        .unwrap();
        let repeat = loaded.calendar.events[0].repeat.clone().unwrap();
        assert_eq!(repeat.skips, [at("2026-01-07T00:00:00")]);
    }

    #[test]
    fn errors_point_inside_a_plain_string_and_at_a_string_with_escapes() {
        assert_eq!(
            errors("start = 2026-01-06\nrepeat = 'FREQ=WEEKLY;BYDAY=XX'\n"),
            [(
                "XX".to_owned(),
                "`XX` is not a day of the week in `BYDAY`".to_owned()
            )]
        );
        assert_eq!(
            errors("start = 2026-01-06\nrepeat = \"FREQ=WEEKLY;\\u0042YDAY=XX\"\n"),
            [(
                "\"FREQ=WEEKLY;\\u0042YDAY=XX\"".to_owned(),
                "`XX` is not a day of the week in `BYDAY`".to_owned()
            )]
        );
        assert_eq!(
            errors("start = 2026-01-06\nrepeat = \"\"\"FREQ=WEEKLY;BYDAY=XX\"\"\"\n")[0].0,
            "\"\"\"FREQ=WEEKLY;BYDAY=XX\"\"\""
        );
    }

    #[test]
    fn a_skipped_occurrence_may_clash() {
        // The occurrence in the gap is skipped, so nothing is left that apps place differently.
        assert!(
            load(
                "start = 2026-03-01T02:30:00\ntimezone = \"America/New_York\"\n\
                 duration = \"PT30M\"\nrepeat = \"FREQ=WEEKLY;COUNT=3\"\n\
                 skip = [2026-03-08T02:30:00]\n"
            )
            .is_ok()
        );
        let shown = errors(
            "start = 2026-03-01T02:30:00\ntimezone = \"America/New_York\"\n\
             duration = \"PT30M\"\nrepeat = \"FREQ=WEEKLY;COUNT=3\"\n",
        );
        assert_eq!(
            shown[0].1,
            "1 occurrence of the repeat rule does not exist in America/New_York"
        );
    }

    #[test]
    fn open_ended_rules_say_how_far_they_were_checked() {
        let shown = errors(
            "start = 2026-03-01T02:30:00\ntimezone = \"Europe/Berlin\"\nrepeat = \"FREQ=YEARLY\"\n\
             skip = [2101-03-01T02:30:00]\n",
        );
        assert_eq!(shown.len(), 1, "{shown:?}");
        let text = "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\n\
                    title = \"A\"\nstart = 2026-03-01T02:30:00\ntimezone = \"Europe/Berlin\"\n\
                    repeat = \"FREQ=YEARLY\"\nskip = [2101-03-01T02:30:00]\n";
        let d = &parse(text).unwrap_err()[0];
        assert!(
            d.help.as_deref().unwrap().contains("checked up to 2100"),
            "{d:?}"
        );
    }

    #[test]
    fn an_override_repeats_the_fields_it_does_not_change() {
        let loaded = load(
            "start = 2026-01-06T09:00:00\ntimezone = \"America/New_York\"\nduration = \"PT30M\"\n\
             location = \"Room 1\"\nrepeat = \"FREQ=WEEKLY;COUNT=5\"\n\n\
             [[event.override]]\noccurrence = 2026-01-20T09:00:00\nstart = 2026-01-20T11:00:00\n\
             status = \"tentative\"\n\n\
             [[event.override]]\noccurrence = 2026-01-13T09:00:00\ntitle = \"B\"\n",
        )
        .unwrap();
        let event = &loaded.calendar.events[0];
        let overrides = &event.repeat.as_ref().unwrap().overrides;
        assert_eq!(overrides.len(), 2);
        // In order of the occurrences they replace.
        let (first, second) = (&overrides[0], &overrides[1]);
        assert_eq!(first.occurrence, at("2026-01-13T09:00:00"));
        assert_eq!(first.event.title.get("en", "en").text, "B");
        let When::Timed { start, end } = first.event.when else {
            panic!("timed")
        };
        assert_eq!(
            start.utc,
            "2026-01-13T14:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            end.utc,
            "2026-01-13T14:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(second.event.status, Status::Tentative);
        assert_eq!(second.event.title.get("en", "en").text, "A");
        assert_eq!(
            second.event.location.as_ref().unwrap().get("en", "en").text,
            "Room 1"
        );
        let When::Timed { start, end } = second.event.when else {
            panic!("timed")
        };
        // Moved by two hours, with the event's length.
        assert_eq!(
            start.utc,
            "2026-01-20T16:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(
            end.utc,
            "2026-01-20T16:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert!(second.event.repeat.is_none());
    }

    #[test]
    fn an_override_has_its_own_stamp_and_sequence_or_the_events() {
        let loaded = load(
            "start = 2026-01-06T09:00:00\nupdated = 2026-01-01T10:00:00Z\nsequence = 2\n\
             repeat = \"FREQ=WEEKLY;COUNT=5\"\n\n\
             [[event.override]]\noccurrence = 2026-01-13T09:00:00\ntitle = \"B\"\n\n\
             [[event.override]]\noccurrence = 2026-01-20T09:00:00\nstatus = \"cancelled\"\n\
             updated = 2026-01-15T08:30:00+09:00\nsequence = 3\n",
        )
        .unwrap();
        let overrides = &loaded.calendar.events[0].repeat.as_ref().unwrap().overrides;
        let stamp = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(overrides[0].event.updated, stamp("2026-01-01T10:00:00Z"));
        assert_eq!(overrides[0].event.sequence, 2);
        assert_eq!(overrides[1].event.updated, stamp("2026-01-14T23:30:00Z"));
        assert_eq!(overrides[1].event.sequence, 3);
    }

    #[test]
    fn an_overrides_stamp_and_sequence_are_checked_like_the_events() {
        let shown = errors(
            "start = 2026-01-06T09:00:00\nrepeat = \"FREQ=WEEKLY;COUNT=5\"\n\n\
             [[event.override]]\noccurrence = 2026-01-13T09:00:00\n\
             updated = 2026-01-15T08:30:00\nsequence = -1\n",
        );
        assert_eq!(
            shown,
            [
                (
                    "2026-01-15T08:30:00".to_owned(),
                    "`updated` needs an offset".to_owned()
                ),
                ("-1".to_owned(), "`sequence` is out of range".to_owned()),
            ]
        );
    }

    #[test]
    fn a_repeating_plan_is_not_reported_as_passed_after_its_first_occurrence() {
        let text = "[calendar]\nname = \"S\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\n\
                    title = \"A\"\nstart = 2026-01-06\nstatus = \"tentative\"\n\
                    repeat = \"FREQ=WEEKLY;COUNT=30\"\n";
        let today = Some(Today::Date("2026-02-01".parse().unwrap()));
        let loaded = parse_with_options(text, crate::tz::database(), Options { today }).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    #[test]
    fn utc_feeds_take_rules_whose_offset_never_changes() {
        let text = "[calendar]\nname = \"S\"\ndomain = \"example.org\"\ntimezones = \"utc\"\n\n\
                    [[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-01-06T09:00:00\n\
                    timezone = \"Asia/Tokyo\"\nrepeat = \"FREQ=WEEKLY\"\n";
        assert!(parse(text).is_ok());
    }
}
