use super::*;

const HEAD: &str =
    "[calendar]\nname = \"Summits\"\ndomain = \"example.org\"\ntimezone = \"Asia/Tokyo\"\n";

fn event(body: &str) -> String {
    format!("{HEAD}\n[[event]]\n{body}")
}

fn errors(text: &str) -> Vec<(String, String)> {
    let diagnostics = parse(text).expect_err("the input is invalid");
    diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| (text[d.span.clone()].to_owned(), d.message))
        .collect()
}

fn only_event(text: &str) -> Event {
    let loaded = parse(text).unwrap_or_else(|d| panic!("{}", diag::render(&d, "test.toml", text)));
    loaded
        .calendar
        .events
        .into_iter()
        .next()
        .expect("one event")
}

fn instant(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[test]
fn local_time_takes_the_calendar_zone() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2025-10-28T10:00:00\nduration = \"PT25M\"\n",
    ));
    let When::Timed { start, end } = e.when else {
        panic!("timed")
    };
    assert_eq!(start.utc, instant("2025-10-28T01:00:00Z"));
    assert_eq!(end.utc, instant("2025-10-28T01:25:00Z"));
    assert_eq!(start.zone.map(|z| z.name()), Some("Asia/Tokyo"));
}

#[test]
fn timed_event_without_end_lasts_the_default_duration() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2025-10-28T10:00:00\n",
    ));
    let When::Timed { start, end } = e.when else {
        panic!("timed")
    };
    assert_eq!(end.utc - start.utc, ChronoDuration::hours(1));
    let text = HEAD.replace("timezone", "default_duration = \"PT30M\"\ntimezone")
        + "\n[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2025-10-28T10:00:00\n";
    let When::Timed { start, end } = only_event(&text).when else {
        panic!("timed")
    };
    assert_eq!(end.utc - start.utc, ChronoDuration::minutes(30));
}

#[test]
fn offset_without_zone_is_written_in_utc() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2025-11-24T21:00:00-05:00\n",
    ));
    let When::Timed { start, .. } = e.when else {
        panic!("timed")
    };
    assert_eq!(start.utc, instant("2025-11-25T02:00:00Z"));
    assert_eq!(start.zone, None);
}

#[test]
fn offset_picks_one_of_two_wall_times_and_is_written_in_utc() {
    for (offset, utc) in [
        ("-04:00", "2025-11-02T05:30:00Z"),
        ("-05:00", "2025-11-02T06:30:00Z"),
    ] {
        let e = only_event(&event(&format!(
            "id = \"a\"\ntitle = \"A\"\nstart = 2025-11-02T01:30:00{offset}\ntimezone = \"America/New_York\"\n"
        )));
        let When::Timed { start, end } = e.when else {
            panic!("timed")
        };
        assert_eq!(start.utc, instant(utc));
        assert_eq!(start.zone, None, "a repeated wall time is written in UTC");
        // An hour later is 02:30 EST, unique, so the end keeps its zone.
        assert_eq!(end.utc - start.utc, ChronoDuration::hours(1));
    }
}

#[test]
fn nominal_days_follow_the_wall_clock_across_dst() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2026-03-07T12:00:00\nduration = \"P1DT1H\"\ntimezone = \"America/New_York\"\n",
    ));
    let When::Timed { start, end } = e.when else {
        panic!("timed")
    };
    // 12:00 EST to 13:00 EDT the next day: 24 hours of wall time, 24 elapsed (one hour lost).
    assert_eq!(start.utc, instant("2026-03-07T17:00:00Z"));
    assert_eq!(end.utc, instant("2026-03-08T17:00:00Z"));
}

#[test]
fn all_day_end_is_inclusive_and_duration_counts_days() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2026-01-13\nend = 2026-01-14\n",
    ));
    assert_eq!(
        e.when,
        When::AllDay {
            first: NaiveDate::from_ymd_opt(2026, 1, 13).unwrap(),
            last: NaiveDate::from_ymd_opt(2026, 1, 14).unwrap()
        }
    );
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"A\"\nstart = 2026-04-01\nduration = \"P30D\"\n",
    ));
    let When::AllDay { last, .. } = e.when else {
        panic!("all-day")
    };
    assert_eq!(last, NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
}

