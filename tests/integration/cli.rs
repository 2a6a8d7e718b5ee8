//! The command line as a user meets it: exit codes, what lands in the output folder, and
//! reproducible, atomic builds.

use std::fs;

use crate::common::{
    Workspace, build, build_command, calfeed, files, fixture, root, stderr, stdout, tree, workspace,
};

#[test]
fn build_writes_all_and_every_feed() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture("valid/text.toml"), out.path());
    assert_eq!(
        files(out.path()),
        [
            ".calfeed-lock",
            ".calfeed-outputs",
            "all.ics",
            "events",
            "index.html",
            "index.ja.html",
            "index.ko.html",
            "japanese.ics",
            "korean.ics"
        ]
    );
    let report = stderr(&output);
    assert!(report.contains("Wrote 3 feeds to"), "{report}");
    assert!(
        report.contains("all.ics") && report.contains("8 events"),
        "{report}"
    );
}

#[test]
fn every_line_ends_in_crlf_and_fits_75_octets() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/text.toml"), out.path());
    let bytes = fs::read(out.path().join("all.ics")).unwrap();
    let text = String::from_utf8(bytes).expect("feeds are UTF-8");
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "bare LF in {line:?}");
        assert!(line.len() - 2 <= 75, "{} octets: {line:?}", line.len() - 2);
        assert!(
            !line[..line.len() - 2].contains('\r'),
            "stray CR in {line:?}"
        );
    }
}

#[test]
fn identical_input_gives_byte_identical_output() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build(&fixture("valid/zones.toml"), a.path());
    build(&fixture("valid/zones.toml"), b.path());
    for name in tree(a.path()) {
        assert_eq!(
            fs::read(a.path().join(&name)).unwrap(),
            fs::read(b.path().join(&name)).unwrap(),
            "{name} differs between two builds"
        );
    }
}

#[test]
fn source_date_epoch_sets_dtstamp_of_events_without_updated() {
    let out = tempfile::tempdir().unwrap();
    let output = build_command(&fixture("valid/utc-style.toml"), out.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = fs::read_to_string(out.path().join("all.ics")).unwrap();
    assert_eq!(
        text.matches("DTSTAMP:20231114T221320Z\r\n").count(),
        3,
        "{text}"
    );
}

#[test]
fn invalid_source_date_epoch_is_an_error() {
    let out = tempfile::tempdir().unwrap();
    let output = build_command(&fixture("valid/utc-style.toml"), &out.path().join("feeds"))
        .env("SOURCE_DATE_EPOCH", "last tuesday")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC (before the year 10000), found `last tuesday`\n"
    );
    assert!(!out.path().join("feeds").exists());
}

#[test]
fn stale_feeds_are_removed_and_other_files_kept() {
    let Workspace { input, out, .. } = &workspace("valid/text.toml");
    build(input, out);
    fs::write(out.join("mine.html"), "<h1>My feeds</h1>").unwrap();
    // What an interrupted build would leave behind.
    fs::write(out.join(".calfeed-a1b2c3.tmp"), "BEGIN:VCALENDAR").unwrap();
    fs::write(out.join("notes.ics"), "not calfeed's").unwrap();

    // Drop the Japanese feed from the input.
    let text = fs::read_to_string(input).unwrap();
    let without = text.replace(
        "[[feed]]\nname = \"japanese\"\ntitle = { en = \"In Japanese\", ja = \"日本語\" }\nlanguage = \"ja\"\n",
        "",
    );
    assert_ne!(text, without);
    fs::write(input, without).unwrap();
    let output = build(input, out);
    assert!(
        stderr(&output).contains("japanese.ics"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        files(out),
        [
            ".calfeed-lock",
            ".calfeed-outputs",
            "all.ics",
            "events",
            "index.html",
            "index.ko.html",
            "korean.ics",
            "mine.html",
            "notes.ics"
        ]
    );
}

#[test]
fn a_page_never_replaces_a_file_calfeed_did_not_write() {
    let Workspace { input, out, .. } = &workspace("valid/text.toml");
    fs::create_dir_all(out).unwrap();
    fs::write(out.join("index.html"), "<h1>My feeds</h1>").unwrap();
    let output = build_command(input, out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("index.html` was not written by calfeed; move it away"),
        "{}",
        stderr(&output)
    );
    assert_eq!(files(out), [".calfeed-lock", "index.html"]);
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "<h1>My feeds</h1>"
    );
}

