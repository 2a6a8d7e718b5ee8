#!/usr/bin/env bash
# Runs calfeed's whole test suite.
#
# First installs what the interop tests read the feeds with (Python `icalendar`, Mozilla's
# ical.js, libical; see tests/interop/setup.sh), then runs every test: unit tests, end-to-end
# tests of the binary, documentation examples, and the interop and zone-sweep tests, which a
# plain `cargo test` skips because they need those parsers. Here a missing parser fails them.
# Extra arguments go to `cargo test` before its `--`, e.g. `scripts/test.sh --test interop`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/interop/setup.sh
cargo test --locked "$@" -- --include-ignored
