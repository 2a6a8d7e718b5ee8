//! Inputs, reference outputs and folder snapshots shared by the fault tests.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../shared/binary.rs"]
mod binary;
pub use binary::{build, build_command, calfeed, stderr};

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
pub struct Rng(pub u64);

impl Rng {
    /// Seeded from the clock; the seed is printed so that a failing run can be repeated.
    pub fn from_clock(name: &str) -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        println!("{name}: random seed {seed}");
        Rng(seed)
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// An `events.toml` with `events` events and the feeds `all`, `shared` and `only-<variant>`;
/// two variants differ in every feed's bytes and in one feed's name.
pub fn input(variant: &str, events: usize) -> String {
    let zones = [
        "Asia/Tokyo",
        "Asia/Seoul",
        "America/New_York",
        "Europe/London",
    ];
    let mut text = format!(
        "[calendar]\nname = \"Variant {variant}\"\ndomain = \"example.org\"\n\n\
         [[feed]]\nname = \"shared\"\ntitle = \"Shared {variant}\"\ntags = [\"even\"]\n\n\
         [[feed]]\nname = \"only-{variant}\"\ntitle = \"Only {variant}\"\ntags = [\"odd\"]\n"
    );
    for i in 0..events {
        let day = 1 + i % 28;
        let month = 1 + i / 28 % 12;
        let hour = 8 + i % 10;
        writeln!(
            text,
            "\n[[event]]\nid = \"event-{i}\"\ntitle = \"Event {i} of {variant}\"\n\
             start = 2026-{month:02}-{day:02}T{hour:02}:00:00\nduration = \"PT90M\"\n\
             timezone = \"{}\"\nlocation = \"Room {i}, building {variant}\"\ntags = [\"{}\"]",
            zones[i % zones.len()],
            if i % 2 == 0 { "even" } else { "odd" }
        )
        .unwrap();
    }
    text
}

/// Files in a folder with their bytes, by name (sorted).
pub type Snapshot = BTreeMap<String, Vec<u8>>;

/// Every file directly in `dir`.
pub fn snapshot(dir: &Path) -> Snapshot {
    fs::read_dir(dir)
        .expect("folder exists")
        .map(|e| e.expect("entry"))
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The `.ics` files of a snapshot.
pub fn feeds(snapshot: &Snapshot) -> Snapshot {
    snapshot
        .iter()
        .filter(|(name, _)| name.ends_with(".ics"))
        .map(|(n, b)| (n.clone(), b.clone()))
        .collect()
}

/// Names of the temporary files in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".calfeed-") && n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}

/// The paths listed in `.calfeed-outputs`.
pub fn manifest(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join(".calfeed-outputs"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A folder with the two variants of an input and the feeds each gives on its own.
pub struct Inputs {
    /// Kept so that the folder lives as long as the inputs.
    pub dir: tempfile::TempDir,
    /// The inputs `a.toml` and `b.toml`.
    pub paths: [PathBuf; 2],
    /// The feeds of each, built into a folder of their own.
    pub expected: [Snapshot; 2],
}

/// Writes both variants with `events` events and builds each once for reference.
pub fn inputs(events: usize) -> Inputs {
    inputs_in(events, &std::env::temp_dir())
}

/// Like [`inputs`], in a folder under `parent`.
pub fn inputs_in(events: usize, parent: &Path) -> Inputs {
    let dir = tempfile::tempdir_in(parent).unwrap();
    let paths = ["a", "b"].map(|v| {
        let path = dir.path().join(format!("{v}.toml"));
        fs::write(&path, input(v, events)).unwrap();
        path
    });
    let expected = ["a", "b"].map(|v| {
        let out = dir.path().join(format!("reference-{v}"));
        build(&dir.path().join(format!("{v}.toml")), &out);
        feeds(&snapshot(&out))
    });
    Inputs {
        dir,
        paths,
        expected,
    }
}

/// A small tmpfs mounted on a fresh folder for the life of the value (needs root).
pub struct Mount {
    /// Where it is mounted.
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Mount {
    /// Mounts a tmpfs of `size` (`mount -o size=`), or says why it cannot.
    pub fn tmpfs(size: &str) -> Result<Mount, String> {
        if !is_root() {
            return Err("mounting a tmpfs needs root".into());
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mnt");
        fs::create_dir(&path).unwrap();
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(&path)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !status.status.success() {
            return Err(format!("mount failed: {}", stderr(&status).trim()));
        }
        Ok(Mount { path, _dir: dir })
    }

    /// Remounts it read-only.
    pub fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.path)
            .status()
            .unwrap();
        assert!(status.success(), "remount read-only failed");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// Whether the tests run as root (who may mount, and whom permissions do not stop).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Says that a case did not run, and why, on the terminal: the test harness captures what
/// `println!` prints, but not writes to the standard error handle itself.
pub fn skip(test: &str, why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}
