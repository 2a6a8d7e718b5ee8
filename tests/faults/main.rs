//! Fault tests: the real `calfeed` binary killed mid-build, run twice at once into one folder,
//! on a full or read-only disk, against symbolic links and a tampered `.calfeed-outputs`, and
//! writing to a full standard output. Whatever happens, every published feed is complete, old
//! feeds survive a failed build, nothing is written through a link and nothing outside the
//! output folder is deleted.
//!
//! The tests that mount a small tmpfs need root; elsewhere they say why they did not run.
//! `CALFEED_KILL_ROUNDS` sets how many builds the kill test interrupts (default 30).

mod concurrent;
mod disk;
mod kill;
mod links;
mod support;
mod write_errors;