#[test]
fn a_failed_build_writes_and_deletes_nothing() {
    let Workspace { input, out, .. } = &workspace("valid/text.toml");
    build(input, out);
    let before: Vec<(String, Vec<u8>)> = tree(out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();

    // Break the input and remove a feed: neither change may reach the folder.
    let broken = fs::read_to_string(input)
        .unwrap()
        .replace("name = \"korean\"", "name = \"Korean Feed\"")
        .replace("start = 2026-02-10", "start = 2026-02-30");
    fs::write(input, broken).unwrap();
    let output = build_command(input, out).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    let after: Vec<(String, Vec<u8>)> = tree(out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();
    assert_eq!(before, after);
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_the_event_files_that_changed() {
    use std::os::unix::fs::MetadataExt;
    let Workspace { input, out, .. } = &workspace("valid/text.toml");
    build(input, out);
    let inode = |path: &str| fs::metadata(out.join(path)).unwrap().ino();
    let nara = "events/nara-shuttle-summit.ics";
    let april = "events/april-by-duration.ics";
    let (nara_before, april_before) = (inode(nara), inode(april));
    let before = fs::read(out.join(april)).unwrap();

    let changed = fs::read_to_string(input).unwrap().replace(
        "title = \"April, given as a duration\"",
        "title = \"April, renamed\"",
    );
    fs::write(input, changed).unwrap();
    build(input, out);
    assert_eq!(inode(nara), nara_before, "unchanged, so left in place");
    assert_ne!(inode(april), april_before, "changed, so written again");
    let after = fs::read_to_string(out.join(april)).unwrap();
    assert!(
        after.contains("SUMMARY:[Tentative] April\\, renamed\r\n"),
        "{after}"
    );
    assert_ne!(after.as_bytes(), before);
}

#[test]
fn unwritable_output_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("public");
    fs::write(&blocker, "a file where the folder should be").unwrap();
    let output = build_command(&fixture("valid/utc-style.toml"), &blocker)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: `{}` is not a folder; nothing was written\n",
            blocker.display()
        )
    );
    assert_eq!(
        fs::read_to_string(&blocker).unwrap(),
        "a file where the folder should be"
    );
}

#[test]
fn missing_input_names_the_file() {
    let output = calfeed()
        .args(["check", "does-not-exist.toml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: cannot read `does-not-exist.toml`: No such file or directory (os error 2)\n"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&["build", "--frobnicate"][..], &["publish"][..], &[][..]] {
        let output = calfeed().args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn version_names_the_tzdata_releases() {
    let release = calfeed::tz::db::bundled_release();
    let output = calfeed().arg("-V").output().unwrap();
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.starts_with("calfeed "), "{text}");
    assert!(
        text.contains(&format!("(IANA tzdata {release} bundled)")),
        "{text}"
    );

    // The long form also names the system's release and the one `auto` takes.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tzdata.zi"), "# version 2099z\n").unwrap();
    let output = calfeed()
        .arg("--version")
        .env("TZDIR", dir.path())
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(text.contains(&format!("bundled: IANA {release}")), "{text}");
    assert!(
        text.contains(&format!("system:  IANA 2099z in {}", dir.path().display())),
        "{text}"
    );
    assert!(text.contains("--tzdata auto uses 2099z (system)"), "{text}");
}

#[test]
fn check_reports_success_on_stdout() {
    let output = calfeed()
        .args(["check", "events.toml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("events.toml: "),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).ends_with("no errors\n"));
}

#[test]
fn default_paths_are_events_toml_and_public() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        fixture("valid/utc-style.toml"),
        dir.path().join("events.toml"),
    )
    .unwrap();
    let output = calfeed()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("public/all.ics").is_file());
}

#[test]
fn windows_line_endings_in_the_input_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("events.toml");
    let text = fs::read_to_string(root().join("events.toml")).unwrap();
    assert!(
        text.contains("\"\"\""),
        "the dataset has multi-line strings"
    );
    fs::write(&crlf, text.replace('\n', "\r\n")).unwrap();
    let (a, b) = (dir.path().join("crlf"), dir.path().join("lf"));
    build(&crlf, &a);
    build(&root().join("events.toml"), &b);
    for name in tree(&b) {
        assert_eq!(
            fs::read(a.join(&name)).unwrap(),
            fs::read(b.join(&name)).unwrap(),
            "{name}"
        );
    }
}
