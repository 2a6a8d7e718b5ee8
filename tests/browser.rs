//! The subscribe page in a real browser: Debian's `chromium`, headless, with its clock in
//! different time zones (`TZ`). The page's script must show each timed event on the viewer's
//! clock, keep the event's own local time beside it, sort upcoming and past events by the
//! browser's clock, list each occurrence of a repeating event with its rule, and load nothing
//! from another host.
//!
//! These tests need `chromium` (set `CHROMIUM` to use another binary), so a plain `cargo test`
//! ignores them; `scripts/test.sh` installs it with `scripts/setup-browser.sh` and runs them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// The example page, built once from `tests/fixtures/valid/page.toml` on 2026-01-01.
static SITE: LazyLock<tempfile::TempDir> = LazyLock::new(|| build("page.toml", "1767225600"));

/// The page with a repeating event, built once from `tests/fixtures/valid/page-repeat.toml` on
/// 2026-11-05 00:00 UTC (1793836800), in the middle of the series.
static REPEAT_SITE: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| build("page-repeat.toml", "1793836800"));

/// Builds `tests/fixtures/valid/{fixture}` into a new folder. The build time, which decides
/// what the page lists (upcoming or past, and which occurrences of a repeating event), is fixed
/// by `SOURCE_DATE_EPOCH`. `CALFEED_TODAY`, which only dates the check on plans, is fixed too, so
/// that the build does not depend on the clock.
fn build(fixture: &str, source_date_epoch: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_calfeed"))
        .arg("build")
        .arg("--input")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/valid/{fixture}")))
        .arg("--out")
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", source_date_epoch)
        .env("CALFEED_TODAY", "2026-12-03")
        .output()
        .expect("calfeed runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

fn page(name: &str) -> PathBuf {
    SITE.path().join(name)
}

/// Where chromium writes what it requested.
struct Run {
    dom: String,
    /// URLs of the requests the page made (not the browser's own background requests).
    page_requests: Vec<String>,
}

/// Opens `file` in headless chromium with its clock in `zone` and returns the DOM after the
/// page's script ran.
fn open(file: &Path, zone: &str) -> Run {
    let profile = tempfile::tempdir().unwrap();
    let net_log = profile.path().join("net-log.json");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned());
    let output = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-extensions",
            "--disable-sync",
            // Nothing may leave the machine, whatever the page asks for.
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .env("TZ", zone)
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {chromium} ({e}); install it with scripts/setup-browser.sh")
        });
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&net_log).expect("chromium wrote its net log"))
            .expect("the net log is JSON");
    Run {
        dom: String::from_utf8(output.stdout).unwrap(),
        page_requests: page_requests(&log),
    }
}

/// The URLs of requests started on behalf of a `file://` page, from a Chromium net log.
fn page_requests(log: &serde_json::Value) -> Vec<String> {
    let start_job = &log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    log["events"]
        .as_array()
        .expect("net log events")
        .iter()
        .filter(|e| &e["type"] == start_job)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_owned))
        .collect()
}

/// The element that starts at the first occurrence of `marker`, up to `end` (exclusive).
fn block<'a>(dom: &'a str, marker: &str, end: &str) -> &'a str {
    let start = dom
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in the page"));
    let length = dom[start..].find(end).unwrap_or(dom.len() - start);
    &dom[start..start + length]
}

