//! Failures to write what calfeed reports: a full standard output and an unwritable list of
//! written files.

use std::fs;
use std::process::Stdio;

use crate::support::{build, build_command, calfeed, feeds, inputs, snapshot, stderr};

#[test]
fn check_into_a_full_stdout_is_an_error() {
    let inputs = inputs(2);
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = calfeed()
        .arg("check")
        .arg(&inputs.paths[0])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: cannot write to standard output: No space left on device (os error 28)\n"
    );
}

#[test]
fn check_into_a_closed_pipe_exits_quietly() {
    let inputs = inputs(2);
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = calfeed()
        .arg("check")
        .arg(&inputs.paths[0])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_failed_manifest_write_says_so() {
    let inputs = inputs(3);
    let out = inputs.dir.path().join("public");
    build(&inputs.paths[0], &out);
    let before = feeds(&snapshot(&out));
    // A folder where the list of written files should be cannot be replaced by a file.
    fs::remove_file(out.join(".calfeed-outputs")).unwrap();
    fs::create_dir_all(out.join(".calfeed-outputs/x")).unwrap();

    let output = build_command(&inputs.paths[1], &out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    let list = out.join(".calfeed-outputs");
    assert!(
        message.starts_with(&format!(
            "error: cannot update `{}`, the list of the files calfeed wrote: ",
            list.display()
        )) && message.ends_with("; nothing was written\n"),
        "{message}"
    );
    assert_eq!(feeds(&snapshot(&out)), before);
}
