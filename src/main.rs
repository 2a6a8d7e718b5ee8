//! The `calfeed` binary: parses the command line, runs the library, reports the outcome.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use calfeed::cli::{Cli, Color, Command};
use calfeed::diag::{self, Diagnostic};
use calfeed::load::{self, LoadError};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    }
    .write_global();
    let builds = matches!(cli.command, Command::Build { .. });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error, builds);
            ExitCode::from(1)
        }
    }
}

/// Warnings were found and `--deny-warnings` turns them into errors.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{}` has {count} {}, and --deny-warnings makes warnings errors{}",
    path.display(),
    plural(*count, "warning"),
    if *builds { "; nothing was written" } else { "" }
)]
struct DeniedWarnings {
    path: std::path::PathBuf,
    count: usize,
    builds: bool,
}

/// Reads and checks `path`, reporting its warnings; fails on any with `--deny-warnings`.
fn load(path: &Path, deny_warnings: bool, builds: bool) -> anyhow::Result<load::Loaded> {
    let today = calfeed::plans::Today::new(
        std::env::var(calfeed::plans::VARIABLE).ok().as_deref(),
        chrono::Utc::now(),
    )?;
    let options = load::Options { today: Some(today) };
    let (loaded, text) = load::from_file_with(path, options)?;
    print_diagnostics(&loaded.warnings, path, &text);
    if deny_warnings && !loaded.warnings.is_empty() {
        return Err(DeniedWarnings {
            path: path.to_owned(),
            count: loaded.warnings.len(),
            builds,
        }
        .into());
    }
    Ok(loaded)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let deny = cli.deny_warnings;
    let tzdb = match cli.command {
        // The completions and the manual page need no time zone data.
        Command::Completions { shell } => {
            return to_stdout(|out| calfeed::install::write_completions(shell, out));
        }
        Command::Man => return to_stdout(calfeed::install::write_man_page),
        _ => calfeed::tz::select(&cli.tzdata)?,
    };
    match cli.command {
        Command::Agenda {
            input,
            tz,
            from,
            to,
            feed,
            language,
        } => {
            let zone = match tz {
                None => calfeed::agenda::system_zone(tzdb),
                Some(name) => tzdb
                    .zone(&name)
                    .unwrap_or_else(|| unknown_zone(tzdb, &name)),
            };
            let (loaded, text) = load::from_file(&input)?;
            print_diagnostics(&loaded.warnings, &input, &text);
            let options = calfeed::agenda::Options {
                zone,
                from,
                to,
                feed: feed.as_deref(),
                language: language.as_deref(),
                color: colours_stdout(cli.color),
                now: chrono::Utc::now(),
            };
            let agenda = calfeed::agenda::render(&loaded.calendar, &options)?;
            // A closed pipe (`calfeed agenda | head`) is not worth a panic.
            let _ = io::stdout().lock().write_all(agenda.as_bytes());
            Ok(())
        }
        Command::Check { file } => {
            let loaded = load(&file, deny, false)?;
            let c = &loaded.calendar;
            // A closed pipe (`calfeed check | head -0`) is not worth a panic.
            let _ = writeln!(
                io::stdout().lock(),
                "{}: {} {}, {} {} besides all.ics, no errors",
                file.display(),
                c.events.len(),
                plural(c.events.len(), "event"),
                c.feeds.len(),
                plural(c.feeds.len(), "feed"),
            );
            Ok(())
        }
        Command::Build { input, out } => {
            let stamp = calfeed::stamp::stamp(
                std::env::var(calfeed::stamp::VARIABLE).ok().as_deref(),
                chrono::Utc::now(),
            )?;
            let loaded = load(&input, deny, true)?;
            let report =
                calfeed::output::build(&loaded.calendar, &out, stamp).with_context(|| {
                    format!("the feeds were not all written to `{}`", out.display())
                })?;
            let mut stderr = io::stderr().lock();
            let _ = writeln!(
                stderr,
                "Wrote {} {} to {} (time zone data: {}):",
                report.written.len(),
                plural(report.written.len(), "feed"),
                out.display(),
                tzdb.describe()
            );
            for w in &report.written {
                let _ = writeln!(
                    stderr,
                    "  {:<24} {} {}",
                    w.file,
                    w.events,
                    plural(w.events, "event")
                );
            }
            let pages = report.site.iter().filter(|p| p.ends_with(".html")).count();
            let events = report.site.len() - pages;
            if !report.site.is_empty() {
                let _ = writeln!(
                    stderr,
                    "  {:<24} {} {}, {} one-event {} in {}/",
                    "index.html",
                    pages,
                    plural(pages, "page"),
                    events,
                    plural(events, "file"),
                    calfeed::site::EVENTS_DIR,
                );
            }
            for r in &report.removed {
                let _ = writeln!(
                    stderr,
                    "  {r:<24} removed (no longer in {})",
                    input.display()
                );
            }
            Ok(())
        }
        Command::Completions { .. } | Command::Man => Ok(()), // done above
    }
}

/// Runs `write` on standard output. A reader that stops early (`| head`) is not an error.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// `--tz` names no zone: a command-line error (exit status 2), with the closest name.
fn unknown_zone(tzdb: &calfeed::tz::Tzdb, name: &str) -> ! {
    use clap::CommandFactory as _;
    let hint = match tzdb.suggest(name) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "use an IANA name such as Europe/Berlin or Asia/Seoul".to_owned(),
    };
    Cli::command()
        .error(
            clap::error::ErrorKind::InvalidValue,
            format!(
                "`{}` is not an IANA time zone for --tz; {hint}",
                name.escape_debug()
            ),
        )
        .exit()
}

/// Whether to colour standard output: `--color`, then `NO_COLOR`, `CLICOLOR_FORCE` and
/// whether it is a terminal.
fn colours_stdout(choice: Color) -> bool {
    use std::io::IsTerminal as _;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => !set("NO_COLOR") && (set("CLICOLOR_FORCE") || io::stdout().is_terminal()),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], path: &Path, text: &str) {
    if diagnostics.is_empty() {
        return;
    }
    let shown = diag::render_colored(diagnostics, &path.display().to_string(), text);
    let _ = writeln!(anstream::stderr().lock(), "{shown}");
}

fn report_error(error: &anyhow::Error, builds: bool) {
    let mut stderr = anstream::stderr().lock();
    let red = anstyle::AnsiColor::BrightRed.on_default().bold();
    if let Some(LoadError::Invalid {
        path,
        text,
        diagnostics,
    }) = error.downcast_ref::<LoadError>()
    {
        let _ = writeln!(
            stderr,
            "{}",
            diag::render_colored(diagnostics, &path.display().to_string(), text)
        );
        let outcome = if builds { "; nothing was written" } else { "" };
        let _ = writeln!(stderr, "{red}error{red:#}: {error}{outcome}");
        return;
    }
    let _ = write!(stderr, "{red}error{red:#}: {error}");
    for cause in error.chain().skip(1) {
        let _ = write!(stderr, ": {cause}");
    }
    let _ = writeln!(stderr);
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}
