//! Every validation error, on its own fixture in `tests/fixtures/invalid/`: the full rendered
//! report (location, source line, caret, message, hint) is compared with a snapshot.

use crate::common::{calfeed, fixture, stderr, stdout};

fn check(name: &str) -> String {
    let dir = fixture("invalid");
    let output = calfeed()
        .arg("check")
        .arg(format!("{name}.toml"))
        .current_dir(&dir)
        .output()
        .expect("calfeed runs");
    format!(
        "exit: {}\n--- stderr\n{}--- stdout\n{}",
        output.status.code().unwrap_or(-1),
        stderr(&output),
        stdout(&output)
    )
}

macro_rules! invalid {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let shown = check($file);
                if $file != "warnings-only" {
                    assert!(shown.starts_with("exit: 1\n"), "{shown}");
                    assert!(shown.contains(concat!("--> ", $file, ".toml:")), "{shown}");
                }
                insta::assert_snapshot!($file, shown);
            }
        )*

        /// Every problem reported for the fixtures above says how to fix it.
        #[test]
        fn every_problem_comes_with_a_hint() {
            let mut checked = 0;
            for file in [$($file),*] {
                let shown = check(file);
                for block in shown.split("\n\n").filter(|b| b.contains(" --> ")) {
                    assert!(block.contains("= help: "), "{file}: no hint in\n{block}");
                    checked += 1;
                }
            }
            assert!(checked > 70, "{checked}");
        }

        /// Every fixture in the folder has a test above.
        #[test]
        fn every_fixture_is_tested() {
            let mut listed = vec![$($file),*];
            listed.sort_unstable();
            let mut present: Vec<String> = std::fs::read_dir(fixture("invalid"))
                .unwrap()
                .filter_map(|e| e.unwrap().file_name().to_str()?.strip_suffix(".toml").map(str::to_owned))
                .collect();
            present.sort();
            assert_eq!(listed, present);
        }
    };
}

invalid! {
    all_day_duration_with_hours => "all-day-duration-with-hours",
    calendar_not_table => "calendar-not-table",
    control_character => "control-character",
    duplicate_calendar => "duplicate-calendar",
    duplicate_feed_name => "duplicate-feed-name",
    duplicate_id => "duplicate-id",
    dst_ambiguous => "dst-ambiguous",
    dst_gap => "dst-gap",
    dst_gap_chisinau_2026 => "chisinau-gap",
    empty_title => "empty-title",
    end_and_duration => "end-and-duration",
    end_before_start => "end-before-start",
    end_equals_start => "end-equals-start",
    end_kind_mismatch => "end-kind-mismatch",
    event_not_array => "event-not-array",
    events_not_tables => "events-not-tables",
    fractional_seconds => "fractional-seconds",
    invalid_calendar_url => "invalid-calendar-url",
    invalid_domain => "invalid-domain",
    invalid_duration => "invalid-duration",
    invalid_event_url => "invalid-event-url",
    invalid_feed_name => "invalid-feed-name",
    invalid_geo => "invalid-geo",
    invalid_id => "invalid-id",
    invalid_language => "invalid-language",
    invalid_refresh => "invalid-refresh",
    invalid_tag => "invalid-tag",
    invalid_text_language => "invalid-text-language",
    leap_second => "leap-second",
    many_errors => "many-errors",
    missing_default_language => "missing-default-language",
    more_wrong_types => "more-wrong-types",
    missing_required => "missing-required",
    negative_sequence => "negative-sequence",
    no_calendar => "no-calendar",
    not_a_real_date => "not-a-real-date",
    not_utf8 => "not-utf8",
    offset_mismatch => "offset-mismatch",
    out_of_range => "out-of-range",
    quoted_date => "quoted-date",
    repeat_all_day_hourly => "repeat-all-day-hourly",
    repeat_count_and_until => "repeat-count-and-until",
    repeat_crosses_change => "repeat-crosses-change",
    repeat_dst_gap => "repeat-dst-gap",
    repeat_escaped => "repeat-escaped",
    repeat_misspelt_day => "repeat-misspelt-day",
    repeat_never => "repeat-never",
    repeat_not_for_freq => "repeat-not-for-freq",
    repeat_numbered_weekly => "repeat-numbered-weekly",
    repeat_override_errors => "repeat-override-errors",
    repeat_override_stamp => "repeat-override-stamp",
    repeat_override_without_repeat => "repeat-override-without-repeat",
    repeat_repeated_hour => "repeat-repeated-hour",
    repeat_skip_not_an_occurrence => "repeat-skip-not-an-occurrence",
    repeat_skip_without_repeat => "repeat-skip-without-repeat",
    repeat_start_not_produced => "repeat-start-not-produced",
    repeat_utc_style_drift => "repeat-utc-style-drift",
    reserved_feed_name => "reserved-feed-name",
    root_key_in_calendar => "root-key-in-calendar",
    string_instead_of_list => "string-instead-of-list",
    syntax_error => "syntax-error",
    time_only => "time-only",
    unknown_calendar_key => "unknown-calendar-key",
    unknown_calendar_timezone => "unknown-calendar-timezone",
    unknown_country => "unknown-country",
    unknown_event_key => "unknown-event-key",
    unknown_root_key => "unknown-root-key",
    unknown_status => "unknown-status",
    unknown_timezone => "unknown-timezone",
    unknown_timezone_no_suggestion => "unknown-timezone-no-suggestion",
    unknown_timezones_style => "unknown-timezones-style",
    updated_without_offset => "updated-without-offset",
    warnings_only => "warnings-only",
    wrong_type => "wrong-type",
    zero_default_duration => "zero-default-duration",
    zero_duration => "zero-duration",
}
