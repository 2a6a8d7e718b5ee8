//! The one-call API: [`build`] and [`check`] do what `calfeed build` and `calfeed check` do and
//! return what happened as data, for programs that embed calfeed (a static-site generator, a
//! server). The library prints nothing; warnings come back in the reports, to be shown with
//! [`diag::render`](crate::diag::render) or any other way.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::diag::Diagnostic;
use crate::load::{self, LoadError};
use crate::output::{self, OutputError, Written};
use crate::plans::Today;

/// What to build or check, and how.
///
/// Start from [`Options::new`] and set what differs from the defaults; new settings get
/// defaults, so code written against this version keeps compiling.
#[derive(Clone)]
pub struct Options {
    input: PathBuf,
    out: PathBuf,
    stamp: Option<DateTime<Utc>>,
    today: Option<Today>,
    deny_warnings: bool,
    feeds_only: bool,
    on_wait: Option<Notify>,
}

/// A function told about the output folder.
type Notify = Arc<dyn Fn(&Path) + Send + Sync>;

impl Options {
    /// Reads `input`, writes into `public`, and stamps events without `updated` with the time
    /// of the build.
    pub fn new(input: impl Into<PathBuf>) -> Self {
        Options {
            input: input.into(),
            out: PathBuf::from("public"),
            stamp: None,
            today: None,
            deny_warnings: false,
            feeds_only: false,
            on_wait: None,
        }
    }

    /// The folder [`build`] writes into.
    pub fn out(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out = dir.into();
        self
    }

    /// The `DTSTAMP` of events without `updated`, instead of the time of the build (see
    /// [`stamp::stamp`](crate::stamp::stamp) for `SOURCE_DATE_EPOCH`).
    pub fn stamp(mut self, stamp: DateTime<Utc>) -> Self {
        self.stamp = Some(stamp);
        self
    }

    /// Warn about tentative events whose dates are before this day (see [`crate::plans`]);
    /// without it plans are not checked, so that the result does not depend on the date.
    pub fn today(mut self, today: Today) -> Self {
        self.today = Some(today);
        self
    }

    /// Write only the feeds, without the subscribe page and the one-event files.
    pub fn feeds_only(mut self, yes: bool) -> Self {
        self.feeds_only = yes;
        self
    }

    /// Make any warning an error ([`Error::Warnings`]): nothing is written then.
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Called with the output folder when another build is writing into it, before [`build`]
    /// waits for that build to finish.
    pub fn on_wait(mut self, notify: impl Fn(&Path) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(Arc::new(notify));
        self
    }

    /// The events file.
    pub fn input_path(&self) -> &Path {
        &self.input
    }

    /// The output folder.
    pub fn out_path(&self) -> &Path {
        &self.out
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("input", &self.input)
            .field("out", &self.out)
            .field("stamp", &self.stamp)
            .field("today", &self.today)
            .field("deny_warnings", &self.deny_warnings)
            .field("on_wait", &self.on_wait.as_ref().map(|_| "Fn(&Path)"))
            .finish()
    }
}

/// Why [`build`] or [`check`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read, or holds errors; nothing was written.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The input has warnings and [`Options::deny_warnings`] makes them errors; nothing was
    /// written.
    #[error(
        "`{}` has {} {}, and --deny-warnings makes warnings errors",
        input.path.display(),
        input.warnings.len(),
        if input.warnings.len() == 1 { "warning" } else { "warnings" }
    )]
    Warnings {
        /// The input, with its warnings.
        input: Source,
    },
    /// The feeds could not all be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// The input file and what was found in it that does not stop a build.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Source {
    /// The events file.
    pub path: PathBuf,
    /// Its text, for showing the lines the warnings point at; empty when there are none, so
    /// that a large file is not held through the build for nothing.
    pub text: String,
    /// Problems that do not stop a build, in file order.
    pub warnings: Vec<Diagnostic>,
}

/// What [`check`] found in a valid input.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CheckReport {
    /// The input, with its warnings.
    pub source: Source,
    /// How many events it holds.
    pub events: usize,
    /// How many `[[feed]]`s it defines (besides `all.ics`).
    pub feeds: usize,
}

