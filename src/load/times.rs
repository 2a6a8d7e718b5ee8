//! Reading `start`, `end` and `duration`: TOML dates and date-times placed on the time line of
//! the event's zone, with the checks that keep every instant unambiguous (no wall time in a DST
//! gap, a repeated wall time only with an offset, ends after starts).

use super::*;

/// What kind of value a `start` or `end` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeKind {
    Date,
    Local,
    Offset,
}

impl TimeKind {
    /// The kind with an article, as in "`end` is a date".
    pub(super) fn phrase(self) -> &'static str {
        match self {
            TimeKind::Date => "a date",
            TimeKind::Local => "a local date-time",
            TimeKind::Offset => "a date-time with an offset",
        }
    }
}

/// A `start` or `end` as read, before it is placed in a zone.
#[derive(Debug, Clone, Copy)]
pub(super) enum RawTime {
    Date(NaiveDate),
    Local(NaiveDateTime),
    Offset(DateTime<chrono::FixedOffset>),
}

impl RawTime {
    pub(super) fn kind(&self) -> TimeKind {
        match self {
            RawTime::Date(_) => TimeKind::Date,
            RawTime::Local(_) => TimeKind::Local,
            RawTime::Offset(_) => TimeKind::Offset,
        }
    }
}

/// Events must lie strictly between these years (time zones before 1900 were local mean time;
/// iCalendar years have four digits).
pub(super) const SUPPORTED_YEARS: (i32, i32) = (1900, 9999);

/// Adds `duration` to `start`: days as nominal days in `zone`, then seconds as elapsed time.
pub(super) fn add_duration(start: Moment, duration: Duration, zone: Zone) -> Moment {
    let shown = start.zone.unwrap_or(zone);
    let after_days = if duration.days == 0 {
        start.utc
    } else {
        let wall = shown.to_local(start.utc) + ChronoDuration::days(duration.days);
        shown.resolve_rfc(wall)
    };
    let utc = after_days + ChronoDuration::seconds(duration.seconds);
    // A wall time that occurs twice is written in UTC, like the start it came from.
    let zone = if start.zone.is_none() || shown.is_repeated(utc) {
        None
    } else {
        written_zone(shown)
    };
    Moment { utc, zone }
}

/// The zone to write a wall time in, or `None` for UTC zones (written as `...Z`).
pub(super) fn written_zone(zone: Zone) -> Option<Zone> {
    (!zone.is_utc()).then_some(zone)
}

/// An offset as written in TOML and RFC 3339: `+09:00`, `-04:00`, `-00:44:30`.
pub(super) fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let a = seconds.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

/// A start or end that the copy of the tz database not chosen places at another instant.
#[derive(Debug, Clone)]
pub(super) struct Disagreement {
    /// The `start` or `end` value, in the file.
    span: Range<usize>,
    /// The line it is on.
    line: usize,
    /// The wall time and zone, as written in the feed.
    local: NaiveDateTime,
    zone: &'static str,
    /// The offset in the chosen and in the other database (`None`: not a valid time there).
    chosen: i32,
    other: Option<i32>,
}

