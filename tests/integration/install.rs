//! `calfeed completions` and `calfeed man`: the scripts and the page are read by the shells and
//! the man page formatter that will use them. A plain `cargo test` ignores the tests that need
//! one of those programs; `scripts/test.sh` installs them and runs those tests, which fail if a
//! program is missing.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{calfeed, root, stderr, stdout};

/// Every command a user can type after `calfeed`.
const COMMANDS: [&str; 4] = ["build", "check", "completions", "man"];
/// Every shell `calfeed completions` takes.
const SHELLS: [&str; 5] = ["bash", "elvish", "fish", "powershell", "zsh"];

fn run(args: &[&str]) -> Output {
    let output = calfeed().args(args).output().expect("calfeed runs");
    assert!(
        output.status.success(),
        "calfeed {args:?} failed:\n{}",
        stderr(&output)
    );
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
    output
}

/// `calfeed completions <shell>` written to a file in `dir`.
fn script(shell: &str, dir: &Path) -> std::path::PathBuf {
    let path = dir.join(format!("calfeed.{shell}"));
    std::fs::write(&path, run(&["completions", shell]).stdout).unwrap();
    path
}

/// Fails the test unless `program` can be run.
fn require(program: &str) {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "{program} is not installed (tests/interop/setup.sh installs it)"
    );
}

/// Runs `program` with `args`, asserting success; returns its standard output.
fn ok(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn every_shell_gets_a_script_that_names_every_command() {
    for shell in SHELLS {
        let script = stdout(&run(&["completions", shell]));
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: no `{command}`");
        }
    }
    // The scripts for fish, PowerShell and Elvish complete no argument values.
    for shell in ["bash", "zsh"] {
        let script = stdout(&run(&["completions", shell]));
        for other in SHELLS {
            assert!(script.contains(other), "{shell}: no `{other}`");
        }
    }
}

#[test]
fn completions_hook_into_each_shell() {
    for (shell, hook) in [
        ("bash", "complete -F _calfeed"),
        ("zsh", "#compdef calfeed"),
        ("fish", "complete -c calfeed"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'calfeed'",
        ),
        ("elvish", "edit:completion:arg-completer[calfeed]"),
    ] {
        let script = stdout(&run(&["completions", shell]));
        assert!(script.contains(hook), "{shell}: no `{hook}` in\n{script}");
    }
}

#[test]
fn an_unknown_shell_is_a_command_line_error() {
    let output = calfeed().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("tcsh") && message.contains("powershell"),
        "{message}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
#[ignore = "needs bash: run scripts/test.sh"]
fn bash_completes_commands_and_shells() {
    require("bash");
    let dir = tempfile::tempdir().unwrap();
    let script = script("bash", dir.path());
    let script = script.to_str().unwrap();
    ok("bash", &["-n", script]);
    // Load it as bash-completion would and ask what follows `calfeed ` and
    // `calfeed completions `.
    let completed = ok(
        "bash",
        &[
            "-c",
            r#"source "$0" || exit 1
               complete -p calfeed || exit 1
               COMP_WORDS=(calfeed ""); COMP_CWORD=1; _calfeed calfeed "" calfeed
               echo "after calfeed: ${COMPREPLY[*]}"
               COMP_WORDS=(calfeed completions ""); COMP_CWORD=2; _calfeed calfeed "" completions
               echo "after completions: ${COMPREPLY[*]}""#,
            script,
        ],
    );
    let line = |prefix: &str| {
        completed
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("no {prefix:?} in {completed}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let commands = line("after calfeed: ");
    for command in COMMANDS.iter().chain(&["--help", "--version"]) {
        assert!(commands.iter().any(|c| c == command), "{commands:?}");
    }
    let shells = line("after completions: ");
    for shell in SHELLS {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
}

#[test]
#[ignore = "needs zsh: run scripts/test.sh"]
fn zsh_reads_its_script() {
    require("zsh");
    let dir = tempfile::tempdir().unwrap();
    ok("zsh", &["-n", script("zsh", dir.path()).to_str().unwrap()]);
}

#[test]
#[ignore = "needs fish: run scripts/test.sh"]
fn fish_completes_commands() {
    require("fish");
    let dir = tempfile::tempdir().unwrap();
    let script = script("fish", dir.path());
    let script = script.to_str().unwrap();
    ok("fish", &["--no-execute", script]);
    let commands = ok(
        "fish",
        &["-c", "source $argv[1]; complete -C 'calfeed '", script],
    );
    for command in COMMANDS {
        assert!(
            commands
                .lines()
                .any(|l| l.split('\t').next() == Some(command)),
            "{commands}"
        );
    }
    let partial = ok(
        "fish",
        &["-c", "source $argv[1]; complete -C 'calfeed ch'", script],
    );
    assert!(partial.starts_with("check\t"), "{partial}");
    assert_eq!(partial.lines().count(), 1, "{partial}");
}

#[test]
#[ignore = "needs groff: run scripts/test.sh"]
fn man_page_formats_without_warnings() {
    require("groff");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("calfeed.1");
    std::fs::write(&page, run(&["man"]).stdout).unwrap();
    // -ww: every warning; -z: format, print nothing. A malformed page warns.
    let output = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "groff warns about the page");
}

#[test]
#[ignore = "needs man-db: run scripts/test.sh"]
fn man_shows_the_page() {
    require("man");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("calfeed.1");
    std::fs::write(&page, run(&["man"]).stdout).unwrap();
    let output = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // Without a terminal, man prints plain text.
    let text = stdout(&output);
    for heading in ["NAME", "SYNOPSIS", "COMMANDS", "NOTES", "VERSION"] {
        assert!(text.lines().any(|l| l == heading), "no {heading}:\n{text}");
    }
    for command in COMMANDS {
        assert!(
            text.contains(&format!("   calfeed {command}\n")),
            "no section for {command}:\n{text}"
        );
    }
    for option in ["--input <FILE>", "--out <DIR>", "SOURCE_DATE_EPOCH"] {
        assert!(text.contains(option), "no {option}:\n{text}");
    }
    assert!(
        text.lines().next().unwrap().contains("User Commands"),
        "{text}"
    );
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with(&format!("calfeed {version} ")),
        "{text}"
    );
}

#[test]
fn no_time_zone_data_is_needed() {
    let missing = tempfile::tempdir().unwrap().path().join("no-such-folder");
    for args in [&["man"][..], &["completions", "zsh"]] {
        let output = calfeed()
            .args(args)
            .env("CALFEED_TZDATA", &missing)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported() {
    for args in [&["man"][..], &["completions", "bash"]] {
        let output = calfeed()
            .args(args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.starts_with("error: cannot write to standard output: "),
            "{message}"
        );
    }
}

#[test]
fn the_readme_shows_the_completions_of_every_shell_and_the_man_page() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for shell in SHELLS {
        assert!(
            readme.contains(&format!("calfeed completions {shell} ")),
            "README.md does not show `calfeed completions {shell}`"
        );
    }
    assert!(readme.contains("calfeed man > "));
}

#[test]
fn the_changelog_has_a_section_for_this_version() {
    // The release workflow takes the release notes from this section.
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    let heading = format!("## [{}]", env!("CARGO_PKG_VERSION"));
    assert!(
        changelog.lines().any(|l| l.starts_with(&heading)),
        "CHANGELOG.md has no `{heading}` section"
    );
}