#[test]
fn errors_point_at_the_offending_value() {
    assert_eq!(
        errors(&event(
            "id = \"a\"\ntitle = \"A\"\nstart = 2026-03-08T02:30:00\ntimezone = \"America/New_York\"\n"
        )),
        [(
            "2026-03-08T02:30:00".to_owned(),
            "2026-03-08T02:30:00 does not exist in America/New_York".to_owned()
        )]
    );
    assert_eq!(
        errors(&event(
            "id = \"a\"\ntitle = \"A\"\nstart = 2025-10-28\ncountries = [\"JP\", \"UK\"]\n"
        )),
        [("\"UK\"".to_owned(), "unknown country code `UK`".to_owned())]
    );
    assert_eq!(
        errors(&event("id = \"a\"\ntitel = \"A\"\nstart = 2025-10-28\n")),
        [(
            "titel".to_owned(),
            "unknown key `titel` in [[event]]".to_owned()
        )]
    );
}

#[test]
fn all_errors_of_all_events_are_reported_in_file_order() {
    let text = event("id = \"a\"\ntitle = 1\nstart = \"2025-10-28\"\n")
        + "\n[[event]]\nid = \"B\"\ntitle = \"B\"\nstart = 2025-10-28\nstatus = \"maybe\"\n";
    let found: Vec<String> = errors(&text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(
        found,
        [
            "`title` must be a string or a table of languages, found an integer",
            "`start` must be a date or a date-time, found a string",
            "invalid event id `B`",
            "unknown status `maybe`",
        ]
    );
}

#[test]
fn texts_are_trimmed_and_line_breaks_normalised() {
    let e = only_event(&event(
        "id = \"a\"\ntitle = \"  Tokyo\\r\\nsummit  \"\nstart = 2025-10-28\n",
    ));
    assert_eq!(e.title, Text::Plain("Tokyo\nsummit".to_owned()));
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!(
        "\u{feff}{}",
        event("id = \"a\"\ntitle = \"A\"\nstart = 2025-10-28\n")
    );
    assert!(parse(&text).is_ok());
}

#[test]
fn nothing_panics_on_odd_input() {
    for text in [
        "",
        "\u{feff}",
        "[calendar]",
        "[[calendar]]\nname = 1",
        "event = 3\nfeed = []\ncalendar = {}",
        "[calendar]\nname = {}\ndomain = \"-.\"",
        "[calendar]\nname=\"x\"\ndomain=\"x\"\n[[event]]\nid=\"a\"\ntitle=\"a\"\nstart=9999-12-31T23:59:59Z\nduration=\"P3000000D\"",
        "[calendar]\nname=\"x\"\ndomain=\"x\"\n[[event]]\nid=\"a\"\ntitle=\"a\"\nstart=0001-01-01T00:00:00\ntimezone=\"Pacific/Kiritimati\"",
        "[calendar]\nname=\"x\"\ndomain=\"x\"\n[[event]]\nid=\"a\"\ntitle=\"a\"\nstart=2025-01-01T00:00:00-23:59\nend=2025-01-01\n",
        "[calendar]\nname=\"x\"\ndomain=\"x\"\n[[event]]\ngeo={lat=nan,lon=inf}\nsequence=99999999999999999999",
    ] {
        let _ = parse(text);
    }
}

/// Every prefix of real files (as an editor saving half-way would leave them) is reported, not
/// a panic.
#[test]
fn truncated_files_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "events.toml",
        "tests/fixtures/valid/zones.toml",
        "tests/fixtures/valid/text.toml",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let mut cut = 0;
        while cut < text.len() {
            if text.is_char_boundary(cut) {
                let _ = parse(&text[..cut]);
            }
            cut += 13;
        }
        assert!(parse(&text).is_ok(), "{file} is valid");
    }
}

