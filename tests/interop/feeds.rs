//! Feeds read by parsers calfeed did not write: Python `icalendar`, Mozilla's ical.js
//! (Thunderbird) and libical (GNOME/Evolution). Each parser converts every start and end
//! through the `VTIMEZONE`s in the file, and `tests/interop/check.py` compares the instants with
//! expectations it computes on its own from the TOML (Python `zoneinfo`).
//!
//! The parsers are installed by `tests/interop/setup.sh`, which the README's test command runs.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;

use chrono::{DateTime, NaiveDate};

use calfeed::ics::ContentWriter;
use calfeed::tz::{self, Tzdb, WallTime};

use crate::common::{build, fixture, root, run_checker};

fn check_fixture(path: &std::path::Path) -> String {
    let out = tempfile::tempdir().unwrap();
    build(path, out.path());
    let report = run_checker(
        "python3",
        &[
            OsStr::new("tests/interop/check.py"),
            OsStr::new("--toml"),
            path.as_os_str(),
            OsStr::new("--out"),
            out.path().as_os_str(),
            OsStr::new("--tzdata-release"),
            OsStr::new(tz::db::bundled_release()),
        ],
    );
    println!("{report}");
    report
}

#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn zone_edge_cases_read_the_same_in_three_parsers() {
    let report = check_fixture(&fixture("valid/zones.toml"));
    assert!(report.contains("mismatches: none"), "{report}");
}

#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn zone_changes_of_2026_read_the_same_in_three_parsers() {
    let report = check_fixture(&fixture("valid/tz2026.toml"));
    assert!(report.contains("mismatches: none"), "{report}");
}

#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn texts_and_all_day_events_read_the_same_in_three_parsers() {
    let report = check_fixture(&fixture("valid/text.toml"));
    assert!(report.contains("mismatches: none"), "{report}");
}

#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn utc_style_reads_the_same_in_three_parsers() {
    let report = check_fixture(&fixture("valid/utc-style.toml"));
    assert!(report.contains("mismatches: none"), "{report}");
}

/// Repeating events expanded by each parser (Python `icalendar` with `recurring_ical_events`,
/// ical.js's `Event.iterator`, libical's `icalcomponent_foreach_recurrence`) through the file's
/// VTIMEZONEs, compared with `dateutil.rrule` on wall times placed with `zoneinfo`.
#[test]
#[ignore = "needs Python icalendar and recurring_ical_events, ical.js and libical: run scripts/test.sh"]
fn repeating_events_expand_the_same_in_three_parsers() {
    let out = tempfile::tempdir().unwrap();
    let toml = fixture("valid/repeat.toml");
    build(&toml, out.path());
    let report = run_checker(
        "python3",
        &[
            OsStr::new("tests/interop/recur_check.py"),
            OsStr::new("--toml"),
            toml.as_os_str(),
            OsStr::new("--ics"),
            out.path().join("all.ics").as_os_str(),
            OsStr::new("--tzdata-release"),
            OsStr::new(tz::db::bundled_release()),
        ],
    );
    println!("{report}");
    // Nine repeating events, three parsers.
    assert!(report.contains("27 passed, 0 failed"), "{report}");
}

#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn the_default_dataset_reads_the_same_in_three_parsers() {
    let report = check_fixture(&root().join("events.toml"));
    assert!(report.contains("mismatches: none"), "{report}");
}

/// Every zone of the bundled tz database, as a generated VTIMEZONE valid from 1970, must give
/// the offset Python's zoneinfo gives (from the same IANA release) at sampled instants from 1970
/// to 2037: the first of every month, and one second before, at and after every transition.
/// Python `icalendar` and libical are asked for the offset at each UTC instant; all three
/// parsers convert each unambiguous wall time back to UTC.
#[test]
#[ignore = "needs Python icalendar, ical.js and libical: run scripts/test.sh"]
fn every_zone_sweeps_1970_to_2037_through_independent_parsers() {
    let dir = tempfile::tempdir().unwrap();
    let from = DateTime::from_timestamp(0, 0).unwrap();
    let until = NaiveDate::from_ymd_opt(2038, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();

    let mut w = ContentWriter::new(Vec::new());
    w.line("BEGIN:VCALENDAR").unwrap();
    w.line("VERSION:2.0").unwrap();
    w.line("PRODID:-//calfeed//zone sweep//EN").unwrap();
    let mut samples = String::from("{\"zones\":[");
    let db = Tzdb::bundled();
    let zones: Vec<tz::Zone> = db.names().iter().filter_map(|n| db.zone(n)).collect();
    for (i, &zone) in zones.iter().enumerate() {
        for line in tz::vtimezone(zone, from).lines() {
            w.line(&line).unwrap();
        }
        let instants = tz::sample_instants(zone, from.timestamp(), until.timestamp());
        if i > 0 {
            samples.push(',');
        }
        let _ = write!(samples, "{{\"tzid\":\"{}\",\"samples\":[", zone.name());
        for (j, t) in instants.iter().enumerate() {
            let wall = zone.to_local(DateTime::from_timestamp(*t, 0).unwrap());
            let unique = matches!(zone.resolve(wall), WallTime::Single(_));
            let offset = zone.state_at(*t).offset;
            if j > 0 {
                samples.push(',');
            }
            let _ = write!(
                samples,
                "[{t},{offset},\"{}\",{unique}]",
                wall.format("%Y%m%dT%H%M%S")
            );
        }
        samples.push_str("]}");
    }
    samples.push_str("]}");
    w.line("END:VCALENDAR").unwrap();
    let ics = dir.path().join("sweep.ics");
    let json = dir.path().join("samples.json");
    fs::write(&ics, w.finish().unwrap()).unwrap();
    fs::write(&json, samples).unwrap();

    let report = run_checker(
        "python3",
        &[
            OsStr::new("tests/interop/sweep.py"),
            OsStr::new("--ics"),
            ics.as_os_str(),
            OsStr::new("--samples"),
            json.as_os_str(),
            OsStr::new("--tzdata-release"),
            OsStr::new(tz::db::bundled_release()),
        ],
    );
    println!("{report}");
    assert!(
        report.contains(&format!("{} zones", zones.len())),
        "{report}"
    );
}
