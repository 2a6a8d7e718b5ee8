//! `--tzdata`: calfeed reads the copy of the tz database it is told to, `auto` takes the newer
//! release, and a disagreement between the two is reported. The folders are compiled with
//! `zic`, the tz database's own compiler (Debian's libc-bin).

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::common::{build_command, calfeed, run_checker, stderr};

/// America/Vancouver with the rules it had before 2026 (daylight time every summer), an
/// invented zone at +05:17 with daylight time from July to October, and UTC.
const ZONES: &str = "\
# Rule\tNAME\tFROM\tTO\t-\tIN\tON\tAT\tSAVE\tLETTER
Rule\tOld\t2007\tmax\t-\tMar\tSun>=8\t2:00\t1:00\tD
Rule\tOld\t2007\tmax\t-\tNov\tSun>=1\t2:00\t0\tS
Zone\tAmerica/Vancouver\t-8:00\tOld\tP%sT
Rule\tInv\t2020\tmax\t-\tJul\t1\t3:00\t1:00\tD
Rule\tInv\t2020\tmax\t-\tOct\tSun>=1\t3:00\t0\tS
Zone\tTest/Invented\t5:17\tInv\tIN%sT
Zone\tEtc/UTC\t0\t-\tUTC
Link\tEtc/UTC\tUTC
";

/// Compiles [`ZONES`] into `dir`, which says it is release `release` (if any).
fn compile_zones(dir: &Path, release: Option<&str>) {
    let source = dir.join("zones.zi");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(&source, ZONES).unwrap();
    let output = Command::new("zic")
        .arg("-d")
        .arg(dir)
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run zic ({e}); it comes with Debian's libc-bin"));
    assert!(output.status.success(), "zic failed: {}", stderr(&output));
    std::fs::remove_file(&source).unwrap();
    if let Some(release) = release {
        std::fs::write(dir.join("tzdata.zi"), format!("# version {release}\n")).unwrap();
    }
}

fn write_events(dir: &Path, body: &str) -> std::path::PathBuf {
    let input = dir.join("events.toml");
    let text = format!(
        "[calendar]\nname = \"Zones\"\ndomain = \"example.org\"\ntimezone = \"America/Vancouver\"\n{body}"
    );
    std::fs::write(&input, text).unwrap();
    input
}

const INVENTED_EVENTS: &str = r#"
[[event]]
id = "winter"
title = "Winter, standard time"
start = 2026-01-15T09:00:00
duration = "PT1H"
timezone = "Test/Invented"

[[event]]
id = "summer"
title = "Summer, daylight time"
start = 2026-08-15T09:00:00
duration = "PT1H"
timezone = "Test/Invented"

[[event]]
id = "across-the-change"
title = "Across the October change"
start = 2026-10-03T12:00:00
duration = "P1DT1H"
timezone = "Test/Invented"
"#;

/// A folder of TZif files is really what calfeed reads: an invented zone, built and read back
/// by the three parsers, lands where Python's zoneinfo, reading the same folder, puts it.
#[test]
#[ignore = "needs zic, Python icalendar, ical.js and libical: run scripts/test.sh"]
fn tzdata_dir_is_the_data_used() {
    let dir = tempfile::tempdir().unwrap();
    let zones = dir.path().join("zoneinfo");
    compile_zones(&zones, None);
    let input = write_events(dir.path(), INVENTED_EVENTS);
    let out = dir.path().join("public");
    let output = build_command(&input, &out)
        .arg("--tzdata")
        .arg(&zones)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("release unknown in {}", zones.display())),
        "{}",
        stderr(&output)
    );
    let ics = std::fs::read_to_string(out.join("all.ics")).unwrap();
    assert!(ics.contains("PRODID:-//calfeed//calfeed "), "{ics}");
    assert!(ics.contains(" tzdata unknown//EN\r\n"), "{ics}");
    assert!(ics.contains("TZID:Test/Invented\r\n"), "{ics}");
    assert!(ics.contains("TZOFFSETTO:+0617\r\n"), "{ics}");

    let report = run_checker(
        "python3",
        &[
            OsStr::new("tests/interop/check.py"),
            OsStr::new("--toml"),
            input.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
            OsStr::new("--zoneinfo"),
            zones.as_os_str(),
        ],
    );
    println!("{report}");
    assert!(report.contains("mismatches: none"), "{report}");
}