/// Reading a file section by section gives exactly what reading it whole gives, for every
/// fixture, valid or not, and for TOML that only reads right whole.
#[test]
fn sections_read_like_the_whole_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    let mut files = vec![root.join("events.toml")];
    for dir in ["tests/fixtures/valid", "tests/fixtures/invalid"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    // A repeated `[calendar]` is the one difference: read whole, the TOML parser reports a
    // duplicate key; read by sections, calfeed says which table repeats which.
    let comparable = |p: &std::path::PathBuf| {
        p.extension().is_some_and(|e| e == "toml") && !p.ends_with("duplicate-calendar.toml")
    };
    for path in files.into_iter().filter(comparable) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        texts.push((path.display().to_string(), text));
    }
    let two = format!(
        "{}\n[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2025-10-28\n\n[[event]]\nid = \"b\"\ntitle = \"B\"\nstart = 2025-10-29\n",
        HEAD
    );
    for (name, text) in [
        // An inline array of events before `[calendar]` and a later `[[event]]`: invalid TOML.
        (
            "inline events, then [[event]]",
            format!(
                "event = [{{ id = \"a\", title = \"A\", start = 2025-10-28 }}]\n{HEAD}\n[[event]]\nid = \"b\"\ntitle = \"B\"\nstart = 2025-10-29\n"
            ),
        ),
        (
            "[event.geo] after a feed",
            format!(
                "{two}\n[[feed]]\nname = \"f\"\ntitle = \"F\"\n\n[event.geo]\nlat = 1.0\nlon = 2.0\n"
            ),
        ),
        ("[event] table", format!("{two}\n[event]\nid = \"c\"\n")),
        (
            "syntax errors in two events",
            two.replace("title = \"A\"", "title = \"A")
                .replace("2025-10-29", "2025-13-29"),
        ),
        ("two events", two.clone()),
    ] {
        texts.push((name.to_owned(), text));
    }

    let mut compared = 0;
    for (name, text) in &texts {
        let whole = [sections::Section {
            range: 0..text.len(),
            has_calendar: true,
        }];
        let by_sections = read(
            text,
            &sections::split(text),
            tz::Tzdb::bundled(),
            Options::default(),
        );
        let at_once = read(text, &whole, tz::Tzdb::bundled(), Options::default());
        assert_eq!(format!("{by_sections:?}"), format!("{at_once:?}"), "{name}");
        compared += 1;
    }
    assert!(compared > 45, "{compared}");
    let by_name = |wanted: &str| parse(&texts.iter().find(|(n, _)| n == wanted).unwrap().1);
    // What TOML forbids is refused (Python's tomllib: "Cannot mutate immutable namespace").
    for name in [
        "inline events, then [[event]]",
        "[event] table",
        "syntax errors in two events",
    ] {
        assert!(by_name(name).is_err(), "{name}");
    }
    // A list left open ends at the next `[[event]]`: read by sections, that is the one error;
    // read whole, the parser takes the next event for list items and reports each of its lines.
    let text = two.replacen(
        "start = 2025-10-28\n",
        "start = 2025-10-28\ntags = [\"a\",\n",
        1,
    );
    let whole = [sections::Section {
        range: 0..text.len(),
        has_calendar: true,
    }];
    let by_sections = read(
        &text,
        &sections::split(&text),
        tz::Tzdb::bundled(),
        Options::default(),
    )
    .unwrap_err();
    let at_once = read(&text, &whole, tz::Tzdb::bundled(), Options::default()).unwrap_err();
    assert_eq!(by_sections.len(), 1, "{by_sections:?}");
    assert_eq!(
        by_sections[0].message,
        "invalid TOML: unclosed array, expected `]`"
    );
    assert_eq!(diag::position(&text, by_sections[0].span.start).line, 10);
    assert!(at_once.len() > 1 && at_once.iter().any(|d| d.message == by_sections[0].message));
    // A sub-table after a feed belongs to the last event.
    let loaded = by_name("[event.geo] after a feed").expect("valid");
    assert_eq!(loaded.calendar.events[1].geo, Some((1.0, 2.0)));
}

