#!/usr/bin/env bash
# Builds the example calendar and takes the screenshot of its page shown in the README
# (docs/page.png), with headless chromium (scripts/setup-browser.sh installs it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)" cargo run --quiet --release -- build --out "$out/public"
TZ="${TZ:-Europe/Berlin}" chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --no-first-run --disable-background-networking --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$out/profile" --window-size="${SIZE:-1000,2200}" \
    --screenshot="$PWD/docs/page.png" "file://$out/public/index.html" 2>/dev/null
echo "docs/page.png"
