//! How problems reach the terminal: colour only where wanted, control characters from the
//! input never raw, and huge lines cut short.

use std::fs;
use std::time::{Duration, Instant};

use crate::common::{calfeed, fixture, stderr};

const ESC: char = '\u{1b}';

/// Runs `command` with `env` added, checks that it exits with `code` and says `about`, and
/// tells whether what it said was coloured.
fn coloured(
    mut command: std::process::Command,
    env: &[(&str, &str)],
    code: i32,
    about: &str,
) -> bool {
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(code));
    let shown = stderr(&output);
    assert!(shown.contains(about), "{shown}");
    shown.contains(ESC)
}

fn check_colored(args: &[&str], env: &[(&str, &str)]) -> bool {
    let mut command = calfeed();
    command
        .args(args)
        .arg("check")
        .arg(fixture("invalid/unknown-timezone.toml"));
    coloured(command, env, 1, "unknown timezone")
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    // Into a pipe, as here, `auto` means no colour unless CLICOLOR_FORCE asks for it.
    assert!(!check_colored(&[], &[]));
    assert!(check_colored(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!check_colored(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(!check_colored(
        &["--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    ));
    assert!(check_colored(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!check_colored(&["--color=auto"], &[]));
}

#[test]
fn colour_is_a_global_flag() {
    let output = calfeed()
        .arg("check")
        .arg(fixture("invalid/unknown-timezone.toml"))
        .args(["--color", "always"])
        .output()
        .unwrap();
    let shown = stderr(&output);
    assert!(shown.contains(&format!("{ESC}[")), "{shown}");
    let output = calfeed()
        .args(["--color", "sometimes", "check"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// Only line breaks, and the escape codes calfeed writes itself, are control characters on
/// standard error.
fn assert_terminal_safe(shown: &str, own_colours: bool) {
    let mut rest = shown;
    if own_colours {
        let mut plain = String::new();
        while let Some(at) = rest.find(ESC) {
            plain.push_str(&rest[..at]);
            let code = &rest[at..];
            let end = code.find('m').expect("a colour code ends in m");
            assert!(
                code[2..end]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b';'),
                "{code:?}"
            );
            rest = &code[end + 1..];
        }
        plain.push_str(rest);
        return assert_terminal_safe(&plain, false);
    }
    for c in shown.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {c:?} in {shown:?}"
        );
    }
}

#[test]
fn command_line_mistakes_are_coloured_as_asked() {
    let mistake = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = calfeed();
        command.args(args).args(["check", "--no-such-flag"]);
        coloured(command, env, 2, "--no-such-flag")
    };
    assert!(!mistake(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!mistake(&["--color=never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(mistake(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!mistake(&[], &[]));
}

#[test]
fn control_characters_from_the_input_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.toml");
    // Raw ESC, NUL, DEL, a C1 CSI and a right-to-left override: a crafted file trying to clear
    // the screen, retitle the terminal or reorder what is shown.
    let text = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\n\
                title = \"\u{1b}[2J\u{1b}]0;owned\u{7}\0\u{7f}\u{9b}31m\u{202e}\"\nstart = 2025-10-28\n";
    fs::write(&path, text).unwrap();
    for color in ["never", "always"] {
        let output = calfeed()
            .args(["--color", color, "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let shown = stderr(&output);
        assert!(shown.contains("events.toml:7:"), "{shown}");
        assert!(
            shown.contains("␛[2J␛]0;owned␇␀␡\\u{9b}31m\\u{202e}"),
            "{shown}"
        );
        assert_terminal_safe(&shown, color == "always");
    }
}

fn check_timed(text: &str) -> (String, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.toml");
    fs::write(&path, text).unwrap();
    let started = Instant::now();
    let output = calfeed().arg("check").arg(&path).output().unwrap();
    let took = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    (stderr(&output), took)
}

#[test]
fn a_huge_line_is_cut_around_the_problem() {
    let head = "[calendar]\nname = \"x\"\ndomain = \"example.org\"\n\n[[event]]\nid = \"a\"\nstart = 2025-10-28\n";
    // A 10 MB title followed by a syntax error on the same line.
    let text = format!("{head}title = \"{}\" oops\n", "a".repeat(10_000_000));
    let (shown, took) = check_timed(&text);
    assert!(shown.len() < 4_000, "{} bytes of messages", shown.len());
    assert!(shown.contains("events.toml:8:10000012"), "{shown}");
    // Forty columns before the problem, then the problem, under the caret.
    let excerpt = format!("8 | …{}\" oops\n  | {}^\n", "a".repeat(38), " ".repeat(41));
    assert!(shown.contains(&excerpt), "{shown}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_huge_key_is_cut_in_the_excerpt_and_the_message() {
    let key = format!("title{}", "x".repeat(10_000_000));
    let text = format!("[calendar]\nname = \"x\"\ndomain = \"example.org\"\n{key} = 1\n");
    let (shown, took) = check_timed(&text);
    assert!(shown.len() < 4_000, "{} bytes of messages", shown.len());
    assert!(shown.contains("unknown key `titlexxx"), "{shown}");
    assert!(shown.contains("xxx…xxx"), "{shown}");
    assert!(took < Duration::from_secs(10), "{took:?}");
}
