//! The `calfeed` binary: parses the command line, runs the library, reports the outcome.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use calfeed::annotate::{self, MessageFormat};
use calfeed::cli::{Cli, Color, Command};
use calfeed::diag::{self, Diagnostic};
use calfeed::load::LoadError;
use calfeed::{Error, Options};
use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let cli = parse_command_line();
    match cli.color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    }
    .write_global();
    let (builds, format, input) = match &cli.command {
        Command::Build {
            input,
            message_format,
            ..
        } => (true, *message_format, Some(input.clone())),
        Command::Check {
            file,
            message_format,
        } => (false, *message_format, Some(file.clone())),
        Command::Agenda { input, .. } => (false, MessageFormat::Human, Some(input.clone())),
        Command::Serve { .. } | Command::Completions { .. } | Command::Man => {
            (false, MessageFormat::Human, None)
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            report_error(&error, builds, format, input.as_deref());
            ExitCode::from(1)
        }
    }
}

/// The options both commands share: the day past plans are measured against, and whether
/// warnings fail the run.
fn options(input: &Path, deny_warnings: bool) -> anyhow::Result<Options> {
    let today = calfeed::plans::Today::new(
        std::env::var(calfeed::plans::VARIABLE).ok().as_deref(),
        chrono::Utc::now(),
    )?;
    Ok(Options::new(input)
        .today(today)
        .deny_warnings(deny_warnings))
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
            let (loaded, text) = calfeed::load::from_file(&input)?;
            print_diagnostics(&loaded.warnings, &input, &text, MessageFormat::Human);
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
        Command::Check {
            file,
            message_format,
        } => {
            let report = calfeed::check(&options(&file, deny)?)?;
            let source = &report.source;
            print_diagnostics(&source.warnings, &file, &source.text, message_format);
            let summary = format!(
                "{}: {} {}, {} {} besides all.ics, no errors",
                file.display(),
                report.events,
                plural(report.events, "event"),
                report.feeds,
                plural(report.feeds, "feed"),
            );
            // JSON output keeps standard output for diagnostics only.
            if message_format == MessageFormat::Json {
                let _ = writeln!(io::stderr().lock(), "{summary}");
                Ok(())
            } else {
                to_stdout(|out| writeln!(out, "{summary}"))
            }
        }
        Command::Build {
            input,
            out,
            feeds_only,
            message_format,
        } => {
            let stamp = calfeed::stamp::stamp(
                std::env::var(calfeed::stamp::VARIABLE).ok().as_deref(),
                chrono::Utc::now(),
            )?;
            let options = options(&input, deny)?
                .out(&out)
                .stamp(stamp)
                .feeds_only(feeds_only)
                .on_wait(|dir| {
                    let _ = writeln!(
                        io::stderr(),
                        "waiting for another build of {} to finish",
                        dir.display()
                    );
                });
            let report = calfeed::build(&options)?;
            let source = &report.source;
            print_diagnostics(&source.warnings, &input, &source.text, message_format);
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
        Command::Serve {
            input,
            out,
            port,
            bind,
        } => {
            calfeed::serve::run(&calfeed::serve::Options {
                input,
                out,
                bind,
                port,
            })?;
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

/// Parses the command line. Its own messages (a wrong flag, a missing argument, `--help`) are
/// coloured as `--color` says, like every other message.
fn parse_command_line() -> Cli {
    let mut command = Cli::command();
    if let Some(choice) = color_asked(std::env::args_os()) {
        command = command.color(choice);
    }
    let matches = command
        .try_get_matches_from_mut(std::env::args_os())
        .unwrap_or_else(|e| e.exit());
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut command).exit())
}

/// The colour choice given with `--color WHEN` or `--color=WHEN` (the last one), read before
/// the command line is parsed so that parsing errors follow it too.
fn color_asked(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<clap::ColorChoice> {
    let mut args = args.into_iter().skip(1);
    let mut asked = None;
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next().and_then(|v| v.into_string().ok()),
            Some(rest) => rest.strip_prefix('=').map(str::to_owned),
            None => continue,
        };
        let named = value.and_then(|v| <Color as clap::ValueEnum>::from_str(&v, false).ok());
        asked = named
            .map(|color| match color {
                Color::Auto => clap::ColorChoice::Auto,
                Color::Always => clap::ColorChoice::Always,
                Color::Never => clap::ColorChoice::Never,
            })
            .or(asked);
    }
    asked
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

/// Prints diagnostics: the human report on standard error, machine formats on standard output
/// (with the human report beside GitHub annotations, for the log).
fn print_diagnostics(diagnostics: &[Diagnostic], path: &Path, text: &str, format: MessageFormat) {
    if diagnostics.is_empty() {
        return;
    }
    let shown_path = path.display().to_string();
    match format {
        MessageFormat::Human => {}
        MessageFormat::Github => {
            let _ = write!(
                io::stdout().lock(),
                "{}",
                annotate::github(diagnostics, &shown_path, text)
            );
        }
        MessageFormat::Json => {
            let _ = write!(
                io::stdout().lock(),
                "{}",
                annotate::json(diagnostics, &shown_path, text)
            );
            return;
        }
    }
    let shown = diag::render_colored(diagnostics, &shown_path, text);
    let _ = writeln!(anstream::stderr().lock(), "{shown}");
}

fn report_error(error: &anyhow::Error, builds: bool, format: MessageFormat, input: Option<&Path>) {
    let red = anstyle::AnsiColor::BrightRed.on_default().bold();
    // Errors and warnings in the input: the diagnostics, then one line.
    let shown = match error.downcast_ref::<Error>() {
        Some(Error::Load(LoadError::Invalid {
            path,
            text,
            diagnostics,
        })) => Some((path, text, diagnostics)),
        Some(Error::Warnings { input }) => Some((&input.path, &input.text, &input.warnings)),
        _ => None,
    };
    if let Some((path, text, diagnostics)) = shown {
        print_diagnostics(diagnostics, path, text, format);
        let outcome = if builds { "; nothing was written" } else { "" };
        let _ = writeln!(
            anstream::stderr().lock(),
            "{red}error{red:#}: {error}{outcome}"
        );
        return;
    }
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        message.push_str(": ");
        message.push_str(&cause.to_string());
    }
    // What a failed build left in the output folder.
    if let Some(Error::Output(e)) = error.downcast_ref::<Error>() {
        message.push_str("; ");
        message.push_str(e.outcome());
    }
    let shown_input = input.map(|p| p.display().to_string());
    match format {
        MessageFormat::Human => {}
        MessageFormat::Github => {
            let _ = write!(
                io::stdout().lock(),
                "{}",
                annotate::github_error(shown_input.as_deref(), &message)
            );
        }
        MessageFormat::Json => {
            let _ = write!(
                io::stdout().lock(),
                "{}",
                annotate::json_error(shown_input.as_deref(), &message)
            );
        }
    }
    let _ = writeln!(anstream::stderr().lock(), "{red}error{red:#}: {message}");
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// A faster allocator than the system's for the many small allocations of a large build.
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
