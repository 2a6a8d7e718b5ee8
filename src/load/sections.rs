//! Splitting a large `events.toml` into sections that can be parsed one at a time.
//!
//! The TOML parser holds every token of a document at once, which for a generated file of
//! 100,000 events costs many times the file's size. Each `[[event]]` and `[[feed]]` header starts
//! a table that nothing after the next such header can reach, so the file is cut before each of
//! them and the pieces parsed separately.
//!
//! That holds only while `event` and `feed` are written as `[[event]]` and `[[feed]]` headers
//! (with `[event.geo]`-style sub-tables right after their own header). Any other way of writing
//! them at the top level, such as `event = [{ ... }]` or an `[event]` table, can join or clash
//! with tables in other sections (TOML forbids adding `[[event]]`s to an inline array), so then
//! the file is read whole and the TOML parser judges it.

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

/// What the scanner is inside of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Code,
    Comment,
    BasicString,
    LiteralString,
    MultiLineBasicString,
    MultiLineLiteralString,
}

/// One part of a dotted key, as far as the scanner needs to know it.
#[derive(Debug, PartialEq, Eq)]
enum KeyPart<'t> {
    /// A bare key, or a quoted one without escapes.
    Name(&'t str),
    /// A quoted key with escapes, which might spell any name.
    Escaped,
}

/// Cuts `text` before every top-level `[[event]]` and `[[feed]]` header, or returns the whole
/// text as one section when `event` or `feed` is written any other way at the top level.
pub fn split(text: &str) -> Vec<Section> {
    let whole = || {
        vec![Section {
            range: 0..text.len(),
            has_calendar: true,
        }]
    };
    let bytes = text.as_bytes();
    let mut sections = vec![Section {
        range: 0..text.len(),
        has_calendar: true,
    }];
    // The array (`event` or `feed`) whose `[[...]]` header started the current section.
    let mut array: Option<&str> = None;
    let mut before_first_header = true;
    let mut within = Within::Code;
    let mut depth: usize = 0;
    let mut i = 0;
    let mut at_line_start = true;
    // On a header line, brackets are the header's own and do not open an array.
    let mut on_header = false;
    while i < bytes.len() {
        if at_line_start && within == Within::Code {
            at_line_start = false;
            let mut j = i;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                j += 1;
            }
            let line = &text[j..];
            // Inside an array or inline table, a line starting `[[event]]` is no valid value, so
            // a bracket left open by a syntax error does not hide the sections after it.
            if depth > 0 && (line.starts_with("[[event]]") || line.starts_with("[[feed]]")) {
                depth = 0;
            }
            if depth == 0 && line.starts_with('[') {
                before_first_header = false;
                on_header = true;
                // A header that does not read as one is a syntax error, which the parser reports
                // when it reads the section holding it.
                if let Some((is_array, key)) = header(line) {
                    match key.first() {
                        Some(KeyPart::Name(first @ ("event" | "feed"))) => {
                            if is_array && key.len() == 1 {
                                if let Some(current) = sections.last_mut() {
                                    current.range.end = i;
                                }
                                sections.push(Section {
                                    range: i..text.len(),
                                    has_calendar: false,
                                });
                                array = Some(*first);
                            } else if key.len() == 1 || array != Some(*first) {
                                // `[event]`, or `[event.geo]` away from its `[[event]]`.
                                return whole();
                            }
                        }
                        Some(KeyPart::Name("calendar")) => {
                            if let Some(current) = sections.last_mut() {
                                current.has_calendar = true;
                            }
                        }
                        Some(KeyPart::Escaped) => return whole(),
                        _ => {}
                    }
                }
            } else if depth == 0
                && before_first_header
                && let Some(first) = first_key_part(line)
                && matches!(first, KeyPart::Name("event" | "feed") | KeyPart::Escaped)
            {
                // `event = [...]` or `feed.x = ...` in the root table.
                return whole();
            }
        }
        // Jump to the next byte that matters where the scanner is.
        i = next_notable(bytes, i, within);
        let Some(&b) = bytes.get(i) else { break };
        match within {
            Within::Code => match b {
                b'#' => within = Within::Comment,
                b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                    within = Within::MultiLineBasicString;
                    i += 2;
                }
                b'"' => within = Within::BasicString,
                b'\'' if bytes[i..].starts_with(b"'''") => {
                    within = Within::MultiLineLiteralString;
                    i += 2;
                }
                b'\'' => within = Within::LiteralString,
                b'[' | b']' if on_header => {}
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
            Within::Comment => {
                if b == b'\n' {
                    within = Within::Code;
                }
            }
            Within::BasicString => match b {
                b'\\' => i += 1,
                b'"' | b'\n' => within = Within::Code,
                _ => {}
            },
            Within::LiteralString => {
                if b == b'\'' || b == b'\n' {
                    within = Within::Code;
                }
            }
            Within::MultiLineBasicString => match b {
                b'\\' => i += 1,
                b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                    within = Within::Code;
                    i += closing_quotes(&bytes[i..], b'"') - 1;
                }
                _ => {}
            },
            Within::MultiLineLiteralString => {
                if bytes[i..].starts_with(b"'''") {
                    within = Within::Code;
                    i += closing_quotes(&bytes[i..], b'\'') - 1;
                }
            }
        }
        // A line break inside a multi-line string starts no line of TOML: what follows the
        // closing quotes is still on the line of the key.
        if within == Within::Code && bytes.get(i) == Some(&b'\n') {
            at_line_start = true;
            on_header = false;
        }
        i += 1;
    }
    sections
}

