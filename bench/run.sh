#!/usr/bin/env bash
# Benchmarks calfeed against the parse floor and two other generators, and writes
# bench/results/results.md and bench/results/plot.svg.
#
# usage: bench/run.sh [--no-peers] [--no-peers-100k] [--sizes 1000,10000,100000]
#
# Builds calfeed and the floors (bench/floor) in release mode, installs the peers on first use
# (Python `icalendar` into bench/.venv, Node `ical-generator` into bench/node_modules), then runs
# bench/measure.py. At 100,000 events the peers take minutes each and run once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
peers=1
for arg in "$@"; do
    [[ "$arg" == "--no-peers" ]] && peers=0
done

cargo build --release --locked --quiet
cargo build --release --locked --quiet --manifest-path bench/floor/Cargo.toml --target-dir "$target"

extra=()
if [[ $peers == 1 ]]; then
    if [[ ! -x bench/.venv/bin/python ]]; then
        python3 -m venv bench/.venv
    fi
    bench/.venv/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
    npm ci --prefix bench --no-audit --no-fund --loglevel=error
    extra+=(--python bench/.venv/bin/python)
fi

exec python3 bench/measure.py \
    --calfeed "$target/release/calfeed" \
    --floor "$target/release/calfeed-bench-floor" \
    --files-floor "$target/release/calfeed-bench-files" \
    "${extra[@]}" "$@"
