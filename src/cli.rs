//! The command line: `calfeed build` and `calfeed check`.

use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Parser, Subcommand};

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
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    // The help text shows `[[feed]]` as written, which rustdoc would take for a link.
    #[allow(rustdoc::broken_intra_doc_links)]
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
    /// Check an events file and report every problem, without writing anything.
    Check {
        /// The events file to check.
        #[arg(value_name = "FILE", default_value = "events.toml")]
        file: PathBuf,
    },
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
