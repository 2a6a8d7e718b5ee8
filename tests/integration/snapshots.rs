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

#[test]
fn utc_style() {
    insta::assert_snapshot!("utc-style-all", feed("valid/utc-style.toml", "all.ics"));
}