/// The bytes that change the scanner's state in code: comments, quotes, brackets and braces,
/// and line breaks.
const NOTABLE_IN_CODE: [bool; 256] = {
    let mut table = [false; 256];
    let notable = b"#\"'[]{}\n";
    let mut k = 0;
    while k < notable.len() {
        table[notable[k] as usize] = true;
        k += 1;
    }
    table
};

/// The first position from `i` whose byte can change the scanner's state (`bytes.len()` if
/// none): within a string or comment only its ends and escapes matter.
fn next_notable(bytes: &[u8], i: usize, within: Within) -> usize {
    let rest = &bytes[i..];
    let found = match within {
        Within::Code => rest.iter().position(|&b| NOTABLE_IN_CODE[usize::from(b)]),
        Within::Comment => memchr::memchr(b'\n', rest),
        Within::BasicString => memchr::memchr3(b'\\', b'"', b'\n', rest),
        Within::LiteralString => memchr::memchr2(b'\'', b'\n', rest),
        Within::MultiLineBasicString => memchr::memchr2(b'\\', b'"', rest),
        Within::MultiLineLiteralString => memchr::memchr(b'\'', rest),
    };
    found.map_or(bytes.len(), |at| i + at)
}

/// The length of the quotes that close a multi-line string: three, and up to two more that
/// belong to the string (`"""say "hi""""` ends in `hi"`).
fn closing_quotes(bytes: &[u8], quote: u8) -> usize {
    bytes.iter().take(5).take_while(|&&b| b == quote).count()
}

/// Whether a table header line is an array header (`[[...]]`), and its dotted key
/// (`[[ event ]]` → `event`, `["calendar".x]` → `calendar`, `x`); `None` if it does not read as
/// a header.
fn header(line: &str) -> Option<(bool, Vec<KeyPart<'_>>)> {
    let (is_array, rest) = match line.strip_prefix("[[") {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('[')?),
    };
    let (key, rest) = dotted_key(rest)?;
    let close = if is_array { "]]" } else { "]" };
    rest.trim_start_matches([' ', '\t'])
        .starts_with(close)
        .then_some((is_array, key))
}

/// The first part of the key of a `key = value` line; `None` if the line holds no key.
fn first_key_part(line: &str) -> Option<KeyPart<'_>> {
    let (mut key, _) = dotted_key(line)?;
    (!key.is_empty()).then(|| key.swap_remove(0))
}