#[test]
fn calendar_may_come_after_the_events() {
    let text = "[[event]]\nid = \"a\"\ntitle = \"A\"\nstart = 2025-10-28T10:00:00\n\n[calendar]\nname = \"x\"\ndomain = \"example.org\"\ntimezone = \"Asia/Seoul\"\n";
    let e = only_event(text);
    assert_eq!(e.timezone.name(), "Asia/Seoul");
}

#[test]
fn passed_plans_are_warnings_in_file_order_and_only_when_asked() {
    let text = format!(
        "{HEAD}\n[[event]]\nid = \"late\"\ntitle = \"Late\"\nstart = 2026-03-20\nend = 2026-03-31\nstatus = \"tentative\"\n\
         \n[[event]]\nid = \"early\"\ntitle = \"Early\"\nstart = 2026-01-05\nstatus = \"tentative\"\n"
    );
    assert!(
        parse(&text).unwrap().warnings.is_empty(),
        "no date, no check"
    );
    let today = Some(Today::Date(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()));
    let loaded = parse_with_options(&text, tz::Tzdb::bundled(), Options { today }).unwrap();
    let shown: Vec<(&str, &str)> = loaded
        .warnings
        .iter()
        .map(|d| (&text[d.span.clone()], d.message.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "\"tentative\"",
                "the plan `late` ended on 2026-03-31, before today (2026-12-02 in Asia/Tokyo)"
            ),
            (
                "\"tentative\"",
                "the plan `early` ended on 2026-01-05, before today (2026-12-02 in Asia/Tokyo)"
            ),
        ]
    );

    // Alongside an error, the warning is reported with it.
    let broken = text.replace("title = \"Early\"", "title = \"\"");
    let diagnostics =
        parse_with_options(&broken, tz::Tzdb::bundled(), Options { today }).unwrap_err();
    assert_eq!(diagnostics.iter().filter(|d| d.is_error()).count(), 1);
    assert_eq!(diagnostics.iter().filter(|d| !d.is_error()).count(), 1);
}

/// A file with enough sections to be parsed on a second thread reads exactly like the whole
/// file parsed at once, errors and warnings included, and a syntax error far into it is found.
#[test]
fn sections_parsed_ahead_read_like_the_whole_file() {
    let mut text = String::from(HEAD);
    for i in 0..PIPELINE_FROM + 40 {
        let status = if i % 7 == 0 { "tentative" } else { "confirmed" };
        let broken_end = if i == 100 {
            "\nend = 2025-10-27T10:00:00"
        } else {
            ""
        };
        text.push_str(&format!(
            "\n[[event]]\nid = \"e{i}\"\ntitle = \"Event {i}\"\nstart = 2025-10-28T10:00:00\
             \nstatus = \"{status}\"{broken_end}\n"
        ));
    }
    let sections = sections::split(&text);
    assert!(sections.len() > PIPELINE_FROM, "{}", sections.len());
    let whole = [sections::Section {
        range: 0..text.len(),
        has_calendar: true,
    }];
    let options = Options {
        today: Some(crate::plans::Today::Date("2026-01-01".parse().unwrap())),
    };
    let db = tz::Tzdb::bundled();
    let by_sections = read(&text, &sections, db, options);
    let at_once = read(&text, &whole, db, options);
    assert_eq!(format!("{by_sections:?}"), format!("{at_once:?}"));
    let diagnostics = by_sections.unwrap_err();
    assert_eq!(diagnostics.iter().filter(|d| d.is_error()).count(), 1);
    assert!(diagnostics.len() > 40, "{}", diagnostics.len());

    // A syntax error past the sections the second thread reads ahead.
    let broken = text.replacen("title = \"Event 200\"", "title = \"Event 200", 1);
    let by_sections = read(&broken, &sections::split(&broken), db, options);
    let at_once = read(&broken, &whole_of(&broken), db, options);
    let errors = by_sections.unwrap_err();
    assert!(errors[0].message.starts_with("invalid TOML"), "{errors:?}");
    assert_eq!(errors[0].span, at_once.unwrap_err()[0].span);
}

fn whole_of(text: &str) -> [sections::Section; 1] {
    [sections::Section {
        range: 0..text.len(),
        has_calendar: true,
    }]
}
