//! `--message-format github|json` on `check` and `build`: annotations for GitHub Actions and
//! JSON lines, on standard output, for the same problems the human report shows.

use crate::common::{calfeed, fixture, stderr, stdout, workspace};

const MANY: &str = "invalid/many-errors.toml";

#[test]
fn github_annotations_point_at_each_problem() {
    for command in ["check", "build"] {
        let ws = workspace(MANY);
        let mut run = calfeed();
        run.current_dir(ws.input.parent().unwrap());
        if command == "check" {
            run.args(["check", "--message-format", "github", "events.toml"]);
        } else {
            run.args([
                "build",
                "--message-format",
                "github",
                "-i",
                "events.toml",
                "-o",
                "out",
            ]);
        }
        let output = run.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let out = stdout(&output);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{command}: {out}");
        assert_eq!(
            lines[0],
            "::error file=events.toml,line=7,col=1,endLine=7,endColumn=6,\
             title=unknown key `titel` in [[event]]::unknown key `titel` in [[event]] \
             (unknown key)%0Ahelp: did you mean `title`?"
        );
        // `:` in a title is escaped, not in the message.
        assert!(
            lines[2].starts_with(
                "::error file=events.toml,line=14,col=9,endLine=14,endColumn=28,\
                 title=2026-03-29T02%3A30%3A00 does not exist in Europe/Berlin::2026-03-29T02:30:00"
            ),
            "{}",
            lines[2]
        );
        // The human report stays on standard error, for the log.
        let err = stderr(&output);
        assert!(err.contains(" --> events.toml:7:1\n"), "{err}");
        assert!(!ws.input.with_file_name("out").exists());
    }
}

#[test]
fn json_lines_carry_file_line_column_severity_message_and_help() {
    for command in ["check", "build"] {
        let ws = workspace(MANY);
        let mut run = calfeed();
        if command == "check" {
            run.args(["check", "--message-format", "json"])
                .arg(&ws.input);
        } else {
            run.args(["build", "--message-format", "json", "-i"])
                .arg(&ws.input)
                .arg("-o")
                .arg(&ws.out);
        }
        let output = run.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let objects: Vec<serde_json::Value> = stdout(&output)
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
            .collect();
        assert_eq!(objects.len(), 4);
        let file = ws.input.display().to_string();
        let places: Vec<(u64, u64)> = objects
            .iter()
            .map(|o| (o["line"].as_u64().unwrap(), o["column"].as_u64().unwrap()))
            .collect();
        assert_eq!(places, [(7, 1), (9, 12), (14, 9), (16, 20)]);
        for o in &objects {
            assert_eq!(o["file"], file.as_str());
            assert_eq!(o["severity"], "error");
            assert!(o["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(o["help"].as_str().is_some_and(|h| !h.is_empty()), "{o}");
        }
        assert_eq!(objects[1]["message"], "unknown timezone `Europe/Berln`");
        assert_eq!(objects[1]["help"], "did you mean `Europe/Berlin`?");
        // Standard error keeps only the summary.
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("has 4 errors"), "{err}");
    }
}

#[test]
fn a_valid_file_gives_no_annotations() {
    for format in ["github", "json"] {
        let output = calfeed()
            .args(["check", "--message-format", format])
            .arg(fixture("serve/events.toml"))
            .output()
            .unwrap();
        assert!(output.status.success());
        let out = stdout(&output);
        assert!(!out.contains("::") && !out.contains('{'), "{format}: {out}");
    }
}

#[test]
fn an_unreadable_file_is_reported_in_the_format_too() {
    let output = calfeed()
        .args(["check", "--message-format", "github", "no/such/events.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("::error file=no/such/events.toml,title=calfeed::cannot read"),
        "{}",
        stdout(&output)
    );
    let output = calfeed()
        .args(["check", "--message-format", "json", "no/such/events.toml"])
        .output()
        .unwrap();
    let object: serde_json::Value = serde_json::from_str(stdout(&output).trim_end()).unwrap();
    assert_eq!(object["file"], "no/such/events.toml");
    assert_eq!(object["line"], serde_json::Value::Null);
    assert!(
        object["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read")
    );
}
