//! The `calfeed` binary: parses the command line, runs the library, reports the outcome.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use calfeed::cli::{Cli, Color, Command};
use calfeed::diag::{self, Diagnostic};
use calfeed::load::LoadError;
use calfeed::{Error, Options};
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

fn run(cli: Cli) -> anyhow::Result<()> {
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
            let report = calfeed::check(&Options::new(&file))?;
            print_diagnostics(&report.source.warnings, &file, &report.source.text);
            to_stdout(|out| {
                writeln!(
                    out,
                    "{}: {} {}, {} {} besides all.ics, no errors",
                    file.display(),
                    report.events,
                    plural(report.events, "event"),
                    report.feeds,
                    plural(report.feeds, "feed"),
                )
            })
        }
        Command::Build { input, out } => {
            let stamp = calfeed::stamp::stamp(
                std::env::var(calfeed::stamp::VARIABLE).ok().as_deref(),
                chrono::Utc::now(),
            )?;
            let options = Options::new(&input).out(&out).stamp(stamp).on_wait(|dir| {
                let _ = writeln!(
                    io::stderr(),
                    "waiting for another build of {} to finish",
                    dir.display()
                );
            });
            let report = calfeed::build(&options)?;
            print_diagnostics(&report.source.warnings, &input, &report.source.text);
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

/// Runs `write` on standard output. A reader that stops early (`| head`) is not an error, as
/// with `grep` and `rg`; any other failure (a full disk) is.
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
    if let Some(Error::Load(LoadError::Invalid {
        path,
        text,
        diagnostics,
    })) = error.downcast_ref::<Error>()
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
    // What a failed build left in the output folder.
    if let Some(Error::Output(e)) = error.downcast_ref::<Error>() {
        let _ = write!(stderr, "; {}", e.outcome());
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