/// `auto` takes the system's copy when its release is newer than calfeed's own, and calfeed's
/// own otherwise; `--version` says which.
#[test]
#[ignore = "needs zic (Debian's libc-bin): run scripts/test.sh"]
fn auto_takes_the_newer_release() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer");
    let older = dir.path().join("older");
    compile_zones(&newer, Some("2999a"));
    compile_zones(&older, Some("2000a"));
    let input = write_events(dir.path(), INVENTED_EVENTS);
    let bundled = calfeed::tz::db::bundled_release();

    let run = |tzdir: &Path| {
        let out = dir.path().join("public");
        let output = build_command(&input, &out)
            .env("CALFEED_TZDATA", "auto")
            .env("TZDIR", tzdir)
            .output()
            .unwrap();
        let ics = std::fs::read_to_string(out.join("all.ics")).unwrap_or_default();
        (output, ics)
    };

    let (output, ics) = run(&newer);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("IANA 2999a in {}", newer.display())),
        "{}",
        stderr(&output)
    );
    assert!(ics.contains(" tzdata 2999a//EN\r\n"), "{ics}");

    // The older folder loses to calfeed's own data, which has no `Test/Invented`.
    let (output, _) = run(&older);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown timezone `Test/Invented`"),
        "{}",
        stderr(&output)
    );

    let version = calfeed()
        .arg("--version")
        .env("TZDIR", &older)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&version.stdout);
    assert!(text.contains("system:  IANA 2000a in"), "{text}");
    assert!(
        text.contains(&format!("--tzdata auto uses {bundled} (bundled)")),
        "{text}"
    );
}

/// With `auto`, a time that the copy not chosen places elsewhere is reported in one warning
/// naming both releases; the build still succeeds.
#[test]
#[ignore = "needs zic (Debian's libc-bin): run scripts/test.sh"]
fn disagreement_between_releases_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let older = dir.path().join("older");
    compile_zones(&older, Some("2025b"));
    let input = write_events(
        dir.path(),
        r#"
[[event]]
id = "december"
title = "December in Vancouver"
start = 2026-12-10T10:00:00

[[event]]
id = "july"
title = "July in Vancouver"
start = 2026-07-10T10:00:00
"#,
    );
    let out = dir.path().join("public");
    let output = build_command(&input, &out)
        .env("CALFEED_TZDATA", "auto")
        .env("TZDIR", &older)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    let bundled = calfeed::tz::db::bundled_release();
    assert!(
        text.contains(&format!(
            "warning: the time zone data in use (IANA {bundled}, bundled) and the other copy \
             (IANA 2025b in {}) disagree about 2 times",
            older.display()
        )),
        "{text}"
    );
    assert!(text.contains("events.toml:9:9"), "{text}");
    assert!(
        text.contains(&format!(
            "2026-12-10T10:00:00 America/Vancouver: -07:00 with {bundled}, -08:00 with 2025b"
        )),
        "{text}"
    );
    assert!(!text.contains("2026-07-10"), "{text}");
    let ics = std::fs::read_to_string(out.join("all.ics")).unwrap();
    assert!(ics.contains(&format!(" tzdata {bundled}//EN\r\n")), "{ics}");

    // Chosen explicitly, there is nothing to compare with.
    let output = build_command(&input, &out)
        .env("CALFEED_TZDATA", "bundled")
        .env("TZDIR", &older)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
}

/// A folder that is missing or holds no TZif data is an error that names it, and nothing is
/// written.
#[test]
fn unusable_tzdata_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_events(dir.path(), "");
    let out = dir.path().join("public");
    for (folder, says) in [
        (
            dir.path().join("missing"),
            "cannot read the time zone data folder",
        ),
        (dir.path().to_owned(), "holds no time zone data"),
    ] {
        let output = build_command(&input, &out)
            .arg("--tzdata")
            .arg(&folder)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let text = stderr(&output);
        assert!(text.contains(says), "{text}");
        assert!(text.contains(&*folder.to_string_lossy()), "{text}");
        assert!(!out.exists());
    }
}
