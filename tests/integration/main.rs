//! End-to-end tests: the real `calfeed` binary on the files in `tests/fixtures/`. They need only
//! Rust; the tests that read feeds back with parsers calfeed did not write are in the `interop`
//! target (`tests/interop/main.rs`), which `scripts/test.sh` runs.

mod cli;
mod common;
mod errors;
mod messages;
mod robustness;
mod snapshots;