/// Text as a reader sees it: tags removed, entities decoded, white space collapsed.
fn visible(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of the event with this id.
fn event(dom: &str, id: &str) -> String {
    let marker = format!("data-uid=\"{id}@page.example.org\"");
    let start = dom.find(&marker).unwrap_or_else(|| panic!("no event {id}"));
    visible(block(&dom[start..], &marker, "</li>"))
}

fn assert_shows(dom: &str, id: &str, expected: &[&str]) {
    let text = event(dom, id);
    for e in expected {
        assert!(text.contains(e), "{id}: expected {e:?} in {text:?}");
    }
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn times_in_seoul() {
    let run = open(&page("index.html"), "Asia/Seoul");
    let dom = &run.dom;
    let note = visible(block(dom, "id=\"times-note\"", "</p>"));
    assert!(
        note.contains("Times are on your clock: Asia/Seoul"),
        "{note}"
    );
    assert_shows(
        dom,
        "ny-before-change",
        &[
            "Fri, Oct 30, 2026, 22:00 – 23:00 Asia/Seoul",
            "local time: Fri, Oct 30, 2026, 09:00 – 10:00 America/New_York",
        ],
    );
    // New York has left summer time; Seoul has none: one hour later than before the change.
    assert_shows(
        dom,
        "ny-after-change",
        &[
            "Mon, Nov 2, 2026, 23:00 – Tue, Nov 3, 2026, 00:00 Asia/Seoul",
            "local time: Mon, Nov 2, 2026, 09:00 – 10:00 America/New_York",
        ],
    );
    assert_shows(
        dom,
        "ny-across-change",
        &[
            "Sun, Nov 1, 2026, 13:30 – 17:30 Asia/Seoul",
            "local time: Sun, Nov 1, 2026, 00:30 – 03:30 America/New_York",
        ],
    );
    assert_shows(
        dom,
        "ny-evening",
        &[
            "Fri, Nov 6, 2026, 10:00 – 12:00 Asia/Seoul",
            "local time: Thu, Nov 5, 2026, 20:00 – 22:00 America/New_York",
        ],
    );
    // An event in the viewer's own zone is shown once, as the page wrote it.
    let seoul = event(dom, "seoul-morning");
    assert!(
        seoul.contains("Fri 20 Nov 2026, 10:00 – 11:30 Asia/Seoul (UTC+09:00)"),
        "{seoul}"
    );
    assert!(!seoul.contains("local time"), "{seoul}");
    assert_shows(
        dom,
        "tokyo-all-day",
        &["Tue 10 Nov 2026 – Wed 11 Nov 2026 all day"],
    );
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn times_in_los_angeles() {
    let run = open(&page("index.html"), "America/Los_Angeles");
    let dom = &run.dom;
    assert_shows(
        dom,
        "ny-before-change",
        &[
            "Fri, Oct 30, 2026, 06:00 – 07:00 America/Los_Angeles",
            "local time: Fri, Oct 30, 2026, 09:00 – 10:00 America/New_York",
        ],
    );
    assert_shows(
        dom,
        "ny-across-change",
        &["Sat, Oct 31, 2026, 21:30 – Sun, Nov 1, 2026, 01:30 America/Los_Angeles"],
    );
    assert_shows(
        dom,
        "ny-after-change",
        &["Mon, Nov 2, 2026, 06:00 – 07:00 America/Los_Angeles"],
    );
    assert_shows(
        dom,
        "seoul-morning",
        &[
            "Thu, Nov 19, 2026, 17:00 – 18:30 America/Los_Angeles",
            "local time: Fri, Nov 20, 2026, 10:00 – 11:30 Asia/Seoul",
        ],
    );
    // All-day events stay on their dates.
    assert_shows(
        dom,
        "tokyo-all-day",
        &["Tue 10 Nov 2026 – Wed 11 Nov 2026 all day"],
    );
    // Without the script, the page shows each event's own zone.
    let html = std::fs::read_to_string(page("index.html")).unwrap();
    assert_shows(
        &html,
        "ny-before-change",
        &["Fri 30 Oct 2026, 09:00 – 10:00 America/New_York (UTC-04:00)"],
    );
    assert_shows(
        &html,
        "ny-across-change",
        &["Sun 1 Nov 2026, 00:30 – 03:30 America/New_York (UTC-04:00 → UTC-05:00)"],
    );
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn times_in_new_york_are_shown_once() {
    let run = open(&page("index.html"), "America/New_York");
    let text = event(&run.dom, "ny-across-change");
    assert!(
        text.contains("Sun 1 Nov 2026, 00:30 – 03:30 America/New_York"),
        "{text}"
    );
    assert!(!text.contains("local time"), "{text}");
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn upcoming_and_past_follow_the_browsers_clock() {
    let run = open(&page("index.html"), "UTC");
    let dom = &run.dom;
    let at = |s: &str| dom.find(s).unwrap_or_else(|| panic!("no {s}"));
    let upcoming = at("id=\"upcoming\"");
    let past = at("id=\"past\"");
    // The page was built on 2026-01-01 (SOURCE_DATE_EPOCH), when the autumn events were still
    // ahead; the browser's clock puts them where they are today.
    let future = at("data-uid=\"far-future@");
    let autumn = at("data-uid=\"ny-evening@");
    let long_ago = at("data-uid=\"long-ago@");
    assert!(upcoming < future && future < past, "far-future is upcoming");
    assert!(past < long_ago, "long-ago is past");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    if now > 1_793_934_000 {
        // After 2026-11-06: the autumn events are past, most recent first.
        assert!(past < autumn && autumn < long_ago);
    } else {
        assert!(upcoming < autumn && autumn < past);
    }
    let html = std::fs::read_to_string(page("index.html")).unwrap();
    let static_past = html.find("id=\"past\"").unwrap();
    assert!(
        html.find("data-uid=\"ny-evening@").unwrap() < static_past,
        "without the script, the build time decides"
    );
}

/// Every feed's four subscribe links, exactly.
#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn every_feed_has_its_four_links() {
    let expected = [
        ("all", "Talks%20%26%20visits%20%3C2026%3E"),
        ("new-york", "New%20York%20talks%20%26%20visits"),
        ("korean", "In%20Korean"),
    ];
    let run = open(&page("index.html"), "UTC");
    for (name, title) in expected {
        let feed = block(&run.dom, &format!("data-feed=\"{name}\""), "</li>");
        let href = |class: &str| {
            let tag = block(feed, &format!("class=\"{class}\""), ">");
            let start = tag.find("href=\"").expect("a link") + 6;
            let end = tag[start..].find('"').unwrap();
            tag[start..start + end].replace("&amp;", "&")
        };
        assert_eq!(
            href("button webcal"),
            format!("webcal://example.org/cal/{name}.ics")
        );
        assert_eq!(href("https"), format!("https://example.org/cal/{name}.ics"));
        assert_eq!(
            href("button google"),
            format!(
                "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fcal%2F{name}.ics"
            )
        );
        assert_eq!(
            href("button outlook"),
            format!(
                "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Fcal%2F{name}.ics&name={title}"
            )
        );
        // The copy button is shown once the script runs.
        let copy = block(feed, "<button", ">");
        assert!(copy.contains(&format!("data-copy=\"https://example.org/cal/{name}.ics\"")));
        assert!(!copy.contains("hidden"), "{copy}");
    }
    // The Korean page names the feeds in Korean.
    let korean = open(&page("index.ko.html"), "UTC");
    let feed = visible(block(&korean.dom, "data-feed=\"korean\"", "</li>"));
    assert!(feed.contains("한국어 일정"), "{feed}");
    assert!(
        korean
            .dom
            .contains("name=%ED%95%9C%EA%B5%AD%EC%96%B4%20%EC%9D%BC%EC%A0%95")
    );
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn markup_in_the_input_is_shown_as_text() {
    let run = open(&page("index.html"), "UTC");
    let dom = &run.dom;
    assert_shows(
        dom,
        "ny-evening",
        &[
            "<script>document.title='x'</script> & dinner",
            "Where: <img src=x onerror=alert(1)>",
            "Dinner & talks. <a href=\"javascript:alert(1)\">not a link</a>",
            "Sources: Notes & minutes",
        ],
    );
    assert!(!dom.contains("<a href=\"javascript"));
    assert!(dom.contains("<title>Talks &amp; visits &lt;2026&gt;</title>"));
    assert_eq!(dom.matches("<script").count(), 1, "only the page's script");
    assert!(!dom.contains("<img"));
    assert!(!dom.contains("<b>Not bold</b>"));
    assert!(dom.contains("&lt;b&gt;Not bold&lt;/b&gt;"));
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn nothing_is_requested_from_another_host() {
    for file in ["index.html", "index.ko.html"] {
        let run = open(&page(file), "Asia/Seoul");
        let elsewhere: Vec<&String> = run
            .page_requests
            .iter()
            .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
            .collect();
        assert!(elsewhere.is_empty(), "{file} requested {elsewhere:?}");
    }
}

/// The request check above sees what a page loads from elsewhere.
#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn the_request_check_sees_requests() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("control.html");
    std::fs::write(
        &file,
        "<!DOCTYPE html><link rel=stylesheet href=\"https://fonts.example.net/a.css\">\
         <img src=\"https://cdn.example.com/b.png\">",
    )
    .unwrap();
    let run = open(&file, "UTC");
    assert!(
        run.page_requests
            .iter()
            .any(|u| u == "https://fonts.example.net/a.css"),
        "{:?}",
        run.page_requests
    );
    assert!(
        run.page_requests
            .iter()
            .any(|u| u == "https://cdn.example.com/b.png")
    );
}

/// Opens `file` as [`open`] does, after the page's script ran, with each event element's
/// `innerText` (the text as laid out: nothing that is hidden) copied into its
/// `data-inner-text` attribute. The page is copied beside itself with one more script at the
/// end, so that its links stay relative to the same folder.
fn open_laid_out(file: &Path, zone: &str) -> Run {
    let html = std::fs::read_to_string(file).unwrap();
    let probe = "<script>document.querySelectorAll(\"li[data-uid]\").forEach(function (li) { \
                 li.setAttribute(\"data-inner-text\", li.innerText); });</script>\n</body>";
    assert_eq!(html.matches("</body>").count(), 1);
    let copy = tempfile::Builder::new()
        .prefix("probe-")
        .suffix(".html")
        .tempfile_in(file.parent().unwrap())
        .unwrap();
    std::fs::write(copy.path(), html.replace("</body>", probe)).unwrap();
    open(copy.path(), zone)
}

/// One occurrence of a repeating event as the browser shows it.
#[derive(Debug)]
struct Shown {
    /// `data-occurrence`: which occurrence of the rule it is.
    occurrence: String,
    /// The `datetime` of its start.
    start: String,
    /// Its visible text (`innerText`), white space collapsed.
    text: String,
    /// Where its "add this event" link points.
    file: String,
    /// Whether the page's script put it among the past events.
    past: bool,
}

/// The element of `occurrence` (its `data-occurrence`) among those shown.
fn find_shown<'a>(list: &'a [Shown], occurrence: &str) -> &'a Shown {
    list.iter()
        .find(|s| s.occurrence == occurrence)
        .unwrap_or_else(|| panic!("{occurrence} is not shown: {list:?}"))
}

/// The value of the attribute `name` in the start tag `tag`, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let length = tag[start..].find('"').expect("a closed attribute");
    Some(visible(&tag[start..start + length]))
}

/// The start tag that begins at the first occurrence of `marker`, up to its `>` outside the
/// attributes' quotes.
fn start_tag<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {html}"));
    let mut quoted = false;
    for (i, c) in html[start..].char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return &html[start..=start + i],
            _ => {}
        }
    }
    panic!("{marker} is not closed")
}

