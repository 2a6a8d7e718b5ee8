//! Reading single values of `events.toml`: strings, texts in several languages, lists, zones,
//! URLs, coordinates, country codes and tags, each reporting a precise problem when it does not
//! fit.

use super::*;

/// `[a-z0-9-]+`, not starting or ending with `-`.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A slug suggestion for `s`.
pub(super) fn slugify(s: &str) -> String {
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
/// The error for a name that must be a slug (ids, feed names, tags), with a suggestion.
pub(super) fn not_a_slug(
    span: Range<usize>,
    given: &str,
    what: &str,
    label: &str,
    note: &str,
) -> Diagnostic {
    Diagnostic::error(span, format!("invalid {what} `{}`", given.escape_debug()))
        .with_label(label)
        .with_help(format!(
            "use lowercase letters, digits and `-`, for example `{}`{note}",
            slugify(given)
        ))
}

pub(super) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What kind of value `value` is, with an article: "a string", "a list", ...
pub(super) fn value_kind(value: &DeValue<'_>) -> &'static str {
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

impl Loader<'_> {
    pub(super) fn marker(
        &mut self,
        value: Option<&Value<'_>>,
        key: &str,
        cal: &Defaults,
        defaults: &[(&str, &str)],
    ) -> Option<Text> {
        match value {
            Some(v) => self.text_allow_empty(v, key, cal),
            None => {
                let mut map: BTreeMap<String, String> = defaults
                    .iter()
                    .map(|(l, t)| ((*l).to_owned(), (*t).to_owned()))
                    .collect();
                if !map.contains_key(&cal.language) {
                    map.insert(cal.language.clone(), defaults[0].1.to_owned());
                }
                Some(Text::Localized(map.into_iter().collect()))
            }
        }
    }

    pub(super) fn duration_setting(
        &mut self,
        value: Option<&Value<'_>>,
        key: &str,
        default: &str,
    ) -> Option<Duration> {
        let Some(v) = value else {
            return Some(Duration::parse(default).expect("built-in default durations parse"));
        };
        self.duration(
            v,
            key,
            "give a length such as \"PT1H\", or remove the key for the default",
        )
    }

    /// A positive RFC 5545 duration; `zero_help` says what to write instead of a zero one.
    pub(super) fn duration(
        &mut self,
        v: &Value<'_>,
        key: &str,
        zero_help: &str,
    ) -> Option<Duration> {
        let s = self.string(v, key)?;
        match Duration::parse(&s) {
            Ok(d) if d.is_zero() => {
                self.push(
                    Diagnostic::error(v.span(), format!("`{key}` must be longer than zero"))
                        .with_label("zero")
                        .with_help(zero_help),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                // The event key is self-explanatory; calendar settings are named.
                let place = if key == "duration" {
                    String::new()
                } else {
                    format!(" in `{key}`")
                };
                self.push(
                    Diagnostic::error(v.span(), format!("invalid duration `{s}`{place}"))
                        .with_label("not a duration")
                        .with_help(e.to_string()),
                );
                None
            }
        }
    }

    pub(super) fn unknown_status(&mut self, given: &str, span: Range<usize>) {
        self.push(
            Diagnostic::error(span, format!("unknown status `{given}`"))
                .with_label("expected confirmed, tentative or cancelled")
                .with_help(match diag::suggest(given, Status::NAMES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => {
                        "a planned or proposed event is `tentative`; one called off is `cancelled`"
                            .to_owned()
                    }
                }),
        );
    }

    pub(super) fn required<'a, 'i>(
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

    pub(super) fn string(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.push(
                    Diagnostic::error(
                        v.span(),
                        format!("`{key}` must be a string, found {}", value_kind(other)),
                    )
                    .with_label("expected a string in quotes")
                    .with_help(format!(
                        "write the value in double quotes: `{key} = \"...\"`"
                    )),
                );
                None
            }
        }
    }

    pub(super) fn string_list<'a, 'i>(
        &mut self,
        v: &'a Value<'i>,
        key: &str,
    ) -> Option<Vec<Spanned<String>>> {
        let DeValue::Array(items) = v.get_ref() else {
            let mut d = Diagnostic::error(
                v.span(),
                format!(
                    "`{key}` must be a list of strings, found {}",
                    value_kind(v.get_ref())
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
                                value_kind(other)
                            ),
                        )
                        .with_label("expected a string in quotes")
                        .with_help(format!(
                            "put every entry in double quotes: `{key} = [\"...\", \"...\"]`"
                        )),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    pub(super) fn clean_text(&mut self, s: &str, span: Range<usize>, key: &str) -> Option<String> {
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

    pub(super) fn optional_text(
        &mut self,
        f: &Fields<'_, '_>,
        key: &str,
        cal: &Defaults,
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
    pub(super) fn text(&mut self, v: &Value<'_>, key: &str, cal: &Defaults) -> Option<Text> {
        self.text_inner(v, key, cal, false)
    }

    pub(super) fn text_allow_empty(
        &mut self,
        v: &Value<'_>,
        key: &str,
        cal: &Defaults,
    ) -> Option<Text> {
        self.text_inner(v, key, cal, true)
    }

    pub(super) fn text_inner(
        &mut self,
        v: &Value<'_>,
        key: &str,
        cal: &Defaults,
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
                                        value_kind(other)
                                    ),
                                )
                                .with_label("expected a string in quotes")
                                .with_help(format!(
                                    "write the text in double quotes: `{} = \"...\"`",
                                    lang.get_ref()
                                )),
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
                            value_kind(other)
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

    pub(super) fn text_list(
        &mut self,
        v: &Value<'_>,
        key: &str,
        cal: &Defaults,
    ) -> Option<Vec<Text>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                Diagnostic::error(
                    v.span(),
                    format!("`{key}` must be a list, found {}", value_kind(v.get_ref())),
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

    pub(super) fn language_tag(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
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

    pub(super) fn timezone(&mut self, v: &Value<'_>) -> Option<Zone> {
        let name = self.string(v, "timezone")?;
        match self.db.zone(&name) {
            Some(zone) => Some(zone),
            None => {
                self.push(
                    Diagnostic::error(v.span(), format!("unknown timezone `{name}`"))
                        .with_label("not an IANA timezone")
                        .with_help(match self.db.suggest(&name) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "use an IANA timezone name such as `Asia/Tokyo`, `America/New_York` or `UTC`".to_owned(),
                        }),
                );
                None
            }
        }
    }

    pub(super) fn domain(&mut self, v: &Value<'_>) -> Option<String> {
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

    pub(super) fn url(&mut self, v: &Value<'_>, key: &str) -> Option<String> {
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

    pub(super) fn geo(&mut self, v: &Value<'_>) -> Option<(f64, f64)> {
        let DeValue::Table(table) = v.get_ref() else {
            self.push(
                Diagnostic::error(
                    v.span(),
                    format!("`geo` must be a table, found {}", value_kind(v.get_ref())),
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

    pub(super) fn coordinate(&mut self, v: &Value<'_>, key: &str, limit: f64) -> Option<f64> {
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
                        format!(
                            "`{key}` must be a number, found {}",
                            value_kind(v.get_ref())
                        ),
                    )
                    .with_label("expected degrees, e.g. 35.68")
                    .with_help(format!("write the number without quotes: `{key} = 35.68`")),
                );
                None
            }
        }
    }

    /// An optional list of codes, each checked by `problem`, without repeats.
    fn checked_list(
        &mut self,
        v: Option<&Value<'_>>,
        key: &str,
        problem: impl Fn(&Spanned<String>) -> Option<Diagnostic>,
    ) -> Option<Vec<String>> {
        let Some(v) = v else {
            return Some(Vec::new());
        };
        let items = self.string_list(v, key)?;
        let mut out: Vec<String> = Vec::new();
        let mut ok = true;
        for item in items {
            if let Some(d) = problem(&item) {
                ok = false;
                self.push(d);
            } else if !out.contains(item.get_ref()) {
                out.push(item.into_inner());
            }
        }
        ok.then_some(out)
    }

    pub(super) fn countries(&mut self, v: Option<&Value<'_>>) -> Option<Vec<String>> {
        self.checked_list(v, "countries", |item| {
            let code = item.get_ref();
            if countries::is_assigned(code) {
                return None;
            }
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
            Some(
                Diagnostic::error(item.span(), format!("unknown country code `{code}`"))
                    .with_label("not an ISO 3166-1 alpha-2 code")
                    .with_help(help),
            )
        })
    }

    pub(super) fn tags(&mut self, v: Option<&Value<'_>>) -> Option<Vec<String>> {
        self.checked_list(v, "tags", |item| {
            let tag = item.get_ref();
            (!is_slug(tag))
                .then(|| not_a_slug(item.span(), tag, "tag", "not a tag calfeed accepts", ""))
        })
    }

    pub(super) fn updated(&mut self, v: &Value<'_>) -> Option<DateTime<Utc>> {
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

    pub(super) fn sequence(&mut self, v: &Value<'_>) -> Option<u32> {
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
                            value_kind(v.get_ref())
                        ),
                    )
                    .with_label("expected e.g. 0")
                    .with_help("write a whole number without quotes: `sequence = 0`"),
                );
                None
            }
        }
    }
}
