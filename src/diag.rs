//! Diagnostics: what is wrong with an input file, where, and how to fix it.
//!
//! A [`Diagnostic`] is a severity, a byte span into the source text, a message, an optional label
//! shown under the caret and an optional hint. The loader collects them; [`render`] turns them
//! into the `FILE:LINE:COL` report with the offending source line and a caret underline, the way
//! cargo and rustc show errors ([`render_colored`] adds cargo's colours).
//!
//! Whatever the input holds, the report is safe to print and short: carets are placed by
//! terminal columns (wide Hangul, kana and emoji, zero-width combining marks), control
//! characters are shown as `␛`-style pictures or `\u{..}` escapes, and long lines and messages
//! are cut around what matters with an ellipsis.

use std::fmt::Write as _;
use std::ops::Range;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthStr;

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

/// Renders diagnostics about the file shown as `path` with contents `text`, without colour.
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
    render_with(diagnostics, path, text, &Palette::PLAIN)
}

/// Renders diagnostics like [`render`], coloured with ANSI escape codes the way cargo colours
/// its messages. Print it through `anstream`, which removes the codes where colour is off.
pub fn render_colored(diagnostics: &[Diagnostic], path: &str, text: &str) -> String {
    render_with(diagnostics, path, text, &Palette::COLORED)
}

/// The styles of the parts of a rendered diagnostic.
struct Palette {
    error: Style,
    warning: Style,
    message: Style,
    gutter: Style,
    help: Style,
}

impl Palette {
    const PLAIN: Palette = Palette {
        error: Style::new(),
        warning: Style::new(),
        message: Style::new(),
        gutter: Style::new(),
        help: Style::new(),
    };

    const COLORED: Palette = Palette {
        error: AnsiColor::BrightRed.on_default().bold(),
        warning: AnsiColor::BrightYellow.on_default().bold(),
        message: Style::new().bold(),
        gutter: AnsiColor::BrightBlue.on_default().bold(),
        help: AnsiColor::BrightCyan.on_default().bold(),
    };
}

/// The widest source line shown whole, in terminal columns; longer ones are cut around the span.
const MAX_LINE_WIDTH: usize = 120;
/// How many columns before the span a cut line keeps.
const CONTEXT_BEFORE: usize = 40;
/// The widest span a cut line shows whole; a wider one keeps its start and end.
const MAX_SPAN_WIDTH: usize = 60;
/// The widest line of a message, label or hint; longer ones (a 10 MB key quoted in a message)
/// keep their start and end.
const MAX_MESSAGE_WIDTH: usize = 200;

fn render_with(diagnostics: &[Diagnostic], path: &str, text: &str, palette: &Palette) -> String {
    let index = LineIndex::new(text);
    let path = clip(path, MAX_MESSAGE_WIDTH);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, d, &path, &index, palette);
    }
    out
}

fn render_one(
    out: &mut String,
    d: &Diagnostic,
    path: &str,
    index: &LineIndex<'_>,
    palette: &Palette,
) {
    let text = index.text;
    let (kind, accent) = match d.severity {
        Severity::Error => ("error", palette.error),
        Severity::Warning => ("warning", palette.warning),
    };
    let (message, gutter, help) = (palette.message, palette.gutter, palette.help);
    let start = floor_char_boundary(text, d.span.start.min(text.len()));
    let pos = index.position(start);
    let (line_start, line) = index.line_at(start);
    let number = pos.line.to_string();
    let pad_number = " ".repeat(number.len());
    let bar = format!("{gutter}{pad_number} |{gutter:#}");

    let _ = writeln!(
        out,
        "{accent}{kind}{accent:#}{message}: {}{message:#}",
        clip(&d.message, MAX_MESSAGE_WIDTH)
    );
    let _ = writeln!(
        out,
        "{pad_number}{gutter}-->{gutter:#} {path}:{}:{}",
        pos.line, pos.column
    );
    let _ = writeln!(out, "{bar}");
    // The caret covers the span on its first line, at least one column.
    // (A span may start on the line break itself, past the shown text.)
    let line_end = line_start + line.len();
    let end = floor_char_boundary(text, d.span.end.clamp(start, line_end.max(start)));
    let start_in_line = (start - line_start).min(line.len());
    let end_in_line = (end - line_start).clamp(start_in_line, line.len());
    let excerpt = Excerpt::new(line, start_in_line..end_in_line);
    let _ = writeln!(
        out,
        "{gutter}{number} |{gutter:#} {}{}{}",
        excerpt.before, excerpt.span, excerpt.after
    );
    let pad = " ".repeat(excerpt.before.width());
    let carets = "^".repeat(excerpt.span.width().max(1));
    match &d.label {
        Some(label) => {
            let label = clip(label, MAX_MESSAGE_WIDTH);
            let _ = writeln!(out, "{bar} {pad}{accent}{carets} {label}{accent:#}");
        }
        None => {
            let _ = writeln!(out, "{bar} {pad}{accent}{carets}{accent:#}");
        }
    }
    if let Some(hint) = &d.help {
        let _ = writeln!(out, "{bar}");
        let mut lines = hint.lines();
        if let Some(first) = lines.next() {
            let first = clip(first, MAX_MESSAGE_WIDTH);
            let _ = writeln!(
                out,
                "{pad_number} {gutter}={gutter:#} {help}help{help:#}: {first}"
            );
        }
        for rest in lines {
            let _ = writeln!(
                out,
                "{pad_number}         {}",
                clip(rest, MAX_MESSAGE_WIDTH)
            );
        }
    }
}

