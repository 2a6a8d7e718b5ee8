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
    let mut out = Vec::with_capacity(value.len() + 8);
    escape_text_into(value, &mut out);
    // Only ASCII bytes are inserted or removed, always between whole characters.
    String::from_utf8(out).expect("escaping keeps UTF-8 intact")
}

/// Appends the TEXT escape of `value` to `out` (see [`escape_text`]).
///
/// The characters that change are all ASCII, so the text is copied in runs between them.
pub fn escape_text_into(value: &str, out: &mut Vec<u8>) {
    let bytes = value.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escaped: &[u8] = match b {
            b'\\' => b"\\\\",
            b';' => b"\\;",
            b',' => b"\\,",
            b'\n' => b"\\n",
            b'\r' => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(escaped);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
}

/// Formats a parameter value: RFC 6868 escapes for `^`, newline and `"`, and double quotes
/// around values holding `:`, `;` or `,`.
///
/// ```
/// assert_eq!(calfeed::ics::param_value("Asia/Tokyo"), "Asia/Tokyo");
/// assert_eq!(calfeed::ics::param_value("a:b"), "\"a:b\"");
/// ```
pub fn param_value(value: &str) -> String {
    let mut out = Vec::with_capacity(value.len() + 2);
    param_value_into(value, &mut out);
    String::from_utf8(out).expect("parameter escaping keeps UTF-8 intact")
}

/// Appends the parameter form of `value` to `out` (see [`param_value`]).
pub fn param_value_into(value: &str, out: &mut Vec<u8>) {
    // Escaping leaves `:`, `;` and `,` alone, so the raw value tells whether to quote.
    let quoted = value.contains([':', ';', ',']);
    if quoted {
        out.push(b'"');
    }
    if value
        .bytes()
        .all(|b| b != b'^' && b != b'"' && (0x20..0x7f).contains(&b))
    {
        // Printable ASCII only (the usual `LANGUAGE=ko`, `TZID=Asia/Tokyo`): nothing to change.
        out.extend_from_slice(value.as_bytes());
    } else {
        let mut utf8 = [0; 4];
        for c in value.chars() {
            match c {
                '^' => out.extend_from_slice(b"^^"),
                '\n' => out.extend_from_slice(b"^n"),
                '"' => out.extend_from_slice(b"^'"),
                c if c.is_control() => {}
                c => out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes()),
            }
        }
    }
    if quoted {
        out.push(b'"');
    }
}

/// How many bytes [`ContentWriter`] collects before handing them to its writer.
const CHUNK: usize = 1 << 16;

/// Writes content lines with CRLF endings, folded at 75 octets.
///
/// Each content line is put together in one reused buffer (name, escaped parameters, escaped
/// value) and folded straight into the output buffer, which goes to the inner writer in large
/// chunks: writing a line allocates nothing once the buffers have grown.
pub struct ContentWriter<W: Write> {
    out: W,
    /// The unfolded content line being put together.
    line: Vec<u8>,
    /// Folded lines not yet handed to `out`.
    buf: Vec<u8>,
}

impl<W: Write> ContentWriter<W> {
    /// Wraps `out`; lines reach it in chunks, and all of them on [`finish`](Self::finish).
    pub fn new(out: W) -> Self {
        ContentWriter {
            out,
            line: Vec::with_capacity(256),
            buf: Vec::with_capacity(CHUNK + 1024),
        }
    }

    /// Writes one unfolded content line (without line ending), folding it as needed.
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        fold_bytes(line.as_bytes(), &mut self.buf);
        self.spill()
    }

    /// Writes `NAME;PARAMS:value` with a value that is already in its final form.
    pub fn property(&mut self, name: &str, params: &[(&str, &str)], value: &str) -> io::Result<()> {
        self.start(name, params);
        self.line.extend_from_slice(value.as_bytes());
        self.end()
    }

    /// Writes a TEXT property, escaping its value.
    pub fn text(&mut self, name: &str, params: &[(&str, &str)], value: &str) -> io::Result<()> {
        self.start(name, params);
        escape_text_into(value, &mut self.line);
        self.end()
    }

    /// Writes text that is already folded content lines, such as an earlier writer's output.
    pub fn raw(&mut self, lines: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(lines);
        self.spill()
    }

    /// Flushes and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.out)
    }

    /// Starts a content line with its name and parameters.
    fn start(&mut self, name: &str, params: &[(&str, &str)]) {
        self.line.clear();
        self.line.extend_from_slice(name.as_bytes());
        for (key, value) in params {
            self.line.push(b';');
            self.line.extend_from_slice(key.as_bytes());
            self.line.push(b'=');
            param_value_into(value, &mut self.line);
        }
        self.line.push(b':');
    }

    /// Folds the content line put together since [`start`](Self::start) into the output.
    fn end(&mut self) -> io::Result<()> {
        fold_bytes(&self.line, &mut self.buf);
        self.spill()
    }

    /// Hands the collected lines to the inner writer once there are enough of them.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

