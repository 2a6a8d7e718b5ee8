//! Putting files into the output folder: atomically, durably, one build at a time, and removing
//! the files an earlier build wrote that this one no longer does.
//!
//! A [`Writer`] takes a list of files, each a path relative to the folder (a name, or one
//! subfolder and a name, like `events/nara.ics`) and its bytes, then [`Writer::commit`]s them:
//!
//! 1. While the writer is open it holds an exclusive lock on `.calfeed-lock` in the folder, so a
//!    second build into the same folder waits for the first one to finish instead of mixing
//!    files from two inputs. Temporary files (`.calfeed-<unique>.tmp`) are only ever created by a
//!    build holding the lock, so any the writer finds when it takes the lock are leftovers of an
//!    interrupted build, and it removes them.
//! 2. Every file is written in full to a temporary file in the folder; then all of them are
//!    flushed to disk together, so a reader (a web server, a deploy step) never sees half a
//!    file, even after a crash or power loss.
//! 3. The folder keeps the list of the files calfeed wrote (`.calfeed-outputs`), so that a feed
//!    removed from `events.toml` disappears on the next build while files calfeed did not write
//!    are left alone. The list on disk always names every file a later build may have to
//!    remove: before any file is renamed into place, the list is extended to the old files and
//!    the new ones; only after the files that are no longer built have been removed is it cut
//!    down to the new files.
//! 4. Files are renamed over their final names (replacing a symbolic link there, never writing
//!    through it), and the folder is flushed once after the renames.
//! 5. A file the previous build wrote that already holds exactly the new bytes (a regular file,
//!    readable by everyone, not reached through a link) is left as it is: rebuilding a large
//!    calendar after a small change rewrites only what changed.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::model::Calendar;
use crate::render::Feeds;

/// The list of files written by the last build, inside the output folder.
pub const MANIFEST: &str = ".calfeed-outputs";

/// The file a build locks while it writes into the folder.
pub const LOCK: &str = ".calfeed-lock";

/// Temporary files are named `.calfeed-<unique>.tmp` until they are complete.
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
    /// The feeds written, `all.ics` first.
    pub written: Vec<Written>,
    /// The pages and one-event files written, relative to the folder (see [`crate::site`]).
    pub site: Vec<String>,
    /// Files of an earlier build that were removed.
    pub removed: Vec<String>,
}

/// What [`Writer::commit`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The files written, in the order they were added.
    pub written: Vec<String>,
    /// Files of an earlier build that were removed, sorted.
    pub removed: Vec<String>,
}

