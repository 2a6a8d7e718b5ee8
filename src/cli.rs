//! The command line: `calfeed build` and `calfeed check`.

use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

/// `--version` names the IANA tz database release the timezones come from.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (IANA tzdata {})",
        env!("CARGO_PKG_VERSION"),
        crate::tz::TZDATA_VERSION
    )
});

/// Turn an events.toml into timezone-correct iCalendar (.ics) feeds.
#[derive(Debug, Parser)]
#[command(
    name = "calfeed",
    version = VERSION.as_str(),
    after_help = "Exit status: 0 on success, 1 if the input is invalid or a file cannot be \
                  read or written, 2 if the command line is wrong.\n\n\
                  Set SOURCE_DATE_EPOCH to make builds reproducible: it is used as the \
                  DTSTAMP of events that have no `updated`."
)]
pub struct Cli {
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_name = "WHEN", default_value = "auto", global = true)]
    pub color: Color,
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
    /// Write all.ics and one .ics per [[feed]] into the output folder.
    ///
    /// Nothing is written if the input has errors. Each file is replaced atomically, and feeds
    /// that an earlier build wrote but that are no longer in the input are removed.
    Build {
        /// The events file to read.
        #[arg(short, long, value_name = "FILE", default_value = "events.toml")]
        input: PathBuf,
        /// The folder to write the feeds into (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = "public")]
        out: PathBuf,
    },
    /// Show the events in the terminal, at the local times of a time zone.
    ///
    /// Without --from or --to, upcoming events come first, then past ones. Timed events are
    /// shown on the clock of --tz, with the event's own local time beside them where it
    /// differs; all-day events stay on their dates.
    Agenda {
        /// The events file to read.
        #[arg(short, long, value_name = "FILE", default_value = "events.toml")]
        input: PathBuf,
        /// Your time zone, an IANA name such as America/Los_Angeles [default: the system's]
        #[arg(long, value_name = "ZONE", value_parser = zone_name)]
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
    },
}

/// Accepts IANA zone names only.
fn zone_name(name: &str) -> Result<String, String> {
    match crate::agenda::parse_zone(name) {
        Some(_) => Ok(name.to_owned()),
        None => Err(format!(
            "`{}` is not an IANA time zone; use a name such as Europe/Berlin or Asia/Seoul",
            name.escape_debug()
        )),
    }
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
    fn version_names_the_tzdata_release() {
        assert!(VERSION.contains("IANA tzdata 20"), "{}", *VERSION);
    }
}
