#!/usr/bin/env bash
# Installs what the browser tests (tests/browser.rs) need: Debian's chromium package and fonts
# for Korean and Japanese text. Idempotent; as another user than root, apt-get runs through sudo.
set -euo pipefail

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in chromium fonts-noto-cjk; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup-browser.sh: apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
echo "setup-browser.sh: $(chromium --version 2>/dev/null || echo 'chromium not found')"
