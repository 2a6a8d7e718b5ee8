//! The subscribe page and the one-event files, read as files (the browser tests in
//! `tests/browser.rs` run the page in Chromium).

use std::fs;

use crate::common::{build, files, fixture, stderr, workspace};

/// The `VEVENT` blocks of an iCalendar text, as they are written.
fn vevents(ics: &str) -> Vec<&str> {
    ics.match_indices("BEGIN:VEVENT\r\n")
        .map(|(start, _)| {
            let end = ics[start..].find("END:VEVENT\r\n").unwrap() + start + "END:VEVENT\r\n".len();
            &ics[start..end]
        })
        .collect()
}

#[test]
fn build_writes_a_page_per_language_and_a_file_per_event() {
    let out = tempfile::tempdir().unwrap();
    let output = build(&fixture("valid/page.toml"), out.path());
    let names = files(out.path());
    assert!(names.contains(&"index.html".to_owned()), "{names:?}");
    assert!(names.contains(&"index.ko.html".to_owned()), "{names:?}");
    assert_eq!(
        files(&out.path().join("events")),
        [
            "far-future.ics",
            "long-ago.ics",
            "ny-across-change.ics",
            "ny-after-change.ics",
            "ny-before-change.ics",
            "ny-evening.ics",
            "seoul-morning.ics",
            "tokyo-all-day.ics"
        ]
    );
    assert!(
        stderr(&output).contains("2 pages, 8 one-event files in events/"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn one_event_files_hold_the_same_event_bytes_as_the_feeds() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/page.toml"), out.path());
    let all = fs::read_to_string(out.path().join("all.ics")).unwrap();
    let in_feed = vevents(&all);
    assert_eq!(in_feed.len(), 8);
    for entry in fs::read_dir(out.path().join("events")).unwrap() {
        let path = entry.unwrap().path();
        let ics = fs::read_to_string(&path).unwrap();
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let events = vevents(&ics);
        assert_eq!(events.len(), 1, "{}", path.display());
        assert!(
            events[0].contains(&format!("\r\nUID:{id}@page.example.org\r\n")),
            "{ics}"
        );
        assert!(in_feed.contains(&events[0]), "{id}: not the feed's bytes");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains(&format!(
            "\r\nSOURCE;VALUE=URI:https://example.org/cal/events/{id}.ics\r\n"
        )));
        // Every zone the event names has its VTIMEZONE, the same as in the feed.
        for line in events[0].lines().filter(|l| l.contains(";TZID=")) {
            let zone = line
                .split("TZID=")
                .nth(1)
                .unwrap()
                .split(':')
                .next()
                .unwrap();
            let begin = format!("BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n");
            assert!(ics.contains(&begin), "{id}: no VTIMEZONE for {zone}");
            let block = |text: &str| {
                let start = text.find(&begin).unwrap();
                let end = text[start..].find("END:VTIMEZONE\r\n").unwrap();
                text[start..start + end].to_owned()
            };
            assert_eq!(block(&ics), block(&all), "{id}: {zone}");
        }
    }
}

#[test]
fn stale_event_files_and_pages_are_removed() {
    let w = workspace("valid/page.toml");
    build(&w.input, &w.out);
    fs::write(w.out.join("events/mine.txt"), "not calfeed's").unwrap();
    let text = fs::read_to_string(&w.input).unwrap();
    let text = text
        .replace("id = \"long-ago\"", "id = \"long-ago-renamed\"")
        .replace("language = \"ko\"", "language = \"en\"");
    fs::write(&w.input, text).unwrap();
    let output = build(&w.input, &w.out);
    let report = stderr(&output);
    assert!(report.contains("events/long-ago.ics"), "{report}");
    assert!(report.contains("index.ko.html"), "{report}");
    let events = files(&w.out.join("events"));
    assert!(events.contains(&"long-ago-renamed.ics".to_owned()));
    assert!(!events.contains(&"long-ago.ics".to_owned()));
    assert!(events.contains(&"mine.txt".to_owned()));
    assert!(!w.out.join("index.ko.html").exists());
}

#[test]
fn texts_from_the_input_are_escaped() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/page.toml"), out.path());
    let html = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        html.contains(
            "&lt;script&gt;document.title=&#x27;x&#x27;&lt;&#x2f;script&gt; &amp; dinner"
        ),
        "{html}"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains(
        "<p class=\"description\">Dinner &amp; talks.\n&lt;a href=&quot;javascript:alert(1)&quot;&gt;not a link&lt;&#x2f;a&gt;</p>"
    ), "{html}");
    assert!(html.contains(
        "<a href=\"https:&#x2f;&#x2f;example.org&#x2f;dinner?a=1&amp;b=2\" rel=\"noopener\">"
    ));
    assert!(html.contains("<title>Talks &amp; visits &lt;2026&gt;</title>"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    let korean = fs::read_to_string(out.path().join("index.ko.html")).unwrap();
    assert!(korean.contains("<html lang=\"ko\">"));
    assert!(korean.contains("&lt;script&gt;만찬&lt;&#x2f;script&gt; &amp; 저녁"));
    assert!(korean.contains("한국어 일정"));
    // A text that falls back to the calendar's language says so.
    assert!(
        korean.contains("<span class=\"name\" lang=\"en\">Night session across the change</span>")
    );
    assert!(korean.contains("<span class=\"name\">서울의 아침</span>"));
    assert!(korean.contains("<span class=\"name\">Breakfast before the change</span>"));
}

/// Nothing on the page is loaded from anywhere: no `src`, no stylesheet or font links, no CSS
/// `url()` or `@import`; the only `<link>`s are the inline icon and the other languages.
#[test]
fn the_page_loads_nothing() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/page.toml"), out.path());
    for page in ["index.html", "index.ko.html"] {
        let html = fs::read_to_string(out.path().join(page)).unwrap();
        assert!(
            !html.contains("<img") && !html.contains("<iframe"),
            "{page}"
        );
        assert!(!html.contains(" src=\""), "{page}");
        assert!(!html.contains("url("), "{page}");
        assert!(!html.contains("@import"), "{page}");
        for link in html.split("<link ").skip(1) {
            let tag = &link[..link.find('>').unwrap()];
            assert!(
                tag.starts_with("rel=\"icon\" href=\"data:,\"")
                    || tag.starts_with("rel=\"alternate\" hreflang="),
                "{page}: <link {tag}>"
            );
        }
        assert!(html.contains("default-src 'none'"), "{page}");
    }
}

