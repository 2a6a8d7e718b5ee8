//! Feeds read back by parsers calfeed did not write: Python `icalendar`, Mozilla's ical.js and
//! libical, driven by the Python and C programs in this folder.
//!
//! Every test here needs those parsers, so every test is ignored by a plain `cargo test` (which
//! then needs nothing but Rust). `scripts/test.sh` installs the parsers with
//! `tests/interop/setup.sh` and runs these tests too; a missing parser fails them.

#[path = "../integration/common.rs"]
#[allow(dead_code)] // shared with the `integration` target, which uses other helpers
mod common;
mod dataset;
mod feeds;

use std::process::Command;

use common::{root, stderr, stdout};

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