/// Every element of the event with this id, in the order of the page, from a DOM read with
/// [`open_laid_out`].
fn occurrences(dom: &str, id: &str) -> Vec<Shown> {
    let marker = format!("data-uid=\"{id}@page.example.org\"");
    let past = dom.find("id=\"past\"").expect("a past section");
    let mut shown = Vec::new();
    let mut from = 0;
    while let Some(at) = dom[from..].find(&marker) {
        let at = from + at;
        let open = dom[..at].rfind("<li ").expect("an event element");
        let element = block(&dom[open..], "<li ", "</li>");
        let tag = start_tag(element, "<li ");
        let time = start_tag(element, "<time ");
        let link = start_tag(block(element, "<p class=\"file\">", "</p>"), "<a ");
        shown.push(Shown {
            occurrence: attribute(tag, "data-occurrence").expect("data-occurrence"),
            start: attribute(time, "datetime").expect("a start"),
            text: attribute(tag, "data-inner-text").expect("laid out by open_laid_out"),
            file: attribute(link, "href").expect("a link"),
            past: open > past,
        });
        from = open + element.len();
    }
    shown
}

/// What the weekly event of `page-repeat.toml` must show: every Tuesday at 09:00 in New York
/// from 2026-10-20, 6 times, without 10 November, and 3 November moved to 11:00.
///
/// The instants are worked out by hand, not by calfeed or the browser: New York is on summer
/// time (EDT, UTC-4) until 2026-11-01 06:00 UTC and on winter time (EST, UTC-5) after it, so
/// 09:00 is 13:00 UTC in October and 14:00 UTC in November.
/// Each entry: the occurrence (its original start in UTC, what `data-occurrence` names), its
/// start in UTC as it takes place, and its title.
const WEEKLY: [(&str, &str, &str); 5] = [
    (
        "2026-10-20T13:00:00Z",
        "2026-10-20T13:00:00Z",
        "Weekly call",
    ),
    (
        "2026-10-27T13:00:00Z",
        "2026-10-27T13:00:00Z",
        "Weekly call",
    ),
    // Moved from 09:00 to 11:00 EST: 16:00 UTC.
    (
        "2026-11-03T14:00:00Z",
        "2026-11-03T16:00:00Z",
        "Weekly call, moved",
    ),
    // 2026-11-10T14:00:00Z is skipped.
    (
        "2026-11-17T14:00:00Z",
        "2026-11-17T14:00:00Z",
        "Weekly call",
    ),
    (
        "2026-11-24T14:00:00Z",
        "2026-11-24T14:00:00Z",
        "Weekly call",
    ),
];

