//! Whole feeds as text: folding, escaping, VTIMEZONEs and property order, compared with
//! reviewed snapshots (line ends shown as `␍` so that CRLF is part of the snapshot).

use std::fs;

use crate::common::{build, fixture};

fn feed(fixture_name: &str, file: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    build(&fixture(fixture_name), out.path());
    let text = fs::read_to_string(out.path().join(file)).unwrap();
    text.replace("\r\n", "␍\n")
}

#[test]
fn texts_and_all_day_events() {
    insta::assert_snapshot!("text-all", feed("valid/text.toml", "all.ics"));
}

#[test]
fn korean_feed() {
    insta::assert_snapshot!("text-korean", feed("valid/text.toml", "korean.ics"));
}

#[test]
fn zone_edge_cases() {
    insta::assert_snapshot!("zones-all", feed("valid/zones.toml", "all.ics"));
}

/// The places whose clocks changed in 2026: their VTIMEZONEs as the bundled data has them.
#[test]
fn zone_changes_of_2026() {
    insta::assert_snapshot!("tz2026-all", feed("valid/tz2026.toml", "all.ics"));
}

/// Repeating events: `RRULE` with a UTC or DATE `UNTIL`, `EXDATE` written like `DTSTART`.
#[test]
fn repeating_events() {
    insta::assert_snapshot!("repeat-all", feed("valid/repeat.toml", "all.ics"));
}

#[test]
fn utc_style() {
    insta::assert_snapshot!("utc-style-all", feed("valid/utc-style.toml", "all.ics"));
}

/// The `icalendar` crate's parser reads every event back with its texts intact: escapes,
/// folds inside Korean text and emoji, tabs, and injection attempts that stay inside their value.
#[test]
fn icalendar_crate_reads_texts_back_exactly() {
    use icalendar::{CalendarComponent, Component, EventLike};

    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/text.toml"), out.path());
    let text = fs::read_to_string(out.path().join("korean.ics")).unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("the icalendar crate parses the feed");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 8, "no event injected, none lost");
    let by_uid = |uid: &str| {
        *events
            .iter()
            .find(|e| e.get_uid() == Some(uid))
            .unwrap_or_else(|| panic!("{uid} missing"))
    };
    let nara = by_uid("nara-shuttle-summit@text.example.org");
    assert_eq!(
        nara.get_summary(),
        Some("이재명 대통령-다카이치 총리 나라 셔틀외교 정상회담")
    );
    assert!(
        nara.get_description()
            .unwrap()
            .starts_with("이재명 대통령이 2026년 1월 13일부터 14일까지")
    );
    assert!(
        nara.get_description()
            .unwrap()
            .ends_with("\n\n참석자: 이재명, 다카이치 사나에")
    );
    assert_eq!(nara.get_location(), Some("일본 나라현"));

    let injection = by_uid("injection@text.example.org");
    assert_eq!(
        injection.get_summary(),
        Some("Innocent\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@example.org\nSUMMARY:Injected")
    );
    assert_eq!(
        injection.get_description(),
        Some("END:VCALENDAR\nBEGIN:VCALENDAR")
    );
    assert_eq!(injection.get_location(), Some("X;TZID=Evil:\\n"));

    let escaping = by_uid("escaping@text.example.org");
    assert_eq!(
        escaping.get_summary(),
        Some("Commas, semicolons; colons: backslashes \\ quotes \" and ^carets^")
    );
    let tabs = by_uid("tabs@text.example.org");
    assert_eq!(tabs.get_summary(), Some("Tabs:\tone typed, one\tescaped"));
    assert_eq!(tabs.get_location(), Some("A홀\t2호실"));
    assert_eq!(
        tabs.get_description(),
        Some(
            "Agenda, as pasted from a spreadsheet:\n\t09:00\tArrival\n\t10:00\tTalks\t(main hall)\
             \n\n참석자: Name\twith a tab, 이재명\t대통령\n출처: Report\t2026"
        )
    );

    let tentative = by_uid("late-march-window@text.example.org");
    assert_eq!(
        tentative.get_summary(),
        Some("[미정] Visit, late March (date not fixed)")
    );
}
