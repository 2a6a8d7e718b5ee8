#!/usr/bin/env bash
# Install what the interop harness in this directory needs.  Idempotent: only what
# is missing is installed.  Meant for root on Debian bookworm (CI and developers);
# as another user, apt-get runs through sudo when packages are missing.
#
#   Debian:  libical-dev + pkg-config + a C compiler (libical_instants.c and
#            libical_offsets.c are compiled on demand by check.py and sweep.py),
#            python3-pip if pip is missing; groff-base, man-db, zsh and fish, which
#            read what `calfeed man` and `calfeed completions` print
#   Python:  requirements.txt (icalendar, tzdata) into a virtual environment,
#            tests/interop/.venv, made with $PYTHON (default python3)
#   Node:    npm ci (ical.js from package-lock.json); node itself must be present
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in libical-dev pkg-config gcc libc6-dev groff-base man-db zsh fish; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
venv="$here/.venv"
if [ ! -x "$venv/bin/python3" ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup.sh: apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
pkg-config --exists libical || { echo "setup.sh: libical not found by pkg-config" >&2; exit 1; }

# The pinned packages live in their own environment, whatever the system's Python has.
[ -x "$venv/bin/python3" ] || "$python" -m venv "$venv"
"$venv/bin/python3" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
python="$venv/bin/python3"

command -v node >/dev/null || { echo "setup.sh: node (20 or later) is required" >&2; exit 1; }
# The --tzdata tests compile time zone folders with zic.
command -v zic >/dev/null || { echo "setup.sh: zic (Debian's libc-bin) is required" >&2; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

echo "setup.sh: interop harness ready ($("$python" -c 'import icalendar, tzdata; print("icalendar", icalendar.__version__, "tzdata", tzdata.IANA_VERSION)'), ical.js $(node -p 'require("'"$here"'/node_modules/ical.js/package.json").version'), libical $(pkg-config --modversion libical))"
