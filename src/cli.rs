//! The command line: `calfeed build`, `calfeed check` and `calfeed serve`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::LazyLock;

use clap::{Parser, Subcommand};

use crate::annotate::MessageFormat;

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
        /// How to print problems: `human`, `github` (annotations in GitHub Actions) or `json`
        /// (one object per line).
        #[arg(long, value_name = "FORMAT", value_enum, default_value_t)]
        message_format: MessageFormat,
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
