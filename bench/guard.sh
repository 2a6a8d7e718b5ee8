#!/usr/bin/env bash
# The ratio guard CI runs: builds calfeed and the parse floor (bench/floor) in release mode and
# fails when `calfeed build` on a generated 20,000-event file takes more than 1.5 times as long
# as parsing it into typed structs with the toml crate (see bench/guard.py).
#
# usage: bench/guard.sh [--limit 1.5] [--pairs 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked --quiet
# The same target folder: the floor reuses calfeed's compiled serde and toml.
cargo build --release --locked --quiet --manifest-path bench/floor/Cargo.toml --target-dir "$target"
exec python3 bench/guard.py --calfeed "$target/release/calfeed" \
    --floor "$target/release/calfeed-bench-floor" "$@"
