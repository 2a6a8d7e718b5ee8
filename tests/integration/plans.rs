//! Tentative events whose dates have passed: the warning, `--deny-warnings`, and where "today"
//! comes from (the clock or `CALFEED_TODAY`, never `SOURCE_DATE_EPOCH`).

use std::process::Output;

use crate::common::{build_command, calfeed, files, fixture, stderr, stdout, workspace};

/// `calfeed <args> FILE` on a fixture in `tests/fixtures/warnings/`, run from that folder.
fn run(file: &str, today: Option<&str>, args: &[&str]) -> Output {
    let mut command = calfeed();
    command
        .current_dir(fixture("warnings"))
        .args(args)
        .arg(file);
    match today {
        Some(day) => command.env("CALFEED_TODAY", day),
        None => command.env_remove("CALFEED_TODAY"),
    };
    command.output().expect("calfeed runs")
}

fn shown(output: &Output) -> String {
    format!(
        "exit: {}\n--- stderr\n{}--- stdout\n{}",
        output.status.code().unwrap_or(-1),
        stderr(output),
        stdout(output)
    )
}

#[test]
fn plans_whose_dates_have_passed_are_warned_about() {
    let output = run("passed-plans.toml", Some("2026-12-02"), &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    insta::assert_snapshot!("passed-plans", shown(&output));
}

#[test]
fn a_plan_is_stale_from_the_day_after_its_last_day() {
    let on_the_last_day = run("passed-plans.toml", Some("2026-03-31"), &["check"]);
    assert_eq!(stderr(&on_the_last_day), "");
    let next_day = run("passed-plans.toml", Some("2026-04-01"), &["check"]);
    let text = stderr(&next_day);
    assert_eq!(text.matches("warning: ").count(), 1, "{text}");
    assert!(
        text.contains("the plan `late-march-window` ended on 2026-03-31"),
        "{text}"
    );
    assert!(text.contains("--> passed-plans.toml:14:10"), "{text}");
    assert!(
        text.contains("= help: this plan's dates have passed: confirm it (set `status`, the real dates and `sequence`), cancel it, or remove it"),
        "{text}"
    );
}

#[test]
fn warnings_do_not_change_the_exit_status_of_a_build() {
    let ws = workspace("warnings/passed-plans.toml");
    let output = build_command(&ws.input, &ws.out)
        .env("CALFEED_TODAY", "2026-12-02")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = stderr(&output);
    assert_eq!(text.matches("warning: the plan ").count(), 2, "{text}");
    assert!(text.contains("Wrote 1 feed to"), "{text}");
    assert!(ws.out.join("all.ics").is_file());
}

#[test]
fn deny_warnings_makes_check_fail() {
    for args in [
        &["--deny-warnings", "check"][..],
        &["check", "--deny-warnings"][..],
    ] {
        let output = run("passed-plans.toml", Some("2026-12-02"), args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            shown(&output)
        );
        let text = stderr(&output);
        assert!(
            text.contains("warning: the plan `timed-plan` ended on 2026-05-13"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "error: `passed-plans.toml` has 2 warnings, and --deny-warnings makes warnings errors\n"
            ),
            "{text}"
        );
        assert_eq!(stdout(&output), "", "no success line");
    }
}

#[test]
fn deny_warnings_makes_build_fail_and_write_nothing() {
    let ws = workspace("warnings/passed-plans.toml");
    let output = build_command(&ws.input, &ws.out)
        .arg("--deny-warnings")
        .env("CALFEED_TODAY", "2026-12-02")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(
        stderr(&output).ends_with(
            "has 2 warnings, and --deny-warnings makes warnings errors; nothing was written\n"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!ws.out.exists());
}

#[test]
fn deny_warnings_passes_without_warnings() {
    let output = run(
        "passed-plans.toml",
        Some("2026-03-01"),
        &["--deny-warnings", "check"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(stderr(&output), "");
    let ws = workspace("warnings/passed-plans.toml");
    let output = build_command(&ws.input, &ws.out)
        .arg("--deny-warnings")
        .env("CALFEED_TODAY", "2026-03-01")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(
        files(&ws.out),
        [
            ".calfeed-lock",
            ".calfeed-outputs",
            "all.ics",
            "events",
            "index.html"
        ]
    );
}

/// Without `CALFEED_TODAY` today comes from the clock, whatever `SOURCE_DATE_EPOCH` says.
#[test]
fn source_date_epoch_does_not_set_today() {
    // The build time says 1 January 2026, before the plans' dates; the clock says later.
    let output = run("passed-plans.toml", None, &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let text = stderr(&output);
    assert!(
        text.contains("the plan `late-march-window` ended on 2026-03-31"),
        "{text}"
    );

    // The build time says 2100, after the plan's dates; the clock says earlier.
    let mut command = calfeed();
    command
        .current_dir(fixture("warnings"))
        .env_remove("CALFEED_TODAY")
        .env("SOURCE_DATE_EPOCH", "4102444800")
        .args(["--deny-warnings", "check", "future-plan.toml"]);
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn a_malformed_today_is_an_error() {
    for bad in ["2026-13-01", "tomorrow", "2026-12-02T00:00:00Z"] {
        let output = run("passed-plans.toml", Some(bad), &["check"]);
        assert_eq!(output.status.code(), Some(1), "{bad}: {}", shown(&output));
        assert_eq!(
            stderr(&output),
            format!(
                "error: CALFEED_TODAY must be a date written YYYY-MM-DD, such as 2026-12-02, found `{bad}`\n"
            )
        );
    }
}

/// The example calendar holds no plan whose dates have passed, by today's clock.
#[test]
fn the_example_calendar_has_no_stale_plan() {
    let output = calfeed()
        .current_dir(crate::common::root())
        .env_remove("CALFEED_TODAY")
        .args(["--deny-warnings", "check", "events.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert_eq!(stderr(&output), "");
}
