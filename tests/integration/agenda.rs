//! `calfeed agenda`: the same events on the clocks of several zones, compared with reviewed
//! snapshots.

use crate::common::{calfeed, fixture, stderr, stdout};

fn agenda(args: &[&str]) -> String {
    agenda_of("valid/page.toml", args)
}

/// `calfeed agenda ARGS` on a fixture, which must succeed.
fn agenda_of(input: &str, args: &[&str]) -> String {
    let output = calfeed()
        .arg("agenda")
        .arg("--input")
        .arg(fixture(input))
        .args(args)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("calfeed runs");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

const AUTUMN: [&str; 4] = ["--from", "2026-10-01", "--to", "2026-11-30"];

#[test]
fn agenda_in_los_angeles() {
    let text = agenda(&[&["--tz", "America/Los_Angeles"][..], &AUTUMN].concat());
    insta::assert_snapshot!("agenda-los-angeles", text);
}

#[test]
fn agenda_in_seoul() {
    let text = agenda(&[&["--tz", "Asia/Seoul"][..], &AUTUMN].concat());
    insta::assert_snapshot!("agenda-seoul", text);
}

/// The night session runs from 00:30 EDT to 03:30 EST: four hours across the change.
#[test]
fn agenda_in_new_york_across_the_dst_change() {
    let text = agenda(&[
        "--tz",
        "America/New_York",
        "--from",
        "2026-10-31",
        "--to",
        "2026-11-02",
    ]);
    insta::assert_snapshot!("agenda-new-york-dst", text);
}

/// Berlin has already left summer time when New York has not: five hours apart, not six.
#[test]
fn agenda_in_berlin_in_korean() {
    let text = agenda(&[&["--tz", "Europe/Berlin", "--feed", "korean"][..], &AUTUMN].concat());
    insta::assert_snapshot!("agenda-berlin-korean", text);
}

#[test]
fn all_day_events_keep_their_dates_in_every_zone() {
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"] {
        let text = agenda(&["--tz", zone, "--from", "2026-11-09", "--to", "2026-11-12"]);
        assert!(
            text.contains("Tue 10 Nov  all day  A whole day in Tokyo"),
            "{zone}:\n{text}"
        );
        assert!(text.contains("Tue 10 Nov – Wed 11 Nov"), "{zone}:\n{text}");
    }
}

#[test]
fn colour_only_when_asked_for() {
    let plain = agenda(&[&["--tz", "UTC"][..], &AUTUMN].concat());
    assert!(!plain.contains('\x1b'), "{plain}");
    let coloured = agenda(&[&["--tz", "UTC", "--color", "always"][..], &AUTUMN].concat());
    assert!(
        coloured.contains("\x1b[31m\x1b[1m[Cancelled]\x1b[0m"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\x1b[33m\x1b[1m[Tentative]\x1b[0m"),
        "{coloured}"
    );
    let output = calfeed()
        .args(["agenda", "--tz", "UTC", "--color", "auto", "--input"])
        .arg(fixture("valid/page.toml"))
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\x1b'));
}

/// Without a range, upcoming events come first and past ones after, most recent first.
#[test]
fn upcoming_then_past_without_a_range() {
    let text = agenda(&["--tz", "UTC"]);
    let upcoming = text.find("Upcoming").expect("an upcoming section");
    let past = text.find("\nPast\n").expect("a past section");
    let long_ago = text.find("Long ago").unwrap();
    assert!(upcoming < past && past < long_ago, "{text}");
}

#[test]
fn wrong_feed_zone_or_range_is_refused() {
    let output = calfeed()
        .args(["agenda", "--feed", "nope", "--input"])
        .arg(fixture("valid/page.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("there is no feed `nope`; the feeds are: all, new-york, korean"),
        "{}",
        stderr(&output)
    );
    let output = calfeed()
        .args(["agenda", "--tz", "Asia/Seol"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("`Asia/Seol` is not an IANA time zone for --tz; did you mean `Asia/Seoul`?"),
        "{}",
        stderr(&output)
    );
    let output = calfeed()
        .args([
            "agenda",
            "--from",
            "2026-02-01",
            "--to",
            "2026-01-01",
            "--input",
        ])
        .arg(fixture("valid/page.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--from 2026-02-01 is after --to 2026-01-01"));
}

/// Without --tz, the system's zone (here from `TZ`).
#[test]
fn the_default_zone_is_the_systems() {
    for zone in ["Asia/Seoul", "America/Los_Angeles"] {
        let output = calfeed()
            .args([
                "agenda",
                "--from",
                "2026-10-30",
                "--to",
                "2026-10-30",
                "--input",
            ])
            .arg(fixture("valid/page.toml"))
            .env("TZ", zone)
            .output()
            .unwrap();
        let text = stdout(&output);
        assert!(text.contains(&format!("Time zone: {zone}\n")), "{text}");
    }
}

fn repeating(args: &[&str]) -> String {
    agenda_of("valid/agenda-repeat.toml", args)
}

/// A weekly briefing across the change of 8 March, skipped on 3 March, moved on 17 March and
/// cancelled on 24 March; an open-ended rule in Paris, whose clocks change on 29 March.
#[test]
fn agenda_lists_each_occurrence_across_the_dst_change() {
    let text = repeating(&[
        "--tz",
        "America/New_York",
        "--from",
        "2026-02-20",
        "--to",
        "2026-04-05",
    ]);
    insta::assert_snapshot!("agenda-repeat-new-york", text);
}

#[test]
fn agenda_says_the_rule_in_korean() {
    let text = repeating(&[
        "--tz",
        "Asia/Seoul",
        "--lang",
        "ko",
        "--from",
        "2026-03-14",
        "--to",
        "2026-03-25",
    ]);
    insta::assert_snapshot!("agenda-repeat-seoul-korean", text);
}

/// With --from alone, rules that go on stop a year later; events that do not repeat do not.
#[test]
fn open_ended_rules_stop_a_year_after_from() {
    let text = repeating(&["--tz", "UTC", "--from", "2026-03-01"]);
    assert!(text.contains("\nFebruary 2027\n"), "{text}");
    assert!(!text.contains("March 2027"), "{text}");
    assert_eq!(text.matches("Spring holiday").count(), 1, "{text}");
    // Every Wednesday from 4 March 2026 to 24 February 2027.
    assert_eq!(text.matches("Choir rehearsal").count(), 52, "{text}");
    // COUNT=30 from 24 February, one skipped, the first before --from.
    assert_eq!(text.matches("Weekly briefing").count(), 28, "{text}");
}

/// Without a range, a rule that goes on is listed as on the page: a bounded number of
/// occurrences around today.
#[test]
fn without_a_range_open_ended_rules_are_bounded() {
    let text = repeating(&["--tz", "UTC"]);
    let choir = text.matches("Choir rehearsal").count();
    assert!((1..=71).contains(&choir), "{choir}\n{text}");
    assert!(text.contains("Repeats: every Wednesday"), "{text}");
}
