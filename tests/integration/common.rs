//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../shared/binary.rs"]
mod binary;
pub use binary::{build, build_command, calfeed, stderr};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

/// A folder holding a copy of a fixture as `events.toml`, and where its feeds go (`public/`).
pub struct Workspace {
    /// Kept so that the folder lives as long as the workspace.
    _dir: tempfile::TempDir,
    /// The copied `events.toml`.
    pub input: PathBuf,
    /// The output folder (not created).
    pub out: PathBuf,
}

/// Copies the fixture at `relative` into a fresh folder.
pub fn workspace(relative: &str) -> Workspace {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events.toml");
    std::fs::copy(fixture(relative), &input).unwrap();
    let out = dir.path().join("public");
    Workspace {
        _dir: dir,
        input,
        out,
    }
}

/// Text of a command's standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Names of the files in `dir`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs an interop helper script, failing the test with its output unless it succeeds.
///
/// The parsers come from `tests/interop/setup.sh`, which the README's test command runs.
pub fn run_checker(program: &str, args: &[&std::ffi::OsStr]) -> String {
    // Python scripts run in the environment setup.sh made, with the pinned packages.
    let venv_python = root().join("tests/interop/.venv/bin/python3");
    let program = if program == "python3" && venv_python.exists() {
        venv_python.to_string_lossy().into_owned()
    } else {
        program.to_owned()
    };
    let program = program.as_str();
    let output = Command::new(program)
        .args(args)
        .current_dir(root())
        .env("PYTHONTZPATH", "")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {program} ({e}); install the test parsers with tests/interop/setup.sh"
            )
        });
    let text = format!("{}{}", stdout(&output), stderr(&output));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{text}"
    );
    text
}

/// Paths of every file under `dir`, relative to it, sorted (`events/x.ics` for subfolders).
pub fn tree(dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for name in files(dir) {
        let path = dir.join(&name);
        if path.is_dir() {
            paths.extend(tree(&path).into_iter().map(|p| format!("{name}/{p}")));
        } else {
            paths.push(name);
        }
    }
    paths
}
