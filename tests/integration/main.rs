//! End-to-end tests: the real `calfeed` binary on the files in `tests/fixtures/`, and its feeds
//! read back by parsers calfeed did not write.

mod cli;
mod common;
mod dataset;
mod errors;
mod install;
mod interop;
mod message_format;
mod robustness;
mod serve;
mod server;
mod snapshots;
mod tzdata;
