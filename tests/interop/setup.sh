#!/usr/bin/env bash
# Install what the interop harness in this directory needs.  Idempotent: only what
# is missing is installed.  Meant for root on Debian bookworm (CI and developers);
# as another user, apt-get runs through sudo when packages are missing.
#
#   Debian:  libical-dev + pkg-config + a C compiler (libical_instants.c and
#            libical_offsets.c are compiled on demand by check.py and sweep.py),
#            python3-pip if pip is missing; groff-base, man-db, zsh and fish, which
#            read what `calfeed man` and `calfeed completions` print
#   Python:  requirements.txt (icalendar, tzdata) into $PYTHON (default python3)
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
if ! "$python" -m pip --version >/dev/null 2>&1; then
    missing+=(python3-pip)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup.sh: apt-get install ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi
pkg-config --exists libical || { echo "setup.sh: libical not found by pkg-config" >&2; exit 1; }

# Debian's own python3 is "externally managed" (PEP 668); this harness installs its
# pinned packages into it anyway, as it does on CI machines that are thrown away.
PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install -q --disable-pip-version-check \
    --root-user-action=ignore -r "$here/requirements.txt"

command -v node >/dev/null || { echo "setup.sh: node (20 or later) is required" >&2; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

echo "setup.sh: interop harness ready ($("$python" -c 'import icalendar, tzdata; print("icalendar", icalendar.__version__, "tzdata", tzdata.IANA_VERSION)'), ical.js $(node -p 'require("'"$here"'/node_modules/ical.js/package.json").version'), libical $(pkg-config --modversion libical))"
