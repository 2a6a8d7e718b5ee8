//! The iCalendar content-line layer (RFC 5545 §3.1): escaping, parameters and line folding.
//!
//! Everything calfeed writes goes through [`ContentWriter`], so that no value can break the
//! format: TEXT values escape `\`, `;`, `,` and line breaks (§3.3.11); parameter values are
//! quoted where needed and use RFC 6868 caret escapes; lines end in CRLF and are folded at 75
//! octets, never inside a UTF-8 sequence and never between a backslash and the character it
//! escapes (one report has Google Calendar dropping events folded there).

use std::io::{self, Write};

/// The longest physical line, in octets, without its CRLF (RFC 5545 §3.1).
pub const MAX_LINE: usize = 75;

/// Escapes a TEXT value: `\` → `\\`, `;` → `\;`, `,` → `\,`, newline → `\n`.
///
/// ```
/// assert_eq!(calfeed::ics::escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
/// ```
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Formats a parameter value: RFC 6868 escapes for `^`, newline and `"`, and double quotes
/// around values holding `:`, `;` or `,`.
///
/// ```
/// assert_eq!(calfeed::ics::param_value("Asia/Tokyo"), "Asia/Tokyo");
/// assert_eq!(calfeed::ics::param_value("a:b"), "\"a:b\"");
/// ```
pub fn param_value(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '^' => escaped.push_str("^^"),
            '\n' => escaped.push_str("^n"),
            '"' => escaped.push_str("^'"),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    if escaped.contains([':', ';', ',']) {
        format!("\"{escaped}\"")
    } else {
        escaped
    }
}

/// Writes content lines with CRLF endings, folded at 75 octets.
pub struct ContentWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> ContentWriter<W> {
    /// Wraps `out`; nothing is written until a line is complete.
    pub fn new(out: W) -> Self {
        ContentWriter {
            out,
            buf: Vec::with_capacity(256),
        }
    }

    /// Writes one unfolded content line (without line ending), folding it as needed.
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        self.buf.clear();
        fold_into(line, &mut self.buf);
        self.out.write_all(&self.buf)
    }

    /// Writes `NAME;PARAMS:value` with a value that is already in its final form.
    pub fn property(&mut self, name: &str, params: &[(&str, &str)], value: &str) -> io::Result<()> {
        let mut line = String::with_capacity(name.len() + value.len() + 16);
        line.push_str(name);
        for (key, val) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(val));
        }
        line.push(':');
        line.push_str(value);
        self.line(&line)
    }

    /// Writes a TEXT property, escaping its value.
    pub fn text(&mut self, name: &str, params: &[(&str, &str)], value: &str) -> io::Result<()> {
        self.property(name, params, &escape_text(value))
    }

    /// Flushes and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Appends `line` to `out`, folded at [`MAX_LINE`] octets and terminated by CRLF.
///
/// A fold is a CRLF followed by one space, which counts towards the next line's 75 octets.
/// Folds fall only between characters, and never right after a backslash escape's `\`.
pub fn fold_into(line: &str, out: &mut Vec<u8>) {
    let bytes = line.as_bytes();
    let mut used = 0; // octets on the current physical line
    let mut i = 0;
    while i < bytes.len() {
        // The unit that must stay whole: one character, or `\` plus the character it escapes.
        let mut unit = utf8_len(bytes[i]);
        if bytes[i] == b'\\' && i + 1 < bytes.len() {
            unit += utf8_len(bytes[i + 1]);
        }
        let unit = unit.min(bytes.len() - i);
        if used + unit > MAX_LINE {
            out.extend_from_slice(b"\r\n ");
            used = 1;
        }
        out.extend_from_slice(&bytes[i..i + unit]);
        used += unit;
        i += unit;
    }
    out.extend_from_slice(b"\r\n");
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = Vec::new();
        fold_into(line, &mut out);
        String::from_utf8(out).expect("folding keeps UTF-8 intact")
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
            .trim_end_matches("\r\n")
            .to_owned()
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_octets() {
        let line = format!("SUMMARY:{}", "a".repeat(200));
        let out = folded(&line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{physical:?} is {} octets",
                physical.len()
            );
        }
        let first = out.split("\r\n").next().unwrap();
        assert_eq!(first.len(), 75);
        assert_eq!(unfold(&out), line);
    }

    #[test]
    fn folds_never_split_utf8_sequences() {
        // Hangul is 3 octets, emoji 4: every split point is tried by varying the prefix.
        for prefix in 0..8 {
            let line = format!("SUMMARY:{}{}", "x".repeat(prefix), "다카이치🇯🇵".repeat(20));
            let out = folded(&line);
            for physical in out.split("\r\n") {
                assert!(physical.len() <= 75);
                assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
            }
            assert_eq!(unfold(&out), line);
        }
    }

    #[test]
    fn folds_never_split_an_escape() {
        for prefix in 60..80 {
            let line =
                format!("DESCRIPTION:{}", "a".repeat(prefix - 12)) + &"\\,\\n\\;\\\\".repeat(10);
            let out = folded(&line);
            for physical in out.split("\r\n") {
                let body = physical.strip_prefix(' ').unwrap_or(physical);
                let trailing = body.len() - body.trim_end_matches('\\').len();
                assert!(
                    trailing % 2 == 0,
                    "line ends inside an escape: {physical:?}"
                );
                assert!(physical.len() <= 75);
            }
            assert_eq!(unfold(&out), line);
        }
    }

    #[test]
    fn text_escaping_blocks_injection() {
        let hostile = "Title\nEND:VEVENT\r\nBEGIN:VEVENT;x,y\\";
        let mut w = ContentWriter::new(Vec::new());
        w.text("SUMMARY", &[], hostile).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            out,
            "SUMMARY:Title\\nEND:VEVENT\\nBEGIN:VEVENT\\;x\\,y\\\\\r\n"
        );
        assert_eq!(out.matches("\r\n").count(), 1);
    }

    #[test]
    fn parameter_values_are_quoted_and_caret_escaped() {
        assert_eq!(param_value("ko"), "ko");
        assert_eq!(param_value("a;b"), "\"a;b\"");
        assert_eq!(param_value("say \"hi\"\n^"), "say ^'hi^'^n^^");
        let mut w = ContentWriter::new(Vec::new());
        w.property(
            "DTSTART",
            &[("TZID", "America/New_York")],
            "20251102T013000",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(w.finish().unwrap()).unwrap(),
            "DTSTART;TZID=America/New_York:20251102T013000\r\n"
        );
    }

    #[test]
    fn output_is_read_back_by_the_icalendar_crate() {
        // The `icalendar` crate's parser unfolds and unescapes what we fold and escape.
        let title = "한일 셔틀 정상회담, 나라; \"Nara\" \\ summit\n두 번째 줄 🇰🇷🇯🇵".repeat(3);
        let mut w = ContentWriter::new(Vec::new());
        w.line("BEGIN:VCALENDAR").unwrap();
        w.line("BEGIN:VEVENT").unwrap();
        w.text("SUMMARY", &[("LANGUAGE", "ko")], &title).unwrap();
        w.line("END:VEVENT").unwrap();
        w.line("END:VCALENDAR").unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let calendar: icalendar::Calendar = text.parse().expect("icalendar parses our output");
        let event = calendar
            .components
            .iter()
            .find_map(|c| match c {
                icalendar::CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .expect("one event");
        use icalendar::Component as _;
        assert_eq!(event.get_summary(), Some(title.as_str()));
    }
}