#[test]
fn without_a_url_links_are_relative_and_the_page_says_so() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/text.toml"), out.path());
    let html = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(html.contains("subscribing needs one"), "{html}");
    assert!(!html.contains("webcal:"));
    assert!(!html.contains("calendar.google.com"));
    assert!(!html.contains("outlook.live.com"));
    assert!(html.contains("<a class=\"button https\" href=\"korean.ics\" download>"));
    assert!(files(out.path()).contains(&"index.ja.html".to_owned()));
}

#[test]
fn feeds_only_writes_no_page_and_removes_an_earlier_one() {
    let w = workspace("valid/page.toml");
    build(&w.input, &w.out);
    let output = crate::common::build_command(&w.input, &w.out)
        .arg("--feeds-only")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        files(&w.out),
        [
            ".calfeed-lock",
            ".calfeed-outputs",
            "all.ics",
            "events",
            "korean.ics",
            "new-york.ics"
        ]
    );
    assert!(files(&w.out.join("events")).is_empty());
}

/// Built on 2026-01-01: a repeating event is listed once per occurrence up to a year ahead, each
/// with its rule and the series' one-event file.
#[test]
fn the_page_lists_the_occurrences_of_repeating_events() {
    let out = tempfile::tempdir().unwrap();
    build(&fixture("valid/agenda-repeat.toml"), out.path());
    let html = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    let count = |id: &str| {
        html.matches(&format!("data-uid=\"{id}@example.org\""))
            .count()
    };
    // 30 times, once skipped.
    assert_eq!(count("briefing"), 29);
    // Every Wednesday of 2026 from 4 February.
    assert_eq!(count("choir"), 48);
    assert_eq!(count("holiday"), 1);
    assert_eq!(count("launch"), 1);
    assert_eq!(html.matches("data-occurrence=").count(), 29 + 48 + 1);
    assert!(
        html.contains("data-uid=\"briefing@example.org\" data-occurrence=\"2026-03-17T13:00:00Z\"")
    );
    assert!(!html.contains("data-occurrence=\"2026-03-03T14:00:00Z\""));
    assert!(html.contains("data-uid=\"holiday@example.org\" data-occurrence=\"2026-03-20\""));
    assert_eq!(html.matches("every Tuesday, 30 times").count(), 29);
    assert_eq!(
        html.matches("href=\"events&#x2f;choir.ics\"").count(),
        48,
        "{html}"
    );
    // One file per event, not per occurrence.
    assert!(out.path().join("events/choir.ics").is_file());
}
