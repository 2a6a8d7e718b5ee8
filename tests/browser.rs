//! The subscribe page in a real browser: Debian's `chromium`, headless, with its clock in
//! different time zones (`TZ`). The page's script must show each timed event on the viewer's
//! clock, keep the event's own local time beside it, sort upcoming and past events by the
//! browser's clock, and load nothing from another host.
//!
//! These tests need `chromium` (set `CHROMIUM` to use another binary), so a plain `cargo test`
//! ignores them; `scripts/test.sh` installs it with `scripts/setup-browser.sh` and runs them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// The example page, built once from `tests/fixtures/valid/page.toml`.
static SITE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_calfeed"))
        .arg("build")
        .arg("--input")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/page.toml"))
        .arg("--out")
        .arg(dir.path())
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .expect("calfeed runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
});

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