/// Why writing into the output folder failed.
///
/// Each variant says how far the build got, because that decides what is in the folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
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
    /// The output path exists but is a file, or a symbolic link to nothing.
    #[error("`{}` is not a folder", path.display())]
    NotAFolder {
        /// The output path.
        path: PathBuf,
    },
    /// The output folder could not be created or read.
    #[error("cannot create the folder `{}`", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The lock file could not be opened or locked.
    #[error("cannot lock `{}` against other builds", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// An output path is not a name or a subfolder and a name.
    #[error(
        "`{name}` cannot be written into the output folder: use a name, or a subfolder and a name, made of letters, digits, `-`, `_` and `.`, not starting with `.`"
    )]
    Name {
        /// The path given.
        name: String,
    },
    /// A file could not be written; nothing in the folder was changed.
    #[error("cannot write `{}`", path.display())]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A complete file could not be moved to its name; files renamed before it are new, the
    /// others are still the previous build's.
    #[error("cannot replace `{}`", path.display())]
    Replace {
        /// The file that could not be replaced.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The list of written files could not be updated.
    #[error("cannot update `{}`, the list of the files calfeed wrote", path.display())]
    Manifest {
        /// The list.
        path: PathBuf,
        /// Whether the new files were already in place.
        written: bool,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A file that an earlier build wrote and this one does not could not be removed.
    #[error("cannot remove `{}`, which an earlier build wrote", path.display())]
    Remove {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The folder could not be flushed to disk after the files were renamed.
    #[error("cannot flush the folder `{}` to disk", path.display())]
    Sync {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
}

impl OutputError {
    /// What the failure left in the folder, in a few words for the end of a message.
    pub fn outcome(&self) -> &'static str {
        match self {
            OutputError::NotAFolder { .. }
            | OutputError::NotOurs { .. }
            | OutputError::Site(_)
            | OutputError::Folder { .. }
            | OutputError::Lock { .. }
            | OutputError::Name { .. }
            | OutputError::Write { .. }
            | OutputError::Manifest { written: false, .. } => "nothing was written",
            OutputError::Replace { .. } => {
                "some files in the folder are new and the others are still the previous build's"
            }
            OutputError::Manifest { written: true, .. } | OutputError::Remove { .. } => {
                "the new files are in place"
            }
            OutputError::Sync { .. } => {
                "the new files are in place but might not survive a power cut"
            }
        }
    }
}

/// Writes `all.ics` and every feed of `calendar` into `dir`.
///
/// `stamp` is the `DTSTAMP` of events without `updated`. `on_wait` is called once if another
/// build holds the folder, before waiting for it. On error, see [`OutputError`] for what is in
/// `dir`; a failure while writing leaves it unchanged.
pub fn build(
    calendar: &Calendar,
    dir: &Path,
    stamp: DateTime<Utc>,
    on_wait: impl FnOnce(&Path),
) -> Result<Report, OutputError> {
    build_with(calendar, dir, stamp, on_wait, true)
}

/// [`build`], with the subscribe page and the one-event files (see [`crate::site`]) only if
/// `site` is true; without them, those of an earlier build are removed like any file that is no
/// longer built.
pub fn build_with(
    calendar: &Calendar,
    dir: &Path,
    stamp: DateTime<Utc>,
    on_wait: impl FnOnce(&Path),
    site: bool,
) -> Result<Report, OutputError> {
    let mut writer = Writer::open(dir, on_wait)?;
    let mut feeds = Feeds::new(calendar, stamp);
    let views = feeds.views();
    // Each event is written once per language and copied into the feeds (and one-event files,
    // in the calendar's language) that hold it.
    let one_event_files = site.then_some(calendar.language.as_str());
    feeds
        .prerender(&views, one_event_files)
        .map_err(|source| OutputError::Write {
            path: dir.to_owned(),
            source,
        })?;
    let mut written = Vec::new();
    for view in views {
        let file = format!("{}.ics", view.name);
        writer.add_with(&file, |out| feeds.write(&view, out).map(drop))?;
        written.push(Written {
            file,
            events: view.events.len(),
        });
    }
    let mut pages = Vec::new();
    if site {
        // The one-event files are written (mostly waiting on the file system) while the pages
        // are made, on the threads that a build keeps, not on a new one each time.
        let stop = std::sync::atomic::AtomicBool::new(false);
        let (events, made) = rayon::join(
            || stage_event_files(calendar, &feeds, &writer, &stop),
            || {
                let made = stage_pages(calendar, &feeds, &writer, dir, stamp);
                if made.is_err() {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                made
            },
        );
        // The event files are put in place before the pages that link to them.
        for file in events? {
            pages.push(file.path().to_owned());
            writer.push(file)?;
        }
        for (place, page) in made?.into_iter().enumerate() {
            // Pages are listed before the one-event files.
            pages.insert(place, page.path().to_owned());
            writer.push(page)?;
        }
    }
    let committed = writer.commit()?;
    Ok(Report {
        written,
        site: pages,
        removed: committed.removed,
    })
}

/// Makes the one-event files ready, until `stop` is set.
fn stage_event_files(
    calendar: &Calendar,
    feeds: &Feeds<'_>,
    writer: &Writer,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Vec<Staged>, OutputError> {
    let mut staged = Vec::new();
    for file in crate::site::event_files(calendar, feeds) {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let file = file?;
        staged.push(writer.stage(&file.path, &file.bytes)?);
    }
    Ok(staged)
}

/// Makes the subscribe pages ready, the calendar's language first.
fn stage_pages(
    calendar: &Calendar,
    feeds: &Feeds<'_>,
    writer: &Writer,
    dir: &Path,
    stamp: DateTime<Utc>,
) -> Result<Vec<Staged>, OutputError> {
    let mut staged = Vec::new();
    for language in crate::site::languages(calendar) {
        let path = crate::site::page_path(calendar, language);
        // A page of the same name that calfeed did not write is not replaced.
        let target = dir.join(&path);
        if !writer.previous.contains(&path) && target.exists() && !crate::site::is_ours(&target) {
            return Err(OutputError::NotOurs { path: target });
        }
        let mut failed = None;
        let page = writer.stage_with(&path, |out| {
            crate::site::write_page(calendar, feeds, language, stamp, out)
                .map(drop)
                .map_err(|e| {
                    let io = io::Error::other(e.to_string());
                    failed = Some(e);
                    io
                })
        });
        if let Some(source) = failed {
            return Err(crate::site::SiteError::Page { path, source }.into());
        }
        staged.push(page?);
    }
    Ok(staged)
}

/// Writes `files` (relative path and contents) into `dir` in one step, with the guarantees of
/// [`Writer`].
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let files = [("index.html", b"<h1>Feeds</h1>".as_slice()), ("events/a.ics", b"...")];
/// let done = calfeed::output::write(dir.path(), files, |_| {})?;
/// assert_eq!(done.written, ["index.html", "events/a.ics"]);
/// assert_eq!(std::fs::read(dir.path().join("events/a.ics"))?, b"...");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    on_wait: impl FnOnce(&Path),
) -> Result<Committed, OutputError> {
    let mut writer = Writer::open(dir, on_wait)?;
    for (path, bytes) in files {
        writer.add(path, bytes)?;
    }
    writer.commit()
}

/// A set of files being written into an output folder, which it holds locked.
///
/// Dropping a writer without [`commit`](Writer::commit)ting leaves the folder as it was.
#[derive(Debug)]
pub struct Writer {
    dir: PathBuf,
    /// Held open for the lock; closing it releases the lock.
    _lock: File,
    staged: Vec<Staged>,
    /// The paths in `staged`, to refuse a second file of the same name at once.
    names: HashSet<String>,
    /// The files the previous build wrote, from the list in the folder.
    previous: BTreeSet<String>,
    /// The subfolders that are real folders (not links) in the folder, checked once.
    real_folders: HashSet<String>,
}

/// A file made ready by [`Writer::stage`]: complete under a temporary name, or a file of the
/// previous build that already holds the same bytes and is left as it is.
#[derive(Debug)]
pub struct Staged {
    path: String,
    /// `None` when the previous build's file is kept.
    temp: Option<Temp>,
}

impl Staged {
    /// The path the file will have, relative to the output folder.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl Writer {
    /// Creates `dir` if needed, takes its lock (calling `on_wait` first if another build holds
    /// it) and removes leftovers of interrupted builds.
    pub fn open(dir: &Path, on_wait: impl FnOnce(&Path)) -> Result<Writer, OutputError> {
        prepare_folder(dir)?;
        let lock = lock_folder(dir, on_wait)?;
        remove_leftovers(dir);
        let previous = read_manifest(dir);
        let real_folders = previous
            .iter()
            .filter_map(|path| path.split_once('/').map(|(folder, _)| folder))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|folder| fs::symlink_metadata(dir.join(folder)).is_ok_and(|m| m.is_dir()))
            .map(str::to_owned)
            .collect();
        Ok(Writer {
            dir: dir.to_owned(),
            _lock: lock,
            staged: Vec::new(),
            names: HashSet::new(),
            previous,
            real_folders,
        })
    }

    /// Adds a file with the given contents.
    ///
    /// A file the previous build wrote that already holds exactly these bytes is left in place
    /// rather than written again.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let staged = self.stage(path, bytes)?;
        self.push(staged)
    }

    /// Adds a file whose contents `write` produces, without holding them all in memory.
    pub fn add_with(
        &mut self,
        path: &str,
        write: impl FnOnce(&mut BufWriter<&mut File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let staged = self.stage_with(path, write)?;
        self.push(staged)
    }

    /// Makes a file ready like [`add`](Writer::add) does, without adding it yet, so that
    /// several threads can prepare files at once; [`push`](Writer::push) adds it.
    pub fn stage(&self, path: &str, bytes: &[u8]) -> Result<Staged, OutputError> {
        // The list of the previous build's files holds only names `stage_with` accepts.
        if self.previous.contains(path) && self.holds(path, bytes) {
            return Ok(Staged {
                path: path.to_owned(),
                temp: None,
            });
        }
        self.stage_with(path, |out| out.write_all(bytes))
    }

    /// Makes a file ready like [`add_with`](Writer::add_with) does, without adding it yet.
    pub fn stage_with(
        &self,
        path: &str,
        write: impl FnOnce(&mut BufWriter<&mut File>) -> io::Result<()>,
    ) -> Result<Staged, OutputError> {
        if !is_output_path(path) {
            return Err(OutputError::Name {
                name: path.to_owned(),
            });
        }
        let target = self.dir.join(path);
        let failed = |source| OutputError::Write {
            path: target.clone(),
            source,
        };
        let (temp, mut file) = Temp::create(&self.dir).map_err(failed)?;
        let mut out = BufWriter::with_capacity(1 << 16, &mut file);
        write(&mut out).map_err(failed)?;
        out.flush().map_err(failed)?;
        // Closed now: a build may write thousands of files, more than it may hold open.
        drop(out);
        drop(file);
        Ok(Staged {
            path: path.to_owned(),
            temp: Some(temp),
        })
    }

    /// Adds a file made ready by [`stage`](Writer::stage) or [`stage_with`](Writer::stage_with).
    pub fn push(&mut self, staged: Staged) -> Result<(), OutputError> {
        if !self.names.insert(staged.path.clone()) {
            return Err(OutputError::Name { name: staged.path });
        }
        self.staged.push(staged);
        Ok(())
    }

    /// Whether the file at `path`, written by the previous build, is a regular file readable by
    /// everyone that holds exactly `bytes`.
    fn holds(&self, path: &str, bytes: &[u8]) -> bool {
        use std::io::Read;
        if let Some((folder, _)) = path.split_once('/')
            && !self.real_folders.contains(folder)
        {
            return false;
        }
        let target = self.dir.join(path);
        let mut options = fs::OpenOptions::new();
        options.read(true);
        // A link in its place is replaced, never read through.
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        #[cfg(not(target_os = "linux"))]
        if !fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            return false;
        }
        let Ok(mut file) = options.open(&target) else {
            return false;
        };
        let Ok(meta) = file.metadata() else {
            return false;
        };
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return false;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o7777 != 0o644 {
                return false;
            }
        }
        let mut found = Vec::with_capacity(bytes.len());
        (&mut file)
            .take(bytes.len() as u64 + 1)
            .read_to_end(&mut found)
            .is_ok_and(|_| found == bytes)
    }

    /// Puts every added file in place and removes the files of the previous build that were
    /// not added, keeping the list of written files in step (see the [module docs](self)).
    pub fn commit(self) -> Result<Committed, OutputError> {
        let dir = &self.dir;
        // Every file reaches the disk before any rename, all at once rather than one by one.
        flush_to_disk(dir, &self.staged)?;

        let previous = self.previous;
        let current: BTreeSet<String> = self.staged.iter().map(|s| s.path.clone()).collect();
        let union: BTreeSet<String> = previous.union(&current).cloned().collect();
        // Before anything is renamed, the list must name every file this build may leave.
        if union != previous {
            write_manifest(dir, &union).map_err(|e| e.written(false))?;
        }

        let mut folders = BTreeSet::new();
        let mut written = Vec::with_capacity(self.staged.len());
        for Staged { path, temp } in self.staged {
            let Some(temp) = temp else {
                // The previous build's file, which holds the same bytes.
                written.push(path);
                continue;
            };
            let target = dir.join(&path);
            if let Some((folder, _)) = path.split_once('/')
                && folders.insert(folder.to_owned())
            {
                prepare_subfolder(&dir.join(folder)).map_err(|source| OutputError::Replace {
                    path: target.clone(),
                    source,
                })?;
            }
            temp.persist(&target)
                .map_err(|source| OutputError::Replace {
                    path: target.clone(),
                    source,
                })?;
            written.push(path);
        }
        for folder in &folders {
            sync_folder(&dir.join(folder))?;
        }
        sync_folder(dir)?;

        let mut removed = Vec::new();
        for old in previous.difference(&current) {
            if remove_output(dir, old)? {
                removed.push(old.clone());
            }
        }
        write_manifest(dir, &current).map_err(|e| e.written(true))?;
        Ok(Committed { written, removed })
    }
}

