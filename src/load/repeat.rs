//! Reading `repeat` (an RFC 5545 recurrence rule) and `skip` (occurrences that do not happen),
//! with the checks that keep every occurrence where calendar apps agree it is.

use chrono::Weekday;

use super::times::TimeKind;
use super::*;
use crate::model::Repeat;
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
        cal: &Defaults,
    ) -> Option<Option<Repeat>> {
        let skip_value = f.get("skip");
        let Some(value) = f.get("repeat") else {
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
        let skips = match skip_value {
            Some(v) => self.skips(v, &placed, zone, all_day, f.get("start"))?,
            None => Vec::new(),
        };
        let mut ok = self.clashes(&placed, &skips, zone, at.whole.clone());
        if cal.timezones == TimezoneStyle::Utc && !all_day && !zone.is_utc() {
            ok &= self.drifts_in_utc(&placed, &skips, zone, at.whole.clone());
        }
        ok.then_some(Some(Repeat { rule, skips }))
    }

    /// Reads `skip`: each value written like `start` and matching an occurrence.
    fn skips(
        &mut self,
        v: &Value<'_>,
        placed: &Placed,
        zone: Zone,
        all_day: bool,
        start_value: Option<&Value<'_>>,
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
        let start_kind = start_value
            .and_then(|s| match s.get_ref() {
                DeValue::Datetime(dt) => Some(datetime_kind(dt)),
                _ => None,
            })
            .unwrap_or(if all_day {
                TimeKind::Date
            } else {
                TimeKind::Local
            });
        let mut ok = true;
        let mut out: Vec<NaiveDateTime> = Vec::new();
        for item in items.iter() {
            let raw = match item.get_ref() {
                DeValue::Datetime(dt) => {
                    let kind = datetime_kind(dt);
                    if kind != start_kind {
                        self.push(
                            Diagnostic::error(
                                item.span(),
                                format!(
                                    "a `skip` is {} but `start` is {}",
                                    kind.phrase(),
                                    start_kind.phrase()
                                ),
                            )
                            .with_label("written differently from start")
                            .with_help(
                                "write each skipped occurrence the way `start` is written: its \
                                 original date, or date and time, as the rule produces it",
                            ),
                        );
                        ok = false;
                        continue;
                    }
                    self.convert_datetime(dt, item.span(), "skip")
                }
                other => {
                    self.push(
                        Diagnostic::error(
                            item.span(),
                            format!(
                                "each `skip` must be a date or a date-time, found {}",
                                value_kind(other)
                            ),
                        )
                        .with_label("expected a date or date-time, without quotes")
                        .with_help(
                            "write each skipped occurrence the way `start` is written, e.g. \
                             `skip = [2026-02-17T09:00:00]`",
                        ),
                    );
                    None
                }
            };
            let Some(raw) = raw else {
                ok = false;
                continue;
            };
            let wall = match raw {
                RawTime::Date(d) => d.and_time(NaiveTime::MIN),
                RawTime::Local(t) => t,
                RawTime::Offset(t) => zone.to_local(t.with_timezone(&Utc)),
            };
            let shown = show(wall, all_day);
            let found = placed
                .occurrences
                .binary_search_by(|(t, _)| t.cmp(&wall))
                .is_ok();
            if !found {
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
                        format!("the `skip` {shown} is not an occurrence of the repeat rule"),
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
                ok = false;
            } else if out.contains(&wall) {
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
    fn utc_feeds_take_rules_whose_offset_never_changes() {
        let text = "[calendar]\nname = \"S\"\ndomain = \"example.org\"\ntimezones = \"utc\"\n\n\
                    [[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2026-01-06T09:00:00\n\
                    timezone = \"Asia/Tokyo\"\nrepeat = \"FREQ=WEEKLY\"\n";
        assert!(parse(text).is_ok());
    }
}