/// The skipped occurrence, 2026-11-10 09:00 EST.
const SKIPPED: &str = "2026-11-10T14:00:00Z";

type Utc = chrono::DateTime<chrono::Utc>;

fn instant(text: &str) -> Utc {
    text.parse().unwrap()
}

/// The offset from UTC, in hours, of New York at `t`, by hand: EDT (-4) before 2026-11-01
/// 06:00 UTC (02:00 EDT), EST (-5) after; every instant here is in autumn 2026.
fn new_york(t: Utc) -> i32 {
    if t < instant("2026-11-01T06:00:00Z") {
        -4
    } else {
        -5
    }
}

/// Los Angeles changes the same night at its own 02:00: PDT (-7) before 2026-11-01 09:00 UTC,
/// PST (-8) after.
fn los_angeles(t: Utc) -> i32 {
    if t < instant("2026-11-01T09:00:00Z") {
        -7
    } else {
        -8
    }
}

/// Seoul has no summer time: always KST, UTC+9.
fn seoul(_: Utc) -> i32 {
    9
}

/// `start` to `end` on the clock `offset` hours from UTC, written as the page writes times in
/// English ("Tue, Nov 17, 2026, 23:00 – Wed, Nov 18, 2026, 00:00"): the end's day only when it
/// differs from the start's.
fn range_on(start: Utc, end: Utc, offset: fn(Utc) -> i32) -> String {
    let wall = |t: Utc| {
        let zone = chrono::FixedOffset::east_opt(offset(t) * 3600).unwrap();
        let local = t.with_timezone(&zone);
        (
            local.format("%a, %b %-d, %Y").to_string(),
            local.format("%H:%M").to_string(),
        )
    };
    let ((start_day, start_time), (end_day, end_time)) = (wall(start), wall(end));
    if start_day == end_day {
        format!("{start_day}, {start_time} – {end_time}")
    } else {
        format!("{start_day}, {start_time} – {end_day}, {end_time}")
    }
}