/// Reads a dotted key at the start of `text`, returning its parts and the text after it.
fn dotted_key(text: &str) -> Option<(Vec<KeyPart<'_>>, &str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        let (part, after) = match rest.as_bytes().first()? {
            q @ (b'"' | b'\'') => {
                let end = rest[1..].find(*q as char)? + 1;
                let inner = &rest[1..end];
                let part = if *q == b'"' && inner.contains('\\') {
                    KeyPart::Escaped
                } else {
                    KeyPart::Name(inner)
                };
                (part, &rest[end + 1..])
            }
            _ => {
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                    .count();
                if len == 0 {
                    return None;
                }
                (KeyPart::Name(&rest[..len]), &rest[len..])
            }
        };
        parts.push(part);
        rest = after.trim_start_matches([' ', '\t']);
        match rest.strip_prefix('.') {
            Some(next) => rest = next,
            None => return Some((parts, rest)),
        }
    }
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
    fn a_header_after_a_multi_line_string_on_its_line_does_not_cut() {
        // Not valid TOML: the header shares the line of `x`. Cutting there would hide that.
        let text = "[[event]]\nx = \"\"\"a\nb\"\"\" [[event]]\ny = 1\n[[event]]\n";
        assert_eq!(
            pieces(text),
            [
                "",
                "[[event]]\nx = \"\"\"a\nb\"\"\" [[event]]\ny = 1\n",
                "[[event]]\n"
            ]
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
    fn sub_tables_stay_with_their_array_header() {
        let text = "[[event]]\nid = \"a\"\n[event.geo]\nlat = 1\n[[event.note]]\nx = 1\n[[feed]]\nname = \"f\"\n";
        assert_eq!(split(text).len(), 3);
    }

    #[test]
    fn event_or_feed_written_otherwise_reads_the_whole_file() {
        for text in [
            // An inline array, which TOML forbids extending with `[[event]]`.
            "event = [{ id = \"a\" }]\n[calendar]\nname = \"x\"\n[[event]]\nid = \"b\"\n",
            "\"feed\" = []\n[[event]]\nid = \"b\"\n",
            "event.x = 1\n[[event]]\nid = \"b\"\n",
            // A plain table, or a sub-table away from its array header.
            "[[event]]\nid = \"a\"\n[event]\nid = \"b\"\n",
            "[[event]]\nid = \"a\"\n[[feed]]\nname = \"f\"\n[event.geo]\nlat = 1\n",
            "[event.geo]\nlat = 1\n[[event]]\nid = \"a\"\n",
            // A quoted key with escapes could spell `event`.
            "[[event]]\nid = \"a\"\n[\"ev\\u0065nt\"]\n",
            "\"f\\u0065ed\" = 1\n[[event]]\nid = \"a\"\n",
        ] {
            assert_eq!(pieces(text), [text], "{text}");
        }
    }

    #[test]
    fn quotes_closing_a_multi_line_string_may_belong_to_it() {
        let text = "[[event]]\nx = \"\"\"say \"hi\"\"\"\" # a\" [\n[[event]]\ny = \'\'\'it\'\'\'\'\'\n[[event]]\n";
        assert_eq!(split(text).len(), 4, "{:?}", pieces(text));
    }

    #[test]
    fn a_broken_header_is_left_to_the_parser() {
        let text = "[[event]]\nid = \"a\"\n[[event]\nid = \"b\"\n[[event]]\n";
        assert_eq!(split(text).len(), 3);
    }

    #[test]
    fn an_unclosed_array_ends_at_the_next_event() {
        let text = "[[event]]\nx = [1,\n[[event]]\nid = \"b\"\n[[feed]]\n";
        assert_eq!(
            pieces(text),
            [
                "",
                "[[event]]\nx = [1,\n",
                "[[event]]\nid = \"b\"\n",
                "[[feed]]\n"
            ]
        );
        // A nested array of strings is a value, not a header.
        let text = "[[event]]\nx = [\n  [[\"event\"]],\n]\n[[event]]\n";
        assert_eq!(split(text).len(), 3);
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
