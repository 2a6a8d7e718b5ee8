//! End-to-end tests: the real `calfeed` binary on the files in `tests/fixtures/`, and its feeds
//! read back by parsers calfeed did not write.

mod cli;
mod common;
mod dataset;
mod errors;
mod interop;
mod robustness;
mod snapshots;
mod tzdata;