/// Checks that `dir` is a folder (or a link to one), creating it if nothing is there.
fn prepare_folder(dir: &Path) -> Result<(), OutputError> {
    let not_a_folder = || OutputError::NotAFolder {
        path: dir.to_owned(),
    };
    let failed = |source| OutputError::Folder {
        path: dir.to_owned(),
        source,
    };
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(not_a_folder()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir_all(dir) {
            Ok(()) => Ok(()),
            // Another build may have created it meanwhile.
            Err(_) if dir.is_dir() => Ok(()),
            // A symbolic link to nothing, or a file on the way.
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    || e.kind() == io::ErrorKind::NotADirectory =>
            {
                Err(not_a_folder())
            }
            Err(source) => Err(failed(source)),
        },
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => Err(not_a_folder()),
        Err(source) => Err(failed(source)),
    }
}

/// Opens and locks the folder's lock file, waiting for another build if one holds it.
fn lock_folder(dir: &Path, on_wait: impl FnOnce(&Path)) -> Result<File, OutputError> {
    let path = dir.join(LOCK);
    let failed = |source| OutputError::Lock {
        path: path.clone(),
        source,
    };
    // Never follow a link here: opening it would create its target outside the folder.
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(&path).map_err(failed)?;
    }
    let file = match fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(file) => file,
        // A read-only folder can still be locked if an earlier build left the file; the
        // writes that follow then say what is wrong.
        Err(e) => File::open(&path).map_err(|_| failed(e))?,
    };
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(fs4::TryLockError::WouldBlock) => {
            on_wait(dir);
            fs4::FileExt::lock(&file).map_err(failed)?;
        }
        Err(fs4::TryLockError::Error(source)) => return Err(failed(source)),
    }
    Ok(file)
}

