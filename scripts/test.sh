#!/usr/bin/env bash
# Runs calfeed's whole test suite.
#
# First installs what the interop tests read the feeds with (Python `icalendar`, Mozilla's
# ical.js, libical; see tests/interop/setup.sh), then runs every test: unit tests, end-to-end
# tests of the binary, interop and zone-sweep tests, and documentation examples; then installs
# chromium (scripts/setup-browser.sh) and runs the page in it (tests/browser.rs).
# Extra arguments go to `cargo test`, e.g. `scripts/test.sh interop`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tests/interop/setup.sh
bash scripts/setup-browser.sh
cargo test --locked "$@"
# The subscribe page in headless chromium (left out of a plain `cargo test`).
cargo test --locked --test browser "$@"
