#!/usr/bin/env bash
# Runs calfeed's whole test suite.
#
# First installs what the interop tests read the feeds with (Python `icalendar`, Mozilla's
# ical.js, libical; see tests/interop/setup.sh), then runs every test: unit tests, end-to-end
# tests of the binary, interop and zone-sweep tests, and documentation examples. Then installs
# wrk (tests/load/setup.sh) and runs the load test of `calfeed serve` (not when arguments
# pick some tests).
# Extra arguments go to `cargo test`, e.g. `scripts/test.sh interop`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/interop/setup.sh
cargo test --locked "$@"

if [ "$#" -eq 0 ]; then
    bash tests/load/setup.sh
    cargo test --locked --test load -- --ignored --nocapture
fi
