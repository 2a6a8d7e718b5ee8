//! Writing the feeds to a folder, atomically, and removing feeds that are no longer built.
//!
//! Every file is first written in full to a temporary file in the output folder and only then
//! renamed over its final name, so a reader (a web server, a CI deploy step) never sees half a
//! feed, and a failed build leaves the previous feeds untouched. The folder keeps a small list of
//! the files calfeed wrote (`.calfeed-outputs`), so that a feed removed from `events.toml`
//! disappears on the next build while files calfeed did not write are left alone.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::model::Calendar;
use crate::render::Feeds;

/// The list of files written by the last build, inside the output folder.
pub const MANIFEST: &str = ".calfeed-outputs";

/// Temporary files are named `.calfeed-XXXXXX.tmp` until they are complete.
const TEMP_PREFIX: &str = ".calfeed-";
const TEMP_SUFFIX: &str = ".tmp";

/// One file written by a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// File name, e.g. `japan-us.ics`.
    pub file: String,
    /// How many events it holds.
    pub events: usize,
}

/// What a build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The files written, `all.ics` first.
    pub written: Vec<Written>,
    /// Feeds of an earlier build that were removed.
    pub removed: Vec<String>,
}

/// Why writing the feeds failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder could not be created, written or renamed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes `all.ics` and every feed of `calendar` into `dir`.
///
/// `stamp` is the `DTSTAMP` of events without `updated`. On error nothing in `dir` has changed
/// (apart from files already renamed into place when a later rename failed, which are complete).
pub fn build(calendar: &Calendar, dir: &Path, stamp: DateTime<Utc>) -> Result<Report, OutputError> {
    fs::create_dir_all(dir).map_err(io_error(dir))?;
    remove_leftovers(dir);
    let feeds = Feeds::new(calendar, stamp);
    let views = feeds.views();

    // Write everything to temporary files first; dropping them on error removes them.
    let mut staged = Vec::with_capacity(views.len());
    for view in &views {
        let file = format!("{}.ics", view.name);
        let target = dir.join(&file);
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(io_error(&target))?;
        let writer = BufWriter::with_capacity(1 << 16, temp);
        let writer = feeds.write(view, writer).map_err(io_error(&target))?;
        let temp = writer.into_inner().map_err(|e| OutputError::Io {
            path: target.clone(),
            source: e.into_error(),
        })?;
        temp.as_file().sync_all().map_err(io_error(&target))?;
        set_readable(temp.path()).map_err(io_error(&target))?;
        staged.push((
            temp,
            target,
            Written {
                file,
                events: view.events.len(),
            },
        ));
    }

    let previous = read_manifest(dir);
    let mut written = Vec::with_capacity(staged.len());
    for (temp, target, info) in staged {
        temp.persist(&target).map_err(|e| OutputError::Io {
            path: target.clone(),
            source: e.error,
        })?;
        written.push(info);
    }
    let current: BTreeSet<String> = written.iter().map(|w| w.file.clone()).collect();
    write_manifest(dir, &current)?;

    let mut removed = Vec::new();
    for old in previous.difference(&current) {
        let path = dir.join(old);
        match fs::remove_file(&path) {
            Ok(()) => removed.push(old.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(OutputError::Io { path, source }),
        }
    }
    Ok(Report { written, removed })
}

/// Removes temporary files that an interrupted build left behind, so they are not published.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Feeds are world-readable like any other published file (temporary files start private).
fn set_readable(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// The files the last build wrote; only plain feed names are trusted.
fn read_manifest(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return BTreeSet::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| is_feed_file(line))
        .map(str::to_owned)
        .collect()
}

fn is_feed_file(name: &str) -> bool {
    name.strip_suffix(".ics").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    })
}

fn write_manifest(dir: &Path, files: &BTreeSet<String>) -> Result<(), OutputError> {
    let path = dir.join(MANIFEST);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(io_error(&path))?;
    let mut text = String::from(
        "# Files written by the last `calfeed build` into this folder; calfeed removes the ones\n\
         # it no longer builds. Other files here are left alone.\n",
    );
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    temp.write_all(text.as_bytes()).map_err(io_error(&path))?;
    set_readable(temp.path()).map_err(io_error(&path))?;
    temp.persist(&path).map_err(|e| OutputError::Io {
        path: path.clone(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_feed_names_are_trusted_from_the_manifest() {
        assert!(is_feed_file("all.ics"));
        assert!(is_feed_file("japan-us.ics"));
        assert!(!is_feed_file("../etc/passwd.ics"));
        assert!(!is_feed_file("notes.txt"));
        assert!(!is_feed_file(".ics"));
        assert!(!is_feed_file("a/b.ics"));
    }
}
