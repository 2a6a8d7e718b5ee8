//! Random damage to real input files: whatever calfeed is given, it either reports problems or
//! writes feeds whose every line is well-formed iCalendar. It never panics.

use calfeed::render::Feeds;

use crate::common::{fixture, root};

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that make damage interesting: TOML syntax, iCalendar syntax, escapes, times.
const PIECES: &[&str] = &[
    "\"",
    "'",
    "\"\"\"",
    "[",
    "]",
    "[[event]]\n",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "\r\n",
    "\\",
    "\\n",
    "\\u0000",
    "\\u001b",
    ";",
    ":",
    "#",
    " ",
    "\t",
    "2025-11-02T01:30:00",
    "2026-03-08T02:30:00",
    "-05:00",
    "Z",
    "PT1H",
    "P1D",
    "\"America/New_York\"",
    "\"Asia/Tokyo\"",
    "END:VEVENT",
    "BEGIN:VCALENDAR",
    "다카이치",
    "🇯🇵",
    "\u{feff}",
    "\u{2028}",
    "9999",
    "0",
    "-1",
    "1e400",
    "nan",
    "inf",
    "true",
];

fn damage(text: &str, rng: &mut Rng) -> String {
    let mut out = text.to_owned();
    for _ in 0..1 + rng.below(4) {
        let mut at = rng.below(out.len() + 1);
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(3) {
            0 => out.insert_str(at, PIECES[rng.below(PIECES.len())]),
            1 => {
                let mut end = (at + 1 + rng.below(40)).min(out.len());
                while !out.is_char_boundary(end) {
                    end -= 1;
                }
                out.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + 1 + rng.below(8)).min(out.len());
                while !out.is_char_boundary(end) {
                    end -= 1;
                }
                out.replace_range(at..end, PIECES[rng.below(PIECES.len())]);
            }
        }
    }
    out
}

/// Checks the framing of a feed: CRLF lines of at most 75 octets, `NAME[;PARAMS]:value`
/// content lines, no control characters but the tab (RFC 5545 §3.3.11 allows it in TEXT), and
/// BEGIN/END pairs that match.
fn assert_well_formed(ics: &[u8]) {
    let text = std::str::from_utf8(ics).expect("feeds are UTF-8");
    assert!(text.ends_with("\r\n"));
    let mut unfolded: Vec<String> = Vec::new();
    for line in text.strip_suffix("\r\n").unwrap().split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.chars().any(|c| c.is_control() && c != '\t'),
            "control character in {line:?}"
        );
        match line.strip_prefix(' ') {
            Some(rest) => unfolded
                .last_mut()
                .expect("a fold continues a line")
                .push_str(rest),
            None => unfolded.push(line.to_owned()),
        }
    }
    let mut stack = Vec::new();
    for line in &unfolded {
        let name_end = line.find([':', ';']).expect("a content line has a name");
        let name = &line[..name_end];
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "bad property name in {line:?}"
        );
        if let Some(component) = line.strip_prefix("BEGIN:") {
            stack.push(component.to_owned());
        } else if let Some(component) = line.strip_prefix("END:") {
            assert_eq!(
                stack.pop().as_deref(),
                Some(component),
                "unbalanced {line:?}"
            );
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    let events = unfolded.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    let uids = unfolded.iter().filter(|l| l.starts_with("UID:")).count();
    assert_eq!(
        events, uids,
        "every event has exactly one UID, none injected"
    );
}

#[test]
fn damaged_files_are_reported_or_written_well_formed() {
    let sources: Vec<String> = [
        root().join("events.toml"),
        fixture("valid/zones.toml"),
        fixture("valid/text.toml"),
        fixture("valid/utc-style.toml"),
    ]
    .iter()
    .map(|p| std::fs::read_to_string(p).unwrap())
    .collect();
    let stamp = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..1500 {
        let text = damage(&sources[round % sources.len()], &mut rng);
        match calfeed::load::parse(&text) {
            Ok(loaded) => {
                accepted += 1;
                let feeds = Feeds::new(&loaded.calendar, stamp);
                for view in feeds.views() {
                    let ics = feeds.write(&view, Vec::new()).unwrap();
                    assert_well_formed(&ics);
                }
            }
            Err(diagnostics) => {
                refused += 1;
                assert!(diagnostics.iter().any(|d| d.is_error()), "round {round}");
                let shown = calfeed::diag::render(&diagnostics, "events.toml", &text);
                assert!(shown.contains("--> events.toml:"), "round {round}: {shown}");
            }
        }
    }
    // Both paths must really be exercised.
    assert!(
        accepted > 100 && refused > 100,
        "{accepted} accepted, {refused} refused"
    );
}
