//! Helpers shared by the end-to-end tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    root().join("tests/fixtures").join(relative)
}

/// The `calfeed` binary with a fixed `SOURCE_DATE_EPOCH` (2026-01-01T00:00:00Z) and the same day
/// as today (`CALFEED_TODAY`), so that no output depends on the clock, reading the time zone
/// data inside calfeed whatever the machine has, and with no colour settings from the
/// environment the tests run in.
pub fn calfeed() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_calfeed"));
    command
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("CALFEED_TODAY", "2026-01-01")
        .env("CALFEED_TZDATA", "bundled");
    for variable in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(variable);
    }
    command
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

/// `calfeed build --input <input> --out <out>`, ready to run.
pub fn build_command(input: &Path, out: &Path) -> Command {
    let mut command = calfeed();
    command
        .arg("build")
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out);
    command
}

/// Runs `calfeed build` on `input` into `out`, asserting success.
pub fn build(input: &Path, out: &Path) -> Output {
    let output = build_command(input, out).output().expect("calfeed runs");
    assert!(
        output.status.success(),
        "calfeed build {} failed:\n{}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Text of a command's standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
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
