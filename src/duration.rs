//! Durations as written in `events.toml` (`"PT25M"`, `"P3D"`, `"P1DT2H"`), RFC 5545 §3.3.6.
//!
//! RFC 5545 separates *nominal* days and weeks (a day is "the same wall time tomorrow", 23 or 25
//! hours across a DST change) from *exact* hours, minutes and seconds. [`Duration`] keeps the two
//! apart so that an event's end can be computed the way the RFC means it.

use std::fmt;

/// A non-negative RFC 5545 duration: nominal days plus exact seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Nominal days (weeks count as seven days).
    pub days: i64,
    /// Exact seconds (hours, minutes and seconds).
    pub seconds: i64,
}

/// Why a duration was refused; the message is shown after "invalid duration `...`: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Does not follow the `P…` form.
    #[error("a duration looks like `PT25M`, `PT1H30M`, `P3D` or `P1W`")]
    Syntax,
    /// Years or months have no fixed length in iCalendar.
    #[error("years and months are not allowed in iCalendar durations; use days (`P30D`) or weeks")]
    YearsOrMonths,
    /// Negative durations make no sense for an event or a refresh interval.
    #[error("a duration cannot be negative")]
    Negative,
    /// Fractions are not allowed by RFC 5545.
    #[error("fractions are not allowed; use a smaller unit (`PT90M` instead of `PT1.5H`)")]
    Fraction,
    /// Too large to be meant.
    #[error("the duration is too long")]
    TooLong,
}

impl Duration {
    /// Parses an RFC 5545 / ISO 8601 duration such as `PT25M`, `P1DT2H` or `P2W`.
    ///
    /// ```
    /// use calfeed::duration::Duration;
    /// assert_eq!(Duration::parse("PT25M").unwrap(), Duration { days: 0, seconds: 1500 });
    /// assert_eq!(Duration::parse("P1W").unwrap().days, 7);
    /// assert!(Duration::parse("P1M").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Duration, DurationError> {
        let s = input.trim();
        let s = s.strip_prefix('+').unwrap_or(s);
        if s.starts_with('-') {
            return Err(DurationError::Negative);
        }
        let upper = s.to_ascii_uppercase();
        let rest = upper.strip_prefix('P').ok_or(DurationError::Syntax)?;
        if rest.is_empty() {
            return Err(DurationError::Syntax);
        }
        let (date_part, time_part) = match rest.split_once('T') {
            Some((_, "")) => return Err(DurationError::Syntax),
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        let mut days: i64 = 0;
        let mut seconds: i64 = 0;
        let mut order = 0;
        for (number, unit) in components(date_part)? {
            let (rank, factor) = match unit {
                'Y' => return Err(DurationError::YearsOrMonths),
                'M' => return Err(DurationError::YearsOrMonths),
                'W' => (1, 7),
                'D' => (2, 1),
                _ => return Err(DurationError::Syntax),
            };
            if rank <= order {
                return Err(DurationError::Syntax);
            }
            order = rank;
            days = number
                .checked_mul(factor)
                .and_then(|n| days.checked_add(n))
                .ok_or(DurationError::TooLong)?;
        }
        if let Some(time_part) = time_part {
            let mut order = 0;
            for (number, unit) in components(time_part)? {
                let (rank, factor) = match unit {
                    'H' => (1, 3600),
                    'M' => (2, 60),
                    'S' => (3, 1),
                    _ => return Err(DurationError::Syntax),
                };
                if rank <= order {
                    return Err(DurationError::Syntax);
                }
                order = rank;
                seconds = number
                    .checked_mul(factor)
                    .and_then(|n| seconds.checked_add(n))
                    .ok_or(DurationError::TooLong)?;
            }
        }
        // Ten thousand years is far beyond any calendar entry and keeps arithmetic safe.
        if days > 3_660_000 || seconds > 3_660_000 * 86_400 {
            return Err(DurationError::TooLong);
        }
        Ok(Duration { days, seconds })
    }

    /// Whether the duration is zero.
    pub fn is_zero(&self) -> bool {
        self.days == 0 && self.seconds == 0
    }
}

/// Splits `12W3D` into `[(12, 'W'), (3, 'D')]`.
fn components(part: &str) -> Result<Vec<(i64, char)>, DurationError> {
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in part.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '.' || c == ',' {
            return Err(DurationError::Fraction);
        } else if c.is_ascii_alphabetic() {
            if digits.is_empty() {
                return Err(DurationError::Syntax);
            }
            let number = digits.parse().map_err(|_| DurationError::TooLong)?;
            out.push((number, c));
            digits.clear();
        } else {
            return Err(DurationError::Syntax);
        }
    }
    if !digits.is_empty() {
        return Err(DurationError::Syntax);
    }
    Ok(out)
}

impl fmt::Display for Duration {
    /// Writes the RFC 5545 form: `P2W`, `P1DT2H`, `PT25M`, `PT0S`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("PT0S");
        }
        f.write_str("P")?;
        if self.seconds == 0 && self.days % 7 == 0 {
            return write!(f, "{}W", self.days / 7);
        }
        if self.days > 0 {
            write!(f, "{}D", self.days)?;
        }
        if self.seconds > 0 {
            f.write_str("T")?;
            let (h, m, s) = (
                self.seconds / 3600,
                self.seconds / 60 % 60,
                self.seconds % 60,
            );
            if h > 0 {
                write!(f, "{h}H")?;
            }
            if m > 0 {
                write!(f, "{m}M")?;
            }
            if s > 0 {
                write!(f, "{s}S")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(days: i64, seconds: i64) -> Duration {
        Duration { days, seconds }
    }

    #[test]
    fn parses_rfc5545_forms() {
        assert_eq!(Duration::parse("PT25M"), Ok(d(0, 1500)));
        assert_eq!(Duration::parse("PT1H30M"), Ok(d(0, 5400)));
        assert_eq!(Duration::parse("P1DT2H"), Ok(d(1, 7200)));
        assert_eq!(Duration::parse("P2W"), Ok(d(14, 0)));
        assert_eq!(Duration::parse("+P3D"), Ok(d(3, 0)));
        assert_eq!(Duration::parse("pt15m"), Ok(d(0, 900)));
        assert_eq!(Duration::parse("PT0S"), Ok(d(0, 0)));
        assert_eq!(Duration::parse("PT36H"), Ok(d(0, 129_600)));
    }

    #[test]
    fn refuses_what_icalendar_cannot_say() {
        assert_eq!(Duration::parse("P1M"), Err(DurationError::YearsOrMonths));
        assert_eq!(Duration::parse("P1Y"), Err(DurationError::YearsOrMonths));
        assert_eq!(Duration::parse("-PT1H"), Err(DurationError::Negative));
        assert_eq!(Duration::parse("PT1.5H"), Err(DurationError::Fraction));
        for bad in [
            "", "P", "PT", "1H", "PT1H1H", "PM1H", "P1D2W", "PTH", "PT5", "P1DT",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Duration::parse("P99999999999999999999D"),
            Err(DurationError::TooLong)
        );
    }

    #[test]
    fn displays_canonical_form() {
        for (input, shown) in [
            ("PT12H", "PT12H"),
            ("PT720M", "PT12H"),
            ("P7D", "P1W"),
            ("P1DT1H1M1S", "P1DT1H1M1S"),
            ("PT0S", "PT0S"),
        ] {
            assert_eq!(Duration::parse(input).unwrap().to_string(), shown);
        }
    }
}