/// What [`build`] did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuildReport {
    /// The input, with its warnings.
    pub source: Source,
    /// The output folder.
    pub out: PathBuf,
    /// The pages and one-event files written, relative to the folder.
    pub site: Vec<String>,
    /// The feeds written, `all.ics` first.
    pub written: Vec<Written>,
    /// Files of an earlier build that are no longer built and were removed.
    pub removed: Vec<String>,
}

/// Reads and validates the input, writing nothing.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let input = dir.path().join("events.toml");
/// std::fs::write(&input, r#"
/// [calendar]
/// name = "Summits"
/// domain = "example.org"
///
/// [[event]]
/// id = "busan"
/// title = "Trump–Xi meeting"
/// start = 2025-10-30
/// "#)?;
/// let report = calfeed::check(&calfeed::Options::new(&input))?;
/// assert_eq!((report.events, report.feeds), (1, 0));
/// assert!(report.source.warnings.is_empty());
///
/// std::fs::write(&input, "[calendar]\nname = 1\n")?;
/// match calfeed::check(&calfeed::Options::new(&input)) {
///     Err(calfeed::Error::Load(calfeed::load::LoadError::Invalid { diagnostics, .. })) => {
///         assert!(diagnostics.iter().any(|d| d.message.contains("`name`")));
///     }
///     other => panic!("expected errors, got {other:?}"),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check(options: &Options) -> Result<CheckReport, Error> {
    let (loaded, source) = read(options)?;
    Ok(CheckReport {
        events: loaded.calendar.events.len(),
        feeds: loaded.calendar.feeds.len(),
        source,
    })
}

/// Reads and validates the input, failing on warnings if they are denied.
fn read(options: &Options) -> Result<(load::Loaded, Source), Error> {
    let load_options = load::Options {
        today: options.today,
    };
    let (mut loaded, text) = load::from_file_with(&options.input, load_options)?;
    let warnings = std::mem::take(&mut loaded.warnings);
    let source = Source {
        path: options.input.clone(),
        text: if warnings.is_empty() {
            String::new()
        } else {
            text
        },
        warnings,
    };
    if options.deny_warnings && !source.warnings.is_empty() {
        return Err(Error::Warnings { input: source });
    }
    Ok((loaded, source))
}

/// Reads and validates the input, then writes `all.ics` and one `.ics` per `[[feed]]` into the
/// output folder (see [`output`] for how files are replaced).
///
/// Nothing is written if the input has errors.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let input = dir.path().join("events.toml");
/// std::fs::write(&input, r#"
/// [calendar]
/// name = "Summits"
/// domain = "example.org"
///
/// [[feed]]
/// name = "korea"
/// title = "With Korea"
/// countries = ["KR"]
///
/// [[event]]
/// id = "nara-summit"
/// title = "Lee–Takaichi summit"
/// start = 2026-01-13T15:00:00
/// timezone = "Asia/Tokyo"
/// countries = ["JP", "KR"]
/// "#)?;
/// let stamp = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
/// let options = calfeed::Options::new(&input).out(dir.path().join("public")).stamp(stamp);
/// let report = calfeed::build(&options)?;
/// let files: Vec<_> = report.written.iter().map(|w| (w.file.as_str(), w.events)).collect();
/// assert_eq!(files, [("all.ics", 1), ("korea.ics", 1)]);
/// let feed = std::fs::read_to_string(dir.path().join("public/korea.ics"))?;
/// assert!(feed.contains("DTSTART;TZID=Asia/Tokyo:20260113T150000\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn build(options: &Options) -> Result<BuildReport, Error> {
    let (loaded, source) = read(options)?;
    let stamp = options.stamp.unwrap_or_else(Utc::now);
    let on_wait = |dir: &Path| {
        if let Some(notify) = &options.on_wait {
            notify(dir);
        }
    };
    let report = output::build_with(
        &loaded.calendar,
        &options.out,
        stamp,
        on_wait,
        !options.feeds_only,
    )?;
    Ok(BuildReport {
        source,
        out: options.out.clone(),
        written: report.written,
        site: report.site,
        removed: report.removed,
    })
}
