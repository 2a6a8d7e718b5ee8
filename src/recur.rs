//! Recurrence rules (RFC 5545 §3.3.10 `RRULE`): reading the rule text, expanding it into
//! occurrences and describing it in words.
//!
//! Everything here works on wall-clock times without a zone (`NaiveDateTime`): a weekly 09:00
//! meeting is at 09:00 local time every week, whatever the offset. Turning the occurrences into
//! instants, and refusing the ones that fall in a DST gap or on a repeated hour, is the caller's
//! business.
//!
//! ```
//! use calfeed::recur::Rule;
//! use chrono::NaiveDate;
//! let rule: Rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=3".parse().unwrap();
//! let start = NaiveDate::from_ymd_opt(2026, 1, 6).unwrap().and_hms_opt(9, 0, 0).unwrap();
//! let days: Vec<String> = rule
//!     .occurrences(start)
//!     .map(|t| t.date().to_string())
//!     .collect();
//! assert_eq!(days, ["2026-01-06", "2026-01-13", "2026-01-20"]);
//! assert_eq!(rule.summary(start), "every Tuesday, 3 times");
//! ```

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::ops::Range;
use std::str::FromStr;

use chrono::{
    Datelike, Days, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday,
};

use crate::diag::{self, Diagnostic};
use crate::site::locale::MONTHS;

pub mod zoned;

/// How often a rule repeats (`FREQ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Freq {
    /// Every second.
    Secondly,
    /// Every minute.
    Minutely,
    /// Every hour.
    Hourly,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// Every year.
    Yearly,
}

impl Freq {
    const NAMES: [&'static str; 7] = [
        "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY",
    ];
    const ALL: [Freq; 7] = [
        Freq::Secondly,
        Freq::Minutely,
        Freq::Hourly,
        Freq::Daily,
        Freq::Weekly,
        Freq::Monthly,
        Freq::Yearly,
    ];

    /// The `FREQ` value.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn unit(self) -> &'static str {
        ["second", "minute", "hour", "day", "week", "month", "year"][self as usize]
    }
}

/// A weekday in `BYDAY`, with an optional ordinal (`2MO`, `-1FR`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeekdayNum {
    /// Which one in the month or year: 1 is the first, -1 the last; `None` for every one.
    pub ordinal: Option<i16>,
    /// The day of the week.
    pub weekday: Weekday,
}

/// When a rule stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Never: the rule is open-ended.
    Never,
    /// After this many occurrences (`COUNT`).
    Count(u32),
    /// At this time, inclusive (`UNTIL`).
    Until(Until),
}

/// The `UNTIL` of a rule, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// A date: occurrences on that local day are included.
    Date(NaiveDate),
    /// A local wall time, in the zone of the event.
    Local(NaiveDateTime),
    /// A UTC time (written with `Z`).
    Utc(NaiveDateTime),
}

/// A parsed recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `FREQ`.
    pub freq: Freq,
    /// `INTERVAL` (1 when not given).
    pub interval: u32,
    /// `COUNT` or `UNTIL`.
    pub end: End,
    /// `BYSECOND`.
    pub by_second: Vec<u8>,
    /// `BYMINUTE`.
    pub by_minute: Vec<u8>,
    /// `BYHOUR`.
    pub by_hour: Vec<u8>,
    /// `BYDAY`.
    pub by_day: Vec<WeekdayNum>,
    /// `BYMONTHDAY` (negative counts from the end of the month).
    pub by_month_day: Vec<i16>,
    /// `BYYEARDAY` (negative counts from the end of the year).
    pub by_year_day: Vec<i16>,
    /// `BYWEEKNO` (negative counts from the end of the year).
    pub by_week_no: Vec<i16>,
    /// `BYMONTH`.
    pub by_month: Vec<u8>,
    /// `BYSETPOS`.
    pub by_set_pos: Vec<i16>,
    /// `WKST` (Monday when not given).
    pub week_start: Weekday,
}

/// What is wrong with a rule, and where in its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    /// Byte range of the bad part within the rule text.
    pub span: Range<usize>,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// A short text shown under the bad part.
    pub label: String,
    /// How to fix it.
    pub help: String,
}

impl RuleError {
    fn new(
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        RuleError {
            span,
            message: message.into(),
            label: label.into(),
            help: help.into(),
        }
    }

    /// The error as a diagnostic, with its span moved by `offset` (where the rule text starts in
    /// the file).
    pub fn diagnostic(&self, offset: usize) -> Diagnostic {
        Diagnostic::error(
            self.span.start + offset..self.span.end + offset,
            self.message.clone(),
        )
        .with_label(self.label.clone())
        .with_help(self.help.clone())
    }
}

const KEYS: [&str; 14] = [
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
];

const WEEKDAYS: [(&str, Weekday, &str); 7] = [
    ("MO", Weekday::Mon, "Monday"),
    ("TU", Weekday::Tue, "Tuesday"),
    ("WE", Weekday::Wed, "Wednesday"),
    ("TH", Weekday::Thu, "Thursday"),
    ("FR", Weekday::Fri, "Friday"),
    ("SA", Weekday::Sat, "Saturday"),
    ("SU", Weekday::Sun, "Sunday"),
];

fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAYS[day.num_days_from_monday() as usize].0
}

fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAYS[day.num_days_from_monday() as usize].2
}

/// Where each part of a rule is written in its text: the part's name (`"BYDAY"`) and the byte
/// range of `NAME=VALUE`.
pub type Parts = Vec<(&'static str, Range<usize>)>;

/// Where each part of a rule was written, for errors found after reading all parts.
#[derive(Default)]
struct Spans {
    parts: Parts,
}

impl Spans {
    fn of(&self, key: &str) -> Range<usize> {
        self.parts
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0..0, |(_, s)| s.clone())
    }
}

impl FromStr for Rule {
    type Err = RuleError;

    fn from_str(text: &str) -> Result<Rule, RuleError> {
        Rule::parse(text).map(|(rule, _)| rule)
    }
}

fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let part = &text[range.clone()];
    let start = range.start + (part.len() - part.trim_start().len());
    let end = range.end - (part.len() - part.trim_end().len());
    start..end.max(start)
}