impl ContentWriter<Vec<u8>> {
    /// How many bytes have been written so far, handed over or not.
    pub fn written(&self) -> usize {
        self.out.len() + self.buf.len()
    }
}

/// Appends `line` to `out`, folded at [`MAX_LINE`] octets and terminated by CRLF.
///
/// A fold is a CRLF followed by one space, which counts towards the next line's 75 octets.
/// Folds fall only between characters, and never right after a backslash escape's `\`: each
/// physical line takes as many whole characters (a `\` together with the character it escapes
/// counting as one) as fit.
pub fn fold_into(line: &str, out: &mut Vec<u8>) {
    fold_bytes(line.as_bytes(), out);
}

/// [`fold_into`] for a line put together as UTF-8 bytes.
fn fold_bytes(line: &[u8], out: &mut Vec<u8>) {
    out.reserve(line.len() + line.len() / 64 * 3 + 2);
    let mut start = 0;
    let mut room = MAX_LINE;
    while line.len() - start > room {
        let mut end = start + room;
        // Back off to the start of the character that does not fit whole.
        while end > start && is_continuation(line[end]) {
            end -= 1;
        }
        // An odd run of backslashes before `end` ends in an escape's `\`: keep it with the
        // character it escapes. Runs are counted from `start`, which is never inside an escape.
        let backslashes = line[start..end]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 1 {
            end -= 1;
        }
        out.extend_from_slice(&line[start..end]);
        out.extend_from_slice(b"\r\n ");
        start = end;
        room = MAX_LINE - 1;
    }
    out.extend_from_slice(&line[start..]);
    out.extend_from_slice(b"\r\n");
}

fn is_continuation(byte: u8) -> bool {
    byte & 0xc0 == 0x80
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

    /// Folding by its definition, one unit at a time: a character, or `\` with the character
    /// it escapes, goes on the current line if it fits, else on a new one.
    fn fold_by_units(line: &str) -> String {
        let mut out = String::new();
        let mut used = 0;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            let mut unit = c.to_string();
            if c == '\\'
                && let Some(next) = chars.next()
            {
                unit.push(next);
            }
            if used + unit.len() > MAX_LINE {
                out.push_str("\r\n ");
                used = 1;
            }
            used += unit.len();
            out.push_str(&unit);
        }
        out + "\r\n"
    }

    #[test]
    fn folding_matches_its_definition_on_varied_lines() {
        // A fixed pseudo-random sequence over characters of every UTF-8 length and runs of
        // backslashes, so folds land on every kind of boundary.
        let alphabet = ['a', '\\', '\\', ',', 'é', '다', '🇰', ' ', ';', 'n'];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for length in 0..400 {
            let line: String = (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize]
                })
                .collect();
            assert_eq!(folded(&line), fold_by_units(&line), "{line:?}");
        }
    }

    #[test]
    fn escaping_into_a_buffer_matches_escape_text() {
        let mut out = b"SUMMARY:".to_vec();
        escape_text_into("a\r\nb;c,d\\e 다", &mut out);
        assert_eq!(out, b"SUMMARY:a\\nb\\;c\\,d\\\\e \xeb\x8b\xa4");
        assert_eq!(escape_text(""), "");
        assert_eq!(escape_text("plain"), "plain");
        assert_eq!(escape_text(";;"), "\\;\\;");
    }

    #[test]
    fn parameter_values_drop_control_characters() {
        assert_eq!(param_value("a\u{7}b\u{85}c"), "abc");
        assert_eq!(param_value("\u{7f}"), "");
        assert_eq!(param_value("Tōkyō, \"x\""), "\"Tōkyō, ^'x^'\"");
    }

    #[test]
    fn many_lines_reach_the_writer_whole_and_in_order() {
        // More than one chunk's worth, so lines are handed over both before and at `finish`.
        let mut w = ContentWriter::new(Vec::new());
        let mut expected = Vec::new();
        for i in 0..5000 {
            let value = format!("line {i}, {}", "다".repeat(i % 40));
            w.text("DESCRIPTION", &[("LANGUAGE", "ko")], &value)
                .unwrap();
            fold_into(
                &format!("DESCRIPTION;LANGUAGE=ko:{}", escape_text(&value)),
                &mut expected,
            );
        }
        let out = w.finish().unwrap();
        assert!(out.len() > 2 * CHUNK);
        assert_eq!(out, expected);
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
