//! The build time written as `DTSTAMP` of events that do not say when they last changed.
//!
//! Reproducible builds set `SOURCE_DATE_EPOCH` (<https://reproducible-builds.org/specs/source-date-epoch/>):
//! with it, identical input gives byte-identical feeds.

use chrono::{DateTime, Utc};

/// The environment variable that fixes the build time.
pub const VARIABLE: &str = "SOURCE_DATE_EPOCH";

/// 9999-12-31T23:59:59Z, the last instant an iCalendar date-time can hold.
const LATEST: i64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH` holds something other than a whole number of seconds.
#[derive(Debug, thiserror::Error)]
#[error(
    "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC (before the year 10000), found `{0}`"
)]
pub struct StampError(pub String);

/// The stamp for a build: `SOURCE_DATE_EPOCH` if set, else `now`.
///
/// ```
/// use calfeed::stamp::stamp;
/// let now = chrono::Utc::now();
/// assert_eq!(stamp(Some("1767225600"), now).unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
/// assert_eq!(stamp(None, now).unwrap(), now);
/// assert!(stamp(Some("yesterday"), now).is_err());
/// assert!(stamp(Some("-1"), now).is_err());
/// assert!(stamp(Some("253402300800"), now).is_err());
/// ```
pub fn stamp(
    source_date_epoch: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, StampError> {
    match source_date_epoch.map(str::trim) {
        None | Some("") => Ok(now),
        Some(value) => value
            .parse::<i64>()
            .ok()
            .filter(|seconds| (0..=LATEST).contains(seconds))
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .ok_or_else(|| StampError(value.to_owned())),
    }
}