/// The weekly event in a browser in `zone` (`offset` its UTC offset): exactly the expected
/// occurrences, each on the viewer's clock and on New York's, with its rule and its file.
fn check_weekly(zone: &str, offset: fn(Utc) -> i32) {
    let run = open_laid_out(&REPEAT_SITE.path().join("index.html"), zone);
    let shown = occurrences(&run.dom, "weekly");
    let mut names: Vec<&str> = shown.iter().map(|s| s.occurrence.as_str()).collect();
    names.sort_unstable();
    let expected: Vec<&str> = WEEKLY.iter().map(|w| w.0).collect();
    assert_eq!(names, expected, "{zone}: the occurrences listed");
    assert!(
        !run.dom.contains(SKIPPED),
        "{zone}: the skipped one is listed"
    );
    for (occurrence, start, title) in WEEKLY {
        let s = find_shown(&shown, occurrence);
        let start = instant(start);
        let end = start + chrono::Duration::hours(1);
        assert_eq!(s.start, start.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        for part in [
            title.to_owned(),
            format!("{} {zone}", range_on(start, end, offset)),
            format!(
                "local time: {} America/New_York",
                range_on(start, end, new_york)
            ),
            "Repeats: every Tuesday, 6 times".to_owned(),
            "Add this event (.ics)".to_owned(),
        ] {
            assert!(
                s.text.contains(&part),
                "{zone}, {occurrence}: expected {part:?} in {:?}",
                s.text
            );
        }
        // Only the occurrence moved says so.
        assert_eq!(s.text.contains("moved"), title.ends_with("moved"), "{s:?}");
        assert_eq!(s.file, "events/weekly.ics");
    }
    assert!(REPEAT_SITE.path().join("events/weekly.ics").is_file());
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn repeating_event_in_seoul() {
    check_weekly("Asia/Seoul", seoul);
    // Spelt out once, as a check on `range_on`: the moved occurrence is 16:00 UTC, 01:00 the
    // next day in Seoul; 17 November 09:00 EST is 23:00 in Seoul, ending after midnight.
    let run = open_laid_out(&REPEAT_SITE.path().join("index.html"), "Asia/Seoul");
    let shown = occurrences(&run.dom, "weekly");
    let text = |occurrence: &str| &find_shown(&shown, occurrence).text;
    assert!(
        text("2026-11-03T14:00:00Z").contains(
            "Wed, Nov 4, 2026, 01:00 – 02:00 Asia/Seoul \
             local time: Tue, Nov 3, 2026, 11:00 – 12:00 America/New_York"
        ),
        "{shown:?}"
    );
    assert!(
        text("2026-11-17T14:00:00Z")
            .contains("Tue, Nov 17, 2026, 23:00 – Wed, Nov 18, 2026, 00:00 Asia/Seoul"),
        "{shown:?}"
    );
    assert!(
        text("2026-10-20T13:00:00Z").contains("Tue, Oct 20, 2026, 22:00 – 23:00 Asia/Seoul"),
        "{shown:?}"
    );
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn repeating_event_in_los_angeles() {
    check_weekly("America/Los_Angeles", los_angeles);
    // Los Angeles changes its clocks the same night as New York: 06:00 on both sides of it.
    let run = open_laid_out(
        &REPEAT_SITE.path().join("index.html"),
        "America/Los_Angeles",
    );
    let shown = occurrences(&run.dom, "weekly");
    let text = |occurrence: &str| &find_shown(&shown, occurrence).text;
    assert!(
        text("2026-10-27T13:00:00Z")
            .contains("Tue, Oct 27, 2026, 06:00 – 07:00 America/Los_Angeles"),
        "{shown:?}"
    );
    assert!(
        text("2026-11-24T14:00:00Z")
            .contains("Tue, Nov 24, 2026, 06:00 – 07:00 America/Los_Angeles"),
        "{shown:?}"
    );
    assert!(
        text("2026-11-03T14:00:00Z")
            .contains("Tue, Nov 3, 2026, 08:00 – 09:00 America/Los_Angeles"),
        "{shown:?}"
    );
}

/// In New York each occurrence is shown once, as the page wrote it, with the offset of its own
/// date: UTC-4 in October, UTC-5 in November.
#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn repeating_event_in_new_york_is_shown_once() {
    let run = open_laid_out(&REPEAT_SITE.path().join("index.html"), "America/New_York");
    let shown = occurrences(&run.dom, "weekly");
    let expected = [
        (
            "2026-10-20T13:00:00Z",
            "Tue 20 Oct 2026, 09:00 – 10:00 America/New_York (UTC-04:00)",
        ),
        (
            "2026-10-27T13:00:00Z",
            "Tue 27 Oct 2026, 09:00 – 10:00 America/New_York (UTC-04:00)",
        ),
        (
            "2026-11-03T14:00:00Z",
            "Tue 3 Nov 2026, 11:00 – 12:00 America/New_York (UTC-05:00)",
        ),
        (
            "2026-11-17T14:00:00Z",
            "Tue 17 Nov 2026, 09:00 – 10:00 America/New_York (UTC-05:00)",
        ),
        (
            "2026-11-24T14:00:00Z",
            "Tue 24 Nov 2026, 09:00 – 10:00 America/New_York (UTC-05:00)",
        ),
    ];
    assert_eq!(shown.len(), expected.len(), "{shown:?}");
    for (occurrence, when) in expected {
        let s = find_shown(&shown, occurrence);
        assert!(s.text.contains(when), "{s:?}");
        assert!(!s.text.contains("local time"), "{s:?}");
    }
}

/// Built on 5 November, the page lists 17 and 24 November as upcoming; the browser's clock
/// decides again for each occurrence.
#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn occurrences_are_upcoming_or_past_on_the_browsers_clock() {
    let html = std::fs::read_to_string(REPEAT_SITE.path().join("index.html")).unwrap();
    let static_past = html.find("id=\"past\"").unwrap();
    for (occurrence, _, _) in WEEKLY {
        let at = html
            .find(&format!("data-occurrence=\"{occurrence}\""))
            .unwrap();
        assert_eq!(
            at > static_past,
            occurrence < "2026-11-05",
            "without the script, {occurrence} is placed by the build time"
        );
    }
    let run = open_laid_out(&REPEAT_SITE.path().join("index.html"), "UTC");
    let shown = occurrences(&run.dom, "weekly");
    let now = chrono::Utc::now();
    for s in &shown {
        let end = instant(&s.start) + chrono::Duration::hours(1);
        assert_eq!(s.past, end <= now, "{s:?}");
    }
    // Upcoming ones soonest first, past ones latest first.
    let (past, upcoming): (Vec<&Shown>, Vec<&Shown>) = shown.iter().partition(|s| s.past);
    assert!(upcoming.windows(2).all(|w| w[0].start < w[1].start));
    assert!(past.windows(2).all(|w| w[0].start > w[1].start));
}

#[test]
#[ignore = "needs Debian's chromium: run scripts/test.sh"]
fn repeating_event_in_korean() {
    let run = open_laid_out(&REPEAT_SITE.path().join("index.ko.html"), "Asia/Seoul");
    let shown = occurrences(&run.dom, "weekly");
    let mut names: Vec<&str> = shown.iter().map(|s| s.occurrence.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, WEEKLY.map(|w| w.0));
    for s in &shown {
        assert!(s.text.contains("반복: 매주 화요일, 6회"), "{s:?}");
        assert!(!s.text.contains("every Tuesday"), "{s:?}");
        assert_eq!(s.file, "events/weekly.ics");
    }
    // The moved one, on Seoul's clock (16:00 UTC is 01:00 the next day, a Wednesday) and on
    // New York's.
    let moved = find_shown(&shown, "2026-11-03T14:00:00Z");
    assert!(
        moved.text.contains("주간 회의 (변경)")
            && moved
                .text
                .contains("2026년 11월 4일 (수), 01:00 – 02:00 Asia/Seoul")
            && moved
                .text
                .contains("현지 시각: 2026년 11월 3일 (화), 11:00 – 12:00 America/New_York"),
        "{moved:?}"
    );
}