impl Loader<'_> {
    /// Reads `start`, `end` and `duration` into a [`When`].
    pub(super) fn when(
        &mut self,
        f: &Fields<'_, '_>,
        event_zone: Option<Zone>,
        cal: &Defaults,
    ) -> Option<When> {
        let start_value = self.required(f, "start", "[[event]]", "start = 2025-10-28T10:00:00")?;
        let start = self.raw_time(start_value, "start");
        let end_value = f.get("end");
        let end = end_value.map(|v| (self.raw_time(v, "end"), v));
        let duration_value = f.get("duration");
        let duration = duration_value.map(|v| {
            let d = self.duration(
                v,
                "duration",
                "give the event a length, or leave `duration` out to use `default_duration` \
                 from [calendar] (1 hour unless set)",
            );
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
                self.compare_databases(start_moment, start_value.span());
                let end_span = end_value.map_or_else(|| start_value.span(), |v| v.span());
                self.compare_databases(end_moment, end_span);
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

    /// Notes a zoned time that the copy of the tz database not chosen places elsewhere.
    fn compare_databases(&mut self, moment: Moment, span: Range<usize>) {
        let (Some(zone), Some(other)) = (moment.zone, self.db.other()) else {
            return;
        };
        let Some(other_zone) = other.zone(zone.name()) else {
            return;
        };
        let local = zone.to_local(moment.utc);
        let chosen = zone.offset_at(moment.utc);
        let other_offset = match other_zone.resolve(local) {
            WallTime::Single(utc) => Some(chosen + (moment.utc - utc).num_seconds() as i32),
            _ => None,
        };
        if other_offset != Some(chosen) {
            let span = self.absolute(span);
            let line = self.line_of(span.start);
            self.disagreements.push(Disagreement {
                span,
                line,
                local,
                zone: zone.name(),
                chosen,
                other: other_offset,
            });
        }
    }

    /// One warning listing every time on which the two copies of the tz database disagree.
    pub(super) fn warn_disagreements(&mut self) {
        let (Some(first), Some(other)) = (self.disagreements.first(), self.db.other()) else {
            return;
        };
        let chosen_name = self.db.describe();
        let other_name = other.describe();
        let mut list = String::new();
        for d in &self.disagreements {
            let other = d
                .other
                .map_or_else(|| "not a valid time".to_owned(), offset_text);
            list.push_str(&format!(
                "\n  line {}: {} {}: {} with {}, {} with {}",
                d.line,
                d.local.format("%Y-%m-%dT%H:%M:%S"),
                d.zone,
                offset_text(d.chosen),
                self.db.release_or_unknown(),
                other,
                self.db
                    .other()
                    .map_or("the other", |o| o.release_or_unknown()),
            ));
        }
        let count = self.disagreements.len();
        let diagnostic = Diagnostic::warning(
            first.span.clone(),
            format!(
                "the time zone data in use ({chosen_name}) and the other copy ({other_name}) \
                 disagree about {count} {}",
                if count == 1 { "time" } else { "times" }
            ),
        )
        .with_label("placed differently by the other release")
        .with_help(format!(
            "calfeed uses the newer release; clients with the older one may show these at \
             other times:{list}\nchoose the data explicitly with --tzdata bundled|system|DIR"
        ));
        // Spans here are already absolute; push without the section offset.
        self.diagnostics.push(diagnostic);
    }

    /// Refuses events outside the years iCalendar and the tz data can express well.
    pub(super) fn supported(&mut self, when: When, start_value: &Value<'_>) -> Option<When> {
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

    pub(super) fn kind_mismatch(&mut self, end_v: &Value<'_>, start: TimeKind, end: TimeKind) {
        self.push(
            Diagnostic::error(
                end_v.span(),
                format!("`end` is {} but `start` is {}", end.phrase(), start.phrase()),
            )
            .with_label("different kind from start")
            .with_help("write `start` and `end` the same way: both dates (all-day), both local date-times, or both with an offset"),
        );
    }

    /// Reads a TOML date or date-time.
    pub(super) fn raw_time(&mut self, v: &Value<'_>, key: &str) -> Option<RawTime> {
        let dt = match v.get_ref() {
            DeValue::Datetime(dt) => *dt,
            other => {
                let mut d = Diagnostic::error(
                    v.span(),
                    format!(
                        "`{key}` must be a date or a date-time, found {}",
                        value_kind(other)
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

    pub(super) fn convert_datetime(
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
                self.push(
                    Diagnostic::error(span, format!("`{key}` has an offset but no time"))
                        .with_help(
                            "a date without a time has no offset; remove it for an all-day event",
                        ),
                );
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
    pub(super) fn moment(
        &mut self,
        raw: RawTime,
        v: &Value<'_>,
        zone: Zone,
        zone_given: bool,
    ) -> Option<Moment> {
        match raw {
            RawTime::Date(_) => None,
            RawTime::Local(local) => match zone.resolve(local) {
                WallTime::Single(utc) => Some(Moment {
                    utc,
                    zone: written_zone(zone),
                }),
                WallTime::Skipped { from, to, .. } => {
                    self.push(
                        Diagnostic::error(
                            v.span(),
                            format!(
                                "{} does not exist in {}",
                                local.format("%Y-%m-%dT%H:%M:%S"),
                                zone.name()
                            ),
                        )
                        .with_label("skipped when the clocks go forward")
                        .with_help(format!(
                            "on {} the clocks jump from {} to {}; choose a time outside that gap",
                            local.date(),
                            from.format("%H:%M"),
                            to.format("%H:%M"),
                        )),
                    );
                    None
                }
                WallTime::Repeated { first, second } => {
                    let local_text = local.format("%Y-%m-%dT%H:%M:%S");
                    let abbreviation = |state: tz::State, fallback: &'static str| {
                        let name = state.name.as_str().to_owned();
                        if name.is_empty() {
                            fallback.to_owned()
                        } else {
                            name
                        }
                    };
                    self.push(
                        Diagnostic::error(
                            v.span(),
                            format!("{local_text} happens twice in {}", zone.name()),
                        )
                        .with_label("the clocks go back over this time")
                        .with_help(format!(
                            "add the offset to say which one you mean:\n\
                             {local_text}{} for the first ({}), or\n\
                             {local_text}{} for the second ({})",
                            offset_text(first.1.offset),
                            abbreviation(first.1, "earlier"),
                            offset_text(second.1.offset),
                            abbreviation(second.1, "later"),
                        )),
                    );
                    None
                }
            },
            RawTime::Offset(t) => {
                let utc = t.with_timezone(&Utc);
                if !zone_given {
                    return Some(Moment { utc, zone: None });
                }
                let actual_seconds = zone.offset_at(utc);
                if actual_seconds != t.offset().local_minus_utc() {
                    let actual = offset_text(actual_seconds);
                    let wall = zone.to_local(utc);
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
                    zone: if zone.is_repeated(utc) {
                        None
                    } else {
                        written_zone(zone)
                    },
                })
            }
        }
    }
}
