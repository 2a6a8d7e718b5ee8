//! The command line: `calfeed build`, `calfeed check`, `calfeed agenda`, `calfeed serve`, and
//! `completions` and `man` for installing.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::annotate::MessageFormat;
use crate::tz;

/// `-V`: the version and the tz database release inside calfeed.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (IANA tzdata {} bundled)",
        env!("CARGO_PKG_VERSION"),
        tz::db::bundled_release()
    )
});

/// `--version`: also the system's tz database release and which one `--tzdata auto` takes.
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    let bundled = tz::db::bundled_release();
    let dir = tz::db::system_dir();
    let system = match tz::db::release_of_dir(&dir) {
        Some(release) => format!("IANA {release} in {}", dir.display()),
        None if dir.is_dir() => format!("release unknown in {}", dir.display()),
        None => format!("none ({} not found)", dir.display()),
    };
    let auto = match tz::db::release_of_dir(&dir) {
        Some(release) if tz::db::is_newer(&release, bundled) => {
            format!("{release} (system)")
        }
        _ => format!("{bundled} (bundled)"),
    };
    format!(
        "{}\ntime zone data:\n  bundled: IANA {bundled}\n  system:  {system}\n  \
         --tzdata auto uses {auto}",
        env!("CARGO_PKG_VERSION")
    )
});

/// Turn an events.toml into timezone-correct iCalendar (.ics) feeds.
#[derive(Debug, Parser)]
#[command(
    name = "calfeed",
    version = VERSION.as_str(),
    long_version = LONG_VERSION.as_str(),
    after_help = "Exit status: 0 on success, 1 if the input is invalid or a file cannot be \
                  read or written, 2 if the command line is wrong.\n\n\
                  Set SOURCE_DATE_EPOCH to make builds reproducible: it is used as the \
                  DTSTAMP of events that have no `updated`.\n\n\
                  A tentative event whose last day is before today (in the event's time zone) \
                  gets a warning: the plan should be confirmed, cancelled or removed. Today is \
                  taken from the clock; set CALFEED_TODAY=YYYY-MM-DD to check against another \
                  date."
)]
pub struct Cli {
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    pub color: Color,
    /// Treat warnings as errors: exit with status 1 if there is any (and `build` writes
    /// nothing).
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    /// Which IANA time zone data to use: `auto` (the newer of the system's and calfeed's own),
    /// `bundled` (calfeed's own), `system` ($TZDIR, else /usr/share/zoneinfo) or a folder of
    /// TZif files.
    #[arg(
        long,
        global = true,
        value_name = "auto|bundled|system|DIR",
        env = "CALFEED_TZDATA",
        default_value = "auto"
    )]
    pub tzdata: tz::Choice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When messages are coloured, as with cargo's `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` colours output to a pipe).
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write all.ics, one .ics per feed of the input, the subscribe page index.html and
    /// `events/<id>.ics` for every event into the output folder.
    ///
    /// Nothing is written if the input has errors. Each file is replaced atomically, and files
    /// that an earlier build wrote but that are no longer in the input are removed.
    Build {
        /// The events file to read.
        #[arg(short, long, value_name = "FILE", default_value = "events.toml")]
        input: PathBuf,
        /// The folder to write the feeds into (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// Write only the feeds: no subscribe page and no one-event files (for very large
        /// calendars, where one file per event is too many).
        #[arg(long)]
        feeds_only: bool,
        /// How to print problems: `human`, `github` (annotations in GitHub Actions) or `json`
        /// (one object per line).
        #[arg(long, value_name = "FORMAT", value_enum, default_value_t)]
        message_format: MessageFormat,
    },
    /// Show the events in the terminal, at the local times of a time zone.
    ///
    /// Without --from or --to, upcoming events come first, then past ones. Timed events are
    /// shown on the clock of --tz, with the event's own local time beside them where it
    /// differs; all-day events stay on their dates.
    ///
    /// A repeating event is listed once per occurrence, with its rule in words: every
    /// occurrence within --from and --to, up to a year after --from when --to is not given,
    /// and without either the ones the subscribe page lists (from three months ago to a year
    /// ahead).
    Agenda {
        /// The events file to read.
        #[arg(short, long, value_name = "FILE", default_value = "events.toml")]
        input: PathBuf,
        /// Your time zone, an IANA name such as America/Los_Angeles [default: the system's]
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Show events from this day on (YYYY-MM-DD, in --tz).
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Show events until this day, inclusive (YYYY-MM-DD, in --tz).
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        /// Show only the events of this feed (`all` for every event).
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
        /// Language of the texts [default: the feed's, else the calendar's].
        #[arg(long = "lang", value_name = "L")]
        language: Option<String>,
    },
    /// Check an events file and report every problem, without writing anything.
    Check {
        /// The events file to check.
        #[arg(value_name = "FILE", default_value = "events.toml")]
        file: PathBuf,
        /// How to print problems: `human`, `github` (annotations in GitHub Actions) or `json`
        /// (one object per line).
        #[arg(long, value_name = "FORMAT", value_enum, default_value_t)]
        message_format: MessageFormat,
    },
    /// Build, serve the feeds over HTTP for a preview, and rebuild on every save.
    ///
    /// Prints the address of the page and of each feed (also as webcal://, which opens the
    /// subscription dialog of Apple Calendar). An edit with errors keeps the last good build
    /// online, and the page shows the error until it is fixed. Stop with Ctrl-C.
    Serve {
        /// The events file to build and watch.
        #[arg(short, long, value_name = "FILE", default_value = "events.toml")]
        input: PathBuf,
        /// The folder to build into and serve (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 8080)]
        port: u16,
        /// The address to listen on; `0.0.0.0` lets other devices on your network, such as a
        /// phone, subscribe.
        #[arg(short, long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: IpAddr,
    },
    /// Print a completion script for a shell.
    ///
    /// For bash: `calfeed completions bash > ~/.local/share/bash-completion/completions/calfeed`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: crate::install::Shell,
    },
    /// Print the manual page (roff), e.g. `calfeed man > ~/.local/share/man/man1/calfeed.1`.
    Man,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn version_names_the_tzdata_releases() {
        let bundled = tz::db::bundled_release();
        assert!(
            VERSION.contains(&format!("IANA tzdata {bundled} bundled")),
            "{}",
            *VERSION
        );
        assert!(
            LONG_VERSION.contains(&format!("bundled: IANA {bundled}")),
            "{}",
            *LONG_VERSION
        );
        assert!(
            LONG_VERSION.contains("--tzdata auto uses 20"),
            "{}",
            *LONG_VERSION
        );
    }

    #[test]
    fn tzdata_choices_parse() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.tzdata);
        assert_eq!(parse(&["calfeed", "check"]).unwrap(), tz::Choice::Auto);
        assert_eq!(
            parse(&["calfeed", "check", "--tzdata", "bundled"]).unwrap(),
            tz::Choice::Bundled
        );
        assert_eq!(
            parse(&["calfeed", "--tzdata", "/tmp/zi", "check"]).unwrap(),
            tz::Choice::Dir("/tmp/zi".into())
        );
    }
}
