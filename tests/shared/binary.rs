//! Running the real `calfeed` binary, for every test target that does (`#[path]`-included).

use std::path::Path;
use std::process::{Command, Output};

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
