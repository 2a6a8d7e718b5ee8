#!/usr/bin/env bash
# Installs the load generator of the `calfeed serve` load test (tests/load.rs): wrk, from Debian.
set -euo pipefail
if ! command -v wrk >/dev/null; then
    as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
    echo "tests/load/setup.sh: apt-get install wrk"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
echo "tests/load/setup.sh: $(wrk --version 2>&1 | head -n 1)"
