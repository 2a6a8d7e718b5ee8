#!/usr/bin/env bash
# Runs calfeed's whole test suite.
#
# First installs the outside programs some tests need (see tests/interop/setup.sh): the parsers
# the interop tests read the feeds with (Python `icalendar`, Mozilla's ical.js, libical), zic,
# and the shells and man page tools that read `calfeed completions` and `calfeed man`. Then runs
# every test: unit tests, end-to-end tests of the binary, documentation examples, and the tests
# a plain `cargo test` ignores because they need those programs. Here a missing one fails them.
# tests/load/setup.sh installs wrk, the load generator of the `calfeed serve` load test.
# Extra arguments go to `cargo test` before its `--`, e.g. `scripts/test.sh --test interop`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/interop/setup.sh
bash tests/load/setup.sh
cargo test --locked "$@" -- --include-ignored
