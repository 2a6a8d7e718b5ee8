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
    /// The pages and one-event files written, relative to the folder (see [`crate::site`]).
    pub site: Vec<String>,
    /// Files of an earlier build that were removed.
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
    /// A page would replace a file that calfeed did not write.
    #[error(
        "`{}` was not written by calfeed; move it away, since calfeed writes the subscribe page there",
        path.display()
    )]
    NotOurs {
        /// The file.
        path: PathBuf,
    },
    /// The page or a one-event file could not be made.
    #[error(transparent)]
    Site(#[from] crate::site::SiteError),
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
    build_with(calendar, dir, stamp, true)
}

/// [`build`], with the subscribe page and the one-event files only if `site` is true; without
/// them, those of an earlier build are removed like any file that is no longer built.
pub fn build_with(
    calendar: &Calendar,
    dir: &Path,
    stamp: DateTime<Utc>,
    site: bool,
) -> Result<Report, OutputError> {
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
    let site_files = stage_site(
        dir,
        crate::site::files(calendar, &feeds, stamp).filter(|_| site),
        &previous,
    )?;

    let mut written = Vec::with_capacity(staged.len());
    for (temp, target, info) in staged {
        temp.persist(&target).map_err(|e| OutputError::Io {
            path: target.clone(),
            source: e.error,
        })?;
        written.push(info);
    }
    let mut site = Vec::with_capacity(site_files.len());
    for (temp, target, path) in site_files {
        temp.persist(&target).map_err(|e| OutputError::Io {
            path: target.clone(),
            source: e.error,
        })?;
        site.push(path);
    }
    let mut current: BTreeSet<String> = written.iter().map(|w| w.file.clone()).collect();
    current.extend(site.iter().cloned());
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
    Ok(Report {
        written,
        site,
        removed,
    })
}

/// Writes the page and one-event files to temporary files beside their targets, creating
/// subfolders such as `events/`. A page never replaces a file that an earlier build (listed in
/// `previous`) did not write.
fn stage_site(
    dir: &Path,
    files: impl Iterator<Item = Result<crate::site::SiteFile, crate::site::SiteError>>,
    previous: &BTreeSet<String>,
) -> Result<Vec<(tempfile::TempPath, PathBuf, String)>, OutputError> {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    let mut staged = Vec::new();
    for file in files {
        let file = file?;
        let target = dir.join(&file.path);
        if file.path.ends_with(".html") && !previous.contains(&file.path) && target.exists() {
            return Err(OutputError::NotOurs { path: target });
        }
        let parent = target.parent().unwrap_or(dir);
        if parent != dir && folders.insert(parent.to_owned()) {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
            remove_leftovers(parent);
        }
        let mut temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(parent)
            .map_err(io_error(&target))?;
        temp.write_all(&file.bytes).map_err(io_error(&target))?;
        // Pages are flushed to disk like feeds. One-event files are not, one by one: with many
        // events that would take minutes, and the next build rewrites any that a crash damaged.
        if !file.path.starts_with(crate::site::EVENTS_DIR) {
            temp.as_file().sync_all().map_err(io_error(&target))?;
        }
        set_readable(temp.path()).map_err(io_error(&target))?;
        // Closed now, so that thousands of event files do not exhaust the open-file limit.
        staged.push((temp.into_temp_path(), target, file.path));
    }
    Ok(staged)
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
        .filter(|line| is_feed_file(line) || is_site_file(line))
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

/// `index.html`, `index.<lang>.html` or `events/<id>.ics`.
fn is_site_file(name: &str) -> bool {
    if let Some(event) = name.strip_prefix("events/") {
        return is_feed_file(event);
    }
    name == "index.html"
        || name
            .strip_prefix("index.")
            .and_then(|rest| rest.strip_suffix(".html"))
            .is_some_and(|tag| {
                !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
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

    #[test]
    fn only_pages_and_event_files_are_trusted_as_site_files() {
        assert!(is_site_file("index.html"));
        assert!(is_site_file("index.pt-BR.html"));
        assert!(is_site_file("events/nara-summit.ics"));
        assert!(!is_site_file("events/../x.ics"));
        assert!(!is_site_file("index..html"));
        assert!(!is_site_file("index./.html"));
        assert!(!is_site_file("other.html"));
        assert!(!is_site_file("events/a/b.ics"));
    }
}
