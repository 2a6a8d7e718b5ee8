//! Diagnostics for machines: GitHub Actions workflow commands and JSON lines.
//!
//! `--message-format github` prints each diagnostic as an `::error` or `::warning` workflow
//! command, which GitHub shows as an annotation on the offending line of the pull request.
//! `--message-format json` prints one JSON object per diagnostic and line, for editors and
//! scripts. The default, `human`, is the compiler-style report of [`crate::diag::render`].

use std::fmt::Write as _;

use serde::Serialize;

use crate::diag::{Diagnostic, LineIndex, Severity};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// A report with the source line and a caret, for people.
    #[default]
    Human,
    /// GitHub Actions workflow commands (`::error file=...,line=...::...`), shown as annotations.
    Github,
    /// One JSON object per diagnostic and line.
    Json,
}

/// One diagnostic as a JSON object.
#[derive(Debug, Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    severity: &'static str,
    message: &'a str,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Diagnostics about the file shown as `path` with contents `text`, as GitHub workflow commands,
/// one per line.
///
/// ```
/// use calfeed::annotate::github;
/// use calfeed::diag::Diagnostic;
/// let text = "[calendar]\ntitel = \"x\"\n";
/// let d = Diagnostic::error(11..16, "unknown key `titel`").with_help("did you mean `title`?");
/// assert_eq!(
///     github(&[d], "cal/events.toml", text),
///     "::error file=cal/events.toml,line=2,col=1,endLine=2,endColumn=6,title=unknown key `titel`\
///      ::unknown key `titel`%0Ahelp: did you mean `title`?\n"
/// );
/// ```
pub fn github(diagnostics: &[Diagnostic], path: &str, text: &str) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let start = index.position(d.span.start);
        let end = index.position(d.span.end.max(d.span.start + 1));
        let (end_line, end_column) = if end.line == start.line {
            (end.line, end.column)
        } else {
            (start.line, start.column + 1)
        };
        let mut message = d.message.clone();
        if let Some(label) = &d.label {
            let _ = write!(message, " ({label})");
        }
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            severity_name(d.severity),
            property(path),
            start.line,
            start.column,
            end_line,
            end_column,
            property(&d.message),
            data(&message)
        );
    }
    out
}

/// A problem that is not about a place in the file (it cannot be read, say), as a workflow
/// command.
pub fn github_error(path: Option<&str>, message: &str) -> String {
    match path {
        Some(path) => format!(
            "::error file={},title=calfeed::{}\n",
            property(path),
            data(message)
        ),
        None => format!("::error title=calfeed::{}\n", data(message)),
    }
}

/// Diagnostics as JSON lines.
///
/// ```
/// use calfeed::annotate::json;
/// use calfeed::diag::Diagnostic;
/// let text = "[calendar]\ntitel = \"x\"\n";
/// let d = Diagnostic::error(11..16, "unknown key `titel`").with_help("did you mean `title`?");
/// let line = json(&[d], "events.toml", text);
/// let value: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
/// assert_eq!(value["line"], 2);
/// assert_eq!(value["column"], 1);
/// assert_eq!(value["severity"], "error");
/// assert_eq!(value["help"], "did you mean `title`?");
/// ```
pub fn json(diagnostics: &[Diagnostic], path: &str, text: &str) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let start = index.position(d.span.start);
        let end = index.position(d.span.end.max(d.span.start));
        let object = JsonDiagnostic {
            file: path,
            line: Some(start.line),
            column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
            severity: severity_name(d.severity),
            message: &d.message,
            label: d.label.as_deref(),
            help: d.help.as_deref(),
        };
        push_json(&mut out, &object);
    }
    out
}

/// A problem that is not about a place in the file, as a JSON line.
pub fn json_error(path: Option<&str>, message: &str) -> String {
    let mut out = String::new();
    push_json(
        &mut out,
        &JsonDiagnostic {
            file: path.unwrap_or(""),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            severity: "error",
            message,
            label: None,
            help: None,
        },
    );
    out
}

fn push_json(out: &mut String, object: &JsonDiagnostic<'_>) {
    // Serialising plain strings and numbers cannot fail.
    if let Ok(line) = serde_json::to_string(object) {
        out.push_str(&line);
        out.push('\n');
    }
}

/// Escapes the message of a workflow command.
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command (also `:` and `,`, which end it).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_data_and_properties() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        let text = "a = 1\nb = 2\n";
        let d = Diagnostic::warning(6..7, "odd, really: 100%")
            .with_label("here")
            .with_help("line one\nline two");
        assert_eq!(
            github(&[d], "dir,x/e:1.toml", text),
            "::warning file=dir%2Cx/e%3A1.toml,line=2,col=1,endLine=2,endColumn=2,\
             title=odd%2C really%3A 100%25::odd, really: 100%25 (here)%0Ahelp: line one%0Aline two\n"
        );
    }

    #[test]
    fn every_command_is_one_line() {
        let text = "x = \"\n\"\n";
        let d = Diagnostic::error(0..text.len(), "spans\nlines").with_help("a\r\nb");
        let shown = github(&[d], "f.toml", text);
        assert_eq!(shown.lines().count(), 1, "{shown}");
        assert!(
            shown.contains("line=1,col=1,endLine=1,endColumn=2,"),
            "{shown}"
        );
    }

    #[test]
    fn json_lines_carry_every_field() {
        let text = "[calendar]\nname = 1\n";
        let d = Diagnostic::error(18..19, "expected a string, found an integer")
            .with_label("not a string")
            .with_help("write \"1\"");
        let shown = json(&[d.clone(), d], "e.toml", text);
        let lines: Vec<serde_json::Value> = shown
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            serde_json::json!({
                "file": "e.toml", "line": 2, "column": 8, "end_line": 2, "end_column": 9,
                "severity": "error", "message": "expected a string, found an integer",
                "label": "not a string", "help": "write \"1\""
            })
        );
    }

    #[test]
    fn errors_without_a_place() {
        assert_eq!(
            github_error(Some("e.toml"), "cannot read: gone"),
            "::error file=e.toml,title=calfeed::cannot read: gone\n"
        );
        let v: serde_json::Value = serde_json::from_str(json_error(None, "x").trim_end()).unwrap();
        assert_eq!(v["line"], serde_json::Value::Null);
        assert_eq!(v["severity"], "error");
    }
}
