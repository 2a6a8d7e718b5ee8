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