/// Removes temporary files that an interrupted build left behind, so they are not published.
///
/// Only called with the lock held: no live build has temporary files in the folder then.
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

/// Makes `folder` a real folder: a symbolic link there is replaced, so nothing is written
/// through it.
fn prepare_subfolder(folder: &Path) -> io::Result<()> {
    match fs::symlink_metadata(folder) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => fs::remove_file(folder)?,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "a file is in the way of the folder",
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::create_dir(folder)
}

/// Flushes the contents of the staged files to disk: each one, or for many files the whole
/// file system at once (one `syncfs` instead of a journal commit per file).
fn flush_to_disk(dir: &Path, staged: &[Staged]) -> Result<(), OutputError> {
    let staged: Vec<(&str, &Temp)> = staged
        .iter()
        .filter_map(|s| Some((s.path.as_str(), s.temp.as_ref()?)))
        .collect();
    #[cfg(target_os = "linux")]
    if staged.len() > MANY_FILES {
        return File::open(dir)
            .and_then(|folder| rustix::fs::syncfs(&folder).map_err(io::Error::from))
            .map_err(|source| OutputError::Sync {
                path: dir.to_owned(),
                source,
            });
    }
    // Flushed side by side, so that the file system can commit them together.
    let flush = |&(path, temp): &(&str, &Temp)| {
        File::open(&temp.path)
            .and_then(|file| file.sync_all())
            .map_err(|source| OutputError::Write {
                path: dir.join(path),
                source,
            })
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = staged
            .iter()
            .skip(1)
            .map(|file| scope.spawn(move || flush(file)))
            .collect();
        let first = staged.first().map_or(Ok(()), flush);
        others
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .fold(first, Result::and)
    })
}

