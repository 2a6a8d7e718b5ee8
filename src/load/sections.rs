//! Splitting a large `events.toml` into sections that can be parsed one at a time.
//!
//! The TOML parser holds every token of a document at once, which for a generated file of
//! 100,000 events costs many times the file's size. Each `[[event]]` and `[[feed]]` header starts
//! a table that nothing after the next such header can reach, so the file is cut before each of
//! them and the pieces parsed separately. The cut is only an optimisation: if any section fails
//! to parse on its own (a syntax error, or a construct this scanner reads differently from the
//! parser), the loader parses the whole file instead, so results never depend on it.

use std::ops::Range;

/// A run of the document's text that parses on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Byte range in the document.
    pub range: Range<usize>,
    /// Whether the section may hold `[calendar]` (it has a `calendar` header, or is the part
    /// before the first header, where `calendar = {...}` could stand).
    pub has_calendar: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    Comment,
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

/// Cuts `text` before every top-level `[[event]]` and `[[feed]]` header.
pub fn split(text: &str) -> Vec<Section> {
    let bytes = text.as_bytes();
    let mut sections = vec![Section {
        range: 0..text.len(),
        has_calendar: true,
    }];
    let mut state = State::Normal;
    let mut depth: usize = 0;
    let mut i = 0;
    let mut at_line_start = true;
    while i < bytes.len() {
        if at_line_start && state == State::Normal && depth == 0 {
            at_line_start = false;
            let mut j = i;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            if bytes.get(j) == Some(&b'[') {
                let key = header_key(&text[j..]);
                if key == "event" || key == "feed" {
                    if let Some(current) = sections.last_mut() {
                        current.range.end = i;
                    }
                    sections.push(Section {
                        range: i..text.len(),
                        has_calendar: false,
                    });
                } else if (key == "calendar" || key.starts_with("calendar."))
                    && let Some(current) = sections.last_mut()
                {
                    current.has_calendar = true;
                }
            }
        }
        let b = bytes[i];
        match state {
            State::Normal => match b {
                b'#' => state = State::Comment,
                b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                    state = State::MultiBasic;
                    i += 2;
                }
                b'"' => state = State::Basic,
                b'\'' if bytes[i..].starts_with(b"'''") => {
                    state = State::MultiLiteral;
                    i += 2;
                }
                b'\'' => state = State::Literal,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
            State::Comment => {
                if b == b'\n' {
                    state = State::Normal;
                }
            }
            State::Basic => match b {
                b'\\' => i += 1,
                b'"' | b'\n' => state = State::Normal,
                _ => {}
            },
            State::Literal => {
                if b == b'\'' || b == b'\n' {
                    state = State::Normal;
                }
            }
            State::MultiBasic => match b {
                b'\\' => i += 1,
                b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                    state = State::Normal;
                    i += 2;
                }
                _ => {}
            },
            State::MultiLiteral => {
                if bytes[i..].starts_with(b"'''") {
                    state = State::Normal;
                    i += 2;
                }
            }
        }
        if bytes.get(i) == Some(&b'\n') {
            at_line_start = true;
        }
        i += 1;
    }
    sections
}

/// The key of a table header line (`[[ event ]]` → `event`, `["calendar"]` → `calendar`).
fn header_key(line: &str) -> String {
    let line = line.lines().next().unwrap_or("");
    let inner = line.trim_start_matches('[');
    let end = inner.find(']').unwrap_or(inner.len());
    inner[..end]
        .split('.')
        .map(|part| part.trim().trim_matches('"').trim_matches('\''))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|s| &text[s.range]).collect()
    }

    #[test]
    fn cuts_before_each_event_and_feed() {
        let text = "[calendar]\nname = \"x\"\n\n[[feed]]\nname = \"f\"\n[[event]]\nid = \"a\"\n[event.geo]\nlat = 1\n  [[ event ]]\nid = \"b\"\n";
        assert_eq!(
            pieces(text),
            [
                "[calendar]\nname = \"x\"\n\n",
                "[[feed]]\nname = \"f\"\n",
                "[[event]]\nid = \"a\"\n[event.geo]\nlat = 1\n",
                "  [[ event ]]\nid = \"b\"\n",
            ]
        );
        let flags: Vec<bool> = split(text).iter().map(|s| s.has_calendar).collect();
        assert_eq!(flags, [true, false, false, false]);
    }

    #[test]
    fn headers_inside_strings_and_arrays_do_not_cut() {
        let text = "[[event]]\ndescription = \"\"\"\n[[event]]\n\"\"\"\nnote = '''\n[[feed]]'''\nx = [\n  [1],\n]\n# [[event]]\n";
        assert_eq!(
            split(text).len(),
            2,
            "only the prelude and the one real event"
        );
    }

    #[test]
    fn a_calendar_after_the_events_is_found() {
        let text = "[[event]]\nid = \"a\"\n[calendar]\nname = \"x\"\n";
        let sections = split(text);
        assert_eq!(sections.len(), 2);
        assert!(sections[1].has_calendar);
    }

    #[test]
    fn empty_text_is_one_empty_section() {
        assert_eq!(
            split(""),
            [Section {
                range: 0..0,
                has_calendar: true
            }]
        );
    }
}