/// A source line as shown: around the span when the line is too wide, with its characters made
/// safe for a terminal.
struct Excerpt {
    before: String,
    span: String,
    after: String,
}

impl Excerpt {
    fn new(line: &str, span: Range<usize>) -> Self {
        let (before, rest) = line.split_at(span.start);
        let (inside, after) = rest.split_at(span.end - span.start);
        if !head(line, MAX_LINE_WIDTH).1 {
            return Excerpt {
                before: shown(before),
                span: shown(inside),
                after: shown(after),
            };
        }
        let (mut shown_before, cut) = tail(before, CONTEXT_BEFORE);
        if cut {
            shown_before.insert(0, ELLIPSIS);
        }
        let shown_span = match head(inside, MAX_SPAN_WIDTH) {
            (whole, false) => whole,
            (_, true) => {
                let (start, _) = head(inside, MAX_SPAN_WIDTH / 2);
                let (end, _) = tail(inside, MAX_SPAN_WIDTH / 2 - 1);
                format!("{start}{ELLIPSIS}{end}")
            }
        };
        let used = shown_before.width() + shown_span.width();
        let (mut shown_after, cut) = head(after, MAX_LINE_WIDTH.saturating_sub(used + 1));
        if cut {
            shown_after.push(ELLIPSIS);
        }
        Excerpt {
            before: shown_before,
            span: shown_span,
            after: shown_after,
        }
    }
}

/// Marks where a line or a message was cut.
const ELLIPSIS: char = '…';

/// `text` as shown in a terminal: a tab as a space, C0 controls and DEL as their Unicode
/// control pictures (`␛` for ESC), and other characters that could move the cursor, recolour
/// the terminal or reorder the text (C1 controls, bidirectional overrides) as `\u{..}`.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    out
}