/// From how many files one flush of the file system beats flushing each.
#[cfg(target_os = "linux")]
const MANY_FILES: usize = 32;

/// Flushes a folder's entries (the renames in it) to disk.
fn sync_folder(folder: &Path) -> Result<(), OutputError> {
    #[cfg(unix)]
    {
        File::open(folder)
            .and_then(|f| f.sync_all())
            .map_err(|source| OutputError::Sync {
                path: folder.to_owned(),
                source,
            })
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}

/// Removes a file an earlier build wrote; `false` if it was already gone.
///
/// A subfolder that is not a real folder inside `dir` (a symbolic link) is not entered.
fn remove_output(dir: &Path, relative: &str) -> Result<bool, OutputError> {
    let path = dir.join(relative);
    if let Some((folder, _)) = relative.split_once('/') {
        let real = fs::symlink_metadata(dir.join(folder)).is_ok_and(|m| m.is_dir());
        if !real {
            return Ok(false);
        }
    }
    match fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(OutputError::Remove { path, source }),
    }
}

/// A file being written under a temporary name in the output folder, removed when dropped
/// unless it was [`persist`](Temp::persist)ed under its final name.
#[derive(Debug)]
struct Temp {
    path: PathBuf,
    persisted: bool,
}

impl Temp {
    /// Creates `.calfeed-<unique>.tmp` in `dir`, readable by everyone like any published file,
    /// and opens it for writing.
    fn create(dir: &Path) -> io::Result<(Temp, File)> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        loop {
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let name = format!(
                "{TEMP_PREFIX}{}-{nanos:x}-{n}{TEMP_SUFFIX}",
                std::process::id()
            );
            let path = dir.join(name);
            // `create_new` never opens an existing file or follows a link.
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    let temp = Temp {
                        path,
                        persisted: false,
                    };
                    set_readable(&file)?;
                    return Ok((temp, file));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Renames the file to `target`, replacing whatever is there (a link is replaced, not
    /// followed).
    fn persist(mut self, target: &Path) -> io::Result<()> {
        fs::rename(&self.path, target)?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Published files are world-readable like any other.
fn set_readable(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(())
    }
}

/// The files the last build wrote; only paths that [`Writer`] could have written are trusted,
/// so a tampered list cannot make calfeed delete anything outside the folder.
fn read_manifest(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = fs::read_to_string(dir.join(MANIFEST)) else {
        return BTreeSet::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| is_output_path(line))
        .map(str::to_owned)
        .collect()
}

/// A name, or a subfolder and a name, each of letters, digits, `-`, `_` and `.`, not starting
/// with `.` (which also keeps out `..`, the list, the lock and temporary files).
fn is_output_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() <= 2
        && parts.iter().all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

/// A failed manifest write, before knowing whether the files were in place.
struct ManifestError {
    path: PathBuf,
    source: io::Error,
}

impl ManifestError {
    fn written(self, written: bool) -> OutputError {
        OutputError::Manifest {
            path: self.path,
            written,
            source: self.source,
        }
    }
}

/// Replaces the list of written files, durably; does nothing if it already says this.
fn write_manifest(dir: &Path, files: &BTreeSet<String>) -> Result<(), ManifestError> {
    let path = dir.join(MANIFEST);
    let mut text = String::from(
        "# Files written by the last `calfeed build` into this folder; calfeed removes the ones\n\
         # it no longer builds. Other files here are left alone.\n",
    );
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    if fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(());
    }
    let failed = |source| ManifestError {
        path: path.clone(),
        source,
    };
    let (temp, mut file) = Temp::create(dir).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    temp.persist(&path).map_err(failed)?;
    #[cfg(unix)]
    File::open(dir).and_then(|f| f.sync_all()).map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_folder_are_trusted_from_the_manifest() {
        assert!(is_output_path("all.ics"));
        assert!(is_output_path("japan-us.ics"));
        assert!(is_output_path("index.html"));
        assert!(is_output_path("events/nara-summit.ics"));
        assert!(!is_output_path("../etc/passwd.ics"));
        assert!(!is_output_path("/etc/passwd"));
        assert!(!is_output_path("events/../../x.ics"));
        assert!(!is_output_path("a/b/c.ics"));
        assert!(!is_output_path(".calfeed-outputs"));
        assert!(!is_output_path(".calfeed-lock"));
        assert!(!is_output_path(".calfeed-abc123.tmp"));
        assert!(!is_output_path("events/.hidden"));
        assert!(!is_output_path(""));
        assert!(!is_output_path("events/"));
        assert!(!is_output_path("a\\b.ics"));
        assert!(!is_output_path("a b.ics"));
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_already_holds_the_same_bytes_is_left_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [("all.ics", b"all".as_slice()), ("events/a.ics", b"a")];
        write(&out, files, |_| {}).unwrap();
        let (all, a) = (
            inode(&out.join("all.ics")),
            inode(&out.join("events/a.ics")),
        );

        let files = [("all.ics", b"all".as_slice()), ("events/a.ics", b"A")];
        let done = write(&out, files, |_| {}).unwrap();
        assert_eq!(done.written, ["all.ics", "events/a.ics"]);
        assert_eq!(inode(&out.join("all.ics")), all, "unchanged: kept");
        assert_ne!(inode(&out.join("events/a.ics")), a, "changed: replaced");
        assert_eq!(fs::read(out.join("events/a.ics")).unwrap(), b"A");
        assert_eq!(names_in(&out), [LOCK, MANIFEST, "all.ics", "events"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_changed_by_hand_is_written_again() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [("a.ics", b"aaa".as_slice()), ("b.ics", b"bbb")];
        write(&out, files, |_| {}).unwrap();
        // The same length, other bytes; the same bytes, readable by its owner only.
        fs::write(out.join("a.ics"), b"xyz").unwrap();
        fs::set_permissions(out.join("b.ics"), fs::Permissions::from_mode(0o600)).unwrap();

        write(&out, files, |_| {}).unwrap();
        assert_eq!(fs::read(out.join("a.ics")).unwrap(), b"aaa");
        let mode = fs::metadata(out.join("b.ics"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[cfg(unix)]
    #[test]
    fn links_with_the_same_bytes_behind_them_are_replaced_not_kept() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = [("a.ics", b"a".as_slice()), ("events/e.ics", b"e")];
        write(&out, files, |_| {}).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(elsewhere.join("events")).unwrap();
        fs::write(elsewhere.join("a.ics"), b"a").unwrap();
        fs::write(elsewhere.join("events/e.ics"), b"e").unwrap();
        fs::remove_file(out.join("a.ics")).unwrap();
        symlink(elsewhere.join("a.ics"), out.join("a.ics")).unwrap();
        fs::remove_dir_all(out.join("events")).unwrap();
        symlink(elsewhere.join("events"), out.join("events")).unwrap();

        write(&out, files, |_| {}).unwrap();
        for path in ["a.ics", "events", "events/e.ics"] {
            let meta = fs::symlink_metadata(out.join(path)).unwrap();
            assert!(!meta.file_type().is_symlink(), "{path} is still a link");
        }
        assert_eq!(fs::read(out.join("events/e.ics")).unwrap(), b"e");
        assert_eq!(fs::read(elsewhere.join("a.ics")).unwrap(), b"a");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn files_in_a_subfolder_are_written_and_removed_like_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            ("index.html", b"one".as_slice()),
            ("events/a.ics", b"a"),
            ("events/b.ics", b"b"),
        ];
        let done = write(&out, first, |_| {}).unwrap();
        assert_eq!(done.written, ["index.html", "events/a.ics", "events/b.ics"]);
        assert!(done.removed.is_empty());
        assert_eq!(
            fs::read_to_string(out.join(MANIFEST))
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            ["events/a.ics", "events/b.ics", "index.html"]
        );

        let second = [("index.html", b"two".as_slice()), ("events/b.ics", b"b2")];
        let done = write(&out, second, |_| {}).unwrap();
        assert_eq!(done.removed, ["events/a.ics"]);
        assert_eq!(names_in(&out.join("events")), ["b.ics"]);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
        assert_eq!(names_in(&out), [LOCK, MANIFEST, "events", "index.html"]);
    }

    #[test]
    fn thousands_of_files_do_not_exhaust_open_files() {
        // More files than the usual limit of 1024 open files per process.
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..3000).map(|i| format!("events/e{i}.ics")).collect();
        let files = names.iter().map(|n| (n.as_str(), n.as_bytes()));
        let done = write(dir.path(), files, |_| {}).unwrap();
        assert_eq!(done.written.len(), 3000);
        assert_eq!(names_in(&dir.path().join("events")).len(), 3000);
        let read = fs::read(dir.path().join("events/e2999.ics")).unwrap();
        assert_eq!(read, b"events/e2999.ics");
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x.ics", "/tmp/x.ics", "a/b/c.ics", ".calfeed-outputs"] {
            let error = write(dir.path(), [(bad, b"x".as_slice())], |_| {}).unwrap_err();
            assert!(
                matches!(&error, OutputError::Name { name } if name == bad),
                "{error:?}"
            );
        }
        let twice = [("a.ics", b"1".as_slice()), ("a.ics", b"2")];
        assert!(matches!(
            write(dir.path(), twice, |_| {}),
            Err(OutputError::Name { .. })
        ));
        assert_eq!(names_in(dir.path()), [LOCK]);
    }

    #[test]
    fn a_dropped_writer_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), [("a.ics", b"old".as_slice())], |_| {}).unwrap();
        let mut writer = Writer::open(dir.path(), |_| {}).unwrap();
        writer.add("a.ics", b"new").unwrap();
        writer.add("b.ics", b"new").unwrap();
        drop(writer);
        assert_eq!(names_in(dir.path()), [LOCK, MANIFEST, "a.ics"]);
        assert_eq!(fs::read(dir.path().join("a.ics")).unwrap(), b"old");
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = Writer::open(dir.path(), |_| panic!("nothing to wait for")).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let path = dir.path().to_owned();
        let second = std::thread::spawn(move || {
            let writer = Writer::open(&path, |waited| sender.send(waited.to_owned()).unwrap());
            writer.unwrap().commit().unwrap()
        });
        assert_eq!(receiver.recv().unwrap(), dir.path());
        first.commit().unwrap();
        assert!(second.join().unwrap().written.is_empty());
    }
}
