//! What an installation puts beside the binary: shell completions and the manual page, both
//! generated from the command line's definition in [`crate::cli`], so they never disagree with
//! `--help`.

use std::io::{self, Write};

use clap::CommandFactory;
pub use clap_complete::Shell;

use crate::cli::Cli;

/// The name the completions complete and the manual page documents.
const BIN: &str = "calfeed";

/// Writes the completion script for `shell` to `out`.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn write_completions(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    // clap_complete panics if its writer fails; memory cannot, and `out` reports its own errors.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut script);
    out.write_all(&script)
}

/// Writes the manual page, `calfeed(1)` in roff, to `out`: the top-level synopsis and options,
/// then a section for every command with its own synopsis, description and options.
///
/// # Errors
///
/// When `out` cannot be written.
pub fn write_man_page(out: &mut dyn Write) -> io::Result<()> {
    let mut cli = Cli::command().bin_name(BIN);
    cli.build();
    let man = clap_mangen::Man::new(cli.clone());

    // clap_mangen drops an empty date from `.TH`, which shifts the fields after it; the page
    // has no date so that it is the same for the same version.
    let mut page = Vec::new();
    let version = cli
        .get_version()
        .unwrap_or_default()
        .replace(['"', '\\'], "");
    writeln!(
        page,
        ".TH {BIN} 1 \"\" \"{BIN} {version}\" \"User Commands\""
    )?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    page.extend_from_slice(b".SH COMMANDS\n");
    // From the definition as written, so that each command lists its own options (the global
    // ones are in OPTIONS above) and `help`, which clap adds when it builds, is left out.
    for command in Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
    {
        let name = format!("{BIN} {}", command.get_name());
        let man = clap_mangen::Man::new(command.clone().bin_name(&name));
        // Each command is a subsection; its synopsis comes first, unlabelled, as in git(1).
        writeln!(page, ".SS \"{name}\"")?;
        page.extend(body(|w| man.render_synopsis_section(w))?);
        page.extend_from_slice(b".PP\n");
        page.extend(body(|w| man.render_description_section(w))?);
        if command.get_arguments().any(|a| !a.is_hide_set()) {
            page.extend_from_slice(b".PP\nOptions:\n");
            page.extend(body(|w| man.render_options_section(w))?);
        }
    }

    if cli.get_after_help().is_some() || cli.get_after_long_help().is_some() {
        // clap_mangen calls the text after the options "EXTRA"; it is the exit status and the
        // environment.
        let mut notes = Vec::new();
        man.render_extra_section(&mut notes)?;
        page.extend_from_slice(b".SH NOTES\n");
        page.extend(without_heading(notes));
    }
    // The short version: the long one describes the machine `--version` runs on.
    writeln!(page, ".SH VERSION\n{version}")?;
    out.write_all(&page)
}

/// What `render` writes, without the `.SH` headings it starts its sections with.
fn body(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut section = Vec::new();
    render(&mut section)?;
    Ok(without_heading(section))
}

/// `roff` without its `.SH` lines.
fn without_heading(roff: Vec<u8>) -> Vec<u8> {
    roff.split_inclusive(|&b| b == b'\n')
        .filter(|line| !line.starts_with(b".SH "))
        .flatten()
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn man_page() -> String {
        let mut page = Vec::new();
        write_man_page(&mut page).unwrap();
        String::from_utf8(page).expect("the page is UTF-8")
    }

    #[test]
    fn man_page_documents_every_command_and_its_options() {
        let page = man_page();
        let version = Cli::command().get_version().unwrap().to_owned();
        assert!(
            page.starts_with(&format!(
                ".TH calfeed 1 \"\" \"calfeed {version}\" \"User Commands\"\n"
            )),
            "{page}"
        );
        for heading in [".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH NOTES"] {
            assert_eq!(page.matches(heading).count(), 1, "{heading} in\n{page}");
        }
        for command in Cli::command().get_subcommands() {
            let name = command.get_name();
            assert!(
                page.contains(&format!(".SS \"calfeed {name}\"\n")),
                "no section for {name}:\n{page}"
            );
        }
        assert!(!page.contains(".SS \"calfeed help\""), "{page}");
        // Options of a command appear in its section (roff escapes the dashes).
        let build = page.find(".SS \"calfeed build\"").unwrap();
        let check = page.find(".SS \"calfeed check\"").unwrap();
        let section = &page[build.min(check)..build.max(check)];
        let own = if build < check { "\\-\\-out" } else { "FILE" };
        assert!(section.contains(own), "{section}");
    }

    #[test]
    fn man_page_keeps_the_exit_status_and_version() {
        let page = man_page();
        assert!(page.contains("Exit status"), "{page}");
        assert!(!page.contains("EXTRA"), "{page}");
        assert!(
            page.contains(&format!(".SH VERSION\n{} (", env!("CARGO_PKG_VERSION"))),
            "{page}"
        );
    }

    #[test]
    fn every_shell_gets_a_script_naming_the_commands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let mut script = Vec::new();
            write_completions(shell, &mut script).unwrap();
            let script = String::from_utf8(script).unwrap();
            for command in ["build", "check", "completions", "man"] {
                assert!(script.contains(command), "{shell}: no {command}");
            }
        }
    }

    #[test]
    fn a_failing_writer_is_an_error_not_a_panic() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        assert!(write_completions(Shell::Bash, &mut Full).is_err());
        assert!(write_man_page(&mut Full).is_err());
    }
}