fn push_shown(out: &mut String, c: char) {
    match c {
        '\t' => out.push(' '),
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// The start of `text` as shown, at most `width` columns wide, and whether anything was left out.
fn head(text: &str, width: usize) -> (String, bool) {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let before = out.len();
        push_shown(&mut out, c);
        used += out[before..].width();
        if used > width {
            out.truncate(before);
            return (out, true);
        }
    }
    (out, false)
}

/// The end of `text` as shown, at most `width` columns wide, and whether anything was left out.
fn tail(text: &str, width: usize) -> (String, bool) {
    let mut pieces = Vec::new();
    let mut used = 0;
    let mut cut = false;
    for c in text.chars().rev() {
        let mut piece = String::new();
        push_shown(&mut piece, c);
        used += piece.width();
        if used > width {
            cut = true;
            break;
        }
        pieces.push(piece);
    }
    (pieces.into_iter().rev().collect(), cut)
}

/// One line of a message made safe for a terminal and at most `width` columns wide, keeping
/// its start and end.
fn clip(text: &str, width: usize) -> String {
    match head(text, width) {
        (whole, false) => whole,
        (_, true) => {
            let (start, _) = head(text, width / 2);
            let (end, _) = tail(text, width / 2 - 1);
            format!("{start}{ELLIPSIS}{end}")
        }
    }
}

/// Suggests the candidate closest to `input`, if one is close enough to be a likely typo.
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // At most three edits apart; a longer input (a 10 MB key) is not compared at all.
    let length = input.chars().take(1000).count();
    let allowed = (length / 3).clamp(1, 3);
    if length == 1000 {
        return None;
    }
    let lower = input.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // Each edit changes the length by at most one.
        if candidate.chars().count().abs_diff(length) > allowed {
            continue;
        }
        if candidate.to_lowercase() == lower {
            return Some(candidate);
        }
        let distance = strsim::osa_distance(&lower, &candidate.to_lowercase());
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let (distance, candidate) = best?;
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

    /// The source line and caret line of a rendered diagnostic about `needle` in `line`.
    fn excerpt(line: &str, needle: &str) -> (String, String) {
        let text = format!("{line}\n");
        let start = text.find(needle).unwrap();
        let d = Diagnostic::error(start..start + needle.len(), "x");
        let shown = render(&[d], "f.toml", &text);
        let mut lines = shown.lines().skip(3);
        let source = lines
            .next()
            .unwrap()
            .strip_prefix("1 | ")
            .unwrap()
            .to_owned();
        let carets = lines
            .next()
            .unwrap()
            .strip_prefix("  | ")
            .unwrap()
            .to_owned();
        (source, carets)
    }

    #[test]
    fn carets_line_up_under_wide_characters() {
        // Hangul and kana take two columns each.
        let (source, carets) = excerpt("title = { ko = \"정상회담\", ja = \"首脳会談\" } x", "x");
        assert_eq!(source.width(), carets.len());
        assert_eq!(carets.trim_start().len(), 1);
        let (_, carets) = excerpt("ko = \"정상회담\"", "\"정상회담\"");
        assert_eq!(carets, format!("{}{}", " ".repeat(5), "^".repeat(10)));
    }

    #[test]
    fn carets_skip_combining_marks() {
        // "é" as e + COMBINING ACUTE ACCENT is one column.
        let (_, carets) = excerpt("title = \"Caf\u{65}\u{301}\" bad", "bad");
        assert_eq!(carets, format!("{}^^^", " ".repeat(15)));
        let (_, carets) = excerpt("x = \"e\u{301}e\u{301}\"", "\"e\u{301}e\u{301}\"");
        assert_eq!(carets, "    ^^^^");
    }

    #[test]
    fn carets_count_emoji_as_two_columns() {
        let (_, carets) = excerpt("title = \"🎌🎌\" bad", "bad");
        assert_eq!(carets, format!("{}^^^", " ".repeat(15)));
        // A family: three emoji joined into one picture, two columns wide.
        let (_, carets) = excerpt("x = \"👨\u{200d}👩\u{200d}👧\" bad", "bad");
        assert_eq!(carets, format!("{}^^^", " ".repeat(9)));
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let (source, carets) = excerpt("title = \"a\u{1b}[31mb\0c\u{7f}\u{9b}2J\u{202e}\" x", "x");
        assert_eq!(source, "title = \"a␛[31mb␀c␡\\u{9b}2J\\u{202e}\" x");
        assert_eq!(carets.len(), source.width());
        let d = Diagnostic::error(0..1, "bad \u{1b}]0;title\u{7}").with_label("\u{1b}[2J");
        let shown = render(&[d], "f\u{1b}.toml", "x\n");
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("bad ␛]0;title␇"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!(
            "title = \"{}\" bad {}",
            "a".repeat(10_000_000),
            "b".repeat(1000)
        );
        let (source, carets) = excerpt(&line, "bad");
        assert!(source.width() <= MAX_LINE_WIDTH + 2, "{source}");
        assert!(source.starts_with('…') && source.ends_with('…'), "{source}");
        assert!(source.contains("aaa\" bad bbb"), "{source}");
        assert_eq!(&source[carets.find('^').unwrap() + 2..][..3], "bad");
        assert_eq!(carets.trim_start(), "^^^");
        // The start of a line is kept whole when the span is near it.
        let (source, _) = excerpt(&format!("bad = {}", "c".repeat(500)), "bad");
        assert!(
            source.starts_with("bad = ccc") && source.ends_with("c…"),
            "{source}"
        );
    }

    #[test]
    fn long_spans_and_messages_keep_their_ends() {
        let key = format!("start{}end", "k".repeat(10_000_000));
        let text = format!("[calendar]\n{key} = 1\n");
        let d = Diagnostic::error(
            11..11 + key.len(),
            format!("unknown key `{key}` in [calendar]"),
        )
        .with_label(format!("`{key}`"))
        .with_help(format!("remove `{key}`\nor rename it"));
        let shown = render(&[d], "f.toml", &text);
        assert!(shown.len() < 2000, "{} bytes", shown.len());
        assert!(shown.contains("unknown key `startkkk"), "{shown}");
        assert!(shown.contains("kkkend` in [calendar]"), "{shown}");
        assert!(shown.contains("2 | startkk"), "{shown}");
        assert!(shown.contains("kkend = 1"), "{shown}");
        let carets = shown.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(carets.matches('^').count(), MAX_SPAN_WIDTH);
    }

    #[test]
    fn colours_only_when_asked() {
        let d = Diagnostic::warning(0..1, "odd").with_help("fix it");
        let one = std::slice::from_ref(&d);
        assert!(!render(one, "f.toml", "x\n").contains('\u{1b}'));
        let colored = render_colored(one, "f.toml", "x\n");
        assert!(colored.contains("\u{1b}["), "{colored:?}");
        // Without the escape codes it is the plain rendering.
        let mut stripped = String::new();
        let mut rest = colored.as_str();
        while let Some(at) = rest.find('\u{1b}') {
            stripped.push_str(&rest[..at]);
            rest = &rest[at + rest[at..].find('m').unwrap() + 1..];
        }
        stripped.push_str(rest);
        assert_eq!(stripped, render(one, "f.toml", "x\n"));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["title", "timezone", "tags"];
        assert_eq!(suggest("titel", keys), Some("title"));
        assert_eq!(suggest("TimeZone", keys), Some("timezone"));
        assert_eq!(suggest("location", keys), None);
        assert_eq!(suggest(&"t".repeat(10_000_000), keys), None);
    }
}