/// Items of a comma-separated list with their spans; an empty item is an error.
fn items(
    text: &str,
    range: Range<usize>,
    key: &str,
) -> Result<Vec<(String, Range<usize>)>, RuleError> {
    let mut out = Vec::new();
    let mut at = range.start;
    for piece in text[range.clone()].split(',') {
        let span = at..at + piece.len();
        at += piece.len() + 1;
        if piece.is_empty() {
            return Err(RuleError::new(
                span.start - usize::from(span.start > range.start)..(span.end + 1).min(range.end),
                format!("an empty value in `{key}`"),
                "nothing between these commas",
                format!("separate the values of `{key}` with single commas, e.g. `{key}=1,15`"),
            ));
        }
        out.push((piece.to_ascii_uppercase(), span));
    }
    Ok(out)
}

fn number_in(
    item: &str,
    span: &Range<usize>,
    key: &str,
    range: (i32, i32),
    signed: bool,
) -> Result<i32, RuleError> {
    let (lo, hi) = range;
    let allowed = if signed {
        format!("from {lo} to {hi} or from -{hi} to -{lo}")
    } else {
        format!("from {lo} to {hi}")
    };
    let digits = item.strip_prefix(['+', '-']).unwrap_or(item);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 6 {
        return Err(RuleError::new(
            span.clone(),
            format!("`{key}` takes whole numbers, found `{item}`"),
            "not a number",
            format!("write numbers {allowed}"),
        ));
    }
    let n: i32 = digits.parse().unwrap_or(i32::MAX);
    let negative = item.starts_with('-');
    if (negative && !signed) || !(lo..=hi).contains(&n) {
        return Err(RuleError::new(
            span.clone(),
            format!("`{key}={item}` is out of range"),
            "out of range",
            format!("`{key}` takes numbers {allowed}"),
        ));
    }
    Ok(if negative { -n } else { n })
}

fn weekday(item: &str, span: &Range<usize>, key: &str) -> Result<Weekday, RuleError> {
    if let Some(&(_, day, _)) = WEEKDAYS.iter().find(|(code, _, _)| *code == item) {
        return Ok(day);
    }
    // English names and their common abbreviations ("TUE", "THURS", "FRIDAY").
    let lower = item.to_ascii_lowercase();
    let by_name = WEEKDAYS
        .iter()
        .find(|(_, _, name)| lower.len() >= 2 && name.to_ascii_lowercase().starts_with(&lower));
    let suggestion = by_name
        .map(|(code, _, _)| *code)
        .or_else(|| diag::suggest(item, WEEKDAYS.iter().map(|(code, _, _)| *code)));
    let help = match suggestion {
        Some(code) => {
            format!("did you mean `{code}`? days are written MO, TU, WE, TH, FR, SA and SU")
        }
        None => "days are written MO, TU, WE, TH, FR, SA and SU".to_owned(),
    };
    Err(RuleError::new(
        span.clone(),
        format!("`{item}` is not a day of the week in `{key}`"),
        "not a day",
        help,
    ))
}

fn date_digits(s: &str) -> Option<NaiveDate> {
    let compact: String = s.chars().filter(|&c| c != '-').collect();
    let dashed = s.contains('-');
    if compact.len() != 8
        || !compact.bytes().all(|b| b.is_ascii_digit())
        || (dashed && (s.len() != 10 || &s[4..5] != "-" || &s[7..8] != "-"))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(
        compact[0..4].parse().ok()?,
        compact[4..6].parse().ok()?,
        compact[6..8].parse().ok()?,
    )
}

fn time_digits(s: &str) -> Option<NaiveTime> {
    let compact: String = s.chars().filter(|&c| c != ':').collect();
    let coloned = s.contains(':');
    if compact.len() != 6
        || !compact.bytes().all(|b| b.is_ascii_digit())
        || (coloned && (s.len() != 8 || &s[2..3] != ":" || &s[5..6] != ":"))
    {
        return None;
    }
    NaiveTime::from_hms_opt(
        compact[0..2].parse().ok()?,
        compact[2..4].parse().ok()?,
        compact[4..6].parse().ok()?,
    )
}

/// Reads an `UNTIL` value: `20260630`, `2026-06-30`, `20260630T235959`, `2026-06-30T23:59:59`,
/// each optionally with `Z`.
fn until(value: &str, span: &Range<usize>) -> Result<Until, RuleError> {
    let parsed = match value.split_once('T') {
        None => date_digits(value).map(Until::Date),
        Some((date, time)) => {
            let (time, utc) = match time.strip_suffix('Z') {
                Some(t) => (t, true),
                None => (time, false),
            };
            date_digits(date).zip(time_digits(time)).map(|(d, t)| {
                if utc {
                    Until::Utc(d.and_time(t))
                } else {
                    Until::Local(d.and_time(t))
                }
            })
        }
    };
    parsed.ok_or_else(|| {
        RuleError::new(
            span.clone(),
            format!("`UNTIL={value}` is not a date or time"),
            "not a date or time",
            "write a date (`UNTIL=2026-06-30`, inclusive), a local time \
             (`UNTIL=2026-06-30T09:00:00`) or a UTC time (`UNTIL=20260630T130000Z`)",
        )
    })
}

