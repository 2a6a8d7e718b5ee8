//! Feeds read back by parsers calfeed did not write: Python `icalendar`, Mozilla's ical.js and
//! libical, driven by the Python and C programs in this folder.
//!
//! Every test here needs those parsers, so every test is ignored by a plain `cargo test` (which
//! then needs nothing but Rust). `scripts/test.sh` installs the parsers with
//! `tests/interop/setup.sh` and runs these tests too; a missing parser fails them.

#[path = "../integration/common.rs"]
#[allow(dead_code, unused_imports)]
// shared with the `integration` target, which uses other helpers
mod common;
mod dataset;
mod feeds;
mod recur;
