#!/usr/bin/env bash
# Checks the crate as crates.io would receive it: the package holds only what Cargo.toml's
# `include` lists, it builds on its own (`cargo publish --dry-run` unpacks and compiles it), and
# its unit tests pass there, as they do when a distribution builds calfeed from crates.io.
# Needs a clean git tree and crates.io.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "check-package: files in the package:"
cargo package --list --locked | sed 's/^/  /'

cargo publish --dry-run --locked

read -r target version < <(cargo metadata --format-version 1 --no-deps --locked |
    python3 -c 'import json, sys; m = json.load(sys.stdin); print(m["target_directory"], m["packages"][0]["version"])')
unpacked="$target/package/calfeed-$version"

# Two unit tests read the repository's events.toml and test fixtures, which the package leaves
# out; they run with the rest of the suite in scripts/test.sh.
(cd "$unpacked" && CARGO_TARGET_DIR="$target" cargo test --locked --lib -- \
    --skip load::tests::truncated_files_never_panic \
    --skip load::tests::sections_read_like_the_whole_file)
