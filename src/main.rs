//! The `calfeed` binary: parses the command line, runs the library, reports the outcome.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use calfeed::cli::{Cli, Command};
use calfeed::diag::{self, Diagnostic};
use calfeed::load::LoadError;
use calfeed::{Error, Options};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let builds = matches!(cli.command, Command::Build { .. });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // Like `grep` and `rg`: a reader that stops early (`calfeed check | head -0`) is not an
        // error worth a message.
        Err(error)
            if error
                .downcast_ref::<StdoutError>()
                .is_some_and(|e| e.0.kind() == io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            report_error(&error, builds);
            ExitCode::from(1)
        }
    }
}

/// The report could not be written to standard output (a full disk, a closed pipe).
#[derive(Debug, thiserror::Error)]
#[error("cannot write to standard output")]
struct StdoutError(#[source] io::Error);

fn run(cli: Cli) -> anyhow::Result<()> {
    let tzdb = calfeed::tz::select(&cli.tzdata)?;
    match cli.command {
        Command::Check { file } => {
            let report = calfeed::check(&Options::new(&file))?;
            print_diagnostics(&report.source.warnings, &file, &report.source.text);
            let mut stdout = io::stdout().lock();
            writeln!(
                stdout,
                "{}: {} {}, {} {} besides all.ics, no errors",
                file.display(),
                report.events,
                plural(report.events, "event"),
                report.feeds,
                plural(report.feeds, "feed"),
            )
            .and_then(|()| stdout.flush())
            .map_err(StdoutError)?;
            Ok(())
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
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], path: &Path, text: &str) {
    if diagnostics.is_empty() {
        return;
    }
    let shown = diag::render(diagnostics, &path.display().to_string(), text);
    let _ = writeln!(io::stderr().lock(), "{shown}");
}

fn report_error(error: &anyhow::Error, builds: bool) {
    let mut stderr = io::stderr().lock();
    if let Some(Error::Load(LoadError::Invalid {
        path,
        text,
        diagnostics,
    })) = error.downcast_ref::<Error>()
    {
        let _ = writeln!(
            stderr,
            "{}",
            diag::render(diagnostics, &path.display().to_string(), text)
        );
        let outcome = if builds { "; nothing was written" } else { "" };
        let _ = writeln!(stderr, "error: {error}{outcome}");
        return;
    }
    let _ = write!(stderr, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = write!(stderr, ": {cause}");
    }
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