impl Rule {
    /// Reads a rule such as `FREQ=WEEKLY;BYDAY=TU;COUNT=30`.
    ///
    /// Names and values may be in any case; a leading `RRULE:` is allowed. The checks that
    /// depend only on the text are made here (see [`RuleError`]); those that depend on the start
    /// are made by [`Rule::check_start`].
    pub fn parse(text: &str) -> Result<(Rule, Parts), RuleError> {
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            end: End::Never,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut spans = Spans::default();
        let whole = 0..text.len();
        let body_start = if text
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("RRULE:"))
        {
            6
        } else {
            0
        };
        if text[body_start..].trim().is_empty() {
            return Err(RuleError::new(
                whole,
                "the repeat rule is empty",
                "empty",
                "write a rule such as `FREQ=WEEKLY;BYDAY=TU;COUNT=30`",
            ));
        }
        let mut at = body_start;
        for part in text[body_start..].split(';') {
            let span = at..at + part.len();
            at += part.len() + 1;
            if part.is_empty() {
                let span = if span.start == text.len() {
                    span.start - 1..span.start
                } else {
                    span.start..span.start + 1
                };
                return Err(RuleError::new(
                    span,
                    "an empty part in the repeat rule",
                    "nothing here",
                    "separate the parts with single semicolons, with none at the end: \
                     `FREQ=WEEKLY;COUNT=3`",
                ));
            }
            if part.trim() != part {
                let inner = trimmed(text, span.clone());
                let space = if part.starts_with(char::is_whitespace) {
                    span.start..inner.start
                } else {
                    inner.end..span.end
                };
                return Err(RuleError::new(
                    space,
                    "spaces in the repeat rule",
                    "space",
                    "write the rule without spaces: `FREQ=WEEKLY;BYDAY=TU,TH`",
                ));
            }
            let Some((key, value)) = part.split_once('=') else {
                return Err(RuleError::new(
                    span,
                    format!("`{part}` has no `=`"),
                    "expected NAME=VALUE",
                    "each part of the rule is NAME=VALUE, e.g. `FREQ=WEEKLY`, separated by `;`",
                ));
            };
            let key_span = span.start..span.start + key.len();
            let value_span = key_span.end + 1..span.end;
            let upper = key.to_ascii_uppercase();
            let Some(&known) = KEYS.iter().find(|k| **k == upper) else {
                let help = match diag::suggest(key, KEYS) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("the parts of a rule are {}", KEYS.join(", ")),
                };
                return Err(RuleError::new(
                    key_span,
                    format!("unknown part `{key}` in the repeat rule"),
                    "unknown",
                    help,
                ));
            };
            if let Some((_, first)) = spans.parts.iter().find(|(k, _)| *k == known) {
                let column = first.start + 1;
                return Err(RuleError::new(
                    key_span,
                    format!("`{known}` is given twice"),
                    "given again",
                    format!(
                        "`{known}` is already given at character {column} of the rule; \
                         list several values with commas, e.g. `BYDAY=MO,TH`"
                    ),
                ));
            }
            spans.parts.push((known, span.clone()));
            if value.is_empty() {
                return Err(RuleError::new(
                    span,
                    format!("`{known}` has no value"),
                    "no value",
                    "write a value after `=`",
                ));
            }
            let list = || items(text, value_span.clone(), known);
            let upper_value = value.to_ascii_uppercase();
            match known {
                "FREQ" => {
                    let Some(i) = Freq::NAMES.iter().position(|n| *n == upper_value) else {
                        let help = match diag::suggest(value, Freq::NAMES) {
                            Some(n) => format!("did you mean `{n}`?"),
                            None => format!("`FREQ` is one of {}", Freq::NAMES.join(", ")),
                        };
                        return Err(RuleError::new(
                            value_span,
                            format!("unknown `FREQ` value `{value}`"),
                            "unknown frequency",
                            help,
                        ));
                    };
                    rule.freq = Freq::ALL[i];
                }
                "INTERVAL" => {
                    rule.interval =
                        number_in(value, &value_span, known, (1, 100_000), false)? as u32;
                }
                "COUNT" => {
                    rule.end = End::Count(
                        number_in(value, &value_span, known, (1, 100_000), false)? as u32,
                    );
                }
                "UNTIL" => rule.end = End::Until(until(&upper_value, &value_span)?),
                "WKST" => rule.week_start = weekday(&upper_value, &value_span, known)?,
                "BYDAY" => {
                    for (item, span) in list()? {
                        let split = item
                            .find(|c: char| c.is_ascii_alphabetic())
                            .unwrap_or(item.len());
                        let (number, day) = item.split_at(split);
                        let day_span = span.start + split..span.end;
                        let ordinal = if number.is_empty() {
                            None
                        } else {
                            Some(number_in(
                                number,
                                &(span.start..span.start + split),
                                "BYDAY",
                                (1, 53),
                                true,
                            )? as i16)
                        };
                        if day.is_empty() {
                            return Err(RuleError::new(
                                span,
                                format!("`{item}` in `BYDAY` names no day"),
                                "no day",
                                "days are written MO, TU, WE, TH, FR, SA and SU, with an \
                                 optional number in front: `2MO` is the second Monday, `-1FR` \
                                 the last Friday",
                            ));
                        }
                        rule.by_day.push(WeekdayNum {
                            ordinal,
                            weekday: weekday(day, &day_span, known)?,
                        });
                    }
                }
                _ => {
                    let (range, signed) = match known {
                        "BYSECOND" => ((0, 60), false),
                        "BYMINUTE" => ((0, 59), false),
                        "BYHOUR" => ((0, 23), false),
                        "BYMONTHDAY" => ((1, 31), true),
                        "BYYEARDAY" => ((1, 366), true),
                        "BYWEEKNO" => ((1, 53), true),
                        "BYMONTH" => ((1, 12), false),
                        _ => ((1, 366), true),
                    };
                    let mut numbers = Vec::new();
                    for (item, span) in list()? {
                        let n = number_in(&item, &span, known, range, signed)?;
                        if signed && n == 0 {
                            unreachable!("0 is outside every signed range");
                        }
                        numbers.push(n);
                    }
                    match known {
                        "BYSECOND" => rule.by_second = numbers.iter().map(|&n| n as u8).collect(),
                        "BYMINUTE" => rule.by_minute = numbers.iter().map(|&n| n as u8).collect(),
                        "BYHOUR" => rule.by_hour = numbers.iter().map(|&n| n as u8).collect(),
                        "BYMONTH" => rule.by_month = numbers.iter().map(|&n| n as u8).collect(),
                        "BYMONTHDAY" => {
                            rule.by_month_day = numbers.iter().map(|&n| n as i16).collect();
                        }
                        "BYYEARDAY" => {
                            rule.by_year_day = numbers.iter().map(|&n| n as i16).collect();
                        }
                        "BYWEEKNO" => {
                            rule.by_week_no = numbers.iter().map(|&n| n as i16).collect();
                        }
                        _ => rule.by_set_pos = numbers.iter().map(|&n| n as i16).collect(),
                    }
                }
            }
        }
        rule.check_parts(&spans, text.len())?;
        Ok((rule, spans.parts))
    }

    /// Checks how the parts fit together (RFC 5545 §3.3.10).
    fn check_parts(&self, spans: &Spans, len: usize) -> Result<(), RuleError> {
        let has = |key: &str| spans.parts.iter().any(|(k, _)| *k == key);
        if !has("FREQ") {
            return Err(RuleError::new(
                0..len,
                "the repeat rule has no `FREQ`",
                "no FREQ",
                "start the rule with how often it repeats, e.g. `FREQ=WEEKLY;...`; FREQ is one \
                 of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY",
            ));
        }
        if has("COUNT") && has("UNTIL") {
            let (count, until) = (spans.of("COUNT"), spans.of("UNTIL"));
            let later = if count.start > until.start {
                count
            } else {
                until
            };
            return Err(RuleError::new(
                later,
                "`COUNT` and `UNTIL` together",
                "only one of COUNT and UNTIL",
                "a rule ends either after a number of times (COUNT) or at a date (UNTIL); \
                 keep one of them",
            ));
        }
        let freq = self.freq.name();
        let refuse = |key: &str, why: &str| {
            Err(RuleError::new(
                spans.of(key),
                format!("`{key}` cannot be used with `FREQ={freq}`"),
                format!("not with FREQ={freq}"),
                why.to_owned(),
            ))
        };
        if has("BYMONTHDAY") && self.freq == Freq::Weekly {
            return refuse(
                "BYMONTHDAY",
                "RFC 5545 does not allow BYMONTHDAY in a weekly rule; use `FREQ=MONTHLY` or \
                 `FREQ=DAILY` with BYMONTHDAY",
            );
        }
        if has("BYYEARDAY") && matches!(self.freq, Freq::Daily | Freq::Weekly | Freq::Monthly) {
            return refuse(
                "BYYEARDAY",
                "RFC 5545 allows BYYEARDAY only with FREQ=YEARLY (or HOURLY and finer); use \
                 `FREQ=YEARLY;BYYEARDAY=...`",
            );
        }
        if has("BYWEEKNO") && self.freq != Freq::Yearly {
            return refuse("BYWEEKNO", "RFC 5545 allows BYWEEKNO only with FREQ=YEARLY");
        }
        if self.by_day.iter().any(|d| d.ordinal.is_some()) {
            if !matches!(self.freq, Freq::Monthly | Freq::Yearly) {
                let at = spans.of("BYDAY");
                let help = if self.freq == Freq::Weekly {
                    "a numbered day such as `1MO` means nothing in a week, and calendar apps \
                     each read it differently; for the first Monday of every month write \
                     `FREQ=MONTHLY;BYDAY=1MO`"
                } else {
                    "numbered days such as `1MO` need `FREQ=MONTHLY` or `FREQ=YEARLY`"
                };
                return Err(RuleError::new(
                    at,
                    format!("a numbered `BYDAY` cannot be used with `FREQ={freq}`"),
                    format!("numbered day with FREQ={freq}"),
                    help,
                ));
            }
            if has("BYWEEKNO") {
                return Err(RuleError::new(
                    spans.of("BYDAY"),
                    "a numbered `BYDAY` cannot be used with `BYWEEKNO`",
                    "numbered day with BYWEEKNO",
                    "RFC 5545 does not allow it; drop the number (`BYDAY=MO`) to mean the \
                     Monday of each listed week",
                ));
            }
        }
        let numbered = self.by_day.iter().filter(|d| d.ordinal.is_some()).count();
        if numbered > 0 && numbered < self.by_day.len() {
            return Err(RuleError::new(
                spans.of("BYDAY"),
                "`BYDAY` mixes numbered and plain days",
                "numbered and plain days together",
                "calendar apps read such a list differently (some take every listed day, \
                 others only the days that fit both); write two events, one with the numbered \
                 days and one with the plain ones",
            ));
        }
        if has("BYSETPOS")
            && spans
                .parts
                .iter()
                .filter(|(k, _)| k.starts_with("BY"))
                .count()
                < 2
        {
            return Err(RuleError::new(
                spans.of("BYSETPOS"),
                "`BYSETPOS` without another `BY...` part",
                "nothing to pick from",
                "BYSETPOS picks among the times the other BY... parts give, e.g. \
                 `FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1` for the last working day",
            ));
        }
        Ok(())
    }

    /// The rule in iCalendar form, with `until` written in place of the `UNTIL` value (the
    /// caller decides between a DATE and a UTC time).
    pub fn to_ical(&self, until: Option<&str>) -> String {
        let mut out = format!("FREQ={}", self.freq.name());
        match (self.end, until) {
            (End::Count(n), _) => {
                let _ = write!(out, ";COUNT={n}");
            }
            (End::Until(_), Some(u)) => {
                let _ = write!(out, ";UNTIL={u}");
            }
            _ => {}
        }
        if self.interval != 1 {
            let _ = write!(out, ";INTERVAL={}", self.interval);
        }
        let list = |out: &mut String, key: &str, values: Vec<String>| {
            if !values.is_empty() {
                let _ = write!(out, ";{key}={}", values.join(","));
            }
        };
        let s = |v: &[u8]| v.iter().map(u8::to_string).collect::<Vec<_>>();
        let i = |v: &[i16]| v.iter().map(i16::to_string).collect::<Vec<_>>();
        list(&mut out, "BYMONTH", s(&self.by_month));
        list(&mut out, "BYWEEKNO", i(&self.by_week_no));
        list(&mut out, "BYYEARDAY", i(&self.by_year_day));
        list(&mut out, "BYMONTHDAY", i(&self.by_month_day));
        list(
            &mut out,
            "BYDAY",
            self.by_day
                .iter()
                .map(|d| {
                    format!(
                        "{}{}",
                        d.ordinal.map_or(String::new(), |n| n.to_string()),
                        weekday_code(d.weekday)
                    )
                })
                .collect(),
        );
        list(&mut out, "BYHOUR", s(&self.by_hour));
        list(&mut out, "BYMINUTE", s(&self.by_minute));
        list(&mut out, "BYSECOND", s(&self.by_second));
        list(&mut out, "BYSETPOS", i(&self.by_set_pos));
        if self.week_start != Weekday::Mon {
            let _ = write!(out, ";WKST={}", weekday_code(self.week_start));
        }
        out
    }

    /// Whether the rule has no `COUNT` and no `UNTIL`.
    pub fn is_open_ended(&self) -> bool {
        self.end == End::Never
    }

    /// The occurrences from `start` on, in order, as wall times.
    ///
    /// Follows RFC 5545: `start` supplies the values of the parts the rule leaves out (the
    /// weekday of a weekly rule, the day of a monthly one, the time of day), and `COUNT` counts
    /// the times the rule produces from `start` on. `start` itself is an occurrence only if the
    /// rule produces it; [`Rule::check_start`] refuses a start that it does not produce. An
    /// `UNTIL` given as a date or local time ends the iteration; a UTC `UNTIL` depends on the
    /// zone, so it is left to the caller. Occurrences stop after the year 9999.
    pub fn occurrences(&self, start: NaiveDateTime) -> Occurrences<'_> {
        Occurrences::new(self, start)
    }

    /// Checks the rule against the event's start: an all-day event (`all_day`) repeats whole
    /// days, with a date as `UNTIL`; the rule must produce `start` as its first occurrence.
    ///
    /// `spans` are the parts' places in the rule text (from [`Rule::parse`]); errors point at
    /// the part concerned, or at the whole text (`0..len`).
    pub fn check_start(
        &self,
        start: NaiveDateTime,
        all_day: bool,
        spans: &[(&'static str, Range<usize>)],
        len: usize,
    ) -> Result<(), RuleError> {
        let spans = Spans {
            parts: spans.to_vec(),
        };
        if all_day {
            if self.freq < Freq::Daily {
                return Err(RuleError::new(
                    spans.of("FREQ"),
                    format!("an all-day event cannot repeat {}", self.freq.name()),
                    "finer than a day",
                    "all-day events repeat by day, week, month or year; give `start` a time of \
                     day to repeat within a day",
                ));
            }
            for key in ["BYHOUR", "BYMINUTE", "BYSECOND"] {
                let at = spans.of(key);
                if !at.is_empty() {
                    return Err(RuleError::new(
                        at,
                        format!("`{key}` on an all-day event"),
                        "all-day events have no time of day",
                        "remove it, or give `start` a time of day",
                    ));
                }
            }
            if let End::Until(Until::Local(_) | Until::Utc(_)) = self.end {
                return Err(RuleError::new(
                    spans.of("UNTIL"),
                    "the `UNTIL` of an all-day event must be a date",
                    "a time, not a date",
                    "write the last day, e.g. `UNTIL=2026-06-30`",
                ));
            }
        }
        if let End::Until(Until::Date(day)) = self.end
            && day < start.date()
        {
            return Err(RuleError::new(
                spans.of("UNTIL"),
                format!("`UNTIL` is before the start ({})", start.date()),
                "before the start",
                "the rule would never happen; give an UNTIL on or after the start",
            ));
        }
        if let End::Until(Until::Local(until)) = self.end
            && until < start
        {
            return Err(RuleError::new(
                spans.of("UNTIL"),
                format!("`UNTIL` is before the start ({start})"),
                "before the start",
                "the rule would never happen; give an UNTIL on or after the start",
            ));
        }
        if self.freq == Freq::Weekly
            && !self.by_set_pos.is_empty()
            && start.weekday() != self.week_start
        {
            let monday = weekday_name(self.week_start);
            return Err(RuleError::new(
                spans.of("BYSETPOS"),
                "`BYSETPOS` in a weekly rule whose start is not on the first day of its week",
                format!("the week starts on {monday}"),
                format!(
                    "calendar apps disagree on which days of the first week BYSETPOS counts; \
                     start the event on a {monday}, or set WKST to the start's weekday \
                     (`WKST={}`) if that gives the same days",
                    weekday_code(start.weekday())
                ),
            ));
        }
        match self.occurrences(start).next() {
            None => Err(RuleError::new(
                0..len,
                "the repeat rule never happens",
                "no occurrence",
                "no date fits every part of the rule (for example `BYMONTH=2;BYMONTHDAY=30`); \
                 check the BY... parts",
            )),
            Some(first) if first != start => {
                let shown = if all_day {
                    format!("{} ({})", first.date(), weekday_name(first.weekday()))
                } else {
                    format!(
                        "{} ({})",
                        first.format("%Y-%m-%dT%H:%M:%S"),
                        weekday_name(first.weekday())
                    )
                };
                Err(RuleError::new(
                    0..len,
                    "the start is not an occurrence of the repeat rule",
                    format!("first occurrence {shown}"),
                    format!(
                        "calendar apps disagree on whether such a start counts as an extra \
                         occurrence; move `start` to the first occurrence, {shown}, or change \
                         the rule so that it includes the start"
                    ),
                ))
            }
            Some(_) => Ok(()),
        }
    }

    /// The rule in words, e.g. "every Tuesday, 30 times"; `start` gives the parts the rule
    /// leaves out (the weekday of a weekly rule, the day of a monthly or yearly one).
    pub fn summary(&self, start: NaiveDateTime) -> String {
        let mut out = String::from("every ");
        let unit = self.freq.unit();
        let no_days = self.by_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_year_day.is_empty()
            && self.by_week_no.is_empty();
        let plain_days = !self.by_day.is_empty()
            && self.by_day.iter().all(|d| d.ordinal.is_none())
            && self.by_month_day.is_empty()
            && self.by_month.is_empty()
            && self.by_set_pos.is_empty();
        let mut said_days = false;
        if self.interval == 1 {
            if self.freq == Freq::Weekly && no_days {
                out.push_str(weekday_name(start.weekday()));
                said_days = true;
            } else if matches!(self.freq, Freq::Weekly | Freq::Daily)
                && plain_days
                && self.by_day.len() == 1
            {
                out.push_str(weekday_name(self.by_day[0].weekday));
                said_days = true;
            } else {
                out.push_str(unit);
            }
        } else {
            let _ = write!(out, "{} {unit}s", self.interval);
            if self.freq == Freq::Weekly && no_days {
                let _ = write!(out, " on {}", weekday_name(start.weekday()));
                said_days = true;
            }
        }
        if !said_days && !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|d| match d.ordinal {
                    None => weekday_name(d.weekday).to_owned(),
                    Some(n) => format!("{} {}", nth(n), weekday_name(d.weekday)),
                })
                .collect();
            let the = if self.by_day.iter().any(|d| d.ordinal.is_some()) {
                "the "
            } else {
                ""
            };
            let _ = write!(out, " on {the}{}", and_list(&days));
            said_days = true;
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self.by_month_day.iter().map(|&n| nth_day(n)).collect();
            let joiner = if said_days {
                " and on the "
            } else {
                " on the "
            };
            let _ = write!(out, "{joiner}{}", and_list(&days));
            said_days = true;
        }
        if !self.by_year_day.is_empty() {
            let days: Vec<String> = self.by_year_day.iter().map(|&n| nth_day(n)).collect();
            let _ = write!(out, " on the {} of the year", and_list(&days));
            said_days = true;
        }
        if !self.by_week_no.is_empty() {
            let weeks: Vec<String> = self.by_week_no.iter().map(|&n| nth(n)).collect();
            let _ = write!(out, " in the {} week", and_list(&weeks));
            said_days = true;
        }
        if !self.by_month.is_empty() {
            let months: Vec<String> = self
                .by_month
                .iter()
                .map(|&m| MONTHS[usize::from(m) - 1].to_owned())
                .collect();
            if no_days && self.freq == Freq::Yearly {
                let _ = write!(out, " on the {}", nth_day(start.day() as i16));
                said_days = true;
            }
            let _ = write!(out, " in {}", and_list(&months));
        }
        if !said_days {
            match self.freq {
                Freq::Monthly => {
                    let _ = write!(out, " on the {}", nth_day(start.day() as i16));
                }
                Freq::Yearly => {
                    let _ = write!(
                        out,
                        " on {} {}",
                        start.day(),
                        MONTHS[start.month0() as usize]
                    );
                }
                _ => {}
            }
        }
        if !self.by_set_pos.is_empty() {
            let picks: Vec<String> = self.by_set_pos.iter().map(|&n| nth(n)).collect();
            let _ = write!(out, ", only the {} of each {unit}", and_list(&picks));
        }
        if !self.by_hour.is_empty() || !self.by_minute.is_empty() {
            let hours: Vec<u32> = if self.by_hour.is_empty() {
                vec![start.hour()]
            } else {
                self.by_hour.iter().map(|&h| u32::from(h)).collect()
            };
            let minutes: Vec<u32> = if self.by_minute.is_empty() {
                vec![start.minute()]
            } else {
                self.by_minute.iter().map(|&m| u32::from(m)).collect()
            };
            if hours.len() * minutes.len() <= 6 && self.freq >= Freq::Daily {
                let times: Vec<String> = hours
                    .iter()
                    .flat_map(|h| minutes.iter().map(move |m| format!("{h:02}:{m:02}")))
                    .collect();
                let _ = write!(out, " at {}", and_list(&times));
            } else {
                if !self.by_hour.is_empty() {
                    let list: Vec<String> = hours.iter().map(|h| format!("{h:02}")).collect();
                    let _ = write!(out, " in hour {}", and_list(&list));
                }
                if !self.by_minute.is_empty() {
                    let list: Vec<String> = minutes.iter().map(|m| format!("{m:02}")).collect();
                    let _ = write!(out, " at minute {}", and_list(&list));
                }
            }
        }
        if !self.by_second.is_empty() {
            let list: Vec<String> = self.by_second.iter().map(u8::to_string).collect();
            let _ = write!(out, " at second {}", and_list(&list));
        }
        match self.end {
            End::Never => {}
            End::Count(1) => out.push_str(", once"),
            End::Count(n) => {
                let _ = write!(out, ", {n} times");
            }
            End::Until(Until::Date(d)) => {
                let _ = write!(out, ", until {}", long_date(d));
            }
            End::Until(Until::Local(t)) => {
                let _ = write!(out, ", until {} {}", long_date(t.date()), t.format("%H:%M"));
            }
            End::Until(Until::Utc(t)) => {
                let _ = write!(
                    out,
                    ", until {} {} UTC",
                    long_date(t.date()),
                    t.format("%H:%M")
                );
            }
        }
        out
    }
}

