#!/usr/bin/env bash
# Fuzzes one target with AFL++ for a while, then reports executions and findings.
#
#   fuzz/run.sh TARGET [SECONDS]     TARGET is `events` or `dst`; SECONDS defaults to 60
#
# Installs cargo-afl if needed, which builds AFL++ for the current toolchain. The run starts
# from the seed corpus in fuzz/corpus/TARGET and keeps its findings in fuzz/out/TARGET; any crash
# makes this script fail and prints the inputs, which
# `cargo afl run --release --bin TARGET < FILE` replays.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-60}
if [[ ! -d corpus/$target ]]; then
    echo "no fuzz target \`$target\` (there is a seed corpus for: $(ls corpus | xargs))" >&2
    exit 2
fi

command -v cargo-afl > /dev/null || cargo install --locked cargo-afl
if ! config=$(cargo afl config --build 2>&1); then
    grep -q "already built" <<< "$config" || { echo "$config" >&2; exit 1; }
fi
# Not --locked: fuzz/Cargo.lock follows calfeed's own dependencies, which change without it.
cargo afl build --release --bin "$target"
binary="${CARGO_TARGET_DIR:-target}/release/$target"
out="out/$target"
rm -rf "$out"
mkdir -p "$out"

# The machine's settings are not ours to change: no core-pattern check, no CPU binding, no
# frequency check, and no screen (a log instead).
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
cargo afl fuzz -V "$seconds" -i "corpus/$target" -o "$out" -- "$binary" > "$out/afl.log" 2>&1 || {
    tail -n 30 "$out/afl.log" >&2
    exit 1
}

stats="$out/default/fuzzer_stats"
value() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
crashes=$(value saved_crashes)
echo "fuzz $target: $(value execs_done) executions in $(value run_time) s ($(value execs_per_sec)/s)," \
    "$(value corpus_count) inputs in the corpus, $(value bitmap_cvg) of the map covered," \
    "$crashes crashes, $(value saved_hangs) hangs"
if [[ $crashes != 0 ]]; then
    for crash in "$out"/default/crashes/id:*; do
        echo "crash: $crash" >&2
        "$binary" < "$crash" 2>&1 | head -n 20 >&2 || true
    done
    exit 1
fi
