//! Diagnostics: what is wrong with an input file, where, and how to fix it.
//!
//! A [`Diagnostic`] is a severity, a byte span into the source text, a message, an optional label
//! shown under the caret and an optional hint. The loader collects them; [`render`] turns them
//! into the `FILE:LINE:COL` report with the offending source line and a caret underline, the way
//! cargo and rustc show errors.

use std::fmt::Write as _;
use std::ops::Range;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// The input is accepted, but probably not what was meant.
    Warning,
}

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Byte range in the source text that the problem is about.
    pub span: Range<usize>,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// A short text shown under the caret.
    pub label: Option<String>,
    /// How to fix it, when that is clear.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about `span`.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            label: None,
            help: None,
        }
    }

    /// A warning about `span`.
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Adds the text shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic rejects the input.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column (in characters) of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line number, from 1.
    pub line: usize,
    /// Column number in characters, from 1.
    pub column: usize,
}

/// Where each line of a text starts, for turning many byte offsets into positions quickly.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        Position {
            line: line + 1,
            column: self.text[self.starts[line]..offset].chars().count() + 1,
        }
    }

    /// The text of the line holding byte `offset`, without its line break, and where it starts.
    fn line_at(&self, offset: usize) -> (usize, &'t str) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        (start, self.text[start..end].trim_end_matches('\r'))
    }
}

/// Finds the line and column of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    LineIndex::new(text).position(offset)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Renders diagnostics about the file shown as `path` with contents `text`.
///
/// ```
/// use calfeed::diag::{render, Diagnostic};
/// let text = "[calendar]\ntitel = \"x\"\n";
/// let d = Diagnostic::error(11..16, "unknown key `titel` in [calendar]")
///     .with_label("unknown key")
///     .with_help("did you mean `title`?");
/// let shown = render(&[d], "events.toml", text);
/// assert!(shown.contains("--> events.toml:2:1"));
/// assert!(shown.contains("2 | titel = \"x\""));
/// ```
pub fn render(diagnostics: &[Diagnostic], path: &str, text: &str) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, d, path, &index);
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic, path: &str, index: &LineIndex<'_>) {
    let text = index.text;
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let pos = index.position(start);
    let (line_start, line) = index.line_at(start);
    let number = pos.line.to_string();
    let gutter = " ".repeat(number.len());

    let _ = writeln!(out, "{kind}: {}", d.message);
    let _ = writeln!(out, "{gutter}--> {path}:{}:{}", pos.line, pos.column);
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{number} | {}", line.replace('\t', " "));
    // The caret covers the span on its first line, at least one column.
    // (A span may start on the line break itself, past the shown text.)
    let line_end = (line_start + line.len()).max(start);
    let end = floor_char_boundary(text, d.span.end.clamp(start, line_end));
    let width = text[start..end].chars().count().max(1);
    let pad = " ".repeat(pos.column - 1);
    let carets = "^".repeat(width);
    match &d.label {
        Some(label) => {
            let _ = writeln!(out, "{gutter} | {pad}{carets} {label}");
        }
        None => {
            let _ = writeln!(out, "{gutter} | {pad}{carets}");
        }
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{gutter} |");
        let mut lines = help.lines();
        if let Some(first) = lines.next() {
            let _ = writeln!(out, "{gutter} = help: {first}");
        }
        for rest in lines {
            let _ = writeln!(out, "{gutter}         {rest}");
        }
    }
}

/// Suggests the candidate closest to `input`, if one is close enough to be a likely typo.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.to_lowercase() == lower {
            return Some(candidate);
        }
        let distance = strsim::osa_distance(&lower, &candidate.to_lowercase());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
    let allowed = (input.chars().count() / 3).clamp(1, 3);
    (distance <= allowed).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a = 1\ntitle = \"서울\" x\n";
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(
            position(text, x),
            Position {
                line: 2,
                column: 14
            }
        );
        assert_eq!(position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(
            position(text, text.len() + 10),
            Position { line: 3, column: 1 }
        );
    }

    #[test]
    fn renders_location_line_caret_and_help() {
        let text = "[calendar]\nname = \"x\"\ntimezone = \"Asia/Seol\"\n";
        let start = text.find("\"Asia").unwrap();
        let d = Diagnostic::error(start..start + 11, "unknown timezone `Asia/Seol`")
            .with_label("not an IANA timezone")
            .with_help("did you mean `Asia/Seoul`?");
        assert_eq!(
            render(&[d], "events.toml", text),
            "error: unknown timezone `Asia/Seol`\n \
             --> events.toml:3:12\n  \
             |\n\
             3 | timezone = \"Asia/Seol\"\n  \
             |            ^^^^^^^^^^^ not an IANA timezone\n  \
             |\n  \
             = help: did you mean `Asia/Seoul`?\n"
        );
    }

    #[test]
    fn multi_line_span_is_cut_at_the_end_of_its_first_line() {
        let text = "x = [\n  1,\n]\n";
        let d = Diagnostic::warning(4..text.len(), "odd");
        let shown = render(&[d], "f.toml", text);
        assert!(
            shown.starts_with("warning: odd\n --> f.toml:1:5\n"),
            "{shown}"
        );
        assert!(shown.contains("1 | x = [\n  |     ^\n"), "{shown}");
    }

    #[test]
    fn spans_on_a_line_break_render() {
        let text = "a = 1\r\nb = 2\n";
        for start in 0..text.len() {
            let d = Diagnostic::error(start..start + 3, "x");
            assert!(render(&[d], "f.toml", text).contains("--> f.toml:"));
        }
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["title", "timezone", "tags"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("TimeZone", keys), Some("timezone"));
        assert_eq!(suggest("location", keys), None);
    }
}