fn long_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// "first", "2nd", "last", "2nd to last".
fn nth(n: i16) -> String {
    let words = ["first", "second", "third", "fourth", "fifth"];
    match n {
        -1 => "last".to_owned(),
        1..=5 => words[n as usize - 1].to_owned(),
        n if n > 0 => format!("{n}{}", ordinal_suffix(n as u32)),
        n => {
            let m = (-n) as u32;
            format!("{m}{} to last", ordinal_suffix(m))
        }
    }
}

/// "1st day", "last day", "2nd to last day" — for days of a month or year.
fn nth_day(n: i16) -> String {
    match n {
        -1 => "last day".to_owned(),
        n if n > 0 => format!("{n}{}", ordinal_suffix(n as u32)),
        n => {
            let m = (-n) as u32;
            format!("{m}{} to last day", ordinal_suffix(m))
        }
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The last year whose occurrences are produced.
const LAST_YEAR: i32 = 9999;

/// An iterator over the occurrences of a rule (see [`Rule::occurrences`]).
pub struct Occurrences<'r> {
    rule: &'r Rule,
    start: NaiveDateTime,
    /// The BY... values after filling in the defaults taken from the start.
    by_month: Vec<u32>,
    by_month_day: Vec<i16>,
    by_day: Vec<WeekdayNum>,
    hours: Vec<u32>,
    minutes: Vec<u32>,
    seconds: Vec<u32>,
    /// Index of the next period (year, month, week, day, hour, minute or second).
    period: i64,
    pending: VecDeque<NaiveDateTime>,
    produced: u32,
    done: bool,
    /// Periods in a row that held no time at all.
    empty_periods: u32,
}

impl<'r> Occurrences<'r> {
    fn new(rule: &'r Rule, start: NaiveDateTime) -> Self {
        let mut by_month: Vec<u32> = rule.by_month.iter().map(|&m| u32::from(m)).collect();
        let mut by_month_day = rule.by_month_day.clone();
        let mut by_day = rule.by_day.clone();
        // RFC 5545: the parts a rule leaves out come from the start.
        if rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty()
        {
            match rule.freq {
                Freq::Yearly => {
                    if by_month.is_empty() {
                        by_month.push(start.month());
                    }
                    by_month_day.push(start.day() as i16);
                }
                Freq::Monthly => by_month_day.push(start.day() as i16),
                Freq::Weekly => by_day.push(WeekdayNum {
                    ordinal: None,
                    weekday: start.weekday(),
                }),
                _ => {}
            }
        }
        let values = |given: &[u8], default: u32| -> Vec<u32> {
            let mut v: Vec<u32> = if given.is_empty() {
                vec![default]
            } else {
                given.iter().map(|&x| u32::from(x)).collect()
            };
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut occurrences = Occurrences {
            rule,
            start,
            by_month,
            by_month_day,
            by_day,
            hours: values(&rule.by_hour, start.hour()),
            minutes: values(&rule.by_minute, start.minute()),
            seconds: values(&rule.by_second, start.second()),
            period: 0,
            pending: VecDeque::new(),
            produced: 0,
            done: false,
            empty_periods: 0,
        };
        occurrences.done = !occurrences.reachable();
        occurrences
    }

    /// For rules finer than a day: whether the stepping from the start can ever reach a time of
    /// day that BYHOUR, BYMINUTE and BYSECOND allow (`FREQ=HOURLY;INTERVAL=2;BYHOUR=3` from an
    /// even hour never does).
    fn reachable(&self) -> bool {
        let rule = self.rule;
        if !rule.by_set_pos.is_empty() {
            // The most times one period can hold; BYSETPOS beyond it never picks anything.
            let times = self.hours.len() * self.minutes.len() * self.seconds.len();
            let most = match rule.freq {
                Freq::Yearly => 366 * times,
                Freq::Monthly => 31 * times,
                Freq::Weekly => 7 * times,
                Freq::Daily => times,
                Freq::Hourly => self.minutes.len() * self.seconds.len(),
                Freq::Minutely => self.seconds.len(),
                Freq::Secondly => 1,
            };
            if !rule
                .by_set_pos
                .iter()
                .any(|&p| usize::from(p.unsigned_abs()) <= most)
            {
                return false;
            }
        }
        let (unit, by_hour, by_minute, by_second) = match rule.freq {
            Freq::Hourly => (3600, true, false, false),
            Freq::Minutely => (60, true, true, false),
            Freq::Secondly => (1, true, true, true),
            _ => return true,
        };
        let step = gcd(i64::from(rule.interval) * unit, 86_400);
        let origin = i64::from(self.start.num_seconds_from_midnight()) / unit * unit;
        let all: Vec<u32> = (0..60).collect();
        let hours = if by_hour {
            &self.hours_filter()
        } else {
            &vec![self.start.hour()]
        };
        let minutes = if by_minute {
            if rule.by_minute.is_empty() {
                &all
            } else {
                &self.minutes
            }
        } else {
            &vec![self.start.minute()]
        };
        let seconds = if by_second {
            if rule.by_second.is_empty() {
                &all
            } else {
                &self.seconds
            }
        } else {
            &vec![self.start.second()]
        };
        hours.iter().any(|&h| {
            minutes.iter().any(|&m| {
                seconds.iter().any(|&s| {
                    let t = i64::from(h * 3600 + m * 60 + s) / unit * unit;
                    (t - origin).rem_euclid(step) == 0
                })
            })
        })
    }

    fn hours_filter(&self) -> Vec<u32> {
        if self.rule.by_hour.is_empty() {
            (0..24).collect()
        } else {
            self.hours.clone()
        }
    }

    /// Whether `day` passes the day-level parts. `range` is the month or year that numbered
    /// weekdays count in.
    fn day_matches(&self, day: NaiveDate) -> bool {
        let rule = self.rule;
        if !self.by_month.is_empty() && !self.by_month.contains(&day.month()) {
            return false;
        }
        if !rule.by_week_no.is_empty() && !week_no_matches(day, &rule.by_week_no, rule.week_start) {
            return false;
        }
        if !rule.by_year_day.is_empty() {
            let len = year_length(day.year()) as i16;
            let n = day.ordinal() as i16;
            if !rule.by_year_day.iter().any(|&d| d == n || d == n - len - 1) {
                return false;
            }
        }
        if !self.by_month_day.is_empty() {
            let len = month_length(day.year(), day.month()) as i16;
            let n = day.day() as i16;
            if !self
                .by_month_day
                .iter()
                .any(|&d| d == n || d == n - len - 1)
            {
                return false;
            }
        }
        if !self.by_day.is_empty() {
            let by_month_range = rule.freq == Freq::Monthly
                || (rule.freq == Freq::Yearly && !rule.by_month.is_empty());
            let matched = self.by_day.iter().any(|d| {
                if d.weekday != day.weekday() {
                    return false;
                }
                let Some(n) = d.ordinal else { return true };
                let (first, last) = if by_month_range {
                    let first = day.with_day(1).unwrap_or(day);
                    (
                        first,
                        first + Days::new(u64::from(month_length(day.year(), day.month())) - 1),
                    )
                } else {
                    let first = day.with_ordinal(1).unwrap_or(day);
                    (
                        first,
                        first + Days::new(u64::from(year_length(day.year())) - 1),
                    )
                };
                if n > 0 {
                    (day - first).num_days() / 7 + 1 == i64::from(n)
                } else {
                    (last - day).num_days() / 7 + 1 == i64::from(-n)
                }
            });
            if !matched {
                return false;
            }
        }
        true
    }

    /// The candidate days of period `k` for rules of a day or longer, or `None` past the end.
    fn period_days(&self, k: i64) -> Option<Vec<NaiveDate>> {
        let start = self.start.date();
        let step = k.checked_mul(i64::from(self.rule.interval))?;
        let (first, count) = match self.rule.freq {
            Freq::Yearly => {
                let year = i64::from(start.year()) + step;
                if year > i64::from(LAST_YEAR) {
                    return None;
                }
                let first = NaiveDate::from_ymd_opt(year as i32, 1, 1)?;
                (first, year_length(year as i32))
            }
            Freq::Monthly => {
                let month = i64::from(start.year()) * 12 + i64::from(start.month0()) + step;
                let year = month.div_euclid(12);
                if year > i64::from(LAST_YEAR) {
                    return None;
                }
                let m = month.rem_euclid(12) as u32 + 1;
                let first = NaiveDate::from_ymd_opt(year as i32, m, 1)?;
                (first, month_length(year as i32, m))
            }
            Freq::Weekly => {
                let back = (7 + start.weekday().num_days_from_monday()
                    - self.rule.week_start.num_days_from_monday())
                    % 7;
                let first = start
                    .checked_sub_days(Days::new(u64::from(back)))?
                    .checked_add_days(Days::new(u64::try_from(step.checked_mul(7)?).ok()?))?;
                (first, 7)
            }
            _ => (
                start.checked_add_days(Days::new(u64::try_from(step).ok()?))?,
                1,
            ),
        };
        if first.year() > LAST_YEAR {
            return None;
        }
        Some(
            (0..count)
                .filter_map(|i| first.checked_add_days(Days::new(u64::from(i))))
                .filter(|&d| self.day_matches(d))
                .collect(),
        )
    }

    /// Fills `pending` with the occurrences of the next period that has any, or sets `done`.
    fn refill(&mut self) {
        while self.pending.is_empty() && !self.done {
            let mut set = if self.rule.freq >= Freq::Daily {
                let Some(days) = self.period_days(self.period) else {
                    self.done = true;
                    return;
                };
                self.period += 1;
                let mut set = Vec::new();
                for day in days {
                    for &h in &self.hours {
                        for &m in &self.minutes {
                            for &s in &self.seconds {
                                if let Some(t) = NaiveTime::from_hms_opt(h, m, s) {
                                    set.push(day.and_time(t));
                                }
                            }
                        }
                    }
                }
                set
            } else {
                match self.sub_daily_period() {
                    Some(set) => set,
                    None => {
                        self.done = true;
                        return;
                    }
                }
            };
            set.sort_unstable();
            set.dedup();
            if !self.rule.by_set_pos.is_empty() {
                let len = set.len() as i64;
                let mut picked: Vec<NaiveDateTime> = self
                    .rule
                    .by_set_pos
                    .iter()
                    .filter_map(|&p| {
                        let i = if p > 0 {
                            i64::from(p) - 1
                        } else {
                            len + i64::from(p)
                        };
                        usize::try_from(i).ok().and_then(|i| set.get(i)).copied()
                    })
                    .collect();
                picked.sort_unstable();
                picked.dedup();
                set = picked;
            }
            // The Gregorian calendar repeats every 400 years (146097 days, 20871 weeks): a rule
            // that has produced nothing for that many periods never will.
            if set.is_empty() {
                self.empty_periods += 1;
                let cycle = match self.rule.freq {
                    Freq::Yearly => 400,
                    Freq::Monthly => 4800,
                    Freq::Weekly => 20_871,
                    Freq::Daily => 146_097,
                    _ => u32::MAX,
                };
                if self.empty_periods > cycle {
                    self.done = true;
                }
            } else {
                self.empty_periods = 0;
            }
            for t in set {
                if t < self.start {
                    continue;
                }
                let past = match self.rule.end {
                    End::Until(Until::Date(d)) => t.date() > d,
                    End::Until(Until::Local(u)) => t > u,
                    _ => false,
                };
                if past {
                    self.done = true;
                    break;
                }
                self.pending.push_back(t);
            }
        }
    }

    /// The occurrences of the next period of an hourly, minutely or secondly rule that passes
    /// the limits, skipping whole days (and hours, minutes) that cannot match.
    fn sub_daily_period(&mut self) -> Option<Vec<NaiveDateTime>> {
        let unit = match self.rule.freq {
            Freq::Hourly => 3600,
            Freq::Minutely => 60,
            _ => 1,
        };
        let step = i64::from(self.rule.interval) * unit;
        let origin = self.start.date().and_time(NaiveTime::MIN)
            + Duration::seconds(i64::from(self.start.num_seconds_from_midnight()) / unit * unit);
        // The first period at or after `t`.
        let next_at = |t: NaiveDateTime| -> i64 {
            let since = (t - origin).num_seconds();
            (since + step - 1).div_euclid(step)
        };
        loop {
            let at =
                origin.checked_add_signed(Duration::seconds(self.period.checked_mul(step)?))?;
            if at.year() > LAST_YEAR {
                return None;
            }
            if !self.day_matches(at.date()) {
                let next_day = at.date().succ_opt()?.and_time(NaiveTime::MIN);
                self.period = next_at(next_day).max(self.period + 1);
                continue;
            }
            if !self.rule.by_hour.is_empty() && !self.hours.contains(&at.hour()) {
                let next_hour = at.with_minute(0)?.with_second(0)? + Duration::hours(1);
                self.period = next_at(next_hour).max(self.period + 1);
                continue;
            }
            if self.rule.freq <= Freq::Minutely
                && !self.rule.by_minute.is_empty()
                && !self.minutes.contains(&at.minute())
            {
                let next_minute = at.with_second(0)? + Duration::minutes(1);
                self.period = next_at(next_minute).max(self.period + 1);
                continue;
            }
            self.period += 1;
            if self.rule.freq == Freq::Secondly {
                if !self.rule.by_second.is_empty() && !self.seconds.contains(&at.second()) {
                    continue;
                }
                return Some(vec![at]);
            }
            let minutes = if self.rule.freq == Freq::Hourly {
                self.minutes.clone()
            } else {
                vec![at.minute()]
            };
            let mut set = Vec::new();
            for &m in &minutes {
                for &s in &self.seconds {
                    if let Some(t) = NaiveTime::from_hms_opt(at.hour(), m, s) {
                        set.push(at.date().and_time(t));
                    }
                }
            }
            return Some(set);
        }
    }
}

impl Iterator for Occurrences<'_> {
    type Item = NaiveDateTime;

    fn next(&mut self) -> Option<NaiveDateTime> {
        if let End::Count(n) = self.rule.end
            && self.produced >= n
        {
            return None;
        }
        self.refill();
        let t = self.pending.pop_front()?;
        self.produced += 1;
        Some(t)
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

fn year_length(year: i32) -> u32 {
    if is_leap(year) { 366 } else { 365 }
}

fn month_length(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = first.and_then(|f| f.checked_add_months(Months::new(1)));
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 31,
    }
}

/// Week 1 of `year` (weeks starting on `week_start`): the first week with at least four days in
/// the year. Returns the first day of week 1.
fn week_one(year: i32, week_start: Weekday) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let back = (7 + jan1.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
    let week_of_jan1 = jan1 - Days::new(u64::from(back));
    if back >= 4 {
        week_of_jan1 + Days::new(7)
    } else {
        week_of_jan1
    }
}

/// Whether `day` is in one of the numbered weeks (RFC 5545 `BYWEEKNO`, weeks starting on
/// `week_start`). A day in the first days of January may belong to the last week of the year
/// before, and one at the end of December to week 1 of the next year.
fn week_no_matches(day: NaiveDate, weeks: &[i16], week_start: Weekday) -> bool {
    let year = day.year();
    let (owner, first) = {
        let this = week_one(year, week_start);
        let next = week_one(year + 1, week_start);
        if day >= next {
            (year + 1, next)
        } else if day < this {
            (year - 1, week_one(year - 1, week_start))
        } else {
            (year, this)
        }
    };
    let number = (day - first).num_days() / 7 + 1;
    let total = (week_one(owner + 1, week_start) - first).num_days() / 7;
    weeks.iter().any(|&w| {
        let w = i64::from(w);
        if w > 0 {
            w == number
        } else {
            total + 1 + w == number
        }
    })
}

#[cfg(test)]
mod tests;
