//! End-to-end tests: the real `calfeed` binary on the files in `tests/fixtures/`. A plain
//! `cargo test` runs those that need only Rust; the few that need `zic` or the test parsers are
//! ignored there and run by `scripts/test.sh`, like the `interop` target (`tests/interop/`),
//! whose tests all read feeds back with parsers calfeed did not write.

mod cli;
mod common;
mod errors;
mod install;
mod message_format;
mod messages;
mod plans;
mod robustness;
mod serve;
mod server;
mod snapshots;
mod tzdata;
